"""Membership and the public counts of pledged stores."""

from __future__ import annotations

from jewelguard.pledge import selectors, services
from tests.conftest import make_store
from tests.factories import PledgeFactory, StoreFactory
from tests.pledge.conftest import take_pledge


def test_counts_by_region_include_only_stores_of_members_in_good_standing(
    member, store, other_member, other_store
):
    # given a member with two Colorado stores that pledged, and one in Pennsylvania
    StoreFactory(member=member, name="Boulder Branch", postal_code="80302")
    PledgeFactory(member=member)
    PledgeFactory(member=other_member)
    # when the Pennsylvania member withdraws
    services.pledge_withdraw(member=other_member)
    counts = selectors.pledged_store_counts()
    # then only Colorado is counted, with two stores, from one member
    assert [(r.country, r.region, r.name, r.stores) for r in counts.regions] == [
        ("US", "CO", "Colorado", 2)
    ]
    assert counts.stores == 2 and counts.members == 1


def test_no_pledge_means_no_counts(member, store):
    counts = selectors.pledged_store_counts()
    assert counts.regions == [] and counts.stores == 0 and counts.members == 0


def test_the_chart_draws_the_region_with_most_stores_longest(member, store, other_member):
    # given four pledged Colorado stores and one in Pennsylvania
    for name in ("Boulder", "Aurora", "Golden"):
        make_store(member, name=name, postal_code="80302")
    make_store(other_member, name="Rittenhouse", postal_code="19103")
    take_pledge(member)
    take_pledge(other_member)
    # when the chart is laid out
    chart = selectors.pledged_store_chart(counts=selectors.pledged_store_counts())
    # then Colorado comes first at full length, Pennsylvania below at a quarter of it
    assert [(b.region.region, b.y, b.width) for b in chart.bars] == [
        ("CO", 0, selectors.CHART_BAR),
        ("PA", selectors.CHART_ROW, round(selectors.CHART_BAR / 4)),
    ]
    assert chart.height == 2 * selectors.CHART_ROW
    assert chart.width > chart.label + chart.bar


def test_an_empty_chart_keeps_one_row_of_height(db):
    chart = selectors.pledged_store_chart(counts=selectors.pledged_store_counts())
    assert chart.bars == [] and chart.height == selectors.CHART_ROW
