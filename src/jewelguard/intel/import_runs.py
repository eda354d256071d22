"""Imports started from the browser: the upload checked, then the import run by the worker.

``import_run_start`` checks the upload (how many files, their size and type, the profile),
keeps the files in the default storage and queues ``import_run_execute`` on commit. The task
runs the same importer as ``jewelguard import_incidents``; it is idempotent (the importer
adds nothing on a second run), so a worker killed mid-import has it run again to the same end.
"""

from __future__ import annotations

import logging
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.accounts.models import User
from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.audit import audit_record
from jewelguard.core.content import ContentError, content_load
from jewelguard.core.errors import ServiceError
from jewelguard.core.tasks import enqueue_on_commit
from jewelguard.intel.imports import ImportRefused, import_file_check, incidents_import
from jewelguard.intel.models import ImportRun, ImportState
from jewelguard.intel.profiles import ImportProfile, profile_load, profile_names
from jewelguard.intel.tasks import import_run_task

MAX_FILES = 10
MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PROFILE_BYTES = 64 * 1024
DATA_SUFFIXES = (".csv", ".txt")
PROFILE_SUFFIXES = (".yaml", ".yml")
# A text file holds no NUL byte; its first block tells a spreadsheet or an archive apart.
_SNIFF_BYTES = 64 * 1024
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_STORED_UNDER = "intel/imports"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """One uploaded file as a view hands it on: its name as sent, its size, its content."""

    name: str
    size: int
    file: File[bytes]


def _display_name(name: str) -> str:
    """The file's name as shown and named in errors: its last part, safe characters only."""
    last = name.replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = _UNSAFE_NAME.sub("_", last).strip("._") or "file"
    return cleaned[-80:]


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):g}"


def _data_file_check(upload: Upload) -> str:
    name = _display_name(upload.name)
    if not name.lower().endswith(DATA_SUFFIXES):
        raise ServiceError(
            "data_files",
            _("%(name)s: only CSV files (.csv or .txt) can be imported.") % {"name": name},
        )
    if upload.size > MAX_FILE_BYTES:
        raise ServiceError(
            "data_files",
            _("%(name)s: the file is larger than %(limit)s MiB.")
            % {"name": name, "limit": _mib(MAX_FILE_BYTES)},
        )
    if upload.size == 0:
        raise ServiceError("data_files", _("%(name)s: the file is empty.") % {"name": name})
    upload.file.seek(0)
    head = upload.file.read(_SNIFF_BYTES)
    upload.file.seek(0)
    if b"\x00" in head:
        raise ServiceError(
            "data_files",
            _("%(name)s: this is not a text file (a spreadsheet or an archive?); export it as CSV.")
            % {"name": name},
        )
    return name


def profile_upload_read(*, upload: Upload) -> tuple[ImportProfile, str]:
    """An uploaded profile checked as the shipped ones are; ServiceError naming the key."""
    name = _display_name(upload.name)
    if not name.lower().endswith(PROFILE_SUFFIXES):
        raise ServiceError(
            "profile_file", _("%(name)s: a profile is a .yaml file.") % {"name": name}
        )
    if upload.size > MAX_PROFILE_BYTES:
        raise ServiceError(
            "profile_file",
            _("%(name)s: a profile is at most %(limit)s KiB.")
            % {"name": name, "limit": MAX_PROFILE_BYTES // 1024},
        )
    upload.file.seek(0)
    raw = upload.file.read(MAX_PROFILE_BYTES + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ServiceError(
            "profile_file", _("%(name)s: a profile is UTF-8 text.") % {"name": name}
        ) from None
    return _profile_from_text(name=name, text=text, field="profile_file"), text


def _profile_from_text(*, name: str, text: str, field: str) -> ImportProfile:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        try:
            return content_load(path=path, model=ImportProfile).content
        except ContentError as error:
            raise ServiceError(field, str(error)) from None


@transaction.atomic
def import_run_start(
    *,
    user: User,
    uploads: list[Upload],
    profile_name: str = "",
    profile_upload: Upload | None = None,
) -> ImportRun:
    """Check an analyst's upload and queue its import; ServiceError naming the field.

    Nothing is stored when the upload is refused. The files are read through only by the
    worker, which refuses a file of the wrong shape before writing anything.
    """
    if not user_is_association_staff(user=user):
        raise ServiceError("data_files", _("Only the association's analysts may import incidents."))
    if not uploads:
        raise ServiceError("data_files", _("Choose at least one CSV file."))
    if len(uploads) > MAX_FILES:
        raise ServiceError(
            "data_files",
            _("At most %(count)d files can be imported at once.") % {"count": MAX_FILES},
        )
    names = [_data_file_check(upload) for upload in uploads]
    if len(set(names)) != len(names):
        raise ServiceError("data_files", _("Two of the files have the same name."))
    profile_yaml = ""
    if profile_upload is not None:
        profile_yaml = profile_upload_read(upload=profile_upload)[1]
        profile_name = _display_name(profile_upload.name)
    elif profile_name not in profile_names():
        raise ServiceError("profile", _("Choose one of the shipped profiles, or upload your own."))
    folder = f"{_STORED_UNDER}/{uuid.uuid4().hex}"
    stored = [
        {"name": name, "stored": default_storage.save(f"{folder}/{name}", upload.file)}
        for name, upload in zip(names, uploads, strict=True)
    ]
    run = ImportRun.objects.create(
        started_by=user, profile_name=profile_name, profile_yaml=profile_yaml, files=stored
    )
    audit_record(
        actor=user,
        action="intel.import_started",
        target=run,
        details={"profile": profile_name, "files": names},
    )
    enqueue_on_commit(import_run_task, run_id=run.pk)
    return run


def _run_profile(run: ImportRun) -> ImportProfile:
    if run.profile_yaml:
        return _profile_from_text(name=run.profile_name, text=run.profile_yaml, field="profile")
    return profile_load(name_or_path=run.profile_name)


def import_run_execute(*, run_id: int) -> None:
    """Run one queued import to its end: done with its counts, or refused with the reason.

    Run twice (a worker died), it starts again from the first row; the importer adds and
    changes nothing for what the first try wrote, so the end is the same.
    """
    run = ImportRun.objects.filter(pk=run_id).first()
    if run is None or run.finished:
        return
    ImportRun.objects.filter(pk=run.pk).update(
        state=ImportState.RUNNING,
        started_at=timezone.now(),
        rows_read=0,
        rejected=0,
        error="",
    )
    with tempfile.TemporaryDirectory() as folder:
        paths: list[Path] = []
        for entry in run.files:
            # A copy under its original name, so that messages name the file the analyst sent.
            path = Path(folder) / entry["name"]
            with default_storage.open(entry["stored"], "rb") as source, path.open("wb") as copy:
                for chunk in iter(lambda: source.read(1024 * 1024), b""):
                    copy.write(chunk)
            paths.append(path)
        rejects_path = Path(folder) / "rejects.csv"
        try:
            profile = _run_profile(run)
            total = sum(import_file_check(path=path, profile=profile).rows for path in paths)
            ImportRun.objects.filter(pk=run.pk).update(rows_total=total)
            read = 0

            def progress(rows: int, rejects: int) -> None:
                nonlocal read
                read += rows
                ImportRun.objects.filter(pk=run.pk).update(rows_read=read, rejected=rejects)

            summary = incidents_import(
                paths=paths, profile=profile, rejects_path=rejects_path, progress=progress
            )
        except (ImportRefused, ServiceError) as error:
            _refuse(run, message=error.message)
            return
        except Exception:
            logger.exception("import run %s failed", run.pk)
            _refuse(run, message=_("The import failed unexpectedly; the log says why."))
            return
        with transaction.atomic():
            run.refresh_from_db()
            if run.rejects:
                run.rejects.delete(save=False)
            if rejects_path.exists():
                with rejects_path.open("rb") as rejects:
                    run.rejects.save(
                        f"import-{run.pk}-rejects.csv", ContentFile(rejects.read()), save=False
                    )
            run.state = ImportState.DONE
            run.rows_read = summary.rows
            run.added = summary.added
            run.changed = summary.changed
            run.unchanged = summary.unchanged
            run.skipped = summary.skipped
            run.rejected = len(summary.rejects)
            run.finished_at = timezone.now()
            run.save()
    _files_delete(run)


def _refuse(run: ImportRun, *, message: str) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        state=ImportState.REFUSED,
        error=message[:2000] + " " + _("Nothing was imported."),
        finished_at=timezone.now(),
    )
    _files_delete(run)


def _files_delete(run: ImportRun) -> None:
    for entry in run.files:
        default_storage.delete(entry["stored"])
