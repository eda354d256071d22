"""E-mail through a task, with a delivery log: sent, failed with the reason, retried, once."""

from __future__ import annotations

import logging
import time
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from jewelguard.core.mail import email_delivery_attempt, email_delivery_retry, email_send_on_commit
from jewelguard.core.models import EmailDelivery, EmailStatus
from tests.conftest import free_port, run_queued_tasks

TO = "desk@association.example"


def send(**overrides: Any) -> EmailDelivery:
    details: dict[str, Any] = {
        "purpose": "test",
        "recipient": TO,
        "subject": "Smash-and-grab on Larimer St",
        "body": "Two people, one hammer, 40 seconds.",
        "reply_to": "ana@frontrange.example",
    }
    return email_send_on_commit(**{**details, **overrides})


@pytest.fixture
def mail_server_down(settings) -> None:
    """A mail server that refuses connections: nothing listens on its port."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()


def test_an_email_is_logged_queued_then_sent_by_its_task(
    db, smtp_server, tasks_immediate, django_capture_on_commit_callbacks
):
    # when a service sends an e-mail inside its transaction
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delivery = send()
    # then it is logged as queued, and nothing leaves before the commit
    assert EmailDelivery.objects.get().status == EmailStatus.QUEUED
    assert smtp_server.messages == []
    # when the transaction commits, the task runs and the mail server gets it
    for callback in callbacks:
        callback()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (EmailStatus.SENT, 1, "")
    assert delivery.sent_at is not None
    [message] = smtp_server.messages
    assert (message["To"], message["Reply-To"]) == (TO, "ana@frontrange.example")
    assert message["Subject"] == "Smash-and-grab on Larimer St"


def test_a_rolled_back_email_is_neither_logged_nor_sent(transactional_db, smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        send()
        raise RuntimeError("the service failed after queueing its e-mail")
    assert not EmailDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_failed_with_the_reason_when_the_server_is_down_then_retried_and_sent(
    transactional_db, mail_server_down, settings, request, caplog
):
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = (1,)
    # given an e-mail, and a mail server that is down
    delivery = send()
    # when the worker tries it
    with caplog.at_level(logging.WARNING):
        run_queued_tasks()
    # then it is logged failed with the reason, a new try is due, and no address is logged
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.FAILED, 1)
    assert delivery.last_error == "Connection refused"
    assert delivery.next_attempt_at is not None
    assert TO not in caplog.text and "e-mail delivery" in caplog.text
    # when the mail server comes back and the new try is due
    smtp_server = request.getfixturevalue("smtp_server")
    time.sleep(1.1)
    run_queued_tasks()
    # then it is sent, once
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (EmailStatus.SENT, 2, "")
    assert len(smtp_server.messages) == 1


def test_automatic_tries_are_bounded(transactional_db, mail_server_down, settings):
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = (0, 0)
    delivery = send()
    run_queued_tasks()
    # three tries (two delays), then it stays failed until someone retries it
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.FAILED, 3)
    assert delivery.next_attempt_at is None
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_a_try_after_the_email_was_sent_sends_nothing(transactional_db, smtp_server):
    # given an e-mail that was sent
    delivery = send()
    first_key = delivery.task_key
    run_queued_tasks()
    # when its task runs again (a worker died after sending, say), or someone retries it
    email_delivery_attempt(delivery_id=delivery.pk, task_key=first_key)
    with pytest.raises(ValidationError) as refused:
        email_delivery_retry(delivery=delivery)
    # then nothing more is sent
    assert "status" in refused.value.message_dict
    assert len(smtp_server.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.SENT, 1)


def test_a_retry_replaces_the_waiting_automatic_try(
    transactional_db, mail_server_down, settings, request
):
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = (3600,)
    delivery = send()
    run_queued_tasks()
    smtp_server = request.getfixturevalue("smtp_server")
    # when the sender retries while an automatic try waits in the queue
    email_delivery_retry(delivery=EmailDelivery.objects.get())
    run_queued_tasks()
    # and the automatic try's time comes too
    DBTaskResult.objects.filter(status="READY").update(run_after=delivery.created_at)
    run_queued_tasks()
    # then the e-mail was sent once
    assert len(smtp_server.messages) == 1
    assert EmailDelivery.objects.get().status == EmailStatus.SENT


class RefusingSink:
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        return f"550 5.1.1 <{address}>: no such mailbox here"


def test_a_refused_address_is_a_reason_without_the_address(transactional_db, settings):
    port = free_port()
    controller = Controller(RefusingSink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.JEWELGUARD_EMAIL_RETRY_DELAYS = ()
        delivery = send()
        run_queued_tasks()
    finally:
        controller.stop()
    delivery.refresh_from_db()
    assert delivery.status == EmailStatus.FAILED
    assert delivery.last_error == "the mail server refused the recipient"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"recipient": "not-an-address"}, "recipient"),
        ({"recipient": "a@example.org\nBcc: everyone@example.org"}, "recipient"),
        ({"reply_to": "a@example.org, b@example.org"}, "reply_to"),
        ({"subject": "Hello\r\nBcc: everyone@example.org"}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 256}, "subject"),
        ({"body": "x" * 100_001}, "body"),
        ({"body": ""}, "body"),
        ({"body_renderer": "jewelguard.core.mail.send"}, "body"),
        ({"body": "", "body_renderer": "os.system"}, "body_renderer"),
        ({"body": "", "body_renderer": "jewelguard.nowhere.render"}, "body_renderer"),
    ],
    ids=[
        "bad-address",
        "header-injection-in-address",
        "two-reply-to",
        "header-injection-in-subject",
        "blank-subject",
        "long-subject",
        "huge-body",
        "no-body",
        "body-and-renderer",
        "foreign-renderer",
        "unknown-renderer",
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    transactional_db, overrides, field
):
    with pytest.raises(ValidationError) as refused:
        send(**overrides)
    assert field in refused.value.message_dict
    assert not EmailDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()
