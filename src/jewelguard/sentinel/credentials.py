"""Camera credentials: encrypted at rest, never shown back, never logged.

The key is ``JEWELGUARD_SENTINEL_KEY`` (a Fernet key, as ``Fernet.generate_key()`` prints it)
when set; otherwise one derived from the site's secret key with HKDF, so changing the secret
key without setting ``JEWELGUARD_SENTINEL_KEY`` makes stored camera passwords unreadable (the
node then reports the camera failed, and a member enters the password again).
"""

from __future__ import annotations

import base64
from urllib.parse import quote, urlsplit, urlunsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

KEY_VARIABLE = "JEWELGUARD_SENTINEL_KEY"
MASK = "***"


class CredentialError(Exception):
    """A stored password cannot be read with the present key."""


def _fernet() -> Fernet:
    explicit = getattr(settings, KEY_VARIABLE, "")
    if explicit:
        return Fernet(explicit.encode())
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"jewelguard sentinel credentials"
    ).derive(settings.SECRET_KEY.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def password_encrypt(*, password: str) -> str:
    """The password as a Fernet token ('' for no password)."""
    if password == "":
        return ""
    return _fernet().encrypt(password.encode()).decode()


def password_decrypt(*, token: str) -> str:
    """The password a token holds; CredentialError when the key has changed."""
    if token == "":
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise CredentialError("the camera's password cannot be read with the present key") from None


def url_with_credentials(*, url: str, username: str, password: str) -> str:
    """The address the decoder opens: user name and password put into ``url``."""
    if not username and not password:
        return url
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    auth = quote(username, safe="")
    if password:
        auth += ":" + quote(password, safe="")
    return urlunsplit((parts.scheme, f"{auth}@{host}", parts.path, parts.query, parts.fragment))


def url_masked(url: str) -> str:
    """``url`` fit for a log or a page: any password replaced by ``***``, the user name kept.

    Anything that does not parse as a URL is masked whole, rather than risk a secret.
    """
    try:
        parts = urlsplit(url)
        if parts.password is None and "@" not in parts.netloc:
            return url
        host = parts.hostname or ""
        if ":" in host:
            host = f"[{host}]"
        if parts.port is not None:
            host = f"{host}:{parts.port}"
        user = parts.username or ""
        netloc = f"{user}:{MASK}@{host}" if user or parts.password is not None else host
        return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    except ValueError:
        return MASK
