"""The crime map page and one hexagon's detail: what the public, members and analysts get."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import h3
import pytest

from tests.factories import AnalystFactory, MemberFactory, StoreFactory
from tests.intel.incidents import incident_imported

pytestmark = pytest.mark.django_db

BUSY = h3.latlng_to_cell(39.7478, -104.9994, 9)  # Larimer Square
BUSY_R7 = h3.cell_to_parent(BUSY, 7)
QUIET = h3.latlng_to_cell(39.6800, -104.9400, 9)


@pytest.fixture
def incidents():
    # four grab-and-runs in March, one armed robbery in January, at Larimer Square
    for number in range(4):
        incident_imported(cell=BUSY, scenario_id="grab_and_run", number=number)
    incident_imported(
        cell=BUSY,
        scenario_id="armed_robbery",
        number=0,
        occurred_from=datetime(2025, 1, 10, tzinfo=UTC),
    )
    # two member reports elsewhere: too few to show to anyone but analysts
    for number in range(2):
        incident_imported(
            cell=QUIET, scenario_id="grab_and_run", number=number, source="member_report"
        )


def detail(client, cell, **query):
    return client.get(f"/api/intel/cells/{cell}", query)


def test_the_public_sees_a_coarse_cell_with_small_scenarios_folded_together(client, incidents):
    answer = detail(client, BUSY_R7)
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 5
    # one armed robbery is too few to name: it is counted with the other scenarios
    assert body["by_scenario"] == {"grab_and_run": 4}
    assert body["other"] == 1
    assert [m["month"] for m in body["trend"]][-3:] == ["2025-01", "2025-02", "2025-03"]
    assert [m["count"] for m in body["trend"]][-3:] == [1, 0, 4]
    assert len(body["trend"]) == 12
    assert answer["Cache-Control"] == "public, max-age=300"


def test_the_public_never_gets_a_fine_cell_nor_one_under_three(client, incidents):
    fine = detail(client, BUSY)
    assert fine.status_code == 400
    assert fine.json()["detail"][0]["loc"] == ["query", "cell"]
    assert detail(client, h3.cell_to_parent(QUIET, 7)).status_code == 404
    # filtered down to the one armed robbery, the busy cell is too small too
    assert detail(client, BUSY_R7, scenario="armed_robbery").status_code == 404


def test_members_get_fine_cells_and_analysts_the_small_ones(client, incidents):
    client.force_login(MemberFactory().owner)
    body = detail(client, BUSY).json()
    assert body["count"] == 5
    assert detail(client, QUIET).status_code == 404
    client.force_login(AnalystFactory())
    assert detail(client, QUIET).json()["by_scenario"] == {"grab_and_run": 2}


def test_the_source_filter_counts_only_that_source(client, incidents):
    client.force_login(AnalystFactory())
    answer = client.get(
        "/api/intel/cells", {"bbox": "-105.2,39.6,-104.8,39.9", "res": 9, "source": "import"}
    )
    assert {f["properties"]["cell"] for f in answer.json()["features"]} == {BUSY}
    assert detail(client, QUIET, source="import").status_code == 404
    assert detail(client, QUIET, source="member_report").json()["count"] == 2


@pytest.mark.parametrize(
    ("cell", "query", "field"),
    [
        ("not-a-cell", {}, "cell"),
        ("8" * 200, {}, "cell"),
        (h3.cell_to_parent(BUSY, 3), {}, "cell"),  # coarser than the map goes
        (BUSY_R7, {"source": "rumour"}, "source"),
        (BUSY_R7, {"scenario": "bank_heist"}, "scenario"),
        (BUSY_R7, {"until": "tomorrow"}, "until"),
        (BUSY_R7, {"since": "2025-W10-1"}, "since"),
        (BUSY_R7, {"since": "2025-03-01", "until": "2025-02-01"}, "until"),
    ],
)
def test_bad_detail_queries_are_refused_naming_the_parameter(client, incidents, cell, query, field):
    answer = detail(client, cell, **query)
    assert answer.status_code == 400
    assert answer.json()["detail"][0]["loc"] == ["query", field]


def test_bad_source_and_dates_on_the_hexagons_name_the_parameter(client):
    for query, field in (
        ({"source": "'; DROP TABLE"}, "source"),
        ({"until": "2025-13-01"}, "until"),
        ({"since": "2025-05-01", "until": "2025-05-01"}, "until"),
    ):
        answer = client.get(
            "/api/intel/cells", {"bbox": "-105.2,39.6,-104.8,39.9", "res": 5, **query}
        )
        assert answer.status_code == 400
        assert answer.json()["detail"][0]["loc"] == ["query", field]


def own_stores(answer) -> list[dict[str, object]]:
    text = answer.content.decode()
    start = text.index('id="crime-map-stores"')
    start = text.index(">", start) + 1
    return json.loads(text[start : text.index("</script>", start)])


def test_the_page_offers_the_filters_and_no_store_to_the_public(client):
    StoreFactory()  # a member's store exists, but the public map never shows it
    answer = client.get("/map/")
    assert answer.status_code == 200
    page = answer.content.decode()
    for label in ("Scenario", "From", "Source", "low crime", "high crime"):
        assert label in page
    assert 'data-max-resolution="7"' in page
    assert own_stores(answer) == []


def test_a_member_sees_only_their_own_stores_on_the_map(client):
    mine = StoreFactory(name="Front Range Jewelers")
    StoreFactory(name="Someone Else's", postal_code="19103")
    client.force_login(mine.member.owner)
    answer = client.get("/map/")
    assert 'data-max-resolution="10"' in answer.content.decode()
    assert [store["name"] for store in own_stores(answer)] == ["Front Range Jewelers"]


def test_analysts_get_no_store_markers(client):
    StoreFactory()
    client.force_login(AnalystFactory())
    assert own_stores(client.get("/map/")) == []


def test_the_page_is_in_french_too(client):
    answer = client.get("/map/", headers={"Accept-Language": "fr-ca"})
    page = answer.content.decode()
    assert "criminalité faible" in page and "Tous les scénarios" in page
