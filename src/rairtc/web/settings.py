"""Settings of the web registry, read from the environment.

Database: ``RAIRTC_DATABASE_URL`` (set by ``rairtc serve --database``), else ``DATABASE_URL``,
else SQLite in the user data directory (``platformdirs``) in WAL mode, so that readers never
wait for a writer. The secret key is ``RAIRTC_SECRET_KEY`` or a random key kept beside the
SQLite file. No setting reaches the internet: static files (htmx included) are served by
WhiteNoise from the package.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from platformdirs import user_data_dir

HERE = Path(__file__).parent


def data_dir() -> Path:
    folder = Path(os.environ.get("RAIRTC_DATA_DIR") or user_data_dir("rairtc", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def database(url: str | None) -> dict[str, Any]:
    if not url:
        url = f"sqlite:///{data_dir() / 'registry.sqlite3'}"
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=60))
    if config["ENGINE"].endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    return config


def secret_key() -> str:
    key = os.environ.get("RAIRTC_SECRET_KEY")
    if key:
        return key
    path = data_dir() / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = secret_key()
DEBUG = os.environ.get("RAIRTC_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("RAIRTC_ALLOWED_HOSTS", "*").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # its Swagger UI files, served locally (no CDN) on /api/docs
    "rairtc.web.accounts",
    "rairtc.web.audit",
    "rairtc.web.registry",
    "rairtc.web.cycle",
    "rairtc.web.studies",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "rairtc.web.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]
ROOT_URLCONF = "rairtc.web.urls"
WSGI_APPLICATION = "rairtc.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [HERE / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "rairtc.web.accounts.roles.role_context",
            ]
        },
    }
]
DATABASES = {
    "default": database(os.environ.get("RAIRTC_DATABASE_URL") or os.environ.get("DATABASE_URL"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# One cache per worker process: every key holds a revision read from the database (the
# patient's, or the registry's), so a write in one worker is never served stale by another.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
LANGUAGE_COOKIE_NAME = "rairtc_language"
LOCALE_PATHS = [HERE / "locale"]
FORMAT_MODULE_PATH = ["rairtc.web.formats"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("RAIRTC_TIME_ZONE", "Asia/Almaty")

STATIC_URL = "/static/"
STATICFILES_DIRS = [HERE / "static"]
STATIC_ROOT = data_dir() / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

# Django's database sessions and ModelBackend, each read with one plain SELECT per request
# instead of a query compiled by the ORM (accounts/sessions.py, accounts/backends.py).
SESSION_ENGINE = "rairtc.web.accounts.sessions"
AUTHENTICATION_BACKENDS = ["rairtc.web.accounts.backends.AccountBackend"]
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/patients/"
LOGOUT_REDIRECT_URL = "/login/"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
