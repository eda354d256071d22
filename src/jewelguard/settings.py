"""Django settings for JewelGuard: every deployment choice comes from jewelguard.config."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

from jewelguard import config as jg_config

CONFIG = jg_config.load()
BASE_DIR = Path(__file__).resolve().parent

DEBUG = CONFIG.debug
SECRET_KEY = CONFIG.secret_key
ALLOWED_HOSTS = CONFIG.allowed_hosts
CSRF_TRUSTED_ORIGINS = CONFIG.csrf_trusted_origins
JEWELGUARD_DATA_DIR = CONFIG.data_dir
JEWELGUARD_SITE_URL = CONFIG.site_url
JEWELGUARD_SITE_NAME = CONFIG.site_name
JEWELGUARD_TRUSTED_PROXIES = CONFIG.trusted_proxies
JEWELGUARD_MAP_TILES_URL = CONFIG.map_tiles_url
JEWELGUARD_CONTACT_RECIPIENTS = CONFIG.contact_recipients
JEWELGUARD_MEDIA_RECIPIENTS = CONFIG.media_recipients
JEWELGUARD_EVENTS_RETENTION_DAYS = CONFIG.events_retention_days
JEWELGUARD_EVENTS_HEARTBEAT_SECONDS = CONFIG.events_heartbeat_seconds
# Camera passwords: the Fernet key, or empty to derive one from SECRET_KEY (sentinel.credentials).
JEWELGUARD_SENTINEL_KEY = CONFIG.sentinel_key
# Without Redis, a live stream looks for new events this often (seconds).
JEWELGUARD_EVENTS_POLL_SECONDS = 0.25

INSTALLED_APPS = [
    "jewelguard.core",
    "jewelguard.accounts",
    "jewelguard.pledge",
    "jewelguard.playbook",
    "jewelguard.assessment",
    "jewelguard.intel",
    "jewelguard.sentinel",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "django_htmx",
    "csp",
    "ninja",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Innermost, and sync-only on purpose: see jewelguard.core.middleware.sync_chain.
    "jewelguard.core.middleware.sync_chain",
]

ROOT_URLCONF = "jewelguard.urls"
ASGI_APPLICATION = "jewelguard.asgi.application"
WSGI_APPLICATION = "jewelguard.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "jewelguard.core.context.site",
            ],
        },
    }
]


def _database(url: str) -> dict[str, Any]:
    # No persistent connections: under ASGI each request runs in a thread of its own, and a
    # connection kept per thread leaks. PostgreSQL gets a pool instead, and SQLite's backend
    # keeps the connections Django closes for the next request (jewelguard.core.sqlite).
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db["ENGINE"] = "jewelguard.core.sqlite"
        # IMMEDIATE avoids "database is locked" on lock upgrades inside transactions. WAL (so
        # the web process reads while the worker writes) is kept in the database file; the
        # jewelguard command switches it on once (cli._setup).
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            # 64 MiB of page cache per connection (SQLite's default is 2 MiB): the incident
            # table's indexes outgrow 2 MiB long before a million rows, and an import then
            # rereads index pages for every row.
            "init_command": (
                "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000; PRAGMA cache_size=-65536;"
            ),
        }
    else:
        db["OPTIONS"] = {"pool": {"min_size": 2, "max_size": 10, "timeout": 10}}
    return db


DATABASES = {"default": _database(CONFIG.database_url)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Rate limits live in a store every process shares and a restart keeps: Redis when
# configured, else a table in the database (created by the playbook's migrations).
RATE_LIMIT_CACHE = "rate-limits"
RATE_LIMIT_CACHE_TABLE = "jewelguard_rate_limits"
if CONFIG.redis_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.redis_url,
        },
        RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CONFIG.redis_url,
            "KEY_PREFIX": "rate",
        },
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [CONFIG.redis_url]},
        }
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": RATE_LIMIT_CACHE_TABLE,
        },
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task whose worker's heartbeat is older than this is put back in the queue (at least once).
JEWELGUARD_TASK_LEASE_SECONDS = CONFIG.task_lease_seconds
# Seconds to wait before each automatic new try of an e-mail the mail server refused; one
# try more than there are delays, then the delivery stays failed until someone retries it.
JEWELGUARD_EMAIL_RETRY_DELAYS = (60, 300, 1800, 7200)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "core:home"

# allauth: e-mail is the login, confirmed before the first sign-in.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[JewelGuard] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
ACCOUNT_ADAPTER = "jewelguard.accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "jewelguard.accounts.forms.SignupExtraForm"
# Login throttling: five failures per account within five minutes; the per-address limit is
# higher because a whole store's staff often share one connection.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "30/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}

EMAIL_BACKEND = CONFIG.email.backend
EMAIL_HOST = CONFIG.email.host
EMAIL_PORT = CONFIG.email.port
EMAIL_HOST_USER = CONFIG.email.user
EMAIL_HOST_PASSWORD = CONFIG.email.password
EMAIL_USE_TLS = CONFIG.email.use_tls
DEFAULT_FROM_EMAIL = CONFIG.email.from_address
SERVER_EMAIL = CONFIG.email.from_address

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr-ca", _("French (Canada)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.data_dir / "static"
# Served from the app folders directly: no collectstatic step for the embedded default.
WHITENOISE_USE_FINDERS = True
# Leaflet comes from the files the django-leaflet package ships. Its Django app is not
# installed: its admin module needs GDAL, and the map here is plain Leaflet, not a GIS widget.
_leaflet_spec = importlib.util.find_spec("leaflet")
assert _leaflet_spec and _leaflet_spec.submodule_search_locations
STATICFILES_DIRS = [Path(next(iter(_leaflet_spec.submodule_search_locations))) / "static"]
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = CONFIG.data_dir / "media"
# Generated documents (toolkits, staff cards) have a storage of their own: they can all be
# rebuilt, so they may be deleted, or moved to other storage, apart from the uploads.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "documents": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": CONFIG.data_dir / "documents", "base_url": None},
    },
}
FILE_UPLOAD_PERMISSIONS = 0o644

# Security headers. HSTS and secure cookies only outside debug, where HTTPS is expected.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = CONFIG.hsts_preload
    SECURE_SSL_REDIRECT = CONFIG.ssl_redirect
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

_tile_origin = "/".join(CONFIG.map_tiles_url.split("/")[:3]) if CONFIG.map_tiles_url else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"one_line_refusals": {"()": "jewelguard.core.logging.OneLineRefusals"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django.request": {"filters": ["one_line_refusals"]},
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # WeasyPrint and fontTools log every step of every document (toolkits, staff cards).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
