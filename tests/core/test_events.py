"""The event bus: what publishing stores, when listeners are woken, what pruning keeps."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from jewelguard.core.events import event_prune, event_prune_periodically, publish_on_commit
from jewelguard.core.models import Event

pytestmark = pytest.mark.django_db


def test_published_event_is_stored_with_its_topic_and_payload(django_capture_on_commit_callbacks):
    # when an event is published inside a transaction
    with django_capture_on_commit_callbacks() as callbacks:
        event = publish_on_commit(topic="user:42", payload={"text": "Toolkit ready", "n": 3})
        # then nobody is woken before the commit
        assert callbacks == []

    # then it is stored as sent, and one wake-up waits for the commit
    assert len(callbacks) == 1
    stored = Event.objects.get()
    assert (stored.pk, stored.topic, stored.payload) == (
        event.pk,
        "user:42",
        {"text": "Toolkit ready", "n": 3},
    )


def test_event_of_a_rolled_back_transaction_is_gone(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        publish_on_commit(topic="store:7", payload={"status": "open"})
        raise RuntimeError("the change it spoke of failed")

    assert Event.objects.count() == 0
    assert callbacks == []


def test_event_ids_grow_in_publishing_order():
    ids = [publish_on_commit(topic="user:1", payload={"i": i}).pk for i in range(5)]
    assert ids == sorted(ids)
    assert len(set(ids)) == 5


@pytest.mark.parametrize(
    "topic",
    [
        "",
        "user",
        "user:",
        ":42",
        "User:42",
        "user:42:extra",
        "user:4 2",
        "user:42\n",
        "user:é",
        "events.user.42",
        "user:" + "9" * 65,
        "k" * 33 + ":1",
    ],
)
def test_malformed_topic_is_refused_naming_the_field(topic):
    with pytest.raises(ValidationError) as error:
        publish_on_commit(topic=topic, payload={})
    assert "topic" in error.value.message_dict
    assert Event.objects.count() == 0


@pytest.mark.parametrize(
    "payload",
    [["not", "an", "object"], "text", None, {"when": object()}, {"big": "x" * 17_000}],
)
def test_payload_that_is_not_a_small_json_object_is_refused(payload):
    with pytest.raises(ValidationError) as error:
        publish_on_commit(topic="user:1", payload=payload)
    assert "payload" in error.value.message_dict
    assert Event.objects.count() == 0


def test_payload_dates_are_stored_as_text_listeners_can_read():
    moment = timezone.now()
    event = publish_on_commit(topic="user:1", payload={"at": moment})
    event.refresh_from_db()
    # as JavaScript's Date reads it: ISO 8601, to the millisecond
    stored = datetime.fromisoformat(event.payload["at"])
    assert stored == moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def _event_aged(days: float) -> Event:
    event = publish_on_commit(topic="user:1", payload={"age_days": days})
    Event.objects.filter(pk=event.pk).update(created_at=timezone.now() - timedelta(days=days))
    return event


def test_prune_removes_events_older_than_the_retention_and_keeps_newer(settings):
    # given a retention of 7 days and events of various ages
    settings.JEWELGUARD_EVENTS_RETENTION_DAYS = 7
    old = [_event_aged(30), _event_aged(7.01)]
    kept = [_event_aged(6.9), _event_aged(0)]

    # when old events are pruned
    deleted = event_prune()

    # then only the ones past the retention are gone
    assert deleted == len(old)
    assert sorted(Event.objects.values_list("pk", flat=True)) == sorted(e.pk for e in kept)


def test_prune_command_takes_its_own_retention():
    _event_aged(3)
    newer = _event_aged(1)
    out = StringIO()

    call_command("events_prune", "--days", "2", stdout=out)

    assert list(Event.objects.values_list("pk", flat=True)) == [newer.pk]
    assert "Deleted 1 events older than 2 days." in out.getvalue()


def test_prune_command_refuses_a_retention_under_a_day():
    _event_aged(3)
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("events_prune", "--days", "0", stderr=err)
    assert exit_.value.code == 2
    assert "--days" in err.getvalue()
    assert Event.objects.count() == 1


class _OneRound(threading.Event):
    """A stop signal that ends the pruning loop after its first round."""

    def wait(self, timeout: float | None = None) -> bool:
        self.set()
        return True


@pytest.mark.django_db(transaction=True)
def test_worker_pruning_loop_prunes_then_waits_for_the_next_round(settings):
    settings.JEWELGUARD_EVENTS_RETENTION_DAYS = 7
    _event_aged(8)
    newer = _event_aged(1)

    event_prune_periodically(every_seconds=3600, stop=_OneRound())

    assert list(Event.objects.values_list("pk", flat=True)) == [newer.pk]
