"""What every page template may use."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"map_tiles_url": settings.JEWELGUARD_MAP_TILES_URL}
