"""Membership and the public counts of pledged stores."""

from __future__ import annotations

from jewelguard.pledge import selectors, services
from tests.factories import PledgeFactory, StoreFactory


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
