"""Every write in the playbook room: contact and media inquiries."""

from __future__ import annotations

import logging
from datetime import date
from functools import partial

from django.conf import settings
from django.core.cache import caches
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac

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
    inquiry = Inquiry(
        kind=kind,
        name=name.strip(),
        email=email.strip(),
        organisation=organisation.strip(),
        deadline=deadline,
        subject=subject.strip(),
        message=message.strip(),
        language=language,
    )
    inquiry.full_clean()
    with transaction.atomic():
        inquiry.save()
        transaction.on_commit(partial(inquiry_notify, inquiry_id=inquiry.pk))
    logger.info("playbook inquiry %s (%s) received", inquiry.pk, inquiry.kind)
    return inquiry


def inquiry_notify(*, inquiry_id: int) -> None:
    """E-mail an inquiry to the recipients for its kind. A failure is logged, not raised:
    the inquiry is stored and listed in the admin either way."""
    inquiry = Inquiry.objects.get(pk=inquiry_id)
    if inquiry.kind == InquiryKind.MEDIA:
        recipients = list(settings.JEWELGUARD_MEDIA_RECIPIENTS)
    else:
        recipients = list(settings.JEWELGUARD_CONTACT_RECIPIENTS)
    if not recipients:
        logger.warning("playbook inquiry %s: no recipients configured", inquiry.pk)
        return
    # The association works in the site's default language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string("playbook/email/inquiry_subject.txt", {"inquiry": inquiry})
        body = render_to_string("playbook/email/inquiry.txt", {"inquiry": inquiry})
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=recipients,
        reply_to=[inquiry.email],
    )
    try:
        message.send()
    except Exception as exc:  # any transport failure: the inquiry stays stored
        logger.warning("playbook inquiry %s: e-mail not sent (%s)", inquiry.pk, type(exc).__name__)


def inquiry_mark_answered(*, inquiry: Inquiry) -> Inquiry:
    inquiry.status = InquiryStatus.ANSWERED
    inquiry.save(update_fields=["status"])
    return inquiry
