"""What one store's toolkit shows, and the cache key made of exactly that."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

# Raise when a change to the design is not caught by design_digest() (e.g. a system library).
TEMPLATE_VERSION = 1

PACKAGE = Path(__file__).resolve().parent
PLEDGE_APP = PACKAGE.parent


@dataclass(frozen=True)
class ToolkitSpec:
    store_id: int
    store_name: str
    member_since: int
    language: str
    # Deterrent ids, in catalogue order, that the member confirmed for this store.
    statements: tuple[str, ...]
    verify_url: str
    # The staff briefing's content version (the playbook's scenarios in that language).
    briefing_digest: str = ""

    @property
    def site_host(self) -> str:
        return urlsplit(self.verify_url).netloc

    def key(self) -> str:
        """A hash of everything the files show, and of the code and templates that draw them."""
        shown = asdict(self)
        shown.pop("store_id")
        shown["template_version"] = TEMPLATE_VERSION
        shown["design"] = design_digest()
        encoded = json.dumps(shown, sort_keys=True, ensure_ascii=False).encode()
        return hashlib.sha256(encoded).hexdigest()[:32]


@cache
def design_digest() -> str:
    """A fingerprint of the toolkit's code, fonts, document templates and French catalogue."""
    digest = hashlib.sha256()
    sources = [
        *sorted(PACKAGE.glob("*.py")),
        *sorted(PACKAGE.glob("fonts/*.otf")),
        *sorted((PLEDGE_APP / "templates" / "pledge" / "toolkit").glob("*")),
        *sorted((PLEDGE_APP / "locale").glob("*/LC_MESSAGES/django.mo")),
        PLEDGE_APP / "deterrents.py",
    ]
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
