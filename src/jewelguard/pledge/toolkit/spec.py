"""What one store's toolkit shows, and the fingerprint made of exactly that."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jewelguard.core import brand, documents
from jewelguard.core.documents import design_version, document_fingerprint

# Raise when a change to the design is not caught by design_digest() (e.g. a library upgrade).
TEMPLATE_VERSION = 2

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
        return document_fingerprint(inputs=shown, design=design_digest())


@cache
def design_digest() -> str:
    """A fingerprint of the toolkit's code, fonts, templates, colours and French catalogue."""
    return design_version(
        paths=[
            *sorted(PACKAGE.glob("*.py")),
            *brand.font_files(),
            Path(brand.__file__),
            Path(documents.__file__),
            *sorted((PLEDGE_APP / "templates" / "pledge" / "toolkit").glob("*")),
            *sorted((PLEDGE_APP / "locale").glob("*/LC_MESSAGES/django.mo")),
            PLEDGE_APP / "deterrents.py",
        ],
        version=TEMPLATE_VERSION,
    )
