"""The police export: who gets which incidents, with the NIBRS fields, streamed."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import tracemalloc
from datetime import UTC, datetime

import pytest
from django.http import StreamingHttpResponse
from django.test import AsyncClient

from jewelguard.intel.models import Incident, Offender
from tests.factories import (
    AdminFactory,
    AgencyFactory,
    AnalystFactory,
    MemberFactory,
    OfficerFactory,
    StaffUserFactory,
)
from tests.intel.dated_incidents import incident_at

pytestmark = pytest.mark.django_db

DENVER = (39.7478, -104.9994)
WHEN = datetime(2024, 6, 1, 14, tzinfo=UTC)


@pytest.fixture
def agency():
    return AgencyFactory(ori="CO0010100", name="Denver Police Department")


@pytest.fixture
def shared(agency) -> dict[str, Incident]:
    """One incident of each kind of sharing, named by who it is meant for."""
    other_agency = AgencyFactory(ori="CO0020200")
    made = {
        "public": incident_at(DENVER, WHEN, number=1),
        "members": incident_at(DENVER, WHEN, number=2, visibility="members"),
        "police_ours": incident_at(
            DENVER,
            WHEN,
            number=3,
            visibility="law_enforcement",
            agency=agency,
            police_case_number="24-118833",
            lost_cents=1_250_099,
            scenario_id="smash_and_grab",
        ),
        "police_unnamed": incident_at(DENVER, WHEN, number=4, visibility="law_enforcement"),
        "police_theirs": incident_at(
            DENVER, WHEN, number=5, visibility="law_enforcement", agency=other_agency
        ),
        "police_submitted": incident_at(
            DENVER, WHEN, number=6, visibility="law_enforcement", verification="submitted"
        ),
        "private": incident_at(DENVER, WHEN, number=7, visibility="private"),
        "rejected": incident_at(
            DENVER,
            WHEN,
            number=8,
            visibility="law_enforcement",
            verification="rejected",
            rejection_reason="a test",
        ),
    }
    Offender.objects.create(incident=made["police_ours"], age_min=25, age_max=30, sex="male")
    Offender.objects.create(incident=made["police_ours"])
    return made


def exported(client, kind: str = "csv", **query) -> list[dict[str, str]]:
    answer = client.get(f"/export/incidents.{kind}", query)
    assert answer.status_code == 200, answer.content
    assert isinstance(answer, StreamingHttpResponse)
    body = b"".join(answer.streaming_content).decode()
    if kind == "geojson":
        return json.loads(body)["features"]
    return list(csv.DictReader(io.StringIO(body)))


def ids(rows, shared) -> set[str]:
    names = {str(incident.pk): name for name, incident in shared.items()}
    return {names[str(row.get("incident_id", row.get("id")))] for row in rows}


def test_the_public_is_sent_to_log_in_and_members_and_staff_are_refused(client, shared):
    answer = client.get("/export/incidents.csv")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")
    for person in (MemberFactory().owner, StaffUserFactory()):
        client.force_login(person)
        assert client.get("/export/incidents.csv").status_code == 403
        assert client.get("/export/incidents.geojson").status_code == 403
        assert "Export for police" not in client.get("/stats/").content.decode()


def test_an_officer_exports_what_is_shared_with_police_of_their_agency_or_none(
    client, shared, agency
):
    client.force_login(OfficerFactory(agency=agency))
    rows = exported(client)
    assert ids(rows, shared) == {"police_ours", "police_unnamed", "police_submitted"}


def test_analysts_and_administrators_export_all_but_private_and_rejected(client, shared):
    for person in (AnalystFactory(), AdminFactory()):
        client.force_login(person)
        assert ids(exported(client), shared) == set(shared) - {"private", "rejected"}


def test_the_csv_carries_the_nibrs_fields_police_need(client, shared, agency):
    client.force_login(OfficerFactory(agency=agency))
    row = next(r for r in exported(client) if r["incident_id"] == str(shared["police_ours"].pk))
    assert row["case_number"] == "24-118833"
    assert row["agency_ori"] == "CO0010100"
    assert row["agency_name"] == "Denver Police Department"
    assert row["offense_code"] == "23C"
    assert row["attempted_completed"] == "C"
    assert row["location_type_code"] == "24"
    assert row["property_loss_type"] == "7"
    assert row["property_description_code"] == "17"
    assert row["property_value"] == "12500"  # whole dollars
    assert row["currency"] == "USD"
    assert (row["city"], row["state_province"]) == ("Denver", "CO")
    assert row["occurred_from"] == "2024-06-01T14:00:00+00:00"
    # sequence:age:sex:race:ethnicity; race and ethnicity are never recorded
    assert row["offender_count"] == "2"
    assert row["offenders"] == "1:2530:M:U:U;2:00:U:U:U"


def test_the_geojson_is_a_collection_of_points_with_the_same_fields(client, shared, agency):
    client.force_login(OfficerFactory(agency=agency))
    features = exported(client, "geojson")
    assert len(features) == 3
    ours = next(f for f in features if f["id"] == shared["police_ours"].pk)
    assert ours["type"] == "Feature"
    assert ours["geometry"] == {"type": "Point", "coordinates": [DENVER[1], DENVER[0]]}
    assert ours["properties"]["offenders"] == [
        {"sequence": 1, "age": "2530", "sex": "M", "race": "U", "ethnicity": "U"},
        {"sequence": 2, "age": "00", "sex": "U", "race": "U", "ethnicity": "U"},
    ]
    assert ours["properties"]["property_description_code"] == "17"


def test_the_export_follows_the_statistics_filters(client, shared):
    client.force_login(AnalystFactory())
    assert ids(exported(client, scenario="smash_and_grab"), shared) == {"police_ours"}
    assert exported(client, region="PA") == []
    assert exported(client, since="2024-06-02") == []
    answer = client.get("/export/incidents.csv", {"since": "2024-13-01"})
    assert answer.status_code == 400
    assert answer.content.decode().startswith("since: Give dates as YYYY-MM-DD")


def test_a_value_a_spreadsheet_would_run_is_written_as_text(client, agency):
    incident_at(
        DENVER,
        WHEN,
        number=1,
        visibility="law_enforcement",
        address='=HYPERLINK("http://evil.example","click")',
        police_case_number="+1-555",
    )
    client.force_login(AnalystFactory())
    [row] = exported(client)
    assert row["address"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["case_number"] == "'+1-555"


def _export_peak(client) -> tuple[int, int, int]:
    """Lines, the biggest piece and the peak memory while reading the CSV export."""
    answer = client.get("/export/incidents.csv")
    tracemalloc.start()
    lines = biggest_piece = 0
    for piece in answer.streaming_content:
        lines += piece.count(b"\n")
        biggest_piece = max(biggest_piece, len(piece))
    _size, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return lines, biggest_piece, peak


def _police_incidents(agency, numbers: range) -> None:
    Incident.objects.bulk_create(
        [
            incident_at(
                DENVER, WHEN, number=n, visibility="law_enforcement", agency=agency, save=False
            )
            for n in numbers
        ]
    )


def test_thousands_of_rows_stream_in_bounded_memory(client, agency):
    # given 1,000 incidents shared with police, exported by an officer
    client.force_login(OfficerFactory(agency=agency))
    _police_incidents(agency, range(1000))
    lines, _piece, peak_for_1000 = _export_peak(client)
    assert lines == 1001
    # when there are 4,000
    _police_incidents(agency, range(1000, 4000))
    lines, biggest_piece, peak_for_4000 = _export_peak(client)
    # then every row comes, in small pieces, and memory does not grow with the rows
    assert lines == 4001
    assert biggest_piece < 2000
    assert peak_for_4000 < peak_for_1000 * 1.5


@pytest.mark.django_db(transaction=True)
def test_under_asgi_the_export_streams_as_an_async_iterator(agency):
    # given incidents shared with police, and an officer signed in
    _police_incidents(agency, range(500))
    officer = OfficerFactory(agency=agency)

    async def export_over_asgi() -> tuple[bool, list[bytes]]:
        client = AsyncClient()
        await client.aforce_login(officer)
        answer = await client.get("/export/incidents.csv")
        return answer.is_async, [piece async for piece in answer.streaming_content]

    # when the officer exports them through the ASGI handler (as `jewelguard serve` runs)
    is_async, pieces = asyncio.run(export_over_asgi())
    # then the file comes in pieces, read as they are made, not built whole first
    assert is_async
    assert len(pieces) > 2
    rows = list(csv.DictReader(io.StringIO(b"".join(pieces).decode())))
    assert len(rows) == 500
