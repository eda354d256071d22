"""What a member should do next, as the dashboard's checklist shows it.

The accounts room knows only its own steps (stores, hours, staff). Rooms that read accounts
(the pledge, later assessments) add theirs by registering a provider when their app is
ready, so the dashboard lists every step without accounts reading the rooms above it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from jewelguard.accounts.models import Member


@dataclass(frozen=True)
class NextStep:
    """One item of the checklist: done, or a link to where to do it."""

    # Where in the checklist it stands; the smaller, the earlier.
    order: int
    label: str | Promise
    done: bool
    url: str
    # Said beside the label once done (e.g. "Pledged on 3 November 2026"), or why it waits.
    detail: str | Promise = ""


@dataclass(frozen=True)
class StatusPanel:
    """A card at the head of the dashboard: where the member stands on something."""

    order: int
    title: str | Promise
    lines: list[str | Promise] = field(default_factory=list)
    link_url: str = ""
    link_label: str | Promise = ""


@dataclass(frozen=True)
class MemberOverview:
    steps: list[NextStep] = field(default_factory=list)
    panels: list[StatusPanel] = field(default_factory=list)


OverviewProvider = Callable[[Member], MemberOverview]

_providers: list[OverviewProvider] = []


def overview_provider_register(*, provider: OverviewProvider) -> None:
    """Add a room's steps and panels to every member's dashboard (call from AppConfig.ready)."""
    if provider not in _providers:
        _providers.append(provider)


def overview_providers() -> tuple[OverviewProvider, ...]:
    return tuple(_providers)
