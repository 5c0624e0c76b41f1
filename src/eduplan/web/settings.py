"""Django settings: SQLite under ./var (or EDUPLAN_DATA_DIR) by default, PostgreSQL when DATABASE_URL is set."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

WEB_DIR = Path(__file__).resolve().parent
REPO_DIR = WEB_DIR.parents[2]  # src/eduplan/web -> the checkout, where node_modules lives
DATA_DIR = Path(os.environ.get("EDUPLAN_DATA_DIR", Path.cwd() / "var"))



def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# A fixed key is fine for the demo on loopback; `eduplan serve` without --demo refuses to start with it
# (web/production.py): anyone who knows it can forge sessions and cookies.
DEMO_SECRET_KEY = "eduplan-demo-key-not-for-production"
SECRET_KEY = os.environ.get("EDUPLAN_SECRET_KEY", DEMO_SECRET_KEY)
DEBUG = _flag("EDUPLAN_DEBUG")
ALLOWED_HOSTS = _list("EDUPLAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

# Behind TLS (README, "Running in production"): Secure cookies, HSTS, the proxy's scheme header and the
# origins a browser's POST may come from. Off by default: the demo runs on plain http://127.0.0.1.
SECURE_COOKIES = _flag("EDUPLAN_SECURE_COOKIES")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = _flag("EDUPLAN_SSL_REDIRECT", default=SECURE_COOKIES)
SECURE_HSTS_SECONDS = int(os.environ.get("EDUPLAN_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("EDUPLAN_HSTS_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = _flag("EDUPLAN_HSTS_PRELOAD")
# The header a TLS-terminating proxy sets to say the browser used https, e.g. X-Forwarded-Proto. Only set it
# when the proxy always sets (or strips) that header: otherwise a client could claim https itself.
_PROXY_HEADER = os.environ.get("EDUPLAN_PROXY_SSL_HEADER", "").strip()
SECURE_PROXY_SSL_HEADER = (f"HTTP_{_PROXY_HEADER.upper().replace('-', '_')}", "https") if _PROXY_HEADER else None
CSRF_TRUSTED_ORIGINS = _list("EDUPLAN_TRUSTED_ORIGINS")
# Preloading is for public domains a browser vendor lists; a bureau's intranet host is not one. Opt in with
# EDUPLAN_HSTS_PRELOAD=1.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "eduplan.ledger",
    "eduplan.monitoring",
    "eduplan.reports",
    "eduplan.dashboard",
    "eduplan.followup",
]

MIDDLEWARE = [
    "eduplan.web.middleware.AccessLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "eduplan.web.middleware.SecurityHeadersMiddleware",
    "eduplan.web.middleware.UploadCapMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eduplan.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eduplan.web.middleware.IdleTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "eduplan.web.urls"
WSGI_APPLICATION = "eduplan.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "eduplan.ledger.views.unread_notices",
                "eduplan.followup.context.todo_badge",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        # No server-side cursors: a form's unit list (.iterator()) would cost DECLARE, FETCH and CLOSE round trips
        # for a few dozen rows, and they break behind a transaction-pooling proxy.
        # Prepared statements: psycopg prepares a statement once a connection has run it twice, and PostgreSQL
        # stops parsing and planning the few queries every page runs (web_load: its share of the CPU halved).
        # They need server-side binding; Django leaves preparing off unless prepare_threshold is given.
        # Behind a transaction-pooling proxy, set EDUPLAN_DB_PREPARED=0.
        prepared = os.environ.get("EDUPLAN_DB_PREPARED", "1") == "1"
        options = {"server_side_binding": True, "prepare_threshold": 2} if prepared else {}
        return {**dj_database_url.parse(url, conn_max_age=60), "DISABLE_SERVER_SIDE_CURSORS": True,
                "OPTIONS": options}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": DATA_DIR / "eduplan.sqlite3", "OPTIONS": SQLITE_OPTIONS}


# SQLite under a bureau's load (a dozen units reporting at once): WAL lets pages read while one transaction
# writes; every write transaction begins IMMEDIATE, taking the write lock at its start, so a second writer waits
# (up to the busy timeout) instead of failing with "database is locked" when its read turns into a write, and
# the ledger's transitions (services.py) decide on rows no other writer can change before they commit.
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": int(os.environ.get("EDUPLAN_SQLITE_TIMEOUT", 30)),  # seconds a writer waits for the lock
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Sessions in the database, not cached_db: the cache is per process, and with `eduplan serve --workers 2` a
# session ended (logout) in one worker would stay valid in the other's cache.
# Not signed cookies either: a copied cookie would stay good until it expired, whatever logout did. Django's
# db store, read with a plain query (ledger/sessions.py): the same table, a third of the CPU.
SESSION_ENGINE = "eduplan.ledger.sessions"
# Ledger pages are never cached (issue 16): each request renders the ledger as it is. The cache holds only
# what the statistics decide (the dashboard's district table, keyed by the statistics' version).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 500}}}
CSRF_FAILURE_VIEW = "eduplan.web.errors.csrf_failure"  # the site's own page, in Chinese
AUTH_USER_MODEL = "ledger.User"
# Sessions signed in before this backend was named (django's ModelBackend) must sign in once more.
AUTHENTICATION_BACKENDS = ["eduplan.ledger.backends.UnitBackend"]
# Django's four checks; the minimum length a bureau's policy may raise (EDUPLAN_PASSWORD_MIN_LENGTH).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": int(os.environ.get("EDUPLAN_PASSWORD_MIN_LENGTH", "10"))}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Signed out after this long without a request (web/middleware.IdleTimeoutMiddleware), and after 12 hours
# whatever happens.
IDLE_TIMEOUT_SECONDS = int(os.environ.get("EDUPLAN_IDLE_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = 12 * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:landing"  # leaders to the dashboard, everyone else to the ledger
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# The indicator engine's statistics (DuckDB); `eduplan serve --demo` seeds the demo city's into it.
EDUPLAN_STATS_DB = Path(os.environ.get("EDUPLAN_STATS_DB", DATA_DIR / "statistics.duckdb"))

STATIC_URL = "static/"
STATICFILES_DIRS = [WEB_DIR / "static"]
_HTMX = REPO_DIR / "node_modules" / "htmx.org" / "dist"
if _HTMX.is_dir():  # `npm ci` puts it there; pages still work without it (htmx only enhances)
    STATICFILES_DIRS.append(("vendor/htmx", _HTMX))
_ECHARTS = REPO_DIR / "node_modules" / "echarts" / "dist"
if _ECHARTS.is_dir():  # the dashboard's charts; without it the dashboard shows its tables only
    STATICFILES_DIRS.append(("vendor/echarts", _ECHARTS))
STATIC_ROOT = DATA_DIR / "static"
# Evidence files: never served from this folder by any URL, only through the checked download view
# (ledger/evidence_views.py). MEDIA_URL is not /media/ because links of old pages go there, to that view,
# and Django's test live server would serve a MEDIA_URL folder straight.
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/never-served-media/"

# Uploads: plan files and xlsx ledgers are small; refuse anything larger with a message.
MAX_UPLOAD_BYTES = int(os.environ.get("EDUPLAN_MAX_UPLOAD_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES

EMAIL_BACKEND = os.environ.get("EDUPLAN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EDUPLAN_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EDUPLAN_SMTP_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EDUPLAN_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EDUPLAN_SMTP_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EDUPLAN_SMTP_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("EDUPLAN_MAIL_FROM", "duban@binjiang.example")
# With EDUPLAN_EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend, each mail lands in this folder.
EMAIL_FILE_PATH = os.environ.get("EDUPLAN_EMAIL_DIR", str(DATA_DIR / "mail"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "eduplan.ledger.token_auth.HashedTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: the browsable HTML API is a second set of forms outside the pages' rules and messages, and
    # its third-party templates are not held to the CSP's no-inline-script rule the site's own are.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "eduplan.ledger.api_schema.ApiSchema",
    "DEFAULT_PAGINATION_CLASS": "eduplan.ledger.api_pages.Pages",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "eduplan.ledger.api.exception_handler",
}
SPECTACULAR_SETTINGS = {"TITLE": "eduplan 督办台账 API", "VERSION": "1.0.0",
                        "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
                        # four models have a `status`, each with its own choices: each its own name in the schema
                        "ENUM_NAME_OVERRIDES": {f"{model}StatusEnum": f"eduplan.ledger.models.{model}.Status"
                                                for model in ("Plan", "Task", "Assignment", "Request")}}

# Logs (README, "Running in production"): var/log/access.log (a line per request) and var/log/error.log
# (server errors with their tracebacks, refused CSRF and hosts), each rotated at 10 MB, 5 old files kept.
# Written when EDUPLAN_LOGS=1, which `eduplan serve` and the WSGI module set by default; tests leave it off.
LOG_DIR = Path(os.environ.get("EDUPLAN_LOG_DIR", DATA_DIR / "log"))
if _flag("EDUPLAN_LOGS"):
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    _ROTATED = {"class": "logging.handlers.RotatingFileHandler", "maxBytes": 10 * 1024 * 1024, "backupCount": 5,
                "delay": True, "encoding": "utf-8", "formatter": "plain"}
    LOGGING = {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                       "line": {"format": "%(asctime)s %(message)s"}},
        "handlers": {"errors": {**_ROTATED, "filename": str(LOG_DIR / "error.log"), "level": "WARNING"},
                     "access": {**_ROTATED, "filename": str(LOG_DIR / "access.log"), "formatter": "line"}},
        "loggers": {"django.request": {"handlers": ["errors"], "level": "ERROR"},
                    "django.security": {"handlers": ["errors"], "level": "WARNING"},
                    "eduplan": {"handlers": ["errors"], "level": "WARNING"},
                    "eduplan.access": {"handlers": ["access"], "level": "INFO", "propagate": False}},
    }
