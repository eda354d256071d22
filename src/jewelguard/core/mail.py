"""E-mail through a task, with a delivery log: every write about outgoing e-mail.

A request never talks to the mail server. ``email_send_on_commit`` writes an
``EmailDelivery`` row and queues ``email_deliver`` once the transaction commits; the worker
sends it with Django's mail, marks it sent or failed with the reason, and tries again later
(``JEWELGUARD_EMAIL_RETRY_DELAYS``) a bounded number of times. Each queued try carries the
delivery's current ``task_key``: a try whose key is no longer current, or that finds the
e-mail sent, does nothing, so a retry never sends an e-mail twice.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from jewelguard.core.models import EmailDelivery, EmailStatus
from jewelguard.core.tasks import email_deliver, enqueue_on_commit

logger = logging.getLogger(__name__)

MAX_SUBJECT_LENGTH = 255
MAX_BODY_LENGTH = 100_000
MAX_REASON_LENGTH = 300


def _check_address(field: str, address: str) -> str:
    address = address.strip()
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({field: _("Enter a valid e-mail address.")}) from None
    return address


def _check_renderer(path: str) -> None:
    # JewelGuard's own functions only: the path is stored, and called by the worker.
    renderer = None
    if path.startswith("jewelguard.") and len(path) <= 200:
        try:
            renderer = import_string(path)
        except ImportError:
            renderer = None
    if not callable(renderer):
        raise ValidationError({"body_renderer": _("Unknown e-mail renderer.")})


@transaction.atomic
def email_send_on_commit(
    *,
    purpose: str,
    recipient: str,
    subject: str,
    body: str = "",
    body_renderer: str = "",
    reply_to: str = "",
    language: str | None = None,
    concerning: models.Model | None = None,
    body_erased_when_sent: bool = False,
) -> EmailDelivery:
    """Log one e-mail to ``recipient`` as queued and have the worker send it after commit.

    Give the text as ``body``, or as ``body_renderer``: the dotted path of a function
    ``(*, delivery: EmailDelivery) -> str`` called at send time in ``language`` (for text
    that must not be stored, such as a secret link). A body holding a secret made elsewhere
    (allauth's confirmation and reset links) is kept only until sent: ``body_erased_when_sent``.
    Raises ValidationError naming the field; nothing is written then.
    """
    recipient = _check_address("recipient", recipient)
    reply_to = _check_address("reply_to", reply_to) if reply_to.strip() else ""
    subject = subject.strip()
    if not subject or "\n" in subject or "\r" in subject:
        raise ValidationError({"subject": _("The subject must be one line of text.")})
    if len(subject) > MAX_SUBJECT_LENGTH:
        raise ValidationError(
            {
                "subject": _("Keep the subject under %(max)s characters.")
                % {"max": MAX_SUBJECT_LENGTH}
            }
        )
    if bool(body) == bool(body_renderer):
        raise ValidationError({"body": _("Give the text of the e-mail, or its renderer.")})
    if len(body) > MAX_BODY_LENGTH:
        raise ValidationError(
            {"body": _("Keep the text under %(max)s characters.") % {"max": MAX_BODY_LENGTH}}
        )
    if body_renderer:
        _check_renderer(body_renderer)
    delivery = EmailDelivery(
        purpose=purpose,
        recipient=recipient,
        reply_to=reply_to,
        subject=subject,
        body=body,
        body_renderer=body_renderer,
        body_erased_when_sent=body_erased_when_sent,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        task_key=secrets.token_hex(16),
    )
    if concerning is not None:
        delivery.concerning_type = ContentType.objects.get_for_model(concerning)
        delivery.concerning_id = concerning.pk
    delivery.full_clean()
    delivery.save()
    enqueue_on_commit(email_deliver, delivery_id=delivery.pk, task_key=delivery.task_key)
    return delivery


@transaction.atomic
def email_delivery_retry(*, delivery: EmailDelivery) -> EmailDelivery:
    """Queue a failed e-mail again now; any automatic try still waiting is cancelled."""
    locked = EmailDelivery.objects.select_for_update().get(pk=delivery.pk)
    if locked.status != EmailStatus.FAILED:
        raise ValidationError({"status": _("Only an e-mail that was not sent can be sent again.")})
    locked.status = EmailStatus.QUEUED
    locked.next_attempt_at = None
    locked.task_key = secrets.token_hex(16)
    locked.save(update_fields=["status", "next_attempt_at", "task_key"])
    enqueue_on_commit(email_deliver, delivery_id=locked.pk, task_key=locked.task_key)
    return locked


def _claim(*, delivery_id: int, task_key: str) -> EmailDelivery | None:
    """Mark the delivery as being sent, under a row lock; None when there is nothing to do."""
    with transaction.atomic():
        delivery = EmailDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        # Sent already, or superseded by a later retry: sending now would send it twice.
        if delivery is None or delivery.status == EmailStatus.SENT:
            return None
        if delivery.task_key != task_key:
            return None
        # SENDING with our own key means a worker died during this try: it is tried again.
        delivery.status = EmailStatus.SENDING
        delivery.attempts += 1
        delivery.attempted_at = timezone.now()
        delivery.next_attempt_at = None
        delivery.save(update_fields=["status", "attempts", "attempted_at", "next_attempt_at"])
    return delivery


def _message(delivery: EmailDelivery) -> EmailMessage:
    body = delivery.body
    if delivery.body_renderer:
        _check_renderer(delivery.body_renderer)
        with translation.override(delivery.language):
            body = import_string(delivery.body_renderer)(delivery=delivery)
    return EmailMessage(
        subject=delivery.subject,
        body=body,
        to=[delivery.recipient],
        reply_to=[delivery.reply_to] if delivery.reply_to else None,
    )


def email_failure_reason(*, error: BaseException, recipient: str) -> str:
    """A short reason for the log and the sender's page, without the address in it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        reason = "the mail server refused the recipient"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = error.smtp_error
        said = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        reason = f"{error.smtp_code} {said}"
    elif isinstance(error, OSError) and error.strerror:
        reason = error.strerror
    else:
        reason = type(error).__name__
    reason = " ".join(reason.replace(recipient, "[recipient]").split())
    return reason[:MAX_REASON_LENGTH] or type(error).__name__


def _retry_delay(attempts: int) -> timedelta | None:
    delays = tuple(settings.JEWELGUARD_EMAIL_RETRY_DELAYS)
    if attempts > len(delays) or not email_deliver.get_backend().supports_defer:
        return None
    return timedelta(seconds=delays[attempts - 1])


def _mark_failed(delivery: EmailDelivery, reason: str) -> None:
    with transaction.atomic():
        locked = EmailDelivery.objects.select_for_update().get(pk=delivery.pk)
        if locked.task_key != delivery.task_key or locked.status == EmailStatus.SENT:
            return
        locked.status = EmailStatus.FAILED
        locked.last_error = reason
        delay = _retry_delay(locked.attempts)
        locked.next_attempt_at = None if delay is None else timezone.now() + delay
        locked.task_key = secrets.token_hex(16)
        locked.save(update_fields=["status", "last_error", "next_attempt_at", "task_key"])
        if locked.next_attempt_at is not None:
            enqueue_on_commit(
                email_deliver.using(run_after=locked.next_attempt_at),
                delivery_id=locked.pk,
                task_key=locked.task_key,
            )


def email_delivery_attempt(*, delivery_id: int, task_key: str) -> None:
    """One try at sending a logged e-mail (the body of the ``email_deliver`` task).

    The mail server is talked to outside any transaction: it may be slow, and on SQLite an
    open write transaction would hold up every other writer meanwhile.
    """
    delivery = _claim(delivery_id=delivery_id, task_key=task_key)
    if delivery is None:
        return
    try:
        _message(delivery).send()
    except Exception as error:  # any failure to hand it over: logged, tried again later
        reason = email_failure_reason(error=error, recipient=delivery.recipient)
        logger.warning(
            "e-mail delivery %s (%s): try %s failed (%s)",
            delivery.pk,
            delivery.purpose,
            delivery.attempts,
            type(error).__name__,
        )
        _mark_failed(delivery, reason)
        return
    # Sent is sent, whatever else happened to the row meanwhile.
    erased = {"body": ""} if delivery.body_erased_when_sent else {}
    EmailDelivery.objects.filter(pk=delivery.pk).update(
        status=EmailStatus.SENT,
        sent_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
        **erased,
    )
