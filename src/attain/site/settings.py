"""Django settings for Attain, read from ATTAIN_* environment variables.

Defaults are safe for production except where noted: DEBUG is off, and a missing
ATTAIN_SECRET_KEY falls back to a key generated once and stored under var/ (warned about by
`attain check --deploy`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

from attain.site.env import env_bool, env_list

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(os.environ.get("ATTAIN_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = os.environ.get("ATTAIN_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ATTAIN_DEBUG", False)
ALLOWED_HOSTS = env_list("ATTAIN_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ATTAIN_CSRF_TRUSTED_ORIGINS", [])

DATABASE_URL = os.environ.get("ATTAIN_DATABASE_URL", f"sqlite:///{VAR_DIR / 'attain.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger UI files are served by the app: no CDN
    "attain.apps.core",
    "attain.apps.org",
    "attain.apps.catalog",
    "attain.apps.territories",
    "attain.apps.sales",
    "attain.apps.quotas",
    "attain.apps.plans",
    "attain.apps.imports",
    "attain.apps.calc",
    "attain.apps.payments",
    "attain.apps.audit",
    "attain.apps.portal",
    "attain.apps.api",
    "attain.apps.disputes",
    "attain.apps.workspace",
    "attain.site",
]

MIDDLEWARE = [
    "attain.site.timing.ServerTimingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "attain.site.urls"
WSGI_APPLICATION = "attain.site.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("ATTAIN_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# WhiteNoise serves static files straight from the apps' folders: no collectstatic, no CDN.
WHITENOISE_USE_FINDERS = True
# the apps' static folders, and plotly.min.js from the installed plotly package (attain.site.charts)
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "attain.site.charts.PlotlyFinder",
]
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = VAR_DIR / "media"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"  # the home sends each role on to its own page
LOGOUT_REDIRECT_URL = "login"
# a username is refused from an address after this many failed logins within the minutes (portal and admin)
LOGIN_FAILURE_LIMIT = 5
LOGIN_FAILURE_MINUTES = 15

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 12 * 60 * 60  # a working day: pay data does not stay open for the default two weeks
# ATTAIN_HTTPS=1 when Attain is served over HTTPS (behind a proxy that sets X-Forwarded-Proto).
HTTPS = env_bool("ATTAIN_HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]  # attain.W004 says it once
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ATTAIN_LOG_LEVEL", "WARNING")},
}

# Calculations started from the web app or the API (attain.apps.calc.jobs): "process" runs each in a separate OS
# process (the default: a web worker is never blocked); "inline" runs it within the request (the tests use it).
ATTAIN_JOB_RUNNER = os.environ.get("ATTAIN_JOB_RUNNER", "process")
# The engine a background calculation runs on (docs/scale-out.md): duckdb (embedded), or spark on the
# master URL (local[*] when empty: every core of this machine).
ATTAIN_ENGINE = os.environ.get("ATTAIN_ENGINE", "duckdb")
ATTAIN_SPARK_MASTER = os.environ.get("ATTAIN_SPARK_MASTER", "")
# Transactions (and their credit splits) read from the data lake by the engine instead of the database: a
# Parquet path or a table of the engine's catalog (`attain calc --transactions`, docs/scale-out.md).
ATTAIN_LAKE_TRANSACTIONS = os.environ.get("ATTAIN_LAKE_TRANSACTIONS", "")
ATTAIN_LAKE_SPLITS = os.environ.get("ATTAIN_LAKE_SPLITS", "")
# The largest file the workspace's import page accepts, in megabytes (bigger files: `attain import`).
ATTAIN_IMPORT_MAX_MB = int(os.environ.get("ATTAIN_IMPORT_MAX_MB", "50"))
