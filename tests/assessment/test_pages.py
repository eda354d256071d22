"""The assessment pages: answering one question at a time with the advice beside it, errors
next to the question with nothing saved, the analyst's notes, and nobody else seeing any of it."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image

from jewelguard.accounts.models import StaffRight
from jewelguard.assessment.models import (
    Answer,
    Assessment,
    Finding,
    Observation,
    ObservationPhoto,
)
from jewelguard.assessment.services import (
    answer_put,
    assessment_finish,
    assessment_start,
    observation_add,
    observation_photo_add,
)
from jewelguard.core.models import AuditEntry
from tests.conftest import client_for
from tests.factories import AnalystFactory, AnalystGrantFactory, OfficerFactory, StaffUserFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assessment(store) -> Assessment:
    return assessment_start(store=store, started_by=store.member.owner)


@pytest.fixture
def granted(store):
    return AnalystGrantFactory(member=store.member).analyst


def answers(assessment: Assessment) -> list[tuple[str, object]]:
    return sorted(Answer.objects.filter(assessment=assessment).values_list("question_id", "value"))


def recommended(html: str) -> list[str]:
    return re.findall(r'data-control="([a-z_]+)"', html)


def test_a_member_starts_an_assessment_for_one_of_their_stores(store):
    client = client_for(store.member.owner)
    page = client.get("/assessment/")
    assert store.name in page.content.decode()
    started = client.post("/assessment/", {"store": store.pk})
    assessment = Assessment.objects.get()
    assert started["Location"] == f"/assessment/{assessment.pk}/"
    shown = client.get(started["Location"]).content.decode()
    assert "Where is your store?" in shown
    # a question that applies only after another answer is not asked yet
    assert 'id="q-bollards"' not in shown


def test_another_members_store_cannot_be_assessed(store, other_member):
    response = client_for(other_member.owner).post("/assessment/", {"store": store.pk})
    assert response.status_code == 404
    for bad in ("", "x", "9" * 30):
        assert (
            client_for(store.member.owner).post("/assessment/", {"store": bad}).status_code == 404
        )
    assert not Assessment.objects.exists()


def test_each_answer_saves_and_updates_the_advice_and_progress(assessment, store):
    client = client_for(store.member.owner)
    url = f"/assessment/{assessment.pk}/answer/"
    first = client.post(url + "store_setting", {"value": "street"}, **HTMX).content.decode()
    # the answer opened the question it governs, and progress counts it
    assert 'id="q-bollards"' in first
    assert "1 of " in first
    before = recommended(first)
    after = client.post(url + "bollards", {"value": "no"}, **HTMX).content.decode()
    # a missing control now leads the advice with its supplier standard and its scenarios
    assert "bollards" in recommended(after) and recommended(after) != before
    assert "Ask a supplier for:" in after and "Smash-and-grab" in after
    assert answers(assessment) == [("bollards", "no"), ("store_setting", "street")]
    # resumable elsewhere: another device of the same member sees the same answers
    other_device = client_for(store.member.owner).get(f"/assessment/{assessment.pk}/")
    assert 'value="street" checked' in other_device.content.decode()


def test_numbers_are_read_as_people_type_them(assessment, store):
    client = client_for(store.member.owner)
    client.post(f"/assessment/{assessment.pk}/answer/overnight_share", {"value": " 40 "}, **HTMX)
    assert answers(assessment) == [("overnight_share", 40)]


@pytest.mark.parametrize(
    ("question", "data", "message"),
    [
        ("safe_rating", {"value": "titanium"}, "This is not one of the question"),
        ("overnight_share", {"value": "lots"}, "This question takes a number."),
        ("overnight_share", {"value": "140"}, "The number must be between 0 and 100."),
        ("overnight_share", {"value": "1e400"}, "This question takes a number."),
        ("overnight_share", {"value": "x" * 20_000}, "far too long"),
        ("entry_buzzer", {"value": "alternative"}, "an alternative needs a justification"),
        ("safe_rating", {"value": "tl_15", "questionnaire_version": "v9"}, "version v1"),
        ("no_such_question", {"value": "yes"}, "has no such question"),
    ],
)
def test_a_refused_answer_shows_its_error_beside_the_question(
    assessment, store, question, data, message
):
    client = client_for(store.member.owner)
    response = client.post(f"/assessment/{assessment.pk}/answer/{question}", data, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200  # so that htmx puts it in place
    assert message in html.replace("&#x27;", "'")
    if question != "no_such_question":
        # the error sits in that question's own block
        block = html[html.index(f'id="q-{question}"') :]
        assert block.index(f'id="e-{question}"') < block.index("</article>")
    assert answers(assessment) == []
    # without scripts the whole page comes back, with a 400
    plain = client.post(f"/assessment/{assessment.pk}/answer/{question}", data)
    assert plain.status_code == 400 and message in plain.content.decode().replace("&#x27;", "'")


def test_a_finished_assessment_takes_no_answer(assessment, store):
    owner = store.member.owner
    answer_put(assessment=assessment, question_id="safe_rating", value="tl_15", answered_by=owner)
    client = client_for(owner)
    assert client.post(f"/assessment/{assessment.pk}/finish").status_code == 302
    response = client.post(
        f"/assessment/{assessment.pk}/answer/safe_rating", {"value": "trtl_30x6"}, **HTMX
    )
    assert "This assessment is finished" in response.content.decode()
    assert answers(assessment) == [("safe_rating", "tl_15")]


def test_the_page_is_in_french_for_a_french_reader(assessment, store):
    client = client_for(store.member.owner)
    html = client.get(
        f"/assessment/{assessment.pk}/", HTTP_ACCEPT_LANGUAGE="fr-CA"
    ).content.decode()
    assert "Où se trouve votre magasin?" in html
    assert "Ce qui aiderait le plus" in html
    assert "Terminer l\u2019évaluation" in html


def jpeg_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (39.0, 44.0, 52.0), 3: "W", 4: (104.0, 59.0, 29.0)}
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 10)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_the_analyst_notes_a_question_with_a_photo_and_the_member_sees_it(
    assessment, store, granted
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    analyst = client_for(granted)
    page = analyst.get(f"/assessment/{assessment.pk}/").content.decode()
    assert "Add an observation or a finding" in page
    upload = SimpleUploadedFile("door.jpg", jpeg_with_gps(), content_type="image/jpeg")
    analyst.post(
        f"/assessment/{assessment.pk}/observation/entry_buzzer",
        {"text": "Door propped open at lunch.", "photo": upload},
    )
    photo = ObservationPhoto.objects.get()
    member_page = (
        client_for(store.member.owner).get(f"/assessment/{assessment.pk}/").content.decode()
    )
    assert "Door propped open at lunch." in member_page
    assert "Add an observation or a finding" not in member_page
    served = client_for(store.member.owner).get(f"/assessment/{assessment.pk}/photo/{photo.pk}")
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and b"PhoneMaker" not in body


def test_a_refused_photo_keeps_nothing_and_says_why(assessment, granted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "x.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml"
    )
    response = client_for(granted).post(
        f"/assessment/{assessment.pk}/observation/entry_buzzer", {"text": "A note", "photo": upload}
    )
    assert response.status_code == 400
    assert "send a JPEG, PNG or WebP" in response.content.decode()
    assert not ObservationPhoto.objects.exists() and not Observation.objects.exists()


def test_the_analyst_marks_a_finding_and_answers_as_themself(assessment, store, granted):
    analyst = client_for(granted)
    analyst.post(
        f"/assessment/{assessment.pk}/finding",
        {"control_id": "bollards", "owner": store.member.owner.pk, "due_on": "2099-01-01"},
    )
    assert (
        "more than five years"
        in analyst.post(
            f"/assessment/{assessment.pk}/finding",
            {"control_id": "bollards", "due_on": "2099-01-01"},
        ).content.decode()
    )
    analyst.post(
        f"/assessment/{assessment.pk}/finding", {"control_id": "bollards", "owner_name": "Lee"}
    )
    finding = Finding.objects.get()
    assert finding.owner_name == "Lee"
    analyst.post(f"/assessment/{assessment.pk}/answer/safe_rating", {"value": "tl_15"}, **HTMX)
    assert Answer.objects.get().answered_by == granted
    assert AuditEntry.objects.filter(
        action="assessment.answered_by_analyst", actor=granted
    ).exists()
    member_page = (
        client_for(store.member.owner).get(f"/assessment/{assessment.pk}/").content.decode()
    )
    assert 'data-finding="bollards"' in member_page and "Lee" in member_page


def outsiders(store, other_member):
    viewer = StaffUserFactory()
    store.staff_grants.create(user=viewer, rights=[StaffRight.VIEW])
    return [other_member.owner, viewer, AnalystFactory(), OfficerFactory()]


def test_nobody_else_gets_any_page_of_it(assessment, store, other_member, granted):
    note = observation_add(
        assessment=assessment, question_id="entry_buzzer", text="x", author=granted
    )
    photo = observation_photo_add(observation=note, content=jpeg_with_gps(), added_by=granted)
    pk = assessment.pk
    for user in outsiders(store, other_member):
        client = client_for(user)
        for url in (
            f"/assessment/{pk}/",
            f"/assessment/{pk}/workspace",
            f"/assessment/{pk}/photo/{photo.pk}",
        ):
            assert client.get(url).status_code == 404, (user.role, url)
        for url, data in [
            (f"/assessment/{pk}/answer/safe_rating", {"value": "tl_15"}),
            (f"/assessment/{pk}/finish", {}),
            (f"/assessment/{pk}/observation/safe_rating", {"text": "x"}),
            (f"/assessment/{pk}/finding", {"control_id": "bollards"}),
        ]:
            assert client.post(url, data).status_code == 404, (user.role, url)
        assert str(store.name) not in client.get("/assessment/").content.decode()
        # nor its live stream
        stream = client.get(f"/events/stream?topic=assessment:{pk}")
        assert stream.status_code == 403, user.role
    assert answers(assessment) == [] and Observation.objects.count() == 1
    assert not Finding.objects.exists()
    assert Client().get(f"/assessment/{pk}/").status_code == 302  # to the login page


def test_the_member_and_the_granted_analyst_may_follow_the_stream(assessment, store, granted):
    from jewelguard.core.topics import topic_permitted

    topic = f"assessment:{assessment.pk}"
    assert topic_permitted(user=store.member.owner, topic=topic)
    assert topic_permitted(user=granted, topic=topic)
    assert not topic_permitted(user=AnalystFactory(), topic=topic)
    for ident in ("0", "-1", "9" * 30, "x", "\u0661"):
        assert not topic_permitted(user=store.member.owner, topic=f"assessment:{ident}")


def test_an_assessment_finished_shows_no_answer_controls(assessment, store):
    owner = store.member.owner
    answer_put(assessment=assessment, question_id="safe_rating", value="tl_15", answered_by=owner)
    assessment_finish(assessment=assessment, finished_by=owner)
    html = client_for(owner).get(f"/assessment/{assessment.pk}/").content.decode()
    assert "This assessment is finished." in html and "<fieldset disabled>" in html


def test_the_admin_shows_notes_and_findings_but_writes_nothing(assessment, granted):
    observation_add(
        assessment=assessment, question_id="entry_buzzer", text="Seen at 10", author=granted
    )
    page = client_for(granted).get(f"/admin/assessment/assessment/{assessment.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200 and "Seen at 10" in html
    # no row may be added to any of them (Django's inline formsets: at most 0 new forms)
    for prefix in ("answers", "observations", "findings"):
        assert f'name="{prefix}-MAX_NUM_FORMS" value="0"' in html, prefix


def test_an_oversized_upload_is_refused_before_it_is_read(assessment, granted):
    from django.core.files.uploadedfile import SimpleUploadedFile

    huge = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"\0" * (11 * 1024 * 1024), "image/jpeg")
    response = client_for(granted).post(
        f"/assessment/{assessment.pk}/observation/entry_buzzer", {"text": "A note", "photo": huge}
    )
    assert response.status_code == 400
    assert "keep it under 10 MB" in response.content.decode()
    assert not Observation.objects.exists()
