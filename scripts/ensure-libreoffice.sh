#!/bin/sh
# Install what the .docx layout test needs: LibreOffice (headless) to convert to PDF,
# poppler-utils to render and inspect pages, and CJK fonts so Chinese text has glyphs.
# Idempotent: returns at once when everything is present. Needs root (or sudo) and apt.
set -eu
have() { command -v "$1" >/dev/null 2>&1; }
if have soffice && have pdftoppm && have pdffonts && fc-list :lang=zh family 2>/dev/null | grep -q "Noto Serif CJK SC"; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    if have sudo; then SUDO="sudo -n"; else echo "ensure-libreoffice: need root to apt-get install" >&2; exit 1; fi
fi
have apt-get || { echo "ensure-libreoffice: apt-get not available" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-writer-nogui poppler-utils fonts-noto-cjk fontconfig >/dev/null \
  || $SUDO apt-get install -y -qq --no-install-recommends \
    libreoffice-writer poppler-utils fonts-noto-cjk fontconfig >/dev/null
have soffice && have pdftoppm
