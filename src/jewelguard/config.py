"""Configuration read from the environment, checked once with errors that name the variable.

Everything JewelGuard needs to know about its deployment comes from ``JEWELGUARD_*``
variables. ``load()`` turns them into a typed ``Config``; a missing or malformed value stops
start-up with a message naming the variable, rather than failing on the first request.
"""

from __future__ import annotations

import base64
import ipaddress
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

# The value shipped in examples; production refuses it.
EXAMPLE_SECRET_KEY = "change-me"  # noqa: S105
MIN_SECRET_KEY_LENGTH = 32


class ConfigError(Exception):
    """A configuration value is missing or wrong; the message names the variable."""


@dataclass(frozen=True)
class EmailConfig:
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = field(default="", repr=False)
    use_tls: bool = False
    from_address: str = "JewelGuard <no-reply@localhost>"
    backend: str = "django.core.mail.backends.smtp.EmailBackend"


@dataclass(frozen=True)
class Config:
    debug: bool
    secret_key: str = field(repr=False)
    data_dir: Path
    database_url: str
    redis_url: str
    allowed_hosts: list[str]
    csrf_trusted_origins: list[str]
    email: EmailConfig
    map_tiles_url: str
    ssl_redirect: bool
    hsts_preload: bool
    # Addresses of reverse proxies whose X-Forwarded-For / -Proto headers are believed.
    trusted_proxies: list[str]
    site_url: str
    # What e-mails and account pages call the site.
    site_name: str
    # Where contact and media inquiries are e-mailed.
    contact_recipients: list[str]
    media_recipients: list[str]
    # A task whose worker has not beaten its heartbeat for this long is run again.
    task_lease_seconds: int = 60
    # Live updates: how long events are kept for replay, how often an idle stream says so.
    events_retention_days: int = 7
    events_heartbeat_seconds: int = 15
    # The Fernet key camera passwords are encrypted with; empty: derived from the secret key.
    sentinel_key: str = field(default="", repr=False)


def _flag(env: dict[str, str], name: str, default: bool) -> bool:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ConfigError(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def _site_name(env: dict[str, str]) -> str:
    """The name e-mails and pages sign with: one short line (it goes into mail headers)."""
    raw = env.get("JEWELGUARD_SITE_NAME", "").strip()
    if not raw:
        return "JewelGuard"
    if len(raw) > 60 or any(unicodedata.category(c)[0] in "CZ" and c != " " for c in raw):
        raise ConfigError(
            "JEWELGUARD_SITE_NAME must be one line of at most 60 characters, without control "
            "or invisible characters"
        )
    return raw


def _int(env: dict[str, str], name: str, default: int, *, low: int, high: int) -> int:
    raw = env.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number; got {raw!r}") from None
    if not low <= value <= high:
        raise ConfigError(f"{name} must be between {low} and {high}; got {value}")
    return value


def _list(env: dict[str, str], name: str, default: list[str]) -> list[str]:
    raw = env.get(name, "")
    if raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _url(env: dict[str, str], name: str, default: str, schemes: set[str]) -> str:
    raw = env.get(name, "").strip() or default
    if raw == "":
        return ""
    parsed = urlparse(raw)
    if parsed.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ConfigError(f"{name} must start with one of {allowed}; got scheme {parsed.scheme!r}")
    return raw


def _proxies(env: dict[str, str], name: str) -> list[str]:
    """Proxy addresses or networks (192.0.2.10, 10.0.0.0/8, ::1); empty trusts none."""
    proxies = _list(env, name, [])
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise ConfigError(
                f"{name} must list IP addresses or networks (e.g. 10.0.0.5,10.1.0.0/16); "
                f"got {proxy!r}"
            ) from None
    return proxies


def _local_secret_key(data_dir: Path) -> str:
    """A per-installation key for development, kept beside the database and never printed."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _sentinel_key(env: dict[str, str]) -> str:
    """A Fernet key: 32 bytes in URL-safe base64 (44 characters), as Fernet.generate_key()."""
    raw = env.get("JEWELGUARD_SENTINEL_KEY", "").strip()
    if raw == "":
        return ""
    try:
        decoded = base64.urlsafe_b64decode(raw.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        decoded = b""
    if len(raw) != 44 or len(decoded) != 32:
        raise ConfigError(
            "JEWELGUARD_SENTINEL_KEY is not a Fernet key: 44 characters of URL-safe base64, "
            "e.g. from `python3 -c 'import base64, os; "
            "print(base64.urlsafe_b64encode(os.urandom(32)).decode())'`"
        )
    return raw


def load(env: dict[str, str] | None = None) -> Config:
    """Read and check the configuration; raise ConfigError naming the first bad variable."""
    env = dict(os.environ) if env is None else env
    debug = _flag(env, "JEWELGUARD_DEBUG", default=False)
    data_dir = Path(env.get("JEWELGUARD_DATA_DIR", "") or Path.cwd() / ".jewelguard").resolve()

    secret_key = env.get("JEWELGUARD_SECRET_KEY", "")
    if not debug:
        if secret_key == "":
            raise ConfigError(
                "JEWELGUARD_SECRET_KEY is missing: production mode (JEWELGUARD_DEBUG off) needs "
                "a long random secret key, e.g. from `python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(50))'`"
            )
        if secret_key == EXAMPLE_SECRET_KEY or secret_key.startswith("django-insecure"):
            raise ConfigError("JEWELGUARD_SECRET_KEY is the example value; set a random one")
        if len(secret_key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"JEWELGUARD_SECRET_KEY is too short: at least {MIN_SECRET_KEY_LENGTH} characters"
            )
    elif secret_key == "":
        secret_key = _local_secret_key(data_dir)

    database_url = _url(
        env,
        "JEWELGUARD_DATABASE_URL",
        f"sqlite:///{data_dir / 'jewelguard.sqlite3'}",
        {"sqlite", "postgres", "postgresql"},
    )
    redis_url = _url(env, "JEWELGUARD_REDIS_URL", "", {"redis", "rediss", "unix"})
    allowed_hosts = _list(
        env, "JEWELGUARD_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if debug else []
    )
    if not debug and not allowed_hosts:
        raise ConfigError(
            "JEWELGUARD_ALLOWED_HOSTS is missing: production mode needs the host names this "
            "site answers to, comma-separated (e.g. jewelguard.example.org)"
        )
    site_url = _url(env, "JEWELGUARD_SITE_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip(
        "/"
    )

    email = EmailConfig(
        host=env.get("JEWELGUARD_EMAIL_HOST", "localhost"),
        port=_int(env, "JEWELGUARD_EMAIL_PORT", 25, low=1, high=65535),
        user=env.get("JEWELGUARD_EMAIL_USER", ""),
        password=env.get("JEWELGUARD_EMAIL_PASSWORD", ""),
        use_tls=_flag(env, "JEWELGUARD_EMAIL_USE_TLS", default=False),
        from_address=env.get("JEWELGUARD_EMAIL_FROM", "") or "JewelGuard <no-reply@localhost>",
        backend=(
            "django.core.mail.backends.console.EmailBackend"
            if _flag(env, "JEWELGUARD_EMAIL_CONSOLE", default=debug)
            else "django.core.mail.backends.smtp.EmailBackend"
        ),
    )
    return Config(
        debug=debug,
        secret_key=secret_key,
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        allowed_hosts=allowed_hosts,
        csrf_trusted_origins=_list(env, "JEWELGUARD_CSRF_TRUSTED_ORIGINS", []),
        email=email,
        # Empty by default: the maps work offline, and no visitor's browser is sent to a tile
        # server nobody chose (OpenStreetMap's own servers ask heavy users for their own).
        map_tiles_url=env.get("JEWELGUARD_MAP_TILES_URL", ""),
        # On by default in production: sign-in pages must never be served over plain HTTP, and
        # behind a TLS proxy X-Forwarded-Proto tells Django the request was already secure.
        ssl_redirect=_flag(env, "JEWELGUARD_SSL_REDIRECT", default=not debug),
        # Off by default: once browsers ship the preload list, leaving it takes months.
        hsts_preload=_flag(env, "JEWELGUARD_HSTS_PRELOAD", default=False),
        trusted_proxies=_proxies(env, "JEWELGUARD_TRUSTED_PROXIES"),
        site_url=site_url,
        site_name=_site_name(env),
        contact_recipients=_list(env, "JEWELGUARD_CONTACT_EMAILS", ["contact@localhost"]),
        media_recipients=_list(env, "JEWELGUARD_MEDIA_EMAILS", ["media@localhost"]),
        task_lease_seconds=_int(env, "JEWELGUARD_TASK_LEASE_SECONDS", 60, low=2, high=86400),
        events_retention_days=_int(env, "JEWELGUARD_EVENTS_RETENTION_DAYS", 7, low=1, high=3650),
        events_heartbeat_seconds=_int(
            env, "JEWELGUARD_EVENTS_HEARTBEAT_SECONDS", 15, low=1, high=300
        ),
        sentinel_key=_sentinel_key(env),
    )
