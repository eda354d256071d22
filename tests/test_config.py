"""Configuration from the environment: bad values stop start-up with the variable's name."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from jewelguard.config import EXAMPLE_SECRET_KEY, MIN_SECRET_KEY_LENGTH, ConfigError, load

GOOD_KEY = "k" * MIN_SECRET_KEY_LENGTH


@pytest.fixture
def production(tmp_path: Path) -> dict[str, str]:
    """A complete production environment; each test spoils one value."""
    return {
        "JEWELGUARD_DEBUG": "0",
        "JEWELGUARD_SECRET_KEY": GOOD_KEY,
        "JEWELGUARD_ALLOWED_HOSTS": "jewelguard.example.org",
        "JEWELGUARD_DATA_DIR": str(tmp_path / "data"),
    }


@pytest.fixture
def development(tmp_path: Path) -> dict[str, str]:
    return {"JEWELGUARD_DEBUG": "1", "JEWELGUARD_DATA_DIR": str(tmp_path / "data")}


def test_complete_production_environment_loads(production):
    config = load(production)

    assert config.debug is False
    assert config.secret_key == GOOD_KEY
    assert config.allowed_hosts == ["jewelguard.example.org"]
    assert config.data_dir == Path(production["JEWELGUARD_DATA_DIR"]).resolve()
    assert config.database_url == f"sqlite:///{config.data_dir / 'jewelguard.sqlite3'}"
    assert config.redis_url == ""


def test_debug_is_off_unless_asked_for(production):
    del production["JEWELGUARD_DEBUG"]

    assert load(production).debug is False


@pytest.mark.parametrize(
    "secret_key",
    ["", EXAMPLE_SECRET_KEY, "django-insecure-" + "x" * 40, "k" * (MIN_SECRET_KEY_LENGTH - 1)],
    ids=["missing", "example", "django-insecure", "short"],
)
def test_production_refuses_a_weak_secret_key(production, secret_key):
    production["JEWELGUARD_SECRET_KEY"] = secret_key

    with pytest.raises(ConfigError, match="JEWELGUARD_SECRET_KEY"):
        load(production)


def test_production_without_the_variable_at_all_names_the_secret_key(production):
    del production["JEWELGUARD_SECRET_KEY"]

    with pytest.raises(ConfigError, match="JEWELGUARD_SECRET_KEY is missing"):
        load(production)


@pytest.mark.parametrize("hosts", [None, "", " , "])
def test_production_needs_allowed_hosts(production, hosts):
    if hosts is None:
        del production["JEWELGUARD_ALLOWED_HOSTS"]
    else:
        production["JEWELGUARD_ALLOWED_HOSTS"] = hosts

    with pytest.raises(ConfigError, match="JEWELGUARD_ALLOWED_HOSTS"):
        load(production)


def test_allowed_hosts_and_recipients_are_comma_separated(production):
    production["JEWELGUARD_ALLOWED_HOSTS"] = " a.example.org, b.example.org ,"
    production["JEWELGUARD_CONTACT_EMAILS"] = "desk@example.org,chair@example.org"

    config = load(production)

    assert config.allowed_hosts == ["a.example.org", "b.example.org"]
    assert config.contact_recipients == ["desk@example.org", "chair@example.org"]


@pytest.mark.parametrize(
    "name", ["JEWELGUARD_DEBUG", "JEWELGUARD_SSL_REDIRECT", "JEWELGUARD_EMAIL_USE_TLS"]
)
def test_a_flag_that_is_not_yes_or_no_is_named(production, name):
    production[name] = "maybe"

    with pytest.raises(ConfigError, match=f"{name} must be one of"):
        load(production)


@pytest.mark.parametrize("raw", ["YES", " on ", "True", "1"])
def test_flags_accept_the_usual_spellings(production, raw):
    production["JEWELGUARD_SSL_REDIRECT"] = raw

    assert load(production).ssl_redirect is True


@pytest.mark.parametrize(
    ("port", "message"),
    [
        ("smtp", "must be a whole number"),
        ("0", "must be between 1 and 65535"),
        ("70000", "must be between 1 and 65535"),
    ],
)
def test_a_bad_email_port_is_named(production, port, message):
    production["JEWELGUARD_EMAIL_PORT"] = port

    with pytest.raises(ConfigError, match=f"JEWELGUARD_EMAIL_PORT {message}"):
        load(production)


def test_the_task_lease_defaults_to_a_minute_and_can_be_set(production):
    assert load(production).task_lease_seconds == 60
    production["JEWELGUARD_TASK_LEASE_SECONDS"] = "300"
    assert load(production).task_lease_seconds == 300


@pytest.mark.parametrize(
    ("lease", "message"),
    [("soon", "must be a whole number"), ("1", "must be between 2 and 86400")],
)
def test_a_bad_task_lease_is_named(production, lease, message):
    production["JEWELGUARD_TASK_LEASE_SECONDS"] = lease

    with pytest.raises(ConfigError, match=f"JEWELGUARD_TASK_LEASE_SECONDS {message}"):
        load(production)


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("JEWELGUARD_DATABASE_URL", "mysql://jg:pw@db/jewelguard"),
        ("JEWELGUARD_DATABASE_URL", "jewelguard.sqlite3"),
        ("JEWELGUARD_REDIS_URL", "memcached://127.0.0.1:11211"),
        ("JEWELGUARD_SITE_URL", "ftp://jewelguard.example.org"),
    ],
)
def test_a_url_with_the_wrong_scheme_is_named(production, name, url):
    production[name] = url

    with pytest.raises(ConfigError, match=f"{name} must start with one of"):
        load(production)


def test_live_update_settings_default_to_a_week_and_fifteen_seconds(production):
    config = load(production)
    assert (config.events_retention_days, config.events_heartbeat_seconds) == (7, 15)


def test_live_update_settings_are_taken_as_given(production):
    production["JEWELGUARD_EVENTS_RETENTION_DAYS"] = "30"
    production["JEWELGUARD_EVENTS_HEARTBEAT_SECONDS"] = "25"
    config = load(production)
    assert (config.events_retention_days, config.events_heartbeat_seconds) == (30, 25)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("JEWELGUARD_EVENTS_RETENTION_DAYS", "0"),
        ("JEWELGUARD_EVENTS_RETENTION_DAYS", "a week"),
        ("JEWELGUARD_EVENTS_RETENTION_DAYS", "99999999999999999999"),
        ("JEWELGUARD_EVENTS_HEARTBEAT_SECONDS", "0"),
        ("JEWELGUARD_EVENTS_HEARTBEAT_SECONDS", "1.5"),
        ("JEWELGUARD_EVENTS_HEARTBEAT_SECONDS", "3600"),
    ],
)
def test_a_bad_live_update_setting_is_named(production, name, raw):
    production[name] = raw
    with pytest.raises(ConfigError, match=name):
        load(production)


def test_postgres_and_redis_urls_are_taken_as_given(production):
    production["JEWELGUARD_DATABASE_URL"] = "postgres://jg:pw@127.0.0.1:5432/jewelguard"
    production["JEWELGUARD_REDIS_URL"] = "redis://127.0.0.1:6379/0"

    config = load(production)

    assert config.database_url == "postgres://jg:pw@127.0.0.1:5432/jewelguard"
    assert config.redis_url == "redis://127.0.0.1:6379/0"


def test_secret_key_is_kept_out_of_repr(production):
    assert GOOD_KEY not in repr(load(production))


def test_debug_mode_keeps_a_private_secret_key_in_the_data_dir(development):
    # given a fresh data directory in debug mode without a secret key
    data_dir = Path(development["JEWELGUARD_DATA_DIR"])
    assert not data_dir.exists()

    # when the configuration is loaded twice
    first = load(development)
    second = load(development)

    # then one long key was written, readable by its owner only, and reused
    key_file = data_dir / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(first.secret_key) >= MIN_SECRET_KEY_LENGTH
    assert key_file.read_text().strip() == first.secret_key == second.secret_key


def test_debug_mode_prefers_a_given_secret_key(development):
    development["JEWELGUARD_SECRET_KEY"] = "short-but-fine-for-development"

    config = load(development)

    assert config.secret_key == "short-but-fine-for-development"
    assert not (Path(development["JEWELGUARD_DATA_DIR"]) / "secret_key").exists()


def test_debug_mode_defaults_to_local_hosts_and_console_email(development):
    config = load(development)

    assert "127.0.0.1" in config.allowed_hosts
    assert config.email.backend == "django.core.mail.backends.console.EmailBackend"


def test_production_sends_email_over_smtp(production):
    assert load(production).email.backend == "django.core.mail.backends.smtp.EmailBackend"


def test_no_proxy_is_trusted_unless_configured(production):
    assert load(production).trusted_proxies == []

    production["JEWELGUARD_TRUSTED_PROXIES"] = "10.0.0.5, 10.1.0.0/16,::1"
    assert load(production).trusted_proxies == ["10.0.0.5", "10.1.0.0/16", "::1"]


@pytest.mark.parametrize("raw", ["proxy.example.org", "*", "10.0.0.300", "10.0.0.0/40"])
def test_a_trusted_proxy_that_is_not_an_address_is_named(production, raw):
    production["JEWELGUARD_TRUSTED_PROXIES"] = raw

    with pytest.raises(ConfigError, match="JEWELGUARD_TRUSTED_PROXIES must list IP addresses"):
        load(production)


@pytest.mark.parametrize(
    "raw", ["Jewel\r\nBcc: someone@example.com", "Gems\u202e", "\u200b", "x" * 61]
)
def test_a_site_name_that_would_break_mail_headers_is_named(production, raw):
    production["JEWELGUARD_SITE_NAME"] = raw
    with pytest.raises(ConfigError, match="JEWELGUARD_SITE_NAME must be one line"):
        load(production)


def test_the_site_name_is_the_configured_one_or_jewelguard(production):
    assert load(production).site_name == "JewelGuard"
    production["JEWELGUARD_SITE_NAME"] = "  Partner for Protection "
    assert load(production).site_name == "Partner for Protection"
