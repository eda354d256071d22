"""Template helpers of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or None: templates cannot index a dict by a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def plain_number(value: Any) -> str:
    """A number without a needless ".0", one decimal at most."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else str(rounded)
