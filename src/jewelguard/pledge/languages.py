"""The languages the pledge and toolkit come in, and how a person's preference maps to one."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def supported_languages() -> tuple[str, ...]:
    return tuple(code for code, _name in settings.LANGUAGES)


def language_or_default(code: str | None) -> str:
    """``code`` as one of settings.LANGUAGES: 'fr', 'fr-CA' or 'fr_CA' -> 'fr-ca'; else English."""
    if not code:
        return settings.LANGUAGE_CODE
    wanted = translation.to_language(code.strip().replace("_", "-"))
    for supported in supported_languages():
        if wanted == supported or wanted.split("-")[0] == supported.split("-")[0]:
            return supported
    return settings.LANGUAGE_CODE
