"""The analysts' portfolio: stores by risk, the most common gaps, CSV; only the association's."""

from __future__ import annotations

import csv
import io

import pytest

from jewelguard.assessment.portfolio import portfolio_build
from tests.assessment.conftest import typical_store
from tests.assessment.report_helpers import assessment_taken
from tests.conftest import client_for
from tests.factories import (
    AdminFactory,
    AnalystFactory,
    AnalystGrantFactory,
    MemberFactory,
    OfficerFactory,
    StaffUserFactory,
    StoreFactory,
)


@pytest.fixture
def shared(store, other_store):
    """An analyst both members share with; the other store is the less protected."""
    analyst = AnalystFactory(email="kim@association.example")
    AnalystGrantFactory(analyst=analyst, member=store.member)
    AnalystGrantFactory(analyst=analyst, member=other_store.member)
    assessment_taken(store, days_ago=40)
    assessment_taken(store)  # the latest counts, once
    answers = {k: v for k, v in typical_store().items() if k != "footage_days"}
    answers |= {"entry_buzzer": "no", "eye_level_cameras": "no"}
    assessment_taken(other_store, answers)
    # a store not shared with this analyst
    unshared = StoreFactory(member=MemberFactory(name="Unshared Gems"), name="Unshared Gems")
    assessment_taken(unshared)
    return analyst


def test_analyst_sees_shared_stores_by_risk_and_the_common_gaps(shared, store, other_store):
    built = portfolio_build(user=shared)
    # the two shared stores, each once, the less protected first
    assert [row.store_id for row in built.stores] == [other_store.pk, store.pk]
    assert built.stores[0].highest_risk >= built.stores[1].highest_risk
    assert built.stores[0].gaps == built.stores[1].gaps + 2
    # gaps both stores have count twice, the buzzer once
    gaps = {gap.control_id: gap for gap in built.gaps}
    assert gaps["uniformed_guard"].stores == 2
    assert gaps["uniformed_guard"].percent == 100
    assert gaps["entry_buzzer"].stores == 1
    assert gaps["entry_buzzer"].percent == 50
    assert built.gaps[0].stores == 2
    body = client_for(shared).get("/assessment/portfolio/").content.decode()
    assert "Rittenhouse Fine Jewelry" in body
    assert "Unshared Gems" not in body


def test_each_table_downloads_as_csv(shared, store, other_store):
    client = client_for(shared)
    stores = client.get("/assessment/portfolio/stores.csv")
    assert stores.status_code == 200
    assert stores["Content-Type"].startswith("text/csv")
    assert "attachment" in stores["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(stores.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Store"
    assert [r[0] for r in rows[1:]] == [other_store.name, store.name]
    gaps = list(
        csv.reader(
            io.StringIO(client.get("/assessment/portfolio/gaps.csv").content.decode("utf-8-sig"))
        )
    )
    assert gaps[0] == ["Control", "Stores", "Share of stores (%)"]
    assert len(gaps) > 2
    findings = client.get("/assessment/portfolio/findings.csv")
    assert findings.status_code == 200
    assert client.get("/assessment/portfolio/members.csv").status_code == 404


def test_csv_cells_never_run_as_formulas(store):
    analyst = AnalystFactory()
    AnalystGrantFactory(analyst=analyst, member=store.member)
    store.name = '=HYPERLINK("http://evil.example","click")'
    store.save(update_fields=["name"])
    assessment_taken(store)
    text = client_for(analyst).get("/assessment/portfolio/stores.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0].startswith("'=")


def test_an_analyst_without_grants_has_an_empty_portfolio(store):
    assessment_taken(store)
    page = client_for(AnalystFactory()).get("/assessment/portfolio/")
    assert page.status_code == 200
    assert "No finished assessment is shared with you yet." in page.content.decode()
    assert "Front Range" not in page.content.decode()


def test_an_administrator_sees_every_store(store, other_store):
    assessment_taken(store)
    assessment_taken(other_store)
    assert len(portfolio_build(user=AdminFactory()).stores) == 2


def test_nobody_outside_the_association_has_a_portfolio(store, member, other_member):
    assessment_taken(store)
    staff = StaffUserFactory()
    for user in (member.owner, other_member.owner, staff, OfficerFactory()):
        client = client_for(user)
        assert client.get("/assessment/portfolio/").status_code == 404, user.role
        assert client.get("/assessment/portfolio/stores.csv").status_code == 404, user.role
        assert portfolio_build(user=user).stores == ()


def test_the_assessment_list_leads_analysts_to_the_portfolio_and_members_to_sharing(member):
    analyst_page = client_for(AnalystFactory()).get("/assessment/").content.decode()
    assert 'href="/assessment/portfolio/"' in analyst_page
    member_page = client_for(member.owner).get("/assessment/").content.decode()
    assert 'href="/assessment/sharing/"' in member_page
    assert 'href="/assessment/portfolio/"' not in member_page
