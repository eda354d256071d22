"""Generated documents: where they are kept, how they are named, and how PDFs fit their pages.

Every generated file (toolkits, staff cards, later reports and evidence) goes through the
``documents`` storage (``STORAGES["documents"]``, under the data directory by default), named
by a fingerprint of what it was built from (the inputs and a design version), so a file is
rebuilt exactly when what it shows changes and never served stale. ``document_cached`` is the
one cache over that storage.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages

from jewelguard.core.brand import font_files

if TYPE_CHECKING:
    from weasyprint import Document

logger = logging.getLogger(__name__)

STORAGE = "documents"
# Smaller type, step by step, until a document fits its pages.
FIT_SCALES = (1.0, 0.94, 0.88, 0.82, 0.76, 0.7, 0.64, 0.58)


@dataclass(frozen=True)
class Paper:
    id: str
    # The name CSS ``@page size`` takes.
    css: str
    # Portrait width and height in points.
    width: float
    height: float


LETTER = Paper(id="letter", css="letter", width=612.0, height=792.0)
A4 = Paper(id="a4", css="A4", width=595.28, height=841.89)
PAPERS = (LETTER, A4)
PAPERS_BY_ID = {paper.id: paper for paper in PAPERS}


def paper_get(*, paper_id: str) -> Paper:
    """The paper of that id ("letter", "a4"); KeyError for any other."""
    return PAPERS_BY_ID[paper_id]


def document_storage() -> Storage:
    return storages[STORAGE]


def design_version(*, paths: Iterable[Path], version: int | str = 1) -> str:
    """A fingerprint of the files a design is made of (code, templates, fonts, catalogues).

    ``version`` is raised by hand for a change no file shows (e.g. a library upgrade).
    """
    digest = hashlib.sha256(str(version).encode())
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()[:16]


def document_fingerprint(*, inputs: Mapping[str, Any], design: str) -> str:
    """A hash of everything a document shows and of the design that draws it."""
    encoded = json.dumps(
        {"inputs": inputs, "design": design}, sort_keys=True, ensure_ascii=False, default=str
    ).encode()
    return hashlib.sha256(encoded).hexdigest()[:32]


def document_read(*, name: str) -> bytes | None:
    """The stored document of that name, or None if there is none."""
    storage = document_storage()
    try:
        with storage.open(name, "rb") as stored:
            data: bytes = stored.read()
    except FileNotFoundError:
        return None
    return data


def document_write(*, name: str, content: bytes) -> str:
    """Store ``content`` and return the name it was stored under.

    Nothing is overwritten: if ``name`` is taken, the storage picks a free name beside it,
    which is why callers keep the returned name (e.g. in a manifest written last).
    """
    return document_storage().save(name, ContentFile(content))


def document_cached(*, name: str, build: Callable[[], bytes]) -> bytes:
    """The document stored under ``name`` (a fingerprint), built and stored if it is not there.

    Two processes building the same name at once both return correct bytes: the document is
    a function of its name, and the second copy is removed.
    """
    found = document_read(name=name)
    if found is not None:
        return found
    content = build()
    stored = document_write(name=name, content=content)
    if stored != name:
        document_storage().delete(stored)
    return content


def documents_delete(*, prefix: str) -> None:
    """Remove every document under the folder ``prefix`` (e.g. a store's outdated toolkits)."""
    storage = document_storage()
    try:
        folders, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for folder in folders:
        documents_delete(prefix=f"{prefix}/{folder}")
    for file in files:
        storage.delete(f"{prefix}/{file}")
    location = getattr(storage, "location", None)
    if location:
        # FileSystemStorage leaves the emptied folders behind.
        with contextlib.suppress(OSError):
            (Path(location) / prefix).rmdir()


# The scale that last fitted, per kind of document: documents of one kind (same language,
# paper and content) usually fit at the same scale, so later ones fit at the first try.
_fitted_scale: dict[tuple[str, ...], int] = {}


def pdf_fit(
    *,
    render: Callable[[float], Document],
    pages: int = 1,
    kind: tuple[str, ...] = (),
    scales: tuple[float, ...] = FIT_SCALES,
) -> bytes:
    """The PDF of ``render(scale)`` at the largest type scale whose document has ``pages``
    pages or fewer; ``render`` lays the document out with its font sizes times ``scale``.

    If even the smallest scale overflows, that layout is returned and a warning logged.
    """
    start = _fitted_scale.get(kind, 0) if kind else 0
    document = None
    for index in range(start, len(scales)):
        document = render(scales[index])
        if len(document.pages) <= pages:
            if kind:
                _fitted_scale[kind] = index
            break
    else:
        logger.warning("document %s does not fit on %d page(s)", ":".join(kind), pages)
    assert document is not None
    return bytes(document.write_pdf())


def svg_to_png(*, svg: str, width: int | None = None) -> bytes:
    """An SVG rasterised to a PNG (transparent where the SVG paints nothing) by resvg.

    resvg is given the shipped Inter and no system font: text is set in Inter on every
    machine, or visibly not at all, never in whatever font happens to be installed.
    """
    import resvg_py  # loaded with the first image, not at start-up

    return bytes(
        resvg_py.svg_to_bytes(
            svg_string=svg,
            width=width,
            skip_system_fonts=True,
            font_files=[str(path) for path in font_files()],
            font_family="Inter",
            sans_serif_family="Inter",
        )
    )
