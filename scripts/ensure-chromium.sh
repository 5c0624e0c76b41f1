#!/usr/bin/env bash
# Debian's chromium for the Playwright browser tests (never `playwright install`: no downloaded browsers).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
