"""Peers: a store among stores of its kind, anonymous, and only with at least five peers."""

from __future__ import annotations

import pytest

from jewelguard.assessment.peers import MIN_PEERS, PeerRefusal, PeerView, peer_view
from tests.assessment.conftest import typical_store
from tests.assessment.report_helpers import assessment_taken
from tests.factories import MemberFactory, StoreFactory


def peer_stores(count: int, answers: dict[str, object] | None = None) -> list:
    stores = []
    for index in range(count):
        member = MemberFactory(name=f"Peer Jewelers {index}")
        store = StoreFactory(member=member, name=f"Peer Store Number {index}")
        assessment_taken(store, answers)
        stores.append(store)
    return stores


def in_a_mall() -> dict[str, object]:
    answers = {**typical_store(), "store_setting": "mall"}
    del answers["bollards"]  # asked only of strip and street stores
    return answers


@pytest.fixture
def mine(store):
    return assessment_taken(store)


def test_four_peers_give_nothing(member_client, mine):
    # given four other strip-center stores of the same stock band
    peer_stores(MIN_PEERS - 1)
    # and stores of another kind, which do not count
    peer_stores(2, in_a_mall())
    peer_stores(1, {**typical_store(), "stock_value": "over_5m"})
    view = peer_view(assessment=mine, language="en")
    assert view == PeerRefusal(kind_known=True, peer_count=4)
    body = member_client.get(f"/assessment/{mine.pk}/peers/").content.decode()
    assert "Too few similar stores" in body
    assert "Median" not in body


def test_five_peers_place_the_store_among_them_anonymously(member_client, mine):
    # given five peers, one of which is better protected than the others
    peer_stores(4)
    peer_stores(1, {**typical_store(), "uniformed_guard": "yes", "showcase_glassbreak": "yes"})
    view = peer_view(assessment=mine, language="en")
    assert isinstance(view, PeerView)
    assert view.peer_count == 5
    assert view.kind == ("In a strip center", "$250,000 to $1 million")
    smash = next(s for s in view.scenarios if s.scenario_id == "smash_and_grab")
    # four peers answer as this store does, one is safer: the median is this store's risk
    assert smash.median == smash.risk
    assert smash.lower_quartile <= smash.median <= smash.upper_quartile
    assert smash.peers_higher_percent == 0
    body = member_client.get(f"/assessment/{mine.pk}/peers/").content.decode()
    assert "5 other stores" in body
    # and nothing names a peer
    assert "Peer Store Number" not in body
    assert "Peer Jewelers" not in body


def test_only_each_peers_latest_finished_assessment_counts(mine):
    stores = peer_stores(4)
    # a fifth store's old assessment was of the same kind, its latest of another
    fifth = StoreFactory(member=MemberFactory(name="Moved Jewelers"), name="Moved")
    assessment_taken(fifth, days_ago=100)
    assessment_taken(fifth, in_a_mall())
    # and a second finished assessment of a peer does not make it two peers
    assessment_taken(stores[0])
    assert peer_view(assessment=mine, language="en") == PeerRefusal(kind_known=True, peer_count=4)


def test_without_the_kind_answers_there_is_no_comparison(member_client, store):
    draft = assessment_taken(store, {"entry_buzzer": "yes"}, finish=False)
    peer_stores(MIN_PEERS)
    assert peer_view(assessment=draft, language="en") == PeerRefusal(kind_known=False, peer_count=0)
    body = member_client.get(f"/assessment/{draft.pk}/peers/").content.decode()
    assert "Answer where the store is" in body
