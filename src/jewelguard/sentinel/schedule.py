"""Open or closed: the store's business hours in its own time zone, and each camera's arming.

A camera passes ``is_open`` to its analyzer; "closed" arms the after-hours rules. A store is
open in its business hours (a holiday's hours replace the weekday's); a camera set to "armed"
treats the store as closed at all times, and its armed windows close it for those hours too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jewelguard.accounts.models import BusinessHours, HoursException, Store
from jewelguard.sentinel.models import Arming, Camera

Window = tuple[int, time, time]


@dataclass(frozen=True)
class Schedule:
    """What one camera needs to tell open from closed, read once and kept by the node."""

    time_zone: ZoneInfo
    week: dict[int, tuple[time, time]]
    exceptions: dict[date, tuple[time, time] | None]
    armed: bool
    armed_windows: tuple[Window, ...]

    def is_open(self, *, at: datetime) -> bool:
        local = at.astimezone(self.time_zone)
        if self.armed:
            return False
        now = local.time()
        for weekday, starts, ends in self.armed_windows:
            if weekday == local.weekday() and starts <= now < ends:
                return False
        if local.date() in self.exceptions:
            hours = self.exceptions[local.date()]
        else:
            hours = self.week.get(local.weekday())
        return hours is not None and hours[0] <= now < hours[1]


def armed_windows_parse(raw: object) -> tuple[Window, ...]:
    """Armed windows as stored (``[[weekday, "HH:MM", "HH:MM"], ...]``); ValueError if bad."""
    if not isinstance(raw, list) or len(raw) > 50:
        raise ValueError("armed windows must be a list of at most 50 windows")
    windows: list[Window] = []
    for item in raw:
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise ValueError("each armed window is a weekday, a start and an end")
        weekday, starts, ends = item
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6:
            raise ValueError("a window's weekday is 0 (Monday) to 6 (Sunday)")
        if not isinstance(starts, str) or not isinstance(ends, str):
            raise ValueError("a window's times are written HH:MM")
        start_time, end_time = time.fromisoformat(starts), time.fromisoformat(ends)
        if start_time >= end_time:
            raise ValueError("a window must start before it ends")
        windows.append((weekday, start_time, end_time))
    return tuple(windows)


def camera_schedule(*, camera: Camera) -> Schedule:
    """The schedule of ``camera``, read from its store's hours now."""
    store: Store = camera.store
    try:
        zone = ZoneInfo(store.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    week = {
        hours.weekday: (hours.opens, hours.closes)
        for hours in BusinessHours.objects.filter(store=store)
    }
    exceptions: dict[date, tuple[time, time] | None] = {
        exception.date: None
        if exception.opens is None or exception.closes is None
        else (exception.opens, exception.closes)
        for exception in HoursException.objects.filter(store=store)
    }
    try:
        windows = armed_windows_parse(camera.armed_windows)
    except ValueError:
        windows = ()
    return Schedule(
        time_zone=zone,
        week=week,
        exceptions=exceptions,
        armed=camera.arming == Arming.ARMED,
        armed_windows=windows,
    )
