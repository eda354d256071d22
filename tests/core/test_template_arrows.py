"""Core's templates read no room either: a template tag library of a room, loaded from core's
templates, would be an arrow import-linter cannot see."""

from __future__ import annotations

import re
from pathlib import Path

import jewelguard.core

CORE = Path(jewelguard.core.__file__).parent
ROOM_FREE_LIBRARIES = {"i18n", "static", "l10n", "tz", "cache", "dates", "humanize"}


def test_core_templates_load_only_django_and_core_tag_libraries():
    loaded = {
        (template.name, library)
        for template in (CORE / "templates").rglob("*.html")
        for match in re.finditer(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text())
        for library in match.group(1).split()
    }
    assert loaded, "core's templates load nothing: the test reads the wrong folder"
    assert {(name, lib) for name, lib in loaded if lib not in ROOM_FREE_LIBRARIES} == set()
