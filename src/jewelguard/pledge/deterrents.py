"""What a store's door and window signs may say, each only if the member confirmed it is true.

Drawn from the controls in the security guidance (eye-level cameras, all merchandise in the
safe nightly, split combinations, time locks, a monitored alarm, burglary-resistant glazing,
marked stock): the statements a burglar or a robber casing the store should read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Deterrent:
    id: str
    # What the member confirms in the form.
    claim: Promise
    # What the sign says.
    sign: Promise


DETERRENTS: tuple[Deterrent, ...] = (
    Deterrent(
        id="video_surveillance",
        claim=_("Cameras record the entrance, the showcases and the safe, day and night."),
        sign=_("24-hour video surveillance"),
    ),
    Deterrent(
        id="alarm_monitored",
        claim=_("The alarm is monitored around the clock by a central station."),
        sign=_("Alarm monitored 24/7"),
    ),
    Deterrent(
        id="merchandise_removed",
        claim=_("Every night, all merchandise is taken out of the windows and showcases."),
        sign=_("All merchandise is removed from display after hours"),
    ),
    Deterrent(
        id="staff_cannot_open_safe",
        claim=_("No single employee on duty can open the safe."),
        sign=_("Staff cannot open the safe"),
    ),
    Deterrent(
        id="time_delay_safe",
        claim=_("The safe has a time-delay lock."),
        sign=_("Time-delay safe in use"),
    ),
    Deterrent(
        id="burglary_resistant_glass",
        claim=_("Showcases and windows have burglary-resistant glass."),
        sign=_("Burglary-resistant glass"),
    ),
    Deterrent(
        id="marked_merchandise",
        claim=_("Merchandise is marked and recorded, so stolen pieces can be identified."),
        sign=_("Merchandise is marked for identification"),
    ),
)

DETERRENT_IDS: tuple[str, ...] = tuple(d.id for d in DETERRENTS)


def deterrents_in_order(ids: Iterable[str]) -> tuple[Deterrent, ...]:
    """The chosen deterrents in catalogue order; unknown ids are ignored."""
    chosen = set(ids)
    return tuple(d for d in DETERRENTS if d.id in chosen)
