"""The analyst's side of a virtual assessment: observations, photos without their metadata,
findings; only the granted analyst writes them, and a refusal leaves nothing behind."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image

from jewelguard.assessment.models import (
    Assessment,
    Finding,
    FindingStatus,
    Observation,
    ObservationPhoto,
)
from jewelguard.assessment.photos import MAX_PHOTO_BYTES
from jewelguard.assessment.services import (
    answer_put,
    assessment_start,
    finding_close,
    finding_mark,
    observation_add,
    observation_photo_add,
)
from jewelguard.core.audit import AuditEntry
from jewelguard.core.errors import ServiceError
from jewelguard.core.models import Event
from tests.factories import (
    AdminFactory,
    AnalystFactory,
    AnalystGrantFactory,
    OfficerFactory,
    StaffUserFactory,
)


@pytest.fixture
def assessment(store) -> Assessment:
    return assessment_start(store=store, started_by=store.member.owner)


@pytest.fixture
def granted(store):
    return AnalystGrantFactory(member=store.member).analyst


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def photo_bytes(kind: str = "JPEG", size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    image.save(out, kind, **save)
    return out.getvalue()


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0112] = 6  # Orientation: rotated 90°
    exif[0x8825] = {1: "N", 2: (39.0, 44.0, 52.0), 3: "W", 4: (104.0, 59.0, 29.0)}  # GPS
    return exif.tobytes()


def test_the_granted_analyst_notes_a_question(assessment, granted):
    note = observation_add(
        assessment=assessment,
        question_id="entry_buzzer",
        text="  Buzzer works, but the door\r\nis propped open at lunch. ",
        author=granted,
    )
    assert note.text == "Buzzer works, but the door\nis propped open at lunch."
    assert note.author == granted
    event = Event.objects.filter(topic=f"assessment:{assessment.pk}").last()
    assert event is not None and event.payload["kind"] == "observation"


@pytest.mark.parametrize(
    ("question_id", "text", "field"),
    [
        ("no_such_question", "fine", "question_id"),
        ("entry_buzzer", "   ", "text"),
        ("entry_buzzer", "x" * 4001, "text"),
        ("entry_buzzer", "hidden\u202egnihton", "text"),
        ("entry_buzzer", 42, "text"),
        ("q" * 5000, "fine", "question_id"),
    ],
)
def test_a_bad_observation_is_refused_naming_the_field(
    assessment, granted, question_id, text, field
):
    with pytest.raises(ServiceError) as refused:
        observation_add(assessment=assessment, question_id=question_id, text=text, author=granted)
    assert refused.value.field == field
    assert not Observation.objects.exists()


def test_nobody_but_the_granted_analyst_writes_observations(assessment, store, other_member):
    editor = StaffUserFactory()
    store.staff_grants.create(user=editor, rights=["view", "edit_store"])
    others = (store.member.owner, editor, other_member.owner, AnalystFactory(), OfficerFactory())
    for user in others:
        with pytest.raises(ServiceError) as refused:
            observation_add(assessment=assessment, question_id="bollards", text="x", author=user)
        assert refused.value.field == "assessment", user.role
    assert not Observation.objects.exists()
    # an administrator may, as everywhere
    observation_add(assessment=assessment, question_id="bollards", text="ok", author=AdminFactory())


def test_an_expired_grant_writes_nothing(assessment, store):
    grant = AnalystGrantFactory(
        member=store.member, expires_at=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(ServiceError):
        observation_add(
            assessment=assessment, question_id="bollards", text="x", author=grant.analyst
        )


@pytest.mark.parametrize(("kind", "mime"), [("JPEG", "image/jpeg"), ("WEBP", "image/webp")])
def test_a_photo_is_kept_without_its_exif_and_gps(assessment, granted, kind, mime):
    note = observation_add(
        assessment=assessment, question_id="safe_rating", text="Safe", author=granted
    )
    raw = photo_bytes(kind, exif=exif_with_gps())
    assert b"PhoneMaker" in raw
    photo = observation_photo_add(observation=note, content=raw, added_by=granted)
    kept = default_storage.open(photo.image.name).read()
    assert b"PhoneMaker" not in kept
    reread = Image.open(io.BytesIO(kept))
    assert reread.format == kind and photo.content_type == mime
    assert not reread.getexif()
    # the orientation tag was applied to the pixels: 64x48 turned on its side
    assert (photo.width, photo.height) == (48, 64) == reread.size


def test_a_png_loses_its_text_chunks(assessment, granted):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Location", "39.7392 N, 104.9903 W")
    note = observation_add(assessment=assessment, question_id="bollards", text="x", author=granted)
    photo = observation_photo_add(
        observation=note, content=photo_bytes("PNG", pnginfo=info), added_by=granted
    )
    assert b"104.9903" not in default_storage.open(photo.image.name).read()


def test_a_large_photo_is_shrunk(assessment, granted):
    note = observation_add(assessment=assessment, question_id="bollards", text="x", author=granted)
    photo = observation_photo_add(
        observation=note, content=photo_bytes("JPEG", (4000, 3000)), added_by=granted
    )
    assert (photo.width, photo.height) == (2560, 1920)


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "GIF")
    return out.getvalue()


def bomb() -> bytes:
    # 10 000 x 10 000 pixels of one colour: a small file, 100 megapixels decoded
    out = io.BytesIO()
    Image.new("L", (10_000, 10_000)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not an image at all",
        b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        photo_bytes("JPEG")[:200],
        gif(),
        bomb(),
        b"\xff\xd8" + b"\0" * (MAX_PHOTO_BYTES + 1),
    ],
    ids=["empty", "text", "svg", "truncated", "gif", "bomb", "oversized"],
)
def test_anything_but_a_readable_photo_is_refused_and_nothing_kept(assessment, granted, content):
    note = observation_add(assessment=assessment, question_id="bollards", text="x", author=granted)
    with pytest.raises(ServiceError) as refused:
        observation_photo_add(observation=note, content=content, added_by=granted)
    assert refused.value.field == "photo"
    assert not ObservationPhoto.objects.exists()
    root = default_storage.path("")
    assert not list(__import__("pathlib").Path(root).rglob("*.*"))


def test_the_member_may_not_add_photos(assessment, granted, store):
    note = observation_add(assessment=assessment, question_id="bollards", text="x", author=granted)
    with pytest.raises(ServiceError):
        observation_photo_add(observation=note, content=photo_bytes(), added_by=store.member.owner)
    assert not ObservationPhoto.objects.exists()


def test_a_finding_is_marked_with_an_owner_and_due_date_and_closed(assessment, granted, store):
    due = timezone.localdate() + timedelta(days=30)
    finding = finding_mark(
        assessment=assessment,
        marked_by=granted,
        control_id="bollards",
        owner=store.member.owner,
        due_on=due,
        note="Quote from two installers.",
    )
    assert (finding.status, finding.owner, finding.due_on) == (
        FindingStatus.OPEN,
        store.member.owner,
        due,
    )
    again = finding_mark(
        assessment=assessment, marked_by=granted, control_id="bollards", owner_name="Lee (landlord)"
    )
    assert again.pk == finding.pk and again.owner is None and again.owner_name == "Lee (landlord)"
    done = finding_close(finding=again, closed_by=granted)
    assert done.status == FindingStatus.DONE and done.closed_by == granted
    with pytest.raises(ServiceError):
        finding_close(finding=done, closed_by=granted)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({}, "question_id"),
        ({"question_id": "bollards", "control_id": "bollards"}, "question_id"),
        ({"question_id": "nope"}, "question_id"),
        ({"control_id": "nope"}, "control_id"),
        ({"control_id": "bollards", "due_on": "2027-01-01"}, "due_on"),
        ({"control_id": "bollards", "due_on": timezone.localdate() - timedelta(days=9)}, "due_on"),
        (
            {"control_id": "bollards", "due_on": timezone.localdate() + timedelta(days=3000)},
            "due_on",
        ),
        ({"control_id": "bollards", "owner_name": "a\nb"}, "owner_name"),
        ({"control_id": "bollards", "owner_name": "x" * 121}, "owner_name"),
        ({"control_id": "bollards", "note": "x" * 2001}, "note"),
    ],
)
def test_a_bad_finding_is_refused_naming_the_field(assessment, granted, arguments, field):
    with pytest.raises(ServiceError) as refused:
        finding_mark(assessment=assessment, marked_by=granted, **arguments)
    assert refused.value.field == field
    assert not Finding.objects.exists()


def test_the_owner_must_be_one_of_the_members_people(assessment, granted, other_member, store):
    with pytest.raises(ServiceError) as refused:
        finding_mark(
            assessment=assessment,
            marked_by=granted,
            control_id="bollards",
            owner=other_member.owner,
        )
    assert refused.value.field == "owner"
    with pytest.raises(ServiceError) as both:
        finding_mark(
            assessment=assessment,
            marked_by=granted,
            control_id="bollards",
            owner=store.member.owner,
            owner_name="Lee",
        )
    assert both.value.field == "owner_name"
    assert not Finding.objects.exists()


def test_the_member_reads_findings_but_may_not_mark_or_close_them(assessment, granted, store):
    finding = finding_mark(assessment=assessment, marked_by=granted, question_id="bollards")
    with pytest.raises(ServiceError):
        finding_mark(
            assessment=assessment, marked_by=store.member.owner, question_id="fog_generator"
        )
    with pytest.raises(ServiceError):
        finding_close(finding=finding, closed_by=store.member.owner)
    assert Finding.objects.get().status == FindingStatus.OPEN


def test_the_analysts_answers_are_recorded_as_theirs(assessment, granted):
    answer = answer_put(
        assessment=assessment, question_id="safe_rating", value="tl_15", answered_by=granted
    )
    assert answer.answered_by == granted
    entry = AuditEntry.objects.get(action="assessment.answered_by_analyst")
    assert entry.actor == granted and entry.details == {"question_id": "safe_rating"}


def test_an_analyst_without_a_grant_may_not_answer(assessment):
    with pytest.raises(ServiceError):
        answer_put(
            assessment=assessment,
            question_id="safe_rating",
            value="tl_15",
            answered_by=AnalystFactory(),
        )
    assert not assessment.answers.exists()
