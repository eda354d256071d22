"""Business hours: parsing a week of opening times, and asking whether a store is open."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class HoursError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class DayHours:
    weekday: int
    opens: time
    closes: time


def parse_time(*, field: str, value: str) -> time:
    try:
        parsed = time.fromisoformat(value.strip())
    except ValueError:
        raise HoursError(field, _("Use a 24-hour time such as 09:30.")) from None
    if parsed.second or parsed.microsecond or parsed.tzinfo:
        raise HoursError(field, _("Use hours and minutes only, such as 09:30."))
    return parsed


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


def is_open(
    *,
    at: datetime,
    time_zone: str,
    week: dict[int, tuple[time, time]],
    exceptions: dict[date, tuple[time, time] | None],
) -> bool:
    """Whether the store is open at an aware instant, judged on its own wall clock."""
    if at.tzinfo is None:
        raise ValueError("at must be timezone-aware")
    local = at.astimezone(ZoneInfo(time_zone))
    # A special day overrides the weekday, and None there means closed all day.
    span = exceptions.get(local.date(), week.get(local.weekday()))
    if span is None:
        return False
    return span[0] <= local.time().replace(tzinfo=None) < span[1]
