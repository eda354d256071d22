"""``{{ value|long_date }}``: core.dates.date_long in templates."""

from __future__ import annotations

from datetime import date, datetime

from django import template

from jewelguard.core.dates import date_long

register = template.Library()


@register.filter
def long_date(value: date | datetime | None) -> str:
    return date_long(value) if value else ""
