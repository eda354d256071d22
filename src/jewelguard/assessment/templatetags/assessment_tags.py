"""Template helpers of the assessment pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """``mapping[key]``, or None: templates cannot index a dict by a variable."""
    return mapping.get(key) if hasattr(mapping, "get") else None
