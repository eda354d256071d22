"""Live events: one per incident in progress, its states, its timeline, and who may act."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from django.test import AsyncRequestFactory
from django.urls import reverse
from django.utils import timezone

from jewelguard.core.models import Event
from jewelguard.core.views import events_stream
from jewelguard.sentinel.models import EntryKind, LiveEvent, LiveEventState, SourceKind
from jewelguard.sentinel.pipeline.types import RuleHit
from jewelguard.sentinel.services import (
    LiveEventError,
    live_event_confirm,
    live_event_dismiss,
    live_event_end,
    live_event_open_or_update,
    live_events_end_quiet,
    topic_for_store,
)
from tests.conftest import client_for
from tests.factories import StaffGrantFactory, StaffUserFactory
from tests.sentinel.conftest import camera_add

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


def hit(
    people: int = 1, zone: str | None = "showcase", confidence: float = 0.8, **extra
) -> RuleHit:
    values = {
        "scenario": "smash_and_grab",
        "rule": "smash_and_grab",
        "confidence": confidence,
        "at_s": 1.0,
        "people": people,
        "zone": zone,
        "summary": f"{people} people at the showcase fast while open",
    }
    values.update(extra)
    return RuleHit(**values)


@pytest.fixture
def camera(store):
    return camera_add(store, "Showcase", SourceKind.RTSP, "rtsp://192.0.2.10/s")


def published(store) -> list[dict]:
    return [
        e.payload
        for e in Event.objects.filter(topic=topic_for_store(store_id=store.pk)).order_by("pk")
    ]


def test_a_hundred_hits_of_one_incident_make_one_event_not_a_flood(store, camera):
    # when the same person stands at the showcase for a hundred analysed frames
    first, opened = live_event_open_or_update(camera=camera, hit=hit(), snapshot_jpeg=JPEG)
    for _ in range(99):
        event, again = live_event_open_or_update(camera=camera, hit=hit(), snapshot_jpeg=JPEG)
        assert event.pk == first.pk and not again
    # then one event, one timeline line, one snapshot and one publication
    assert opened
    assert LiveEvent.objects.count() == 1
    assert first.entries.count() == 1
    assert first.snapshots.count() == 1
    assert len([p for p in published(store) if p["type"] == "live_event"]) == 1


def test_a_second_person_updates_the_event_and_its_timeline(store, camera):
    event, _ = live_event_open_or_update(camera=camera, hit=hit(people=1))
    live_event_open_or_update(camera=camera, hit=hit(people=2))
    event.refresh_from_db()
    assert event.people == 2
    assert [e.kind for e in event.entries.all()] == [EntryKind.OPENED, EntryKind.UPDATED]
    assert [p["people"] for p in published(store)] == [1, 2]


def test_confirm_dismiss_and_end_follow_the_states(store, camera, member):
    event, _ = live_event_open_or_update(camera=camera, hit=hit())
    confirmed = live_event_confirm(event=event, user=member.owner)
    assert confirmed.state == LiveEventState.CONFIRMED
    with pytest.raises(LiveEventError) as refused:
        live_event_dismiss(event=event, user=member.owner)
    assert refused.value.field == "state"
    ended = live_event_end(event=event, user=member.owner)
    assert ended.state == LiveEventState.ENDED and ended.ended_at is not None
    with pytest.raises(LiveEventError):
        live_event_confirm(event=event, user=member.owner)
    # a hit after the end opens a new incident
    new, opened = live_event_open_or_update(camera=camera, hit=hit())
    assert opened and new.pk != event.pk


def test_a_dismissed_event_absorbs_its_hits_then_ends_when_quiet(store, camera, member):
    event, _ = live_event_open_or_update(camera=camera, hit=hit())
    live_event_dismiss(event=event, user=member.owner)
    same, opened = live_event_open_or_update(camera=camera, hit=hit())
    assert same.pk == event.pk and not opened
    later = timezone.now() + timedelta(seconds=61)
    assert live_events_end_quiet(now=later) == 1
    event.refresh_from_db()
    assert event.ended_at is not None
    assert event.entries.filter(kind=EntryKind.DISMISSED).exists()


def test_an_event_still_seen_does_not_end(store, camera):
    live_event_open_or_update(camera=camera, hit=hit())
    assert live_events_end_quiet(now=timezone.now() + timedelta(seconds=30)) == 0


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"confidence": float("nan")}, "confidence"),
        ({"confidence": 1.5}, "confidence"),
        ({"people": -1}, "people"),
        ({"scenario": ""}, "scenario"),
        ({"scenario": "x" * 65}, "scenario"),
    ],
)
def test_a_bad_rule_hit_is_refused_naming_the_field_and_writes_nothing(camera, bad, field):
    with pytest.raises(LiveEventError) as refused:
        live_event_open_or_update(camera=camera, hit=hit(**bad))
    assert refused.value.field == field
    assert not LiveEvent.objects.exists()
    assert not Event.objects.exists()


def test_an_oversized_summary_or_a_fake_snapshot_is_cut_or_dropped(camera):
    event, _ = live_event_open_or_update(
        camera=camera, hit=hit(summary="x" * 5000), snapshot_jpeg=b"<svg onload=alert(1)>"
    )
    assert len(event.summary) == 300
    assert not event.snapshots.exists()


def test_the_member_sees_confirms_and_the_other_member_cannot(store, camera, member, other_member):
    event, _ = live_event_open_or_update(camera=camera, hit=hit(), snapshot_jpeg=JPEG)
    snapshot = event.snapshots.get()
    owner = client_for(member.owner)
    page = owner.get(reverse("sentinel:live_events")).content.decode()
    assert event.summary in page
    assert owner.get(reverse("sentinel:snapshot", args=[snapshot.pk])).status_code == 200
    # the other member sees nothing of it, and cannot act on it
    other = client_for(other_member.owner)
    assert event.summary not in other.get(reverse("sentinel:live_events")).content.decode()
    assert other.get(reverse("sentinel:snapshot", args=[snapshot.pk])).status_code == 404
    decide = reverse("sentinel:live_event_decide", args=[event.pk, "confirm"])
    assert other.post(decide).status_code == 404
    event.refresh_from_db()
    assert event.state == LiveEventState.SUSPECTED
    # the owner confirms
    assert owner.post(decide).status_code == 302
    event.refresh_from_db()
    assert event.state == LiveEventState.CONFIRMED and event.decided_by == member.owner


def test_staff_without_the_respond_right_see_but_cannot_confirm(store, camera, staff_user):
    event, _ = live_event_open_or_update(camera=camera, hit=hit())
    client = client_for(staff_user)
    assert event.summary in client.get(reverse("sentinel:live_events")).content.decode()
    decide = reverse("sentinel:live_event_decide", args=[event.pk, "dismiss"])
    assert client.post(decide).status_code == 403
    responder = StaffUserFactory(email="pat@frontrange.example")
    StaffGrantFactory(user=responder, store=store, rights=["view", "respond"])
    assert client_for(responder).post(decide).status_code == 302


async def _stream_frames(user, topic: str, last_event_id: int, count: int) -> list[dict]:
    request = AsyncRequestFactory().get(
        "/events/stream", {"topic": topic}, headers={"Last-Event-ID": str(last_event_id)}
    )

    async def auser():
        return user

    request.auser = auser
    response = await events_stream(request)
    assert response.status_code == 200
    frames: list[dict] = []
    iterator = response.streaming_content.__aiter__()
    try:
        while len(frames) < count:
            chunk = await asyncio.wait_for(iterator.__anext__(), timeout=10)
            text = chunk.decode() if isinstance(chunk, bytes) else chunk
            for block in text.split("\n\n"):
                lines = dict(
                    line.split(": ", 1)
                    for line in block.splitlines()
                    if ": " in line and not line.startswith(":")
                )
                if "id" in lines:
                    frames.append({"id": int(lines["id"]), **json.loads(lines["data"])})
    finally:
        await iterator.aclose()
    return frames


@pytest.mark.django_db(transaction=True)
def test_a_page_that_reconnects_gets_every_change_it_missed_once(store, camera, member):
    # given a page that saw the event open
    event, _ = live_event_open_or_update(camera=camera, hit=hit(people=1))
    seen = Event.objects.filter(topic=topic_for_store(store_id=store.pk)).latest("pk").pk
    # when, while it is away, a second person comes and the member confirms
    live_event_open_or_update(camera=camera, hit=hit(people=2))
    live_event_confirm(event=event, user=member.owner)
    # then reconnecting with Last-Event-ID replays exactly those two changes, in order
    frames = asyncio.run(_stream_frames(member.owner, topic_for_store(store_id=store.pk), seen, 2))
    assert [f["payload"]["people"] for f in frames] == [2, 2]
    assert [f["payload"]["state"] for f in frames] == ["suspected", "confirmed"]
    assert frames[0]["id"] > seen and frames[1]["id"] > frames[0]["id"]


def test_the_other_member_may_not_follow_the_store_topic(store, other_member):
    client = client_for(other_member.owner)
    url = reverse("core:events_stream") + f"?topic={topic_for_store(store_id=store.pk)}"
    assert client.get(url).status_code == 403


def test_the_pipeline_timeline_and_snapshot_become_the_event_evidence(store, camera):
    from jewelguard.sentinel.pipeline.types import TimelineEntry

    steps = (
        TimelineEntry(at_s=8.0, text="person 4 entered showcase 'Front case'"),
        TimelineEntry(at_s=9.5, text="person 5 entered showcase 'Front case'"),
    )
    event, _ = live_event_open_or_update(
        camera=camera, hit=hit(at_s=10.0, timeline=steps), snapshot_jpeg=JPEG
    )
    entries = list(event.entries.all())
    assert [e.kind for e in entries] == [EntryKind.OBSERVED, EntryKind.OBSERVED, EntryKind.OPENED]
    assert entries[0].text == "person 4 entered showcase 'Front case'"
    assert (entries[2].at - entries[0].at).total_seconds() == pytest.approx(2.0)
