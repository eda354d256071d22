"""Dates as a reader of each language writes them."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import get_language


def date_long(value: date | datetime) -> str:
    """The date in the active language's long form: "Dec. 1, 2026", "1er décembre 2026".

    French writes the first of the month as an ordinal (1er), which no Django date format
    can express. A datetime is read in the current time zone.
    """
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    text = formats.date_format(value, "DATE_FORMAT")
    if value.day == 1 and (get_language() or "").startswith("fr") and text.startswith("1 "):
        text = "1er " + text[2:]
    return text
