"""Reads shared by every room: the e-mail delivery log."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import models

from jewelguard.core.models import EmailDelivery


def email_deliveries_latest(*, objects: Sequence[models.Model]) -> dict[int, EmailDelivery]:
    """The latest e-mail about each of ``objects`` (all of one model), keyed by their pk.

    The caller has already restricted ``objects`` to what its user may see; that is the
    only scope the log has.
    """
    if not objects:
        return {}
    content_type = ContentType.objects.get_for_model(objects[0])
    found: dict[int, EmailDelivery] = {}
    deliveries = EmailDelivery.objects.filter(
        concerning_type=content_type, concerning_id__in=[o.pk for o in objects]
    ).order_by("concerning_id", "-created_at", "-pk")
    for delivery in deliveries:
        if delivery.concerning_id is not None:
            found.setdefault(delivery.concerning_id, delivery)
    return found
