"""Progress: a re-assessment shows the change per scenario and the controls added; history."""

from __future__ import annotations

import re

from jewelguard.assessment.progress import assessment_progress, store_history
from tests.assessment.conftest import typical_store
from tests.assessment.report_helpers import assessment_taken


def improved() -> dict[str, object]:
    """The typical store after it added a glass-break alarm and a uniformed guard."""
    return {**typical_store(), "showcase_glassbreak": "yes", "uniformed_guard": "yes"}


def test_a_first_assessment_has_no_progress_yet(member_client, store):
    first = assessment_taken(store)
    assert assessment_progress(assessment=first) is None
    page = member_client.get(f"/assessment/{first.pk}/progress/")
    assert page.status_code == 200
    assert "first assessment" in page.content.decode()


def test_a_reassessment_shows_lower_risk_and_the_controls_added(member_client, store):
    # given a finished assessment a month ago, and a new one with two more controls
    before = assessment_taken(store, days_ago=30)
    after = assessment_taken(store, improved())
    # when the member opens the progress of the new one
    comparison = assessment_progress(assessment=after)
    # then smash-and-grab risk fell, and nothing rose
    assert comparison is not None
    assert comparison.previous_id == before.pk
    changes = {c.scenario_id: c for c in comparison.changes}
    assert changes["smash_and_grab"].change < 0
    assert changes["armed_robbery"].change < 0
    assert all(c.change <= 0 for c in comparison.changes)
    assert changes["smash_and_grab"].risk_now < changes["smash_and_grab"].risk_before
    assert comparison.average_now < comparison.average_before
    # and the two controls are listed as added, none as lost
    assert len(comparison.controls_added) == 2
    assert comparison.controls_lost == ()
    body = member_client.get(f"/assessment/{after.pk}/progress/").content.decode()
    for name in comparison.controls_added:
        assert name in body
    assert "Controls no longer in place" not in body


def test_a_control_taken_away_shows_as_lost(store):
    assessment_taken(store, improved(), days_ago=10)
    later = assessment_taken(store)
    comparison = assessment_progress(assessment=later)
    assert comparison is not None
    assert len(comparison.controls_lost) == 2
    assert comparison.controls_added == ()


def test_an_assessment_in_progress_compares_with_the_last_finished_one(store, other_store):
    earlier = assessment_taken(store, days_ago=5)
    assessment_taken(other_store, days_ago=2)  # another store's never counts
    draft = assessment_taken(store, improved(), finish=False)
    comparison = assessment_progress(assessment=draft)
    assert comparison is not None
    assert comparison.previous_id == earlier.pk


def test_history_lists_finished_assessments_oldest_first_with_a_chart(member_client, store):
    oldest = assessment_taken(store, days_ago=60)
    middle = assessment_taken(store, improved(), days_ago=30)
    assessment_taken(store, finish=False)  # not finished: not in the history
    history = store_history(store=store)
    assert [row.assessment_id for row in history.rows] == [oldest.pk, middle.pk]
    assert history.rows[1].average < history.rows[0].average
    assert history.rows[1].controls_in_place == history.rows[0].controls_in_place + 2
    body = member_client.get(f"/assessment/stores/{store.pk}/history/").content.decode()
    assert len(re.findall(r"<circle ", body)) == 2
    assert "<polyline" in body
    # the line falls: the second point is lower on the chart (larger y)
    ys = [float(y) for y in re.findall(r'<circle cx="[0-9.]+" cy="([0-9.]+)"', body)]
    assert ys[1] > ys[0]


def test_history_of_a_store_without_finished_assessments_says_so(member_client, store):
    body = member_client.get(f"/assessment/stores/{store.pk}/history/").content.decode()
    assert "No finished assessment of this store yet." in body
