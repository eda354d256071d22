"""The statistics page: every figure counted from the incidents, with the small-counts rule."""

from __future__ import annotations

import csv
import io
import random
from collections import Counter
from datetime import UTC, datetime

import pytest

from jewelguard.intel.models import Incident
from tests.factories import AnalystFactory, MemberFactory
from tests.intel.dated_incidents import incident_at

pytestmark = pytest.mark.django_db

DENVER = (39.7478, -104.9994)
PHILADELPHIA = (39.9526, -75.1652)
SEATTLE = (47.6062, -122.3321)
SCENARIOS = ("smash_and_grab", "armed_robbery", "grab_and_run", "three_minute_burglary")


@pytest.fixture
def incidents() -> list[Incident]:
    """120 counted incidents in Denver and Philadelphia, 2018 to 2020, two in Seattle, and four
    that never count (private, submitted, rejected)."""
    rng = random.Random(7)
    made = []
    for number in range(120):
        when = datetime(
            rng.choice((2018, 2019, 2020)), rng.randint(1, 12), rng.randint(1, 28), 12, tzinfo=UTC
        )
        place = DENVER if number % 3 else PHILADELPHIA
        made.append(
            incident_at(
                place,
                when,
                scenario_id=SCENARIOS[number % 4],
                lost_cents=rng.randint(0, 5_000_000),
                number=number,
            )
        )
    for number in (200, 201):
        made.append(incident_at(SEATTLE, datetime(2019, 5, 5, tzinfo=UTC), number=number))
    incident_at(DENVER, datetime(2019, 1, 2, tzinfo=UTC), number=300, visibility="private")
    incident_at(DENVER, datetime(2019, 1, 2, tzinfo=UTC), number=301, verification="submitted")
    incident_at(
        DENVER,
        datetime(2019, 1, 2, tzinfo=UTC),
        number=302,
        verification="rejected",
        rejection_reason="duplicate",
    )
    incident_at(DENVER, datetime(2019, 1, 2, tzinfo=UTC), number=303, visibility="members")
    return [*made, Incident.objects.get(source_id="303")]


def csv_rows(client, table: str, **query) -> list[dict[str, str]]:
    answer = client.get(f"/stats/{table}.csv", query)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(answer.content.decode())))


def test_incidents_are_placed_in_their_state_and_city(incidents):
    denver = Incident.objects.get(source_id="1")
    assert (denver.region, denver.city) == ("CO", "Denver")
    assert Incident.objects.get(source_id="0").region == "PA"


def test_yearly_figures_equal_an_independent_count(client, incidents):
    # given the counted incidents (verified, not private)
    by_year = Counter(i.occurred_from.year for i in incidents)
    lost = Counter()
    for i in incidents:
        lost[i.occurred_from.year] += i.property_lost_cents
    # when the public downloads the yearly table
    rows = csv_rows(client, "years")
    # then each year's count and losses are those counted here
    assert [r["year"] for r in rows] == ["2018", "2019", "2020"]
    assert {int(r["year"]): int(r["incidents"]) for r in rows} == dict(by_year)
    assert {int(r["year"]): round(float(r["losses_usd"]) * 100) for r in rows} == dict(lost)
    # and the page shows the total
    page = client.get("/stats/").content.decode()
    assert f"{len(incidents)} incidents" in page
    assert page.count('<svg class="chart"') == 4


def test_months_quarters_and_scenarios_add_up(client, incidents):
    months = csv_rows(client, "months")
    assert len(months) == 36  # every month from the first to the last, empty ones included
    by_month = Counter(f"{i.occurred_from:%Y-%m}" for i in incidents)
    for row in months:
        expected = by_month[row["month"]]
        assert row["incidents"] == ("<3" if 0 < expected < 3 else str(expected))
    quarters = csv_rows(client, "quarters")
    by_quarter = Counter(
        f"{i.occurred_from.year}-Q{(i.occurred_from.month - 1) // 3 + 1}" for i in incidents
    )
    assert {r["quarter"]: int(r["incidents"]) for r in quarters if r["incidents"] != "<3"} == {
        q: n for q, n in by_quarter.items() if n >= 3
    }
    scenarios = csv_rows(client, "scenarios")
    by_scenario = Counter(i.scenario_id for i in incidents)
    assert {r["scenario"]: int(r["incidents"]) for r in scenarios} == dict(by_scenario)
    share = {r["scenario"]: float(r["share_percent"]) for r in scenarios}
    assert share["armed_robbery"] == round(100 * by_scenario["armed_robbery"] / len(incidents), 1)


def test_small_regions_are_folded_for_the_public_and_shown_to_analysts(client, incidents):
    # Seattle has two incidents: too few to show on its own
    regions = {r["region"]: r["incidents"] for r in csv_rows(client, "regions")}
    assert regions == {"CO": "81", "PA": "40", "other": "<3"}
    assert "WA" not in client.get("/stats/").content.decode()
    client.force_login(AnalystFactory())
    regions = {r["region"]: r["incidents"] for r in csv_rows(client, "regions")}
    assert regions == {"CO": "81", "PA": "40", "WA": "2"}


def test_a_filter_matching_fewer_than_three_shows_nothing_to_the_public(client, incidents):
    page = client.get("/stats/", {"region": "WA"}).content.decode()
    assert "Fewer than 3 incidents match these filters" in page
    assert '<svg class="chart"' not in page
    assert csv_rows(client, "years", region="WA") == []
    # the city filter finds the same two for an analyst
    client.force_login(AnalystFactory())
    assert csv_rows(client, "years", city="seattle") == [
        {"year": "2019", "incidents": "2", "losses_usd": "0.00"}
    ]


def test_filters_by_region_area_scenario_and_dates(client, incidents):
    denver = [i for i in incidents if i.region == "CO"]
    rows = csv_rows(client, "years", region="co")
    assert sum(int(r["incidents"]) for r in rows) == len(denver)
    # a box around Philadelphia
    rows = csv_rows(client, "scenarios", bbox="-75.3,39.8,-75.0,40.1")
    assert sum(int(r["incidents"]) for r in rows) == sum(i.region == "PA" for i in incidents)
    rows = csv_rows(client, "years", scenario="armed_robbery")
    assert sum(int(r["incidents"]) for r in rows) == sum(
        i.scenario_id == "armed_robbery" for i in incidents
    )
    rows = csv_rows(client, "months", since="2019-03-01", until="2019-03-31")
    march = sum(f"{i.occurred_from:%Y-%m}" == "2019-03" for i in incidents)
    assert rows == [
        {"month": "2019-03", "incidents": str(march), "losses_usd": rows[0]["losses_usd"]}
    ]


def test_change_since_a_baseline_year(client, incidents):
    by_year = Counter(i.occurred_from.year for i in incidents)
    change = round(100 * (by_year[2020] - by_year[2018]) / by_year[2018])
    page = client.get("/stats/", {"year": "2020", "baseline": "2018"}).content.decode()
    word = "up" if change > 0 else "down"
    assert (
        f"Incidents in the whole year of 2020: {by_year[2020]}, {word} {abs(change)}% against "
        f"the whole year of 2018 ({by_year[2018]})." in page
    )


def test_first_half_against_first_half(client, incidents):
    def first_half(year: int) -> int:
        return sum(i.occurred_from.year == year and i.occurred_from.month <= 6 for i in incidents)

    now, then = first_half(2019), first_half(2018)
    change = round(100 * (now - then) / then)
    page = client.get("/stats/", {"year": "2019", "baseline": "2018", "period": "h1"})
    word = "up" if change > 0 else "down"
    assert (
        f"Incidents in the first half of 2019: {now}, {word} {abs(change)}% against the first "
        f"half of 2018 ({then})." in page.content.decode()
    )


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"since": "2019-02-30"}, "since", "Give dates as YYYY-MM-DD"),
        ({"since": "yesterday"}, "since", "Give dates as YYYY-MM-DD"),
        ({"since": "0001-01-01"}, "since", "Choose a date from 1970-01-01 to today."),
        ({"until": "9999-12-31"}, "until", "Choose a date from 1970-01-01 to today."),
        ({"since": "2020-01-01", "until": "2019-01-01"}, "until", "The end date is before"),
        ({"scenario": "moon_heist"}, "scenario", "Choose one of the crime scenarios."),
        ({"bbox": "1,2,3"}, "bbox", "west,south,east,north"),
        ({"bbox": "nan,1,2,3"}, "bbox", "west,south,east,north"),
        ({"region": "Colorado"}, "region", "two letters"),
        ({"year": "20199"}, "year", "four digits"),
        ({"baseline": "1066"}, "baseline", "Choose a year from 1970"),
        ({"period": "h3"}, "period", "Choose one of the periods"),
        ({"city": "x" * 5000}, "city", "too long"),
        ({"city": "Den\x00ver"}, "city", "at most 100 characters"),
    ],
)
def test_bad_filters_get_a_clear_error_naming_the_field(client, incidents, query, field, message):
    page = client.get("/stats/", query)
    assert page.status_code == 400
    html = page.content.decode()
    assert f"<strong>{field}</strong>" in html
    assert message in html.replace("&#x27;", "'")
    assert '<svg class="chart"' not in html
    answer = client.get("/stats/years.csv", query)
    assert answer.status_code == 400
    assert answer.content.decode().startswith(f"{field}: ")


def test_an_unknown_table_is_refused(client, incidents):
    assert client.get("/stats/passwords.csv").status_code == 400


def test_the_page_labels_the_figures_as_the_platforms_and_links_the_jsa_figures(client, db):
    page = client.get("/stats/").content.decode().replace("&#x27;", "'")
    assert "These figures are JewelGuard's own" in page
    assert "from the Jewelers' Security Alliance (JSA)" in page
    assert 'href="/playbook/statistics/"' in page


def test_a_member_sees_the_same_aggregates_as_the_public(client, incidents):
    public = csv_rows(client, "regions")
    client.force_login(MemberFactory().owner)
    assert csv_rows(client, "regions") == public


def test_the_page_speaks_french(client, incidents):
    client.cookies["django_language"] = "fr-ca"
    page = client.get("/stats/", {"year": "2020", "baseline": "2018"}).content.decode()
    assert "<h1>Statistiques criminelles</h1>" in page
    assert "Incidents pendant l\u2019année entière de 2020" in page
    assert "Autres régions" in page
    assert "Télécharger « Par année » (CSV)" in page
    page = client.get("/stats/", {"since": "hier"})
    assert "Donnez les dates sous la forme AAAA-MM-JJ" in page.content.decode()


def test_the_page_is_readable_by_a_screen_reader(client, incidents):
    from tests.core.test_accessibility import check

    check(client.get("/stats/").content.decode())
    check(client.get("/stats/", {"until": "soon"}).content.decode())


def test_dates_within_a_month_are_counted_to_the_day(client, incidents):
    rows = csv_rows(client, "months", since="2019-03-15", until="2019-04-10")
    expected = Counter(
        f"{i.occurred_from:%Y-%m}"
        for i in incidents
        if datetime(2019, 3, 15, tzinfo=UTC) <= i.occurred_from < datetime(2019, 4, 11, tzinfo=UTC)
    )
    assert {r["month"]: r["incidents"] for r in rows} == {
        m: ("<3" if n < 3 else str(n)) for m, n in expected.items()
    }


def test_figures_follow_an_incident_as_it_is_verified_or_made_private(client, incidents):
    from jewelguard.intel.services import incident_verify, incident_visibility_set

    analyst = AnalystFactory()
    before = sum(int(r["incidents"]) for r in csv_rows(client, "scenarios"))
    # when an analyst verifies the submitted incident
    incident_verify(incident=Incident.objects.get(source_id="301"), analyst=analyst)
    # then it counts at once
    assert sum(int(r["incidents"]) for r in csv_rows(client, "scenarios")) == before + 1
    # and once it is made private, it no longer does
    incident_visibility_set(
        incident=Incident.objects.get(source_id="301"), visibility="private", actor=analyst
    )
    assert sum(int(r["incidents"]) for r in csv_rows(client, "scenarios")) == before


def test_the_playbook_labels_its_figures_as_the_jsas_and_links_the_platforms(client, db):
    page = client.get("/playbook/statistics/").content.decode().replace("&#x27;", "'")
    assert "the figures the Jewelers' Security Alliance (JSA) publishes" in page
    assert "JewelGuard's own counts" in page
