"""The crime map's GeoJSON: hexagons with counts, never a small cell or a point for the public."""

from __future__ import annotations

import h3
import pytest

from tests.factories import AnalystFactory, MemberFactory
from tests.intel.incidents import incident_imported

pytestmark = pytest.mark.django_db

DENVER_BBOX = "-105.2,39.6,-104.8,39.9"
BUSY = h3.latlng_to_cell(39.7478, -104.9994, 9)  # Larimer Square
QUIET = h3.latlng_to_cell(39.6800, -104.9400, 9)


@pytest.fixture
def incidents():
    for number in range(4):
        incident_imported(cell=BUSY, scenario_id="grab_and_run", number=number)
    incident_imported(cell=BUSY, scenario_id="armed_robbery", number=0)
    for number in range(2):
        incident_imported(cell=QUIET, scenario_id="grab_and_run", number=number)
    # neither counts: one private, one not verified
    incident_imported(cell=QUIET, scenario_id="fraud", number=0, visibility="private")
    incident_imported(cell=QUIET, scenario_id="fraud", number=1, verification="submitted")


def cells(client, **query):
    query.setdefault("bbox", DENVER_BBOX)
    return client.get("/api/intel/cells", query)


def counts(answer) -> dict[str, int]:
    return {f["properties"]["cell"]: f["properties"]["count"] for f in answer.json()["features"]}


def test_the_public_gets_hexagons_of_three_or_more_with_totals_only(client, incidents):
    answer = cells(client, res=7)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/geo+json"
    assert counts(answer) == {h3.cell_to_parent(BUSY, 7): 5}
    [feature] = answer.json()["features"]
    assert feature["geometry"]["type"] == "Polygon"
    assert len(feature["geometry"]["coordinates"][0]) == 7  # six corners, closed
    assert set(feature["properties"]) == {"cell", "count"}
    assert answer["Cache-Control"] == "public, max-age=300"


def test_the_public_is_refused_fine_cells(client, incidents):
    answer = cells(client, res=9)
    assert answer.status_code == 400
    assert answer.json()["detail"][0]["loc"] == ["query", "res"]
    assert "from 4 to 7" in answer.json()["detail"][0]["msg"]


def test_members_get_finer_cells_with_scenarios_but_still_none_under_three(client, incidents):
    client.force_login(MemberFactory().owner)
    answer = cells(client, res=9)
    assert answer.status_code == 200
    assert counts(answer) == {BUSY: 5}
    assert answer.json()["features"][0]["properties"]["by_scenario"] == {
        "armed_robbery": 1,
        "grab_and_run": 4,
    }
    assert answer["Cache-Control"] == "private, max-age=60"


def test_analysts_see_every_cell(client, incidents):
    client.force_login(AnalystFactory())
    assert counts(cells(client, res=9)) == {BUSY: 5, QUIET: 2}


def test_filters_change_the_counts(client, incidents):
    assert counts(cells(client, res=7, scenario="armed_robbery")) == {}
    assert counts(cells(client, res=7, scenario="grab_and_run")) == {h3.cell_to_parent(BUSY, 7): 4}
    assert counts(cells(client, res=7, since="2030-01-01")) == {}
    assert counts(cells(client, res=7, until="2025-03-05")) == {h3.cell_to_parent(BUSY, 7): 5}


def test_a_viewport_elsewhere_is_empty(client, incidents):
    assert counts(cells(client, res=7, bbox="-74.1,40.6,-73.9,40.8")) == {}


def test_an_unchanged_answer_is_not_sent_again(client, incidents):
    first = cells(client, res=7)
    again = client.get(
        "/api/intel/cells",
        {"bbox": DENVER_BBOX, "res": 7},
        headers={"If-None-Match": first["ETag"]},
    )
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"bbox": "-104.8,39.6,-105.2,39.9"}, "bbox"),  # west after east
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "nan,39.6,-104.8,39.9"}, "bbox"),
        ({"bbox": "-200,39.6,-104.8,39.9"}, "bbox"),
        ({"bbox": "x" * 5000}, "bbox"),
        ({"scenario": "bank_heist"}, "scenario"),
        ({"since": "last week"}, "since"),
        ({"res": 3}, "res"),
    ],
)
def test_bad_queries_are_refused_naming_the_parameter(client, incidents, query, field):
    query.setdefault("res", 7)
    answer = cells(client, **query)
    assert answer.status_code == 400
    assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_a_whole_country_at_a_fine_resolution_is_refused(client):
    client.force_login(MemberFactory().owner)
    answer = cells(client, bbox="-125,24,-66,50", res=10)
    assert answer.status_code == 400
    assert "too many hexagons" in answer.json()["detail"][0]["msg"]


def test_a_non_number_resolution_is_refused(client):
    answer = cells(client, res="fine")
    assert answer.status_code == 422
