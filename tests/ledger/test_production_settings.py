"""Production refuses to be insecure (audit H3): no demo key or DEBUG without --demo, TLS settings from the
environment, `check --deploy` clean, and the demo never gives an account back its public password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from eduplan.demo.ledger_demo import DEMO_PASSWORD, create_users
from eduplan.ledger.models import User

SRC = Path(__file__).resolve().parents[2] / "src"
STRONG_KEY = "k3Y-" + "x9Qv7LmZpR2sT8wB4nH6jD1fG5cA0eU" * 2
PRODUCTION = {"EDUPLAN_SECRET_KEY": STRONG_KEY, "EDUPLAN_SECURE_COOKIES": "1", "EDUPLAN_HSTS_SECONDS": "31536000",
              "EDUPLAN_PROXY_SSL_HEADER": "X-Forwarded-Proto", "EDUPLAN_ALLOWED_HOSTS": "duban.example.gov.cn",
              "EDUPLAN_TRUSTED_ORIGINS": "https://duban.example.gov.cn"}


def _run(code: str, env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("EDUPLAN_", "DJANGO_", "DATABASE_URL"))}
    full = {**clean, "PYTHONPATH": str(SRC), "EDUPLAN_DATA_DIR": str(tmp_path / "var"),
            "DJANGO_SETTINGS_MODULE": "eduplan.web.settings", **env}
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=120)


def _serve(env: dict, tmp_path) -> subprocess.CompletedProcess:
    return _run("from eduplan.cli import main; main(['serve', '--port', '1', '--workers', '1'])", env, tmp_path)


@pytest.mark.parametrize("env, says", [
    ({}, "EDUPLAN_SECRET_KEY is not set"),
    ({"EDUPLAN_SECRET_KEY": "short"}, "too short"),
    ({"EDUPLAN_SECRET_KEY": STRONG_KEY, "EDUPLAN_DEBUG": "1"}, "EDUPLAN_DEBUG=1"),
])
def test_serve_without_demo_refuses_the_demo_key_or_debug_and_says_what_to_set(tmp_path, env, says):
    result = _serve(env, tmp_path)
    assert result.returncode != 0
    assert "refusing to serve without --demo" in result.stderr and says in result.stderr
    assert "Traceback" not in result.stderr


def test_the_production_configuration_passes_check_deploy(tmp_path):
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('check', deploy=True, fail_level='WARNING')")
    result = _run(code, PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_the_shipped_defaults_fail_check_deploy(tmp_path):
    """What the audit found: the same check on the defaults names the key and the cookies."""
    code = ("import django; django.setup(); from django.core.management import call_command; "
            "call_command('check', deploy=True, fail_level='WARNING')")
    result = _run(code, {}, tmp_path)
    assert result.returncode != 0 and "W009" in result.stderr and "W012" in result.stderr


def test_behind_a_tls_proxy_a_form_post_from_the_trusted_origin_passes_csrf(tmp_path):
    """The audit's 403 CSRF page: a POST with Origin https://… behind a proxy that says https."""
    code = """
import django; django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
from django.core.management import call_command
call_command('migrate', verbosity=0)
client = Client(enforce_csrf_checks=True, HTTP_HOST='duban.example.gov.cn', HTTP_X_FORWARDED_PROTO='https')
page = client.get('/login/', secure=False)
assert page.status_code == 200, page.status_code
assert 'Secure' in str(page.cookies['csrftoken']) and 'Strict-Transport-Security' in page.headers
token = page.cookies['csrftoken'].value
answer = client.post('/login/', {'username': 'x', 'password': 'y', 'csrfmiddlewaretoken': token},
                     HTTP_ORIGIN='https://duban.example.gov.cn')
print('STATUS', answer.status_code)
evil = client.post('/login/', {'username': 'x', 'password': 'y', 'csrfmiddlewaretoken': token},
                   HTTP_ORIGIN='https://evil.example')
print('EVIL', evil.status_code)
"""
    result = _run(code, PRODUCTION, tmp_path)
    assert "STATUS 200" in result.stdout, result.stderr  # the login form again (wrong password), not 403
    assert "EVIL 403" in result.stdout


@pytest.mark.django_db
def test_the_demo_never_changes_an_existing_users_password_or_rights(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from eduplan.demo.ledger_demo import create_city

    create_city()
    create_users()
    admin = User.objects.get(username="admin")
    admin.set_password("a much better password 2026")
    admin.is_superuser = False
    admin.save()
    printed = dict((name, password) for name, _, password in create_users())
    admin.refresh_from_db()
    assert admin.check_password("a much better password 2026") and not admin.check_password(DEMO_PASSWORD)
    assert not admin.is_superuser
    assert DEMO_PASSWORD not in printed["admin"]


def test_access_and_error_logs_are_written_under_var_log_and_rotated(tmp_path):
    code = """
import django; django.setup()
import logging
from django.core.management import call_command
from django.test import Client
call_command('migrate', verbosity=0)
client = Client(enforce_csrf_checks=True)
client.get('/login/')
client.get('/no-such-page/')
client.post('/login/', {'username': 'x', 'password': 'y'})  # no CSRF token: refused, and logged
handler = next(h for h in logging.getLogger('eduplan.access').handlers)
print('ROTATION', handler.maxBytes, handler.backupCount)
logging.shutdown()
"""
    result = _run(code, {**PRODUCTION, "EDUPLAN_LOGS": "1", "EDUPLAN_SECURE_COOKIES": "0",
                         "EDUPLAN_ALLOWED_HOSTS": "testserver"}, tmp_path)
    assert "ROTATION 10485760 5" in result.stdout, result.stderr
    access = (tmp_path / "var" / "log" / "access.log").read_text(encoding="utf-8").splitlines()
    assert [line.split()[4:7] for line in access] == [["GET", "/login/", "200"], ["GET", "/no-such-page/", "404"],
                                                      ["POST", "/login/", "403"]]
    assert "CSRF" in (tmp_path / "var" / "log" / "error.log").read_text(encoding="utf-8")
