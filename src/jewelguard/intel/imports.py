"""Importing police open data: CSV files read through an import profile, as verified incidents.

Two passes. The first reads every file through and refuses, before anything is written, any
file of the wrong shape: not text in the profile's encoding, not CSV, a mapped column missing,
rows of the wrong width from the start. The second turns rows into incidents, in batches of one
transaction each, inserting new ones and updating only those whose source changed (by source
name and source id, unique together). So a re-import adds and changes nothing, and an import
that was interrupted (Ctrl-C, kill -9) ends, when run again, exactly as one clean run does.

A row that cannot be an incident (a date that does not exist, a point off the globe or at
(0, 0), an id seen earlier in the file...) is rejected: reported with its file, line and
reason, written to the rejects CSV, and not imported.
"""

from __future__ import annotations

import codecs
import csv
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from django.db import connection, transaction
from django.utils import timezone

from jewelguard.accounts.models import Agency
from jewelguard.core.text import TextRefusedError, single_line_clean
from jewelguard.intel.geo import incident_cells
from jewelguard.intel.models import Incident, Premises, Source, Verification
from jewelguard.intel.profiles import ImportProfile

BATCH_SIZE = 2000
# A quoted value longer than this is no police record: the file is refused.
MAX_FIELD_CHARS = 10_000
_MAX_QUOTED = 40
# The fields an import writes and compares on re-import (the rest are the reporter's).
IMPORTED_FIELDS = (
    "scenario_id",
    "nibrs_offense_code",
    "attempt",
    "occurred_from",
    "occurred_to",
    "reported_at",
    "address",
    "latitude",
    "longitude",
    "h3_r4",
    "h3_r5",
    "h3_r6",
    "h3_r7",
    "h3_r8",
    "h3_r9",
    "h3_r10",
    "region",
    "city",
    "location_type",
    "premises",
    "police_case_number",
    "visibility",
    "verification",
    "agency_id",
)


class ImportRefused(Exception):
    """A file or profile that cannot be imported at all; the message names file and line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RowRejected(Exception):
    pass


@dataclass(frozen=True)
class Reject:
    file: str
    line: int
    reason: str
    row: tuple[str, ...]


@dataclass(frozen=True)
class FilePlan:
    """One checked file: whether it starts with a header, where each mapped column is."""

    path: Path
    header_line: int  # 0: none
    width: int
    indexes: dict[str, int]
    rows: int


@dataclass
class ImportSummary:
    rows: int = 0
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    skipped: int = 0
    rejects: list[Reject] = field(default_factory=list)


def _quoted(value: str) -> str:
    return value if len(value) <= _MAX_QUOTED else value[:_MAX_QUOTED] + "…"


def _rows(lines: _Lines, profile: ImportProfile) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter=profile.delimiter, strict=True)
    for row in reader:
        yield reader.line_num, row


class _Lines:
    """A file's lines decoded one by one, so that a decoding error knows its line."""

    def __init__(self, path: Path, profile: ImportProfile) -> None:
        try:
            self.file: BinaryIO = path.open("rb")
        except OSError as error:
            raise ImportRefused(f"{path.name}: cannot be read ({error.strerror})") from None
        self.decoder = codecs.getincrementaldecoder(profile.encoding)(errors="strict")
        self.line = 0

    def __iter__(self) -> Iterator[str]:
        for raw in self.file:
            self.line += 1
            yield self.decoder.decode(raw)
        yield self.decoder.decode(b"", final=True)

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        self.file.close()


def _looks_like_header(row: list[str], profile: ImportProfile) -> bool:
    if profile.header == "present":
        return True
    if profile.header == "absent":
        return False
    names = {name.strip().casefold() for name in profile.column_names}
    cells = [cell.strip().casefold() for cell in row]
    return sum(cell in names for cell in cells) * 2 >= len(cells)


def _resolve(
    path: Path, profile: ImportProfile, header: list[str] | None
) -> tuple[dict[str, int], int | None]:
    names = [cell.strip() for cell in header] if header is not None else list(profile.column_names)
    width = len(names) if names else None
    indexes: dict[str, int] = {}
    missing: list[str] = []
    for key, ref in profile.refs_by_key().items():
        if isinstance(ref, int):
            if width is not None and ref >= width:
                raise ImportRefused(
                    f"{path.name}: {key}: position {ref} is past the last of {width} columns"
                )
            indexes[key] = ref
        elif ref in names:
            indexes[key] = names.index(ref)
        else:
            folded = [name.casefold() for name in names]
            if ref.casefold() in folded:
                indexes[key] = folded.index(ref.casefold())
            else:
                missing.append(f"{_quoted(ref)} ({key})")
    if missing:
        raise ImportRefused(f"{path.name}: line 1: missing the column " + ", ".join(missing))
    return indexes, width


def import_file_check(*, path: Path, profile: ImportProfile) -> FilePlan:
    """Read ``path`` through and say how to import it; ImportRefused if it has the wrong shape."""
    line = 0
    has_header = False
    header_line = 0
    indexes: dict[str, int] = {}
    width: int | None = None
    rows = 0
    with _Lines(path, profile) as file:
        try:
            for line, row in _rows(file, profile):
                if not row:
                    continue
                if width is None:
                    has_header = _looks_like_header(row, profile)
                    header_line = line if has_header else 0
                    indexes, named_width = _resolve(path, profile, row if has_header else None)
                    width = named_width or max(indexes.values()) + 1
                    if not has_header and len(row) != width:
                        raise ImportRefused(
                            f"{path.name}: line {line}: has {len(row)} columns; "
                            f"the profile expects {width}"
                        )
                    if has_header:
                        continue
                if any(len(cell) > MAX_FIELD_CHARS for cell in row):
                    raise ImportRefused(
                        f"{path.name}: line {line}: a value is longer than "
                        f"{MAX_FIELD_CHARS} characters"
                    )
                rows += 1
        except UnicodeDecodeError as error:
            raise ImportRefused(
                f"{path.name}: line {file.line}: is not {profile.encoding} text "
                f"({error.reason}); set the profile's encoding"
            ) from None
        except csv.Error as error:
            raise ImportRefused(f"{path.name}: line {file.line}: is not CSV ({error})") from None
    if width is None:
        raise ImportRefused(f"{path.name}: has no rows")
    if rows == 0:
        raise ImportRefused(f"{path.name}: has a header and no rows")
    return FilePlan(path=path, header_line=header_line, width=width, indexes=indexes, rows=rows)


@lru_cache(maxsize=4096)
def _date_parse(text: str, date_format: str) -> datetime:
    """``strptime``, remembered: rows repeat dates (occurred and reported, one day's rows)."""
    return datetime.strptime(text, date_format)


class _RowReader:
    """Turns one file's rows into incident fields, remembering the ids already seen."""

    def __init__(self, *, plan: FilePlan, profile: ImportProfile, agency: Agency | None) -> None:
        self.plan = plan
        self.profile = profile
        self.zone = profile.dates.zone()
        self.agency_id = agency.pk if agency is not None else None
        self.seen: dict[str, int] = {}
        self.latest = timezone.now() + timedelta(days=1)

    def cell(self, row: list[str], key: str) -> str:
        index = self.plan.indexes.get(key)
        return row[index].strip() if index is not None else ""

    def date(self, row: list[str], key: str, *, required: bool) -> datetime | None:
        text = self.cell(row, f"columns.{key}")
        if not text:
            if required:
                raise RowRejected(f"{key} is empty")
            return None
        try:
            naive = _date_parse(text, self.profile.dates.format)
        except ValueError:
            raise RowRejected(
                f"{key} '{_quoted(text)}' is not a date in the format {self.profile.dates.format}"
            ) from None
        if naive.year < 1900:
            raise RowRejected(f"{key} '{_quoted(text)}' is before 1900")
        moment = naive.replace(tzinfo=self.zone)
        if moment > self.latest:
            raise RowRejected(f"{key} '{_quoted(text)}' is in the future")
        return moment

    def coordinate(self, row: list[str], key: str, limit: float) -> float:
        text = self.cell(row, f"columns.{key}")
        if not text:
            raise RowRejected(f"{key} is empty: the row has no location")
        try:
            value = float(text)
        except ValueError:
            raise RowRejected(f"{key} '{_quoted(text)}' is not a number") from None
        if not math.isfinite(value) or not -limit <= value <= limit:
            raise RowRejected(f"{key} '{_quoted(text)}' is not between -{limit:g} and {limit:g}")
        return value

    def fields(self, line: int, row: list[str]) -> dict[str, Any] | None:
        """The incident's fields, None for a row the profile skips; RowRejected if unusable."""
        if len(row) != self.plan.width:
            raise RowRejected(f"has {len(row)} columns; the profile expects {self.plan.width}")
        for index, rule in enumerate(self.profile.skip):
            if self.cell(row, f"skip.{index}.column") in rule.equals:
                return None
        offense = self.profile.offenses.get(self.cell(row, "columns.offense"))
        if offense is None:
            return None
        source_id = self.cell(row, "columns.source_id")
        if not source_id:
            raise RowRejected("source_id is empty")
        if len(source_id) > 60:
            raise RowRejected("source_id is longer than 60 characters")
        if not source_id.isprintable():  # a NUL byte, say, which PostgreSQL refuses to store
            raise RowRejected("source_id holds hidden characters")
        first = self.seen.setdefault(source_id, line)
        if first != line:
            raise RowRejected(f"source_id '{_quoted(source_id)}' is also on line {first}")
        occurred_from = self.date(row, "occurred_from", required=True)
        assert occurred_from is not None
        occurred_to = self.date(row, "occurred_to", required=False)
        if occurred_to is not None and occurred_to < occurred_from:
            raise RowRejected("occurred_to is before occurred_from")
        reported_at = self.date(row, "reported_at", required=False)
        latitude = self.coordinate(row, "latitude", 90)
        longitude = self.coordinate(row, "longitude", 180)
        if abs(latitude) < 0.5 and abs(longitude) < 0.5:
            raise RowRejected("the point is at (0, 0): the location is missing")
        try:
            address = single_line_clean(value=self.cell(row, "columns.address"))[:200]
            case_number = single_line_clean(value=self.cell(row, "columns.case_number"))[:40]
        except TextRefusedError:
            raise RowRejected("address or case_number holds hidden characters") from None
        return {
            "scenario_id": offense.scenario,
            "nibrs_offense_code": offense.nibrs,
            "attempt": offense.attempt.value,
            "occurred_from": occurred_from,
            "occurred_to": occurred_to,
            "reported_at": reported_at or occurred_to or occurred_from,
            "address": address,
            "latitude": latitude,
            "longitude": longitude,
            **incident_cells(latitude=latitude, longitude=longitude),
            "location_type": self.profile.location_type.value,
            "premises": Premises.ON.value,
            "police_case_number": case_number,
            "visibility": self.profile.visibility.value,
            "verification": Verification.VERIFIED.value,
            "agency_id": self.agency_id,
            "source_id": source_id,
        }


def _insert_columns() -> list[tuple[str, Any, Callable[[Any], Any]]]:
    """Each column an incident is inserted with: its name, default, and conversion to SQL."""
    columns: list[tuple[str, Any, Callable[[Any], Any]]] = []
    for model_field in Incident._meta.concrete_fields:
        if model_field.primary_key:
            continue
        convert: Callable[[Any], Any]
        if model_field.get_internal_type() == "DateTimeField":
            convert = connection.ops.adapt_datetimefield_value
        elif model_field.get_internal_type() == "JSONField":
            convert = partial(model_field.get_db_prep_save, connection=connection)
        else:
            convert = _unchanged
        default = model_field.get_default()
        columns.append((model_field.attname, default, convert))
    return columns


def _unchanged(value: Any) -> Any:
    return value


def _incidents_insert(*, rows: list[dict[str, Any]]) -> None:
    """Insert new incidents as given, skipping the ORM's per-value work (a million rows).

    The rows hold what ``bulk_create`` would have been given; fields they lack take the
    model's defaults. The database's constraints still check every row. PostgreSQL gets
    them through COPY, SQLite through one prepared INSERT.
    """
    if not rows:
        return
    columns = _insert_columns()
    # Rows share datetimes (created and updated, occurred and reported): convert each once.
    converted: dict[datetime, Any] = {}

    def value_of(value: Any, convert: Callable[[Any], Any]) -> Any:
        if convert is _unchanged:
            return value
        if not isinstance(value, datetime):
            return convert(value)
        if value not in converted:
            converted[value] = convert(value)
        return converted[value]

    values = [
        tuple(value_of(row.get(name, default), convert) for name, default, convert in columns)
        for row in rows
    ]
    names = ", ".join(connection.ops.quote_name(name) for name, _d, _c in columns)
    table = connection.ops.quote_name(Incident._meta.db_table)
    if connection.vendor == "postgresql":
        raw = connection.connection
        assert raw is not None
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for value in values:
                copy.write_row(value)
        return
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 (our names)
            values,
        )


def _batch_write(
    *, profile: ImportProfile, batch: list[dict[str, Any]], summary: ImportSummary
) -> None:
    """Insert the new rows and update the changed ones, in one transaction."""
    with transaction.atomic():
        ids = [row["source_id"] for row in batch]
        existing = {
            incident.source_id: incident
            for incident in Incident.objects.filter(source_name=profile.source, source_id__in=ids)
        }
        new: list[dict[str, Any]] = []
        changed: list[Incident] = []
        now = timezone.now()
        for row in batch:
            incident = existing.get(row["source_id"])
            if incident is None:
                new.append(
                    {
                        **row,
                        "source": Source.IMPORT.value,
                        "source_name": profile.source,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                continue
            differs = [name for name in IMPORTED_FIELDS if getattr(incident, name) != row[name]]
            if differs:
                for name in IMPORTED_FIELDS:
                    setattr(incident, name, row[name])
                incident.updated_at = now
                changed.append(incident)
        _incidents_insert(rows=new)
        Incident.objects.bulk_update(changed, [*IMPORTED_FIELDS, "updated_at"], batch_size=500)
    summary.added += len(new)
    summary.changed += len(changed)
    summary.unchanged += len(batch) - len(new) - len(changed)


def incidents_import(
    *,
    paths: Sequence[Path],
    profile: ImportProfile,
    rejects_path: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportSummary:
    """Import ``paths`` with ``profile``; every file is checked before anything is written.

    ``progress(rows, rejects)`` is called after each batch with the rows read since the last
    call and the rejects so far. Rejected rows are written to ``rejects_path`` (file, line,
    reason, then the row as read).
    """
    plans = [import_file_check(path=path, profile=profile) for path in paths]
    agency = Agency.objects.filter(ori=profile.agency_ori).first() if profile.agency_ori else None
    summary = ImportSummary()
    rejects_file: TextIO | None = None
    rejects_writer: Any = None

    def reject_write(reject: Reject) -> None:
        nonlocal rejects_file, rejects_writer
        if rejects_path is None:
            return
        if rejects_writer is None:  # the file is made only when there is something to say
            rejects_file = rejects_path.open("w", newline="", encoding="utf-8")
            rejects_writer = csv.writer(rejects_file)
            rejects_writer.writerow(["file", "line", "reason", "row"])
        rejects_writer.writerow([reject.file, reject.line, reject.reason, *reject.row])

    try:
        for plan in plans:
            reader = _RowReader(plan=plan, profile=profile, agency=agency)
            batch: list[dict[str, Any]] = []
            read = 0
            with _Lines(plan.path, profile) as file:
                for line, row in _rows(file, profile):
                    if not row or line == plan.header_line:
                        continue
                    read += 1
                    summary.rows += 1
                    try:
                        fields = reader.fields(line, row)
                    except RowRejected as rejected:
                        reject = Reject(plan.path.name, line, str(rejected), tuple(row))
                        summary.rejects.append(reject)
                        reject_write(reject)
                        continue
                    if fields is None:
                        summary.skipped += 1
                        continue
                    batch.append(fields)
                    if len(batch) >= batch_size:
                        _batch_write(profile=profile, batch=batch, summary=summary)
                        batch = []
                        if progress:
                            progress(read, len(summary.rejects))
                            read = 0
            if batch:
                _batch_write(profile=profile, batch=batch, summary=summary)
            if progress:
                progress(read, len(summary.rejects))
    finally:
        if rejects_file:
            rejects_file.close()
    return summary
