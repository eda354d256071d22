"""Starting, answering and finishing an assessment; bad answers are refused and change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from jewelguard.accounts.models import Role
from jewelguard.assessment import selectors
from jewelguard.assessment.content import questionnaire_load
from jewelguard.assessment.models import Answer, Assessment, AssessmentStatus
from jewelguard.assessment.services import answer_put, assessment_finish, assessment_start
from jewelguard.core.errors import ServiceError
from jewelguard.intel.levels import LocalCrimeLevel
from jewelguard.intel.selectors import local_crime_level
from tests.assessment.test_content import copy_of_content, read, write
from tests.conftest import make_user


@pytest.fixture
def owner(member):
    return member.owner


@pytest.fixture
def assessment(store, owner) -> Assessment:
    return assessment_start(store=store, started_by=owner)


def put(assessment: Assessment, owner, question_id: str, value: Any, **extra: Any) -> Answer:
    return answer_put(
        assessment=assessment, question_id=question_id, value=value, answered_by=owner, **extra
    )


def snapshot(assessment: Assessment) -> list[tuple[str, Any, str]]:
    return list(
        Answer.objects.filter(assessment=assessment)
        .order_by("question_id")
        .values_list("question_id", "value", "justification")
    )


def test_a_member_starts_an_assessment_with_the_current_version(assessment, store, owner):
    assert assessment.store == store
    assert assessment.questionnaire_version == "v1"
    assert assessment.status == AssessmentStatus.IN_PROGRESS
    assert assessment.started_by == owner


def test_each_answer_is_saved_as_given_and_the_latest_replaces_the_last(assessment, owner):
    put(assessment, owner, "overnight_share", 40)
    put(assessment, owner, "safe_rating", "tl_15")
    put(assessment, owner, "overnight_share", 5)
    assert snapshot(assessment) == [("overnight_share", 5, ""), ("safe_rating", "tl_15", "")]


def test_an_alternative_in_place_keeps_its_justification(assessment, owner):
    put(
        assessment,
        owner,
        "entry_buzzer",
        "alternative",
        justification="  A staffed vestibule with two doors.  ",
    )
    assert snapshot(assessment) == [
        ("entry_buzzer", "alternative", "A staffed vestibule with two doors.")
    ]
    result = selectors.assessment_result(assessment=assessment)
    assert "entry_buzzer" in result.score("grab_and_run").controls_in_place


def test_the_result_changes_as_answers_come_in(assessment, owner):
    first = selectors.assessment_result(assessment=assessment)
    assert first.answered == 0 and first.applicable > 20
    assert first.recommendations == ()
    put(assessment, owner, "store_setting", "street")
    put(assessment, owner, "overnight_share", 40)
    put(assessment, owner, "safe_rating", "none")
    result = selectors.assessment_result(assessment=assessment)
    assert result.scores[0].scenario_id == "three_minute_burglary"
    assert result.recommendations[0].control_id == "all_in_safe_nightly"
    assert result.answered == 3
    safe = {p.section_id: p for p in result.progress}["safe"]
    # no safe: the placement and sensor questions no longer apply
    assert (safe.answered, safe.applicable) == (2, 2)
    put(assessment, owner, "overnight_share", 0)
    later = selectors.assessment_result(assessment=assessment)
    assert later.scores[0].scenario_id != "three_minute_burglary"
    assert "all_in_safe_nightly" not in [r.control_id for r in later.recommendations]


def test_the_result_uses_the_stores_opening_hours(assessment, store):
    # the store fixture opens 10:00 to 18:00, six days: 48 hours
    assert selectors.store_weekly_open_hours(store=store) == 48
    result = selectors.assessment_result(assessment=assessment)
    assert "the store is open 48 hours a week" in result.score("grab_and_run").why_likelihood


def test_intel_does_not_know_the_local_crime_level_yet_and_the_result_says_so(store, assessment):
    assert local_crime_level(store=store) == LocalCrimeLevel.unknown()
    result = selectors.assessment_result(assessment=assessment)
    assert not result.crime_level_known
    assert all("not known yet" in s.why for s in result.scores)


@pytest.mark.parametrize(
    ("question_id", "value", "extra", "field"),
    [
        ("safe_rating", "tl_99", {}, "value"),
        ("safe_rating", "TRTL-30x6", {}, "value"),
        ("entry_buzzer", "maybe", {}, "value"),
        ("entry_buzzer", True, {}, "value"),
        ("entry_buzzer", None, {}, "value"),
        ("entry_buzzer", ["yes"], {}, "value"),
        ("overnight_share", "40", {}, "value"),
        ("overnight_share", True, {}, "value"),
        ("overnight_share", {"value": 40}, {}, "value"),
        ("overnight_share", -1, {}, "value"),
        ("overnight_share", 101, {}, "value"),
        ("overnight_share", 10**400, {}, "value"),
        ("overnight_share", 12.5, {}, "value"),
        ("overnight_share", float("nan"), {}, "value"),
        ("overnight_share", float("inf"), {}, "value"),
        ("no_such_question", "yes", {}, "question_id"),
        ("x" * 100_000, "yes", {}, "question_id"),
        ("entry_buzzer", "yes", {"questionnaire_version": "v2"}, "questionnaire_version"),
        ("entry_buzzer", "alternative", {}, "justification"),
        ("entry_buzzer", "alternative", {"justification": "   "}, "justification"),
        ("entry_buzzer", "yes", {"justification": "x" * 2001}, "justification"),
        ("entry_buzzer", "yes", {"justification": "a\x00b"}, "justification"),
        ("entry_buzzer", "yes", {"justification": None}, "justification"),
        ("safe_rating", "trtl_30x6" * 100_000, {}, "value"),
        # travel questions do not apply to a store that never travels
        ("trade_shows", 4, {}, "question_id"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field_and_changes_nothing(
    assessment, owner, question_id, value, extra, field
):
    put(assessment, owner, "overnight_share", 20)
    put(assessment, owner, "travels", "no")
    before = snapshot(assessment)
    updated = Assessment.objects.get(pk=assessment.pk).updated_at
    with pytest.raises(ServiceError) as error:
        put(assessment, owner, question_id, value, **extra)
    assert error.value.field == field
    assert error.value.message
    assert snapshot(assessment) == before
    assert Assessment.objects.get(pk=assessment.pk).updated_at == updated


def test_the_errors_are_in_french_for_a_french_speaking_member(assessment, owner):
    with translation.override("fr-ca"), pytest.raises(ServiceError) as error:
        put(assessment, owner, "overnight_share", 101)
    assert error.value.message == "Le nombre doit être compris entre 0 et 100."


def test_a_finished_assessment_takes_no_more_answers(assessment, owner):
    put(assessment, owner, "entry_buzzer", "yes")
    finished = assessment_finish(assessment=assessment, finished_by=owner)
    assert finished.status == AssessmentStatus.FINISHED
    assert finished.finished_by == owner and finished.finished_at is not None
    before = snapshot(assessment)
    with pytest.raises(ServiceError) as error:
        put(assessment, owner, "entry_buzzer", "no")
    assert error.value.field == "assessment"
    assert snapshot(assessment) == before
    with pytest.raises(ServiceError):
        assessment_finish(assessment=assessment, finished_by=owner)


def test_an_empty_assessment_cannot_be_finished(assessment, owner):
    with pytest.raises(ServiceError) as error:
        assessment_finish(assessment=assessment, finished_by=owner)
    assert error.value.field == "assessment"
    assert Assessment.objects.get(pk=assessment.pk).status == AssessmentStatus.IN_PROGRESS


def test_another_member_can_neither_start_nor_answer_nor_finish(assessment, store, other_member):
    stranger = other_member.owner
    analyst = make_user("ivy@association.example", role=Role.ANALYST)
    for user in (stranger, analyst):
        with pytest.raises(ServiceError):
            assessment_start(store=store, started_by=user)
        with pytest.raises(ServiceError):
            put(assessment, user, "entry_buzzer", "yes")
        with pytest.raises(ServiceError):
            assessment_finish(assessment=assessment, finished_by=user)
    assert Assessment.objects.filter(store=store).count() == 1
    assert snapshot(assessment) == []


def test_an_assessment_keeps_its_version_when_a_new_one_is_published(
    assessment, store, owner, tmp_path, monkeypatch
):
    # given an assessment taken with v1
    put(assessment, owner, "overnight_share", 40)
    put(assessment, owner, "safe_rating", "tl_15")
    before = selectors.assessment_result(assessment=assessment)
    # when v2 is published with other anchors and becomes the current version
    directory = copy_of_content(tmp_path)
    data = read(directory / "v1.yaml")
    data["version"] = "v2"
    for anchor in data["scenarios"]:
        anchor["impact"] = 10
    write(directory / "v2.yaml", data)
    versions = {v: questionnaire_load(version=v, directory=directory) for v in ("v1", "v2")}
    monkeypatch.setattr(selectors, "questionnaire", lambda version: versions[version])
    monkeypatch.setattr("jewelguard.assessment.services.CURRENT_VERSION", "v2")
    newer = assessment_start(store=store, started_by=owner)
    # then the old assessment's result is unchanged, and the new one is taken with v2
    assert selectors.assessment_result(assessment=assessment) == before
    assert newer.questionnaire_version == "v2"
    with pytest.raises(ServiceError) as error:
        put(assessment, owner, "entry_buzzer", "yes", questionnaire_version="v2")
    assert error.value.field == "questionnaire_version"


def test_answers_that_no_longer_apply_stop_counting(assessment, owner):
    # given a store whose goods travel to a dozen shows a year, driven by the owner
    put(assessment, owner, "travels", "yes")
    put(assessment, owner, "trade_shows", 12)
    put(assessment, owner, "transport", "own_vehicle")
    travelling = selectors.assessment_result(assessment=assessment)
    assert "travel_protocols" in [r.control_id for r in travelling.recommendations]
    # when the jeweler corrects the first answer: goods never leave the store
    put(assessment, owner, "travels", "no")
    # then the travel answers are kept but count no more, in the score or in the progress
    result = selectors.assessment_result(assessment=assessment)
    assert len(snapshot(assessment)) == 3
    assert "travel_protocols" not in [r.control_id for r in result.recommendations]
    assert result.score("off_premises").risk < travelling.score("off_premises").risk / 10
    travel = {p.section_id: p for p in result.progress}["travel"]
    assert (travel.answered, travel.applicable) == (1, 1)


def test_a_store_without_opening_hours_is_scored_on_a_typical_week(assessment, store):
    store.hours.all().delete()
    assert selectors.store_weekly_open_hours(store=store) is None
    result = selectors.assessment_result(assessment=assessment)
    assert "hours a week" not in result.score("grab_and_run").why_likelihood
