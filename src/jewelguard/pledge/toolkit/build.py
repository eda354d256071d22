"""Making a store's toolkit, and keeping it in the documents storage until what it shows
changes.

Files live under ``pledge/toolkit/<store id>/<language>/<key>/`` in the ``documents``
storage, where the key is the fingerprint of everything the files show (``ToolkitSpec.key``).
A toolkit is complete once its ``manifest.json`` exists: it is written last and names the
stored file of each toolkit file, so a reader never sees half a toolkit, and two processes
building at once both end up with a complete, correct one (the storage never overwrites).
"""

from __future__ import annotations

import json
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jewelguard.core.documents import (
    PAPERS,
    document_read,
    document_storage,
    document_write,
    documents_delete,
)
from jewelguard.playbook.selectors import scenario_list
from jewelguard.pledge.toolkit import artwork, documents
from jewelguard.pledge.toolkit.spec import ToolkitSpec

MANIFEST = "manifest.json"
ZIP_NAME = "toolkit.zip"
ROOT = "pledge/toolkit"
# Unzipped, every file is readable by all, like any downloaded document (not 0600).
ZIP_FILE_MODE = 0o644


@dataclass(frozen=True)
class ToolkitFile:
    name: str
    label: Promise
    content_type: str
    # Shown as an image on the toolkit page.
    preview: bool = False
    # Values for the label's placeholders.
    label_values: tuple[tuple[str, str | int], ...] = ()

    @property
    def title(self) -> str:
        """The label in the active language."""
        return str(self.label) % dict(self.label_values) if self.label_values else str(self.label)

    @property
    def wide(self) -> bool:
        return self.name.startswith(("social-wide", "email"))


FILES: tuple[ToolkitFile, ...] = (
    *(
        ToolkitFile(
            f"badge-{size}.png",
            _("Badge, %(size)s px (PNG)"),
            "image/png",
            preview=size == 512,
            label_values=(("size", size),),
        )
        for size in artwork.BADGE_SIZES
    ),
    ToolkitFile("badge.svg", _("Badge, any size (SVG)"), "image/svg+xml"),
    ToolkitFile(
        "social-square-1080x1080.png",
        _("Social post, square (1080 x 1080)"),
        "image/png",
        preview=True,
    ),
    ToolkitFile(
        "social-wide-1200x630.png", _("Social post, wide (1200 x 630)"), "image/png", preview=True
    ),
    ToolkitFile(
        "email-signature-600x100.png",
        _("E-mail signature banner (600 x 100)"),
        "image/png",
        preview=True,
    ),
    ToolkitFile("signage-letter.pdf", _("Door and window signs, Letter (PDF)"), "application/pdf"),
    ToolkitFile("signage-a4.pdf", _("Door and window signs, A4 (PDF)"), "application/pdf"),
    ToolkitFile("staff-briefing-letter.pdf", _("Staff briefing, Letter (PDF)"), "application/pdf"),
    ToolkitFile("staff-briefing-a4.pdf", _("Staff briefing, A4 (PDF)"), "application/pdf"),
)
# What a store's staff may download: the briefing is made for them.
BRIEFING_FILES = tuple(f for f in FILES if f.name.startswith("staff-briefing-"))
CONTENT_TYPES = {**{f.name: f.content_type for f in FILES}, ZIP_NAME: "application/zip"}


def toolkit_folder(spec: ToolkitSpec) -> str:
    """The toolkit's folder in the documents storage."""
    return f"{ROOT}/{spec.store_id}/{spec.language}/{spec.key()}"


def _artwork(spec: ToolkitSpec) -> dict[str, bytes]:
    with translation.override(spec.language):
        files: dict[str, bytes] = {}
        badge = artwork.badge(spec)
        for size in artwork.BADGE_SIZES:
            files[f"badge-{size}.png"] = badge.png(width=size)
        files["badge.svg"] = badge.svg(embed_fonts=True).encode()
        for (width, height), name in zip(
            artwork.SOCIAL_SIZES,
            ("social-square-1080x1080.png", "social-wide-1200x630.png"),
            strict=True,
        ):
            files[name] = artwork.social(spec, width, height).png()
        files["email-signature-600x100.png"] = artwork.email_banner(spec).png()
    return files


def _documents(spec: ToolkitSpec) -> dict[str, bytes]:
    with translation.override(spec.language):
        files: dict[str, bytes] = {}
        scenarios = scenario_list()
        for paper in PAPERS:
            files[f"signage-{paper.id}.pdf"] = documents.signage_pdf(spec, paper)
            files[f"staff-briefing-{paper.id}.pdf"] = documents.briefing_pdf(spec, paper, scenarios)
        files["README.txt"] = render_to_string(
            "pledge/toolkit/readme.txt", {"spec": spec, "files": FILES, "zip_name": ZIP_NAME}
        ).encode()
    return files


def toolkit_render(spec: ToolkitSpec) -> dict[str, bytes]:
    """Every file of the toolkit, in the spec's language, keyed by file name, and the ZIP.

    The images are rasterised in a second thread while WeasyPrint lays out the documents:
    resvg lets go of the interpreter lock while it draws, so the two overlap.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        images = pool.submit(_artwork, spec)
        made = _documents(spec)
        made.update(images.result())
    readme = made.pop("README.txt").decode()
    files = {f.name: made[f.name] for f in FILES}
    files[ZIP_NAME] = _zip(files, readme)
    return files


def _zip_entry(name: str, *, compress: bool) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.create_system = 3  # Unix, so that unzip applies the mode below
    info.external_attr = (0o100000 | ZIP_FILE_MODE) << 16
    return info


def _zip(files: dict[str, bytes], readme: str) -> bytes:
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as buffer:
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(_zip_entry("README.txt", compress=True), readme)
            for name, data in files.items():
                # PNGs are compressed already; deflating them again only costs time.
                archive.writestr(_zip_entry(name, compress=not name.endswith(".png")), data)
        buffer.seek(0)
        return buffer.read()


@dataclass(frozen=True)
class BuiltToolkit:
    """A complete toolkit in the documents storage: where each of its files is stored."""

    folder: str
    key: str
    stored: dict[str, str]

    def name_of(self, file: str) -> str:
        """The storage name of a toolkit file (KeyError for a name not in the toolkit)."""
        return self.stored[file]

    def read(self, file: str) -> bytes:
        data = document_read(name=self.name_of(file))
        if data is None:
            raise FileNotFoundError(file)
        return data


def toolkit_ready(spec: ToolkitSpec) -> BuiltToolkit | None:
    """This exact toolkit if it is complete in the storage, else None (nothing is built)."""
    folder = toolkit_folder(spec)
    raw = document_read(name=f"{folder}/{MANIFEST}")
    if raw is None:
        return None
    try:
        manifest = json.loads(raw)
        stored = {str(k): str(v) for k, v in manifest["stored"].items()}
    except (ValueError, KeyError, AttributeError):
        # Being written by another process right now, or damaged: not ready.
        return None
    return BuiltToolkit(folder=folder, key=spec.key(), stored=stored)


def toolkit_build(spec: ToolkitSpec) -> BuiltToolkit:
    """This toolkit, made and stored now if it is not stored yet (in the worker only: a
    request never builds a toolkit, it asks the worker to)."""
    ready = toolkit_ready(spec)
    if ready is not None:
        return ready
    folder = toolkit_folder(spec)
    files = toolkit_render(spec)
    stored = {
        name: document_write(name=f"{folder}/{name}", content=data) for name, data in files.items()
    }
    manifest = {"key": spec.key(), "stored": stored, "sizes": {n: len(d) for n, d in files.items()}}
    written = document_write(
        name=f"{folder}/{MANIFEST}", content=json.dumps(manifest, indent=2).encode()
    )
    if written != f"{folder}/{MANIFEST}":
        # Another process finished the same toolkit first; theirs is identical: keep it.
        storage = document_storage()
        for name in (*stored.values(), written):
            storage.delete(name)
        theirs = toolkit_ready(spec)
        if theirs is not None:
            return theirs
    _leftovers_remove(folder=folder, keep={*stored.values(), written})
    _prune(spec)
    return BuiltToolkit(folder=folder, key=spec.key(), stored=stored)


def _leftovers_remove(*, folder: str, keep: set[str]) -> None:
    """Remove files a killed build of this toolkit left beside it (the manifest names the rest).

    Safe against a build still running: its own manifest can no longer take the name, so it
    discards its files and serves this one.
    """
    storage = document_storage()
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for file in files:
        if f"{folder}/{file}" not in keep:
            storage.delete(f"{folder}/{file}")


def _prune(spec: ToolkitSpec) -> None:
    """Remove older toolkits of the same store and language: they show outdated facts."""
    parent = f"{ROOT}/{spec.store_id}/{spec.language}"
    try:
        folders, _files = document_storage().listdir(parent)
    except FileNotFoundError:
        return
    for folder in folders:
        if folder != spec.key():
            documents_delete(prefix=f"{parent}/{folder}")


def toolkit_discard(*, store_id: int) -> None:
    """Remove every stored toolkit of a store (e.g. when its member withdraws)."""
    documents_delete(prefix=f"{ROOT}/{store_id}")
