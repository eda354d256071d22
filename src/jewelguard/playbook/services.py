"""Every write in the playbook room: contact and media inquiries."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac

from jewelguard.core.mail import MAX_SUBJECT_LENGTH, email_send_on_commit
from jewelguard.core.text import TextRefusedError, multi_line_clean, single_line_clean
from jewelguard.playbook.models import Inquiry, InquiryKind, InquiryStatus

logger = logging.getLogger(__name__)

# At most this many inquiries per client address per window, across both forms.
INQUIRY_RATE_LIMIT = 5
INQUIRY_RATE_WINDOW_S = 3600


class InquiryRateLimitedError(Exception):
    """This client address has sent too many inquiries in the current window."""


def _rate_key(client_address: str) -> str:
    # A keyed hash: the cache never holds the address itself.
    digest = salted_hmac("jewelguard.playbook.inquiry-rate", client_address).hexdigest()
    return f"playbook:inquiry-rate:{digest}"


def _rate_count(client_address: str) -> int:
    """Count one more inquiry from this address in the current window; return the count."""
    key = _rate_key(client_address)
    cache = caches[settings.RATE_LIMIT_CACHE]
    cache.add(key, 0, timeout=INQUIRY_RATE_WINDOW_S)
    try:
        return cache.incr(key)
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, timeout=INQUIRY_RATE_WINDOW_S)
        return 1


def inquiry_submit(
    *,
    kind: InquiryKind,
    name: str,
    email: str,
    subject: str,
    message: str,
    client_address: str,
    organisation: str = "",
    deadline: date | None = None,
    language: str = "en",
) -> Inquiry:
    """Store an inquiry and e-mail it to the association once stored.

    Raises InquiryRateLimitedError past INQUIRY_RATE_LIMIT per hour from one client address,
    and ValidationError (naming the field) for values the model refuses.
    """
    if _rate_count(client_address) > INQUIRY_RATE_LIMIT:
        raise InquiryRateLimitedError
    text: dict[str, str] = {}
    problems: dict[str, str] = {}
    for field, value in (("name", name), ("organisation", organisation), ("subject", subject)):
        try:
            text[field] = single_line_clean(value=value)
        except TextRefusedError as error:
            problems[field] = error.message
    try:
        text["message"] = multi_line_clean(value=message)
    except TextRefusedError as error:
        problems["message"] = error.message
    if problems:
        raise ValidationError(problems)
    inquiry = Inquiry(
        kind=kind,
        name=text["name"],
        email=email.strip(),
        organisation=text["organisation"],
        deadline=deadline,
        subject=text["subject"],
        message=text["message"],
        language=language,
    )
    inquiry.full_clean()
    with transaction.atomic():
        inquiry.save()
        inquiry_notify(inquiry=inquiry)
    logger.info("playbook inquiry %s (%s) received", inquiry.pk, inquiry.kind)
    return inquiry


def inquiry_notify(*, inquiry: Inquiry) -> None:
    """Queue the inquiry's e-mail to each recipient for its kind, sent after commit.

    The worker sends them; a mail server that is down leaves them failed in the delivery
    log, tried again later, and the inquiry is listed in the admin either way.
    """
    if inquiry.kind == InquiryKind.MEDIA:
        recipients = list(settings.JEWELGUARD_MEDIA_RECIPIENTS)
    else:
        recipients = list(settings.JEWELGUARD_CONTACT_RECIPIENTS)
    if not recipients:
        logger.warning("playbook inquiry %s: no recipients configured", inquiry.pk)
        return
    # The association works in the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        subject_line = render_to_string("playbook/email/inquiry_subject.txt", {"inquiry": inquiry})
        body = render_to_string("playbook/email/inquiry.txt", {"inquiry": inquiry})
    subject = " ".join(subject_line.split())
    if len(subject) > MAX_SUBJECT_LENGTH:
        subject = subject[: MAX_SUBJECT_LENGTH - 1] + "…"
    for recipient in recipients:
        try:
            email_send_on_commit(
                purpose="inquiry",
                recipient=recipient,
                subject=subject,
                body=body,
                reply_to=inquiry.email,
                language=settings.LANGUAGE_CODE,
                concerning=inquiry,
            )
        except ValidationError as error:
            # A misconfigured recipient must not lose the sender's inquiry; no address logged.
            logger.warning(
                "playbook inquiry %s: e-mail not queued (%s)",
                inquiry.pk,
                sorted(error.message_dict),
            )


def inquiry_mark_answered(*, inquiry: Inquiry) -> Inquiry:
    inquiry.status = InquiryStatus.ANSWERED
    inquiry.save(update_fields=["status"])
    return inquiry
