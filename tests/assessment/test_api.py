"""The assessment API: a whole assessment over HTTP, bad answers refused with nothing written,
and nobody but the member's people and the granted analyst getting anything."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from django.test import Client

from jewelguard.accounts import services as account_services
from jewelguard.accounts.models import StaffRight, User
from jewelguard.assessment.models import Answer, Assessment, AssessmentStatus
from jewelguard.assessment.services import answer_put, assessment_finish, assessment_start
from tests.factories import AnalystFactory, AnalystGrantFactory, OfficerFactory, StaffUserFactory


def token_of(user: User) -> str:
    _api_token, token = account_services.api_token_create(user=user, name="Integration")
    return token


def call(user: User, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {token_of(user)}"}
    client = Client()
    send = getattr(client, method)
    if body is None:
        return send(f"/api/assessment{path}", headers=headers)
    return send(f"/api/assessment{path}", body, content_type="application/json", headers=headers)


@pytest.fixture
def assessment(store) -> Assessment:
    return assessment_start(store=store, started_by=store.member.owner)


def saved(assessment: Assessment) -> list[tuple[str, Any]]:
    return sorted(Answer.objects.filter(assessment=assessment).values_list("question_id", "value"))


def answer_for(question: dict[str, Any]) -> Any:
    """What a cautious jeweler answers: the first listed answer, or the smallest number."""
    if question["kind"] == "number":
        return int(question["minimum"])
    return question["choices"][0]["value"]


@pytest.mark.django_db(transaction=True)
def test_a_client_runs_a_whole_assessment_over_http(live_server, store):
    # given the member's API token, and nothing but HTTP
    headers = {"Authorization": f"Bearer {token_of(store.member.owner)}"}
    with httpx.Client(base_url=f"{live_server.url}/api/assessment", headers=headers) as api:
        # when it starts an assessment of its store
        started = api.post("/assessments", json={"store_id": store.pk})
        assert started.status_code == 201, started.text
        assessment_id = started.json()["id"]
        assert started.json()["questionnaire_version"] == "v1"
        # and answers every question that applies, asking again as answers open new ones
        answered: set[str] = set()
        for _round in range(10):
            questions = api.get(f"/assessments/{assessment_id}/questions").json()["questions"]
            todo = [q for q in questions if q["id"] not in answered]
            if not todo:
                break
            body = {
                "questionnaire_version": "v1",
                "answers": [{"question_id": q["id"], "value": answer_for(q)} for q in todo],
            }
            put = api.put(f"/assessments/{assessment_id}/answers", json=body)
            assert put.status_code == 200, put.text
            answered.update(q["id"] for q in todo)
        result = api.get(f"/assessments/{assessment_id}/result").json()
        finished = api.post(f"/assessments/{assessment_id}/finish")
    # then every applicable question is answered, scores explain themselves, advice is there
    assert result["answered"] == result["applicable"] == len(answered) > 20
    assert len(result["scores"]) == 10
    assert all(score["why"].endswith(".") for score in result["scores"])
    assert result["recommendations"], "a store with the first answers everywhere lacks something"
    first = result["recommendations"][0]
    assert first["priority"] == 1 and first["ask_for"] and first["scenarios"]
    assert first["cost_band"] in ("low", "medium", "high")
    assert finished.status_code == 200 and finished.json()["status"] == "finished"


def test_many_answers_are_saved_all_or_nothing(assessment, store):
    owner = store.member.owner
    good = {"answers": [{"question_id": "safe_rating", "value": "tl_15"}]}
    assert call(owner, "put", f"/assessments/{assessment.pk}/answers", good).status_code == 200
    # the third answer is out of range: the first two are not saved either
    body = {
        "answers": [
            {"question_id": "store_setting", "value": "street"},
            {"question_id": "safe_rating", "value": "trtl_30x6"},
            {"question_id": "overnight_share", "value": 101},
        ]
    }
    response = call(owner, "put", f"/assessments/{assessment.pk}/answers", body)
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"] == ["body", "answers", 2, "value"]
    assert "between 0 and 100" in detail["msg"]
    assert saved(assessment) == [("safe_rating", "tl_15")]


@pytest.mark.parametrize(
    ("answer", "field", "words"),
    [
        ({"question_id": "safe_rating", "value": "titanium"}, "value", "not one of"),
        ({"question_id": "overnight_share", "value": "forty"}, "value", "takes a number"),
        ({"question_id": "overnight_share", "value": True}, "value", "takes a number"),
        ({"question_id": "overnight_share", "value": -1}, "value", "between"),
        ({"question_id": "overnight_share", "value": 10**400}, "value", "between"),
        ({"question_id": "safe_rating", "value": ["tl_15"]}, "value", "listed answers"),
        ({"question_id": "no_such", "value": "yes"}, "question_id", "no such question"),
        ({"question_id": "entry_buzzer", "value": "alternative"}, "justification", "justification"),
    ],
)
def test_a_bad_answer_is_refused_naming_the_field(assessment, store, answer, field, words):
    response = call(
        store.member.owner, "put", f"/assessments/{assessment.pk}/answers", {"answers": [answer]}
    )
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == field
    assert words in detail[0]["msg"]
    assert saved(assessment) == []


def test_an_answer_for_another_questionnaire_version_is_refused(assessment, store):
    body = {"questionnaire_version": "v2", "answers": [{"question_id": "bollards", "value": "no"}]}
    response = call(store.member.owner, "put", f"/assessments/{assessment.pk}/answers", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "questionnaire_version"]
    assert saved(assessment) == []


def test_a_finished_assessment_takes_no_more_answers(assessment, store):
    owner = store.member.owner
    answer_put(assessment=assessment, question_id="safe_rating", value="tl_15", answered_by=owner)
    assessment_finish(assessment=assessment, finished_by=owner)
    body = {"answers": [{"question_id": "safe_rating", "value": "trtl_30x6"}]}
    response = call(owner, "put", f"/assessments/{assessment.pk}/answers", body)
    assert response.status_code == 422
    assert "finished" in response.json()["detail"][0]["msg"]
    assert saved(assessment) == [("safe_rating", "tl_15")]


@pytest.mark.parametrize("store_id", [True, "1", 1.5, 0, None])
def test_a_store_id_that_is_not_a_whole_positive_number_starts_nothing(store, store_id):
    refused = call(store.member.owner, "post", "/assessments", {"store_id": store_id})
    assert refused.status_code == 422
    assert "store_id" in refused.json()["detail"][0]["loc"]
    assert not Assessment.objects.exists()


def test_oversized_and_malformed_bodies_are_refused(assessment, store):
    owner = store.member.owner
    path = f"/assessments/{assessment.pk}/answers"
    many = {"answers": [{"question_id": "safe_rating", "value": "tl_15"}] * 201}
    assert call(owner, "put", path, many).status_code == 422
    assert call(owner, "put", path, {"answers": []}).status_code == 422
    long_id = {"answers": [{"question_id": "q" * 65, "value": "yes"}]}
    assert call(owner, "put", path, long_id).status_code == 422
    assert call(owner, "put", path, "not json").status_code == 400
    assert saved(assessment) == []


def test_nobody_else_gets_anything(assessment, store, other_member):
    viewer = StaffUserFactory()
    store.staff_grants.create(user=viewer, rights=[StaffRight.VIEW])
    outsiders = [other_member.owner, viewer, AnalystFactory(), OfficerFactory()]
    body = {"answers": [{"question_id": "safe_rating", "value": "tl_15"}]}
    for user in outsiders:
        for method, path, payload in [
            ("get", f"/assessments/{assessment.pk}", None),
            ("get", f"/assessments/{assessment.pk}/questions", None),
            ("get", f"/assessments/{assessment.pk}/result", None),
            ("put", f"/assessments/{assessment.pk}/answers", body),
            ("post", f"/assessments/{assessment.pk}/finish", None),
        ]:
            response = call(user, method, path, payload)
            assert response.status_code == 404, (user.role, method, path, response.content)
        started = call(user, "post", "/assessments", {"store_id": store.pk})
        assert started.status_code in (403, 404), user.role
    assert saved(assessment) == []
    assert Assessment.objects.count() == 1
    assert Client().get(f"/api/assessment/assessments/{assessment.pk}").status_code == 401


def test_the_granted_analyst_answers_and_reads_through_the_api(assessment, store):
    analyst = AnalystGrantFactory(member=store.member).analyst
    body = {"answers": [{"question_id": "safe_rating", "value": "tl_15"}]}
    response = call(analyst, "put", f"/assessments/{assessment.pk}/answers", body)
    assert response.status_code == 200
    assert Answer.objects.get(assessment=assessment).answered_by == analyst
    # but starting or finishing is the member's
    assert call(analyst, "post", "/assessments", {"store_id": store.pk}).status_code == 403
    assert call(analyst, "post", f"/assessments/{assessment.pk}/finish").status_code == 422
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_questions_and_result_come_in_french(assessment, store):
    headers = {
        "Authorization": f"Bearer {token_of(store.member.owner)}",
        "Accept-Language": "fr-CA",
    }
    questions = Client().get(
        f"/api/assessment/assessments/{assessment.pk}/questions", headers=headers
    )
    by_id = {q["id"]: q for q in questions.json()["questions"]}
    assert by_id["store_setting"]["text"] == "Où se trouve votre magasin?"
    assert [c["label"] for c in by_id["entry_buzzer"]["choices"]][:2] == ["Oui", "Non"]
