"""Incidents handed to police: CSV and GeoJSON with the NIBRS fields, streamed row by row.

Who may export: the association's analysts and administrators, and officers. Each gets what
``restrict(..., action="view")`` lets them see one by one (officers: incidents shared with law
enforcement, of their agency or of none named), less what no export ever carries: rejected
incidents and private ones (a member's private report is its own until shared). Members, store
staff and the public export nothing.

The platform never records race or ethnicity: each offender segment writes them as "U"
(unknown), as NIBRS allows. Property is written as NIBRS loss type 7 (stolen), description 17
(jewelry/precious metals), value in whole dollars.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from django.db.models import QuerySet

from jewelguard.accounts.models import Role, User
from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.permissions import Action, Who, restrict
from jewelguard.intel.models import Incident, Offender, Sex, Verification, Visibility
from jewelguard.intel.stats import StatsQuery, incidents_filter

CHUNK = 1000
PROPERTY_LOSS_STOLEN = "7"
PROPERTY_DESCRIPTION_JEWELRY = "17"
UNKNOWN = "U"
_SEX: dict[str, str] = {Sex.MALE.value: "M", Sex.FEMALE.value: "F"}
_ATTEMPT = {"attempted": "A", "completed": "C"}
# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

CSV_COLUMNS = (
    "incident_id",
    "case_number",
    "agency_ori",
    "agency_name",
    "offense_code",
    "attempted_completed",
    "occurred_from",
    "occurred_to",
    "reported_at",
    "location_type_code",
    "address",
    "city",
    "state_province",
    "latitude",
    "longitude",
    "scenario",
    "property_loss_type",
    "property_description_code",
    "property_value",
    "property_recovered_value",
    "currency",
    "offender_count",
    "offenders",
    "source",
    "visibility",
)


def user_may_export(*, user: Who) -> bool:
    """Analysts, administrators and officers."""
    if user_is_association_staff(user=user):
        return True
    return isinstance(user, User) and user.is_active and user.role == Role.OFFICER


def export_incidents(*, user: Who, query: StatsQuery) -> QuerySet[Incident]:
    """The incidents ``user`` may export, filtered by ``query``, oldest first."""
    if not user_may_export(user=user):
        return Incident.objects.none()
    seen = restrict(Incident.objects.all(), user=user, action=Action.VIEW)
    seen = seen.exclude(verification=Verification.REJECTED).exclude(visibility=Visibility.PRIVATE)
    return (
        incidents_filter(seen, query=query).select_related("agency").order_by("occurred_from", "pk")
    )


def _dollars(cents: int) -> str:
    return str(cents // 100)


def _age(low: int | None, high: int | None) -> str:
    """NIBRS age of offender: "00" unknown, "25" an age, "2530" a range."""
    if low is None and high is None:
        return "00"
    if low is None or high is None or low == high:
        return f"{low if low is not None else high:02d}"
    return f"{low:02d}{high:02d}"


Segment = dict[str, str | int]


def _segments(incident_ids: list[int]) -> dict[int, list[Segment]]:
    """One NIBRS offender segment per offender: sequence number, age, sex, race, ethnicity."""
    found: dict[int, list[Segment]] = {}
    rows = (
        Offender.objects.filter(incident_id__in=incident_ids)
        .order_by("incident_id", "pk")
        .values_list("incident_id", "age_min", "age_max", "sex")
    )
    for incident_id, low, high, sex in rows:
        segments = found.setdefault(incident_id, [])
        segments.append(
            {
                "sequence": len(segments) + 1,
                "age": _age(low, high),
                "sex": _SEX.get(sex, UNKNOWN),
                "race": UNKNOWN,
                "ethnicity": UNKNOWN,
            }
        )
    return found


def _with_segments(incidents: QuerySet[Incident]) -> Iterator[tuple[Incident, list[Segment]]]:
    """Each incident with its offenders, read a chunk at a time (no prefetch: its reference
    cycles would keep several chunks alive until the garbage collector runs)."""
    batch: list[Incident] = []

    def flush() -> Iterator[tuple[Incident, list[Segment]]]:
        segments = _segments([incident.pk for incident in batch])
        for incident in batch:
            yield incident, segments.get(incident.pk, [])
        batch.clear()

    for incident in incidents.iterator(chunk_size=CHUNK):
        batch.append(incident)
        if len(batch) == CHUNK:
            yield from flush()
    yield from flush()


def _record(incident: Incident, segments: list[Segment]) -> dict[str, Any]:
    agency = incident.agency
    return {
        "incident_id": incident.pk,
        "case_number": incident.police_case_number,
        "agency_ori": agency.ori if agency else "",
        "agency_name": agency.name if agency else "",
        "offense_code": incident.nibrs_offense_code,
        "attempted_completed": _ATTEMPT.get(incident.attempt, UNKNOWN),
        "occurred_from": incident.occurred_from.isoformat(),
        "occurred_to": incident.occurred_to.isoformat() if incident.occurred_to else "",
        "reported_at": incident.reported_at.isoformat(),
        "location_type_code": incident.location_type,
        "address": incident.address,
        "city": incident.city,
        "state_province": incident.region,
        "latitude": incident.latitude,
        "longitude": incident.longitude,
        "scenario": incident.scenario_id,
        "property_loss_type": PROPERTY_LOSS_STOLEN,
        "property_description_code": PROPERTY_DESCRIPTION_JEWELRY,
        "property_value": _dollars(incident.property_lost_cents),
        "property_recovered_value": _dollars(incident.property_recovered_cents),
        "currency": incident.currency,
        "offenders": segments,
        "source": incident.source,
        "visibility": incident.visibility,
    }


def _cell(value: Any) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _segments_text(segments: list[Segment]) -> str:
    # "1:2530:M:U:U;2:00:U:U:U" (sequence:age:sex:race:ethnicity)
    return ";".join(
        ":".join(str(s[k]) for k in ("sequence", "age", "sex", "race", "ethnicity"))
        for s in segments
    )


def export_csv_lines(*, incidents: QuerySet[Incident]) -> Iterator[str]:
    """The CSV file, header first, a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for incident, segments in _with_segments(incidents):
        record = _record(incident, segments)
        record.pop("offenders")
        record["offender_count"] = len(segments)
        record["offenders"] = _segments_text(segments)
        writer.writerow([_cell(record[column]) for column in CSV_COLUMNS])
        yield flush()


def export_geojson_parts(*, incidents: QuerySet[Incident]) -> Iterator[str]:
    """A GeoJSON FeatureCollection of points, a feature at a time."""
    yield '{"type":"FeatureCollection","features":['
    first = True
    for incident, segments in _with_segments(incidents):
        record = _record(incident, segments)
        feature = {
            "type": "Feature",
            "id": incident.pk,
            "geometry": {"type": "Point", "coordinates": [incident.longitude, incident.latitude]},
            "properties": {k: v for k, v in record.items() if k not in ("latitude", "longitude")},
        }
        yield ("" if first else ",") + json.dumps(feature, separators=(",", ":"))
        first = False
    yield "]}"
