"""The platform's own crime statistics: incidents and losses counted from the data, never typed in.

Counted, as on the map: verified incidents shared in any way but "private" (police imports,
members' verified reports). Everyone, the public included, sees the same aggregates.

Small counts, so that no figure singles out one member's store (for anyone but the
association's analysts and administrators):

- when fewer than ``MIN_SHOWN`` incidents match the filters, no figure is shown at all;
- a row of a table (a month, a quarter, a scenario...) with 1 or 2 incidents shows "fewer than
  3" and no loss;
- states and provinces with fewer than ``MIN_SHOWN`` incidents are folded into "Other regions",
  and are not offered as a filter;
- a comparison is shown only when both of its periods hold ``MIN_SHOWN`` incidents or more.

Months, quarters and years are UTC calendar periods of ``occurred_from``. Losses are summed
per currency (U.S. and Canadian dollars are never added together), in integer cents.

Speed: the figures come from a tally of the counted incidents per month, scenario, state or
province, city and currency (``counted_tally``), built with one GROUP BY and kept in the cache
until any incident changes. Queries the tally cannot answer (a map area; dates that do not fall
on whole months) are counted in SQL.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.core.cache import cache
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import CharField, Count, F, Func, Max, QuerySet, Sum
from django.db.models.sql.compiler import SQLCompiler
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.errors import ServiceError
from jewelguard.core.permissions import Who
from jewelguard.intel.models import Currency, Incident, Verification, Visibility
from jewelguard.playbook.content import SCENARIO_IDS

MIN_SHOWN = 3
EARLIEST = date(1970, 1, 1)
MAX_CITY = 100
MAX_PARAM = 200
PERIODS = {
    "year": (gettext_lazy("the whole year"), 1, 12),
    "h1": (gettext_lazy("the first half"), 1, 6),
    "h2": (gettext_lazy("the second half"), 7, 12),
    "q1": (gettext_lazy("the first quarter"), 1, 3),
    "q2": (gettext_lazy("the second quarter"), 4, 6),
    "q3": (gettext_lazy("the third quarter"), 7, 9),
    "q4": (gettext_lazy("the fourth quarter"), 10, 12),
}
_REGION = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True)
class StatsQuery:
    """What the statistics (and the export) are filtered by; every part optional."""

    since: date | None = None
    until: date | None = None  # inclusive
    region: str = ""
    city: str = ""
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    scenario_id: str = ""
    # The comparison: ``period`` of ``year`` against the same period of ``baseline``.
    year: int | None = None
    baseline: int | None = None
    period: str = "year"

    def as_params(self) -> dict[str, str]:
        """The query string that gives this query back (for links to the CSV files)."""
        params = {
            "since": self.since.isoformat() if self.since else "",
            "until": self.until.isoformat() if self.until else "",
            "region": self.region,
            "city": self.city,
            "bbox": ",".join(f"{v:g}" for v in self.bbox) if self.bbox else "",
            "scenario": self.scenario_id,
            "year": str(self.year) if self.year else "",
            "baseline": str(self.baseline) if self.baseline else "",
            "period": self.period if self.period != "year" else "",
        }
        return {name: value for name, value in params.items() if value}


def _day(params: Mapping[str, str], name: str, today: date) -> date | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    try:
        day = date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise ServiceError(name, _("Give dates as YYYY-MM-DD, e.g. 2024-01-31."))
    if not EARLIEST <= day <= today:
        raise ServiceError(
            name,
            _("Choose a date from %(first)s to today.") % {"first": EARLIEST.isoformat()},
        )
    return day


def _year(params: Mapping[str, str], name: str, today: date) -> int | None:
    text = params.get(name, "").strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) == 4):
        raise ServiceError(name, _("Give a year as four digits, e.g. 2019."))
    year = int(text)
    if not EARLIEST.year <= year <= today.year:
        raise ServiceError(
            name,
            _("Choose a year from %(first)d to %(last)d.")
            % {"first": EARLIEST.year, "last": today.year},
        )
    return year


def _bbox(text: str) -> tuple[float, float, float, float]:
    refused = ServiceError(
        "bbox", _("Give the area as west,south,east,north in degrees, west before east.")
    )
    parts = text.split(",")
    if len(parts) != 4:
        raise refused
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise refused from None
    if not all(math.isfinite(v) for v in (west, south, east, north)):
        raise refused
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise refused
    return west, south, east, north


def stats_query_parse(*, params: Mapping[str, str], today: date) -> StatsQuery:
    """Read the filters from a query string; ServiceError naming the field for bad input."""
    for name, value in params.items():
        if len(value) > MAX_PARAM:
            raise ServiceError(name, _("This value is too long."))
    since, until = _day(params, "since", today), _day(params, "until", today)
    if since and until and until < since:
        raise ServiceError("until", _("The end date is before the start date."))
    region = params.get("region", "").strip().upper()
    if region and not _REGION.fullmatch(region):
        raise ServiceError("region", _("Give a state or province as two letters, e.g. CO."))
    city = " ".join(params.get("city", "").split())
    if len(city) > MAX_CITY or not city.isprintable():
        raise ServiceError("city", _("Give a city name of at most 100 characters."))
    bbox_text = params.get("bbox", "").strip()
    scenario_id = params.get("scenario", "").strip()
    if scenario_id and scenario_id not in SCENARIO_IDS:
        raise ServiceError("scenario", _("Choose one of the crime scenarios."))
    period = params.get("period", "").strip() or "year"
    if period not in PERIODS:
        raise ServiceError("period", _("Choose one of the periods offered."))
    return StatsQuery(
        since=since,
        until=until,
        region=region,
        city=city,
        bbox=_bbox(bbox_text) if bbox_text else None,
        scenario_id=scenario_id,
        year=_year(params, "year", today),
        baseline=_year(params, "baseline", today),
        period=period,
    )


def counted_incidents() -> QuerySet[Incident]:
    """What the statistics count: verified incidents not kept private (the map's rule)."""
    return Incident.objects.filter(verification=Verification.VERIFIED).exclude(
        visibility=Visibility.PRIVATE
    )


def incidents_filter(
    incidents: QuerySet[Incident], *, query: StatsQuery, dates: bool = True
) -> QuerySet[Incident]:
    """``incidents`` narrowed to the query's place, scenario and (with ``dates``) date range."""
    if query.region:
        incidents = incidents.filter(region=query.region)
    if query.city:
        incidents = incidents.filter(city__iexact=query.city)
    if query.bbox:
        west, south, east, north = query.bbox
        incidents = incidents.filter(
            latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east
        )
    if query.scenario_id:
        incidents = incidents.filter(scenario_id=query.scenario_id)
    if dates and query.since:
        incidents = incidents.filter(occurred_from__gte=_start(query.since))
    if dates and query.until:
        incidents = incidents.filter(occurred_from__lt=_start(query.until + timedelta(days=1)))
    return incidents


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


class _UTCMonth(Func):
    """``YYYY-MM`` of a timestamp in UTC, with the database's own functions (fast, no UDF)."""

    output_field = CharField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        # SQLite stores timestamps as UTC text, "YYYY-MM-DD HH:MM:SS...".
        sql, params = self.as_sql(compiler, connection, template="substr(%(expressions)s, 1, 7)")
        return sql, list(params)

    def as_postgresql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        sql, params = self.as_sql(
            compiler,
            connection,
            template="to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM')",
        )
        return sql, list(params)


@dataclass(frozen=True)
class Figure:
    """One row of a table: a period, a scenario or a region, with what happened there.

    ``count`` and ``lost_cents`` are None where the row is too small to show (see the module).
    """

    key: str
    count: int | None
    lost_cents: dict[str, int] | None
    share_percent: float | None = None
    small: bool = False


@dataclass(frozen=True)
class Comparison:
    period: str
    year: int
    baseline: int
    count: int
    baseline_count: int
    change_percent: int | None  # None: the baseline had none

    @property
    def direction(self) -> str:
        if self.change_percent is None or self.change_percent == 0:
            return "same" if self.change_percent == 0 else "new"
        return "up" if self.change_percent > 0 else "down"


@dataclass
class IncidentStats:
    total: int
    lost_cents: dict[str, int]
    currencies: list[str]
    too_few: bool
    years: list[Figure] = field(default_factory=list)
    quarters: list[Figure] = field(default_factory=list)
    months: list[Figure] = field(default_factory=list)
    scenarios: list[Figure] = field(default_factory=list)
    regions: list[Figure] = field(default_factory=list)
    comparison: Comparison | None = None
    comparison_withheld: bool = False
    years_available: list[int] = field(default_factory=list)


OTHER_REGIONS = "other"


def _add(into: dict[str, dict[str, int]], key: str, currency: str, lost: int) -> None:
    into.setdefault(key, {}).setdefault(currency, 0)
    into[key][currency] += lost


def _figures(
    counts: Mapping[str, int],
    losses: Mapping[str, Mapping[str, int]],
    *,
    keys: Iterable[str],
    floor: int,
    total: int | None = None,
) -> list[Figure]:
    rows = []
    for key in keys:
        count = counts.get(key, 0)
        small = 0 < count < floor
        share = round(100 * count / total, 1) if total and not small else None
        rows.append(
            Figure(
                key=key,
                count=None if small else count,
                lost_cents=None if small else dict(losses.get(key, {})),
                share_percent=share,
                small=small,
            )
        )
    return rows


def _months_between(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# One row of a tally: month ("YYYY-MM"), scenario, region, city, currency, incidents, cents lost.
TallyRow = tuple[str, str, str, str, str, int, int]
TALLY_CACHE_SECONDS = 24 * 3600
_memo: dict[str, tuple[str, list[TallyRow]]] = {}


def _tally_rows(incidents: QuerySet[Incident]) -> list[TallyRow]:
    rows = (
        incidents.order_by()
        .annotate(month=_UTCMonth(F("occurred_from")))
        .values_list("month", "scenario_id", "region", "city", "currency")
        .annotate(count=Count("pk"), lost=Sum("property_lost_cents"))
    )
    return [(m, s, r, c, cur, n, lost or 0) for m, s, r, c, cur, n, lost in rows]


def _stamp() -> str:
    """What changes whenever an incident is added, removed or changed (every write to an
    incident sets ``updated_at``): the tally is rebuilt when it does."""
    # Three queries, each answered from an index (together, SQLite would scan the table).
    everything = Incident.objects.order_by()
    count = everything.count()
    last_id = everything.aggregate(last=Max("pk"))["last"]
    last_change = everything.aggregate(last=Max("updated_at"))["last"]
    return f"{count}:{last_id}:{last_change.isoformat() if last_change else ''}"


def counted_tally() -> list[TallyRow]:
    """Every counted incident, added up per month, scenario, region, city and currency.

    A GROUP BY over the whole table is seconds at a million incidents, so the tally is kept in
    the cache (shared by every process when Redis is set) under the data's stamp, and in this
    process, until an incident changes.
    """
    stamp = _stamp()
    held = _memo.get("tally")
    if held is not None and held[0] == stamp:
        return held[1]
    key = "intel:stats:tally:" + hashlib.sha256(stamp.encode()).hexdigest()[:32]
    rows: list[TallyRow] | None = cache.get(key)
    if rows is None:
        rows = _tally_rows(counted_incidents())
        cache.set(key, rows, TALLY_CACHE_SECONDS)
    _memo["tally"] = (stamp, rows)
    return rows


def _month_aligned(query: StatsQuery) -> bool:
    """Whether the date range falls on whole months, so that a monthly tally answers it."""
    if query.since and query.since.day != 1:
        return False
    return not query.until or (query.until + timedelta(days=1)).day == 1


def _rows(query: StatsQuery, *, dates: bool) -> list[TallyRow]:
    """The tally rows for ``query``: from the kept tally where it can answer, else from SQL."""
    if query.bbox or (dates and not _month_aligned(query)):
        return _tally_rows(incidents_filter(counted_incidents(), query=query, dates=dates))
    first = f"{query.since:%Y-%m}" if dates and query.since else ""
    last = f"{query.until:%Y-%m}" if dates and query.until else "9999-99"
    city = query.city.casefold()
    return [
        row
        for row in counted_tally()
        if (not query.region or row[2] == query.region)
        and (not city or row[3].casefold() == city)
        and (not query.scenario_id or row[1] == query.scenario_id)
        and first <= row[0] <= last
    ]


_results: dict[tuple[StatsQuery, int], IncidentStats] = {}
_results_stamp: list[str] = [""]
MAX_RESULTS_KEPT = 256


def incident_stats(*, user: Who, query: StatsQuery) -> IncidentStats:
    """Every figure of the statistics page for ``query``, following the small-counts rule.

    The answer is kept in this process until an incident changes, as the tally is. Callers
    must not change it.
    """
    floor = 1 if user_is_association_staff(user=user) else MIN_SHOWN
    stamp = _stamp()
    if _results_stamp[0] != stamp or len(_results) >= MAX_RESULTS_KEPT:
        _results.clear()
        _results_stamp[0] = stamp
    found = _results.get((query, floor))
    if found is None:
        found = _results[(query, floor)] = _incident_stats(query=query, floor=floor)
    return found


def _incident_stats(*, query: StatsQuery, floor: int) -> IncidentStats:
    months: dict[str, int] = {}
    month_losses: dict[str, dict[str, int]] = {}
    scenarios: dict[str, int] = {}
    scenario_losses: dict[str, dict[str, int]] = {}
    regions: dict[str, int] = {}
    region_losses: dict[str, dict[str, int]] = {}
    lost: dict[str, int] = {}
    rows = _rows(query, dates=True)
    for month, scenario_id, region, _city, currency, count, lost_cents in rows:
        months[month] = months.get(month, 0) + count
        _add(month_losses, month, currency, lost_cents)
        scenarios[scenario_id] = scenarios.get(scenario_id, 0) + count
        _add(scenario_losses, scenario_id, currency, lost_cents)
        regions[region] = regions.get(region, 0) + count
        _add(region_losses, region, currency, lost_cents)
        lost[currency] = lost.get(currency, 0) + lost_cents
    total = sum(months.values())
    currencies = [c for c in Currency.values if c in lost] or [Currency.USD.value]
    if total < floor:
        return IncidentStats(total=total, lost_cents={}, currencies=currencies, too_few=True)
    quarters: dict[str, int] = {}
    quarter_losses: dict[str, dict[str, int]] = {}
    years: dict[str, int] = {}
    year_losses: dict[str, dict[str, int]] = {}
    for month, count in months.items():
        quarter = f"{month[:4]}-Q{(int(month[5:7]) - 1) // 3 + 1}"
        quarters[quarter] = quarters.get(quarter, 0) + count
        years[month[:4]] = years.get(month[:4], 0) + count
        for currency, cents in month_losses[month].items():
            _add(quarter_losses, quarter, currency, cents)
            _add(year_losses, month[:4], currency, cents)
    all_months = _months_between(min(months), max(months))
    all_years = [str(y) for y in range(int(min(years)), int(max(years)) + 1)]
    all_quarters = [f"{y}-Q{q}" for y in all_years for q in range(1, 5)]
    all_quarters = [q for q in all_quarters if min(quarters) <= q <= max(quarters)]
    stats = IncidentStats(
        total=total,
        lost_cents=lost,
        currencies=currencies,
        too_few=False,
        years=_figures(years, year_losses, keys=all_years, floor=floor),
        quarters=_figures(quarters, quarter_losses, keys=all_quarters, floor=floor),
        months=_figures(months, month_losses, keys=all_months, floor=floor),
        scenarios=_figures(
            scenarios,
            scenario_losses,
            keys=sorted(scenarios, key=lambda s: (-scenarios[s], s)),
            floor=floor,
            total=total,
        ),
        regions=_regions(regions, region_losses, floor=floor, total=total),
    )
    dated = bool(query.since or query.until)
    _compare(stats, rows=_rows(query, dates=False) if dated else rows, query=query, floor=floor)
    return stats


def _regions(
    counts: dict[str, int], losses: dict[str, dict[str, int]], *, floor: int, total: int
) -> list[Figure]:
    folded_count = 0
    folded_losses: dict[str, dict[str, int]] = {}
    for region in [r for r, n in counts.items() if n < floor or not r]:
        folded_count += counts.pop(region)
        for currency, cents in losses.pop(region).items():
            _add(folded_losses, OTHER_REGIONS, currency, cents)
    keys = sorted(counts, key=lambda r: (-counts[r], r))
    if folded_count:
        counts[OTHER_REGIONS] = folded_count
        losses.update(folded_losses)
        keys.append(OTHER_REGIONS)
    return _figures(counts, losses, keys=keys, floor=floor, total=total)


def _compare(stats: IncidentStats, *, rows: list[TallyRow], query: StatsQuery, floor: int) -> None:
    """Fill ``stats.comparison``: a period of one year against the same period of another.

    The place and scenario filters apply; the date range does not (it would hide the years).
    """
    years = sorted(int(f.key) for f in stats.years)
    stats.years_available = years
    year = query.year or years[-1]
    baseline = query.baseline or (year - 1)
    _label, first_month, last_month = PERIODS[query.period]
    per_month: dict[str, int] = {}
    for row in rows:
        per_month[row[0]] = per_month.get(row[0], 0) + row[5]

    def count_in(of_year: int) -> int:
        first, last = f"{of_year:04d}-{first_month:02d}", f"{of_year:04d}-{last_month:02d}"
        return sum(n for month, n in per_month.items() if first <= month <= last)

    count, baseline_count = count_in(year), count_in(baseline)
    if count < floor or baseline_count < floor:
        stats.comparison_withheld = True
        return
    change = round(100 * (count - baseline_count) / baseline_count) if baseline_count else None
    stats.comparison = Comparison(
        period=query.period,
        year=year,
        baseline=baseline,
        count=count,
        baseline_count=baseline_count,
        change_percent=change,
    )


def region_choices(*, user: Who) -> list[str]:
    """States and provinces offered as a filter: those with enough incidents to show."""
    floor = 1 if user_is_association_staff(user=user) else MIN_SHOWN
    counts: dict[str, int] = {}
    for row in counted_tally():
        if row[2]:
            counts[row[2]] = counts.get(row[2], 0) + row[5]
    return sorted(region for region, count in counts.items() if count >= floor)
