"""Making a store's toolkit, and keeping it on disk until what it shows changes.

Files live under ``MEDIA_ROOT/pledge/toolkit/<store id>/<language>/<key>/``, where the key
hashes everything the files show (see ``ToolkitSpec.key``). A folder is complete once its
``manifest.json`` exists: it is built beside its final place and renamed in one step, so a
reader never sees half a toolkit, and two processes building at once both end up correct.
A staging folder is named for the machine and process building it; one whose process is
gone (a worker killed mid-build) is removed before the next build of that store.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jewelguard.playbook.selectors import scenario_list
from jewelguard.pledge.toolkit import artwork, documents
from jewelguard.pledge.toolkit.scene import render_png, render_svg
from jewelguard.pledge.toolkit.spec import ToolkitSpec

MANIFEST = "manifest.json"
ZIP_NAME = "toolkit.zip"
# ".<key>-build-<host>-<pid>-<random>": who is building it, to tell a dead build from a live one.
STAGING = re.compile(r"^\.[^.]+-build-(?P<host>[A-Za-z0-9_.]+)-(?P<pid>\d+)-[a-z0-9_]+$")
# A staging folder of another machine (shared storage) is removed once it is this old.
FOREIGN_STAGING_MAX_AGE_S = 24 * 3600


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
CONTENT_TYPES = {**{f.name: f.content_type for f in FILES}, ZIP_NAME: "application/zip"}


def toolkit_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "pledge" / "toolkit"


def toolkit_folder(spec: ToolkitSpec) -> Path:
    return toolkit_root() / str(spec.store_id) / spec.language / spec.key()


def _artwork(spec: ToolkitSpec) -> dict[str, bytes]:
    with translation.override(spec.language):
        files: dict[str, bytes] = {}
        for size in artwork.BADGE_SIZES:
            # Below 512 px the text is drawn at twice the size and reduced, for even spacing.
            detail = artwork.badge_scene(spec, size * 2) if size < 512 else None
            files[f"badge-{size}.png"] = render_png(artwork.badge_scene(spec, size), detail=detail)
        files["badge.svg"] = render_svg(artwork.badge_scene(spec, 1024))
        for (width, height), name in zip(
            artwork.SOCIAL_SIZES,
            ("social-square-1080x1080.png", "social-wide-1200x630.png"),
            strict=True,
        ):
            files[name] = render_png(artwork.social_scene(spec, width, height))
        files["email-signature-600x100.png"] = render_png(artwork.email_banner_scene(spec))
    return files


def _documents(spec: ToolkitSpec) -> dict[str, bytes]:
    with translation.override(spec.language):
        files: dict[str, bytes] = {}
        scenarios = scenario_list()
        for paper in documents.PAPERS:
            files[f"signage-{paper.id}.pdf"] = documents.signage_pdf(spec, paper)
            files[f"staff-briefing-{paper.id}.pdf"] = documents.briefing_pdf(spec, paper, scenarios)
        files["README.txt"] = render_to_string(
            "pledge/toolkit/readme.txt", {"spec": spec, "files": FILES, "zip_name": ZIP_NAME}
        ).encode()
    return files


def toolkit_render(spec: ToolkitSpec) -> dict[str, bytes]:
    """Every file of the toolkit, in the spec's language, keyed by file name, and the ZIP.

    The images are drawn in a second thread while WeasyPrint lays out the documents: Pillow
    lets go of the interpreter lock while it draws and compresses, so the two overlap.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        images = pool.submit(_artwork, spec)
        made = _documents(spec)
        made.update(images.result())
    readme = made.pop("README.txt").decode()
    files = {f.name: made[f.name] for f in FILES}
    files[ZIP_NAME] = _zip(files, readme)
    return files


def _zip(files: dict[str, bytes], readme: str) -> bytes:
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as buffer:
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("README.txt", readme, compress_type=zipfile.ZIP_DEFLATED)
            for name, data in files.items():
                # PNGs are compressed already; deflating them again only costs time.
                method = zipfile.ZIP_STORED if name.endswith(".png") else zipfile.ZIP_DEFLATED
                archive.writestr(name, data, compress_type=method)
        buffer.seek(0)
        return buffer.read()


def toolkit_ready(spec: ToolkitSpec) -> Path | None:
    """The folder of this exact toolkit if it is complete on disk, else None."""
    folder = toolkit_folder(spec)
    return folder if (folder / MANIFEST).is_file() else None


def _host() -> str:
    return re.sub(r"[^A-Za-z0-9_.]", "_", socket.gethostname())[:32] or "host"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _staging_dead(path: Path) -> bool:
    match = STAGING.match(path.name)
    if match is not None and match["host"] == _host():
        return not _process_alive(int(match["pid"]))
    # Another machine's build, or an unnamed one from before: only once it is surely over.
    try:
        return time.time() - path.stat().st_mtime > FOREIGN_STAGING_MAX_AGE_S
    except FileNotFoundError:
        return False


def toolkit_staging_clean(*, store_id: int) -> int:
    """Remove the staging folders of dead builds of a store's toolkits; return how many."""
    removed = 0
    for staging in (toolkit_root() / str(store_id)).glob("*/.*"):
        if staging.is_dir() and _staging_dead(staging):
            shutil.rmtree(staging, ignore_errors=True)
            removed += 1
    return removed


def toolkit_build(spec: ToolkitSpec) -> Path:
    """The folder holding this toolkit, made now if it is not on disk yet.

    Idempotent: a second run, or one after a build was killed, leaves one folder per store
    and language and no staging folder of a dead build.
    """
    toolkit_staging_clean(store_id=spec.store_id)
    ready = toolkit_ready(spec)
    if ready is not None:
        return ready
    folder = toolkit_folder(spec)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(
        tempfile.mkdtemp(prefix=f".{folder.name}-build-{_host()}-{os.getpid()}-", dir=folder.parent)
    )
    try:
        files = toolkit_render(spec)
        for name, data in files.items():
            (staging / name).write_bytes(data)
        manifest = {"key": spec.key(), "files": {n: len(d) for n, d in files.items()}}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2))
        try:
            staging.rename(folder)
        except OSError:
            # Another process finished the same toolkit first; theirs is identical.
            if toolkit_ready(spec) is None:
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _prune(folder)
    return folder


def _prune(keep: Path) -> None:
    """Remove older toolkits of the same store and language: they show outdated facts."""
    for sibling in keep.parent.iterdir():
        if sibling != keep and sibling.is_dir() and not sibling.name.startswith("."):
            shutil.rmtree(sibling, ignore_errors=True)


def toolkit_discard(*, store_id: int) -> None:
    """Remove every cached toolkit of a store (e.g. when its member withdraws)."""
    shutil.rmtree(toolkit_root() / str(store_id), ignore_errors=True)
