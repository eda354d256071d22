"""What rooms put on the front page: core knows no room, so each registers its own part.

A room registers a function returning one sentence for the front page's lead (or "" for none)
in its ``AppConfig.ready``; the front page shows them in the order registered.
"""

from __future__ import annotations

from collections.abc import Callable

_leads: list[Callable[[], str]] = []


def home_lead_register(*, provider: Callable[[], str]) -> None:
    if provider not in _leads:
        _leads.append(provider)


def home_leads() -> list[str]:
    return [text for text in (provider() for provider in _leads) if text]
