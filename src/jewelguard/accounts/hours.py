"""Business hours: the weekdays, and checking one day's opening times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Literal, get_args

from django.utils.translation import gettext as _

from jewelguard.core.errors import ServiceError

# The one list of weekdays, Monday first (0, as BusinessHours.weekday and date.weekday() count).
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = get_args(Weekday)


class HoursError(ServiceError):
    """A day's opening hours do not make sense; ``field`` names the day."""


@dataclass(frozen=True)
class DayHours:
    weekday: int
    opens: time
    closes: time


def check_day(
    *, field: str, weekday: int, opens: time | None, closes: time | None
) -> DayHours | None:
    """One weekday's hours, or None when closed; opening must come before closing."""
    if opens is None and closes is None:
        return None
    if opens is None or closes is None:
        raise HoursError(field, _("Give both an opening and a closing time, or neither if closed."))
    if any(t.second or t.microsecond or t.tzinfo for t in (opens, closes)):
        raise HoursError(field, _("Use hours and minutes only, such as 09:30."))
    if opens >= closes:
        raise HoursError(field, _("The store must open before it closes on the same day."))
    return DayHours(weekday=weekday, opens=opens, closes=closes)
