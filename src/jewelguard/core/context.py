"""What every page template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info

# Each language named in itself, as a reader of that language looks for it.
LANGUAGE_NAMES_LOCAL = {"en": "English", "fr-ca": "Français (Canada)"}


def language_choices() -> list[tuple[str, str]]:
    """The site's languages as (code, name in that language), for pickers."""
    return [
        (code, LANGUAGE_NAMES_LOCAL.get(code) or get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
    ]


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "map_tiles_url": settings.JEWELGUARD_MAP_TILES_URL,
        "site_languages": language_choices(),
    }
