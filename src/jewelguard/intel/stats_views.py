"""The statistics page, its CSV files, and the incidents export (CSV, GeoJSON) for police."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Callable, Iterator
from itertools import islice
from typing import Any

from asgiref.sync import sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.handlers.asgi import ASGIRequest
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.charts import bar_chart
from jewelguard.core.errors import ServiceError
from jewelguard.intel import export, stats
from jewelguard.playbook.numbers import count_label
from jewelguard.playbook.selectors import scenario_list

TABLES = ("years", "quarters", "months", "scenarios", "regions")
MANY_BARS = 16


def _query(request: HttpRequest) -> stats.StatsQuery:
    params = {name: request.GET.get(name, "") for name in request.GET}
    return stats.stats_query_parse(params=params, today=timezone.now().date())


def _money(cents: int, currency: str) -> str:
    amount = number_format(cents // 100, force_grouping=True)
    if currency == "CAD":
        return _("CA$%(amount)s") % {"amount": amount}
    return _("$%(amount)s") % {"amount": amount}


def _scenario_titles() -> dict[str, str]:
    return {scenario.id: scenario.title for scenario in scenario_list()}


def _key_label(table: str, key: str, titles: dict[str, str]) -> str:
    if table == "scenarios":
        return titles.get(key, key)
    if table == "regions":
        return _("Other regions") if key == stats.OTHER_REGIONS else key
    return key


def _row_cells(
    figure: stats.Figure, currencies: list[str], *, share: bool
) -> tuple[str, list[str]]:
    """The incidents cell and the other cells of a table row, as the page writes them."""
    if figure.small:
        hidden = [_("fewer than 3")] + ([""] if share else []) + ["" for _c in currencies]
        return hidden[0], hidden[1:]
    cells = []
    if share:
        cells.append(number_format(figure.share_percent or 0, decimal_pos=1) + "\u00a0%")
    assert figure.lost_cents is not None
    cells += [_money(figure.lost_cents.get(c, 0), c) for c in currencies]
    return count_label(figure.count or 0), cells


def _table(
    figures: list[stats.Figure],
    *,
    table: str,
    currencies: list[str],
    titles: dict[str, str],
) -> list[dict[str, Any]]:
    share = table in ("scenarios", "regions")
    rows = []
    for figure in figures:
        count, cells = _row_cells(figure, currencies, share=share)
        rows.append(
            {"label": _key_label(table, figure.key, titles), "count": count, "cells": cells}
        )
    return rows


def _chart(
    figures: list[stats.Figure],
    *,
    labels: list[str],
    value: Callable[[stats.Figure], float],
    value_label: Callable[[stats.Figure], str],
    tick_format: Callable[[float], str] = count_label,
) -> Any:
    many = len(figures) > MANY_BARS
    return bar_chart(
        [value(f) for f in figures],
        labels=labels,
        value_labels=["" if many else value_label(f) for f in figures],
        tick_format=tick_format,
        label_every=max(1, len(figures) // 8) if many else 1,
    )


def _count_of(figure: stats.Figure) -> float:
    return float(figure.count or 0)


def _charts(result: stats.IncidentStats, titles: dict[str, str]) -> dict[str, Any]:
    usd = result.currencies[0]
    return {
        "years_chart": _chart(
            result.years,
            labels=[f.key for f in result.years],
            value=_count_of,
            value_label=lambda f: "<3" if f.small else count_label(f.count or 0),
        ),
        "losses_chart": _chart(
            result.years,
            labels=[f.key for f in result.years],
            value=lambda f: (f.lost_cents or {}).get(usd, 0) / 100,
            value_label=lambda f: "" if f.small else _money((f.lost_cents or {}).get(usd, 0), usd),
            tick_format=lambda dollars: _money(int(dollars * 100), usd),
        ),
        "quarters_chart": _chart(
            result.quarters,
            labels=[f.key.replace("-", " ") for f in result.quarters],
            value=_count_of,
            value_label=lambda f: "<3" if f.small else count_label(f.count or 0),
        ),
        "scenarios_chart": _chart(
            result.scenarios,
            labels=[str(i) for i, _f in enumerate(result.scenarios, start=1)],
            value=_count_of,
            value_label=lambda f: "<3" if f.small else count_label(f.count or 0),
        ),
    }


def _comparison_text(comparison: stats.Comparison) -> str:
    label = stats.PERIODS[comparison.period][0]
    values = {
        "period": label,
        "year": comparison.year,
        "baseline": comparison.baseline,
        "count": count_label(comparison.count),
        "baseline_count": count_label(comparison.baseline_count),
        "change": abs(comparison.change_percent or 0),
    }
    if comparison.direction == "up":
        text = _(
            "Incidents in %(period)s of %(year)s: %(count)s, up %(change)s%% against "
            "%(period)s of %(baseline)s (%(baseline_count)s)."
        )
    elif comparison.direction == "down":
        text = _(
            "Incidents in %(period)s of %(year)s: %(count)s, down %(change)s%% against "
            "%(period)s of %(baseline)s (%(baseline_count)s)."
        )
    else:
        text = _(
            "Incidents in %(period)s of %(year)s: %(count)s, the same as in %(period)s of "
            "%(baseline)s."
        )
    return text % values


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    """The platform's own statistics, computed from the incidents; open to everyone."""
    titles = _scenario_titles()
    context: dict[str, Any] = {
        "scenarios": sorted(titles.items(), key=lambda item: item[1]),
        "regions": stats.region_choices(user=request.user),
        "periods": [(key, label) for key, (label, _f, _l) in stats.PERIODS.items()],
        "params": request.GET,
        "min_shown": stats.MIN_SHOWN,
        "exact": user_is_association_staff(user=request.user),
        "may_export": export.user_may_export(user=request.user),
    }
    try:
        query = _query(request)
    except ServiceError as error:
        context["error"] = error
        return render(request, "intel/stats.html", context, status=400)
    result = stats.incident_stats(user=request.user, query=query)
    query_string = urlencode(query.as_params())
    context.update(query=query, result=result, query_string=query_string)
    if not result.too_few:
        context.update(_charts(result, titles))
        context["scenario_keys"] = [
            (i, titles.get(f.key, f.key)) for i, f in enumerate(result.scenarios, start=1)
        ]
        context["tables"] = [
            {
                "name": name,
                "heading": heading,
                "first": first,
                "share": name in ("scenarios", "regions"),
                "rows": _table(
                    getattr(result, name),
                    table=name,
                    currencies=result.currencies,
                    titles=titles,
                ),
            }
            for name, heading, first in (
                ("years", _("By year"), _("Year")),
                ("quarters", _("By quarter"), _("Quarter")),
                ("months", _("By month"), _("Month")),
                ("scenarios", _("By scenario"), _("Scenario")),
                ("regions", _("By state or province"), _("State or province")),
            )
        ]
        context["loss_headings"] = [
            _("Losses (%(currency)s)") % {"currency": c} for c in result.currencies
        ]
        context["total_lost"] = [_money(result.lost_cents.get(c, 0), c) for c in result.currencies]
        context["total"] = count_label(result.total)
        if result.comparison:
            context["comparison_text"] = _comparison_text(result.comparison)
    return render(request, "intel/stats.html", context)


def _refused(error: ServiceError) -> HttpResponse:
    return HttpResponse(
        f"{error.field}: {error.message}\n", status=400, content_type="text/plain; charset=utf-8"
    )


@require_GET
def statistics_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the statistics page as CSV, with a header row; small rows as "<3"."""
    if table not in TABLES:
        return _refused(ServiceError("table", _("There is no such table.")))
    try:
        query = _query(request)
    except ServiceError as error:
        return _refused(error)
    result = stats.incident_stats(user=request.user, query=query)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    share = table in ("scenarios", "regions")
    first = {"years": "year", "quarters": "quarter", "months": "month"}.get(table, table[:-1])
    writer.writerow(
        [
            first,
            "incidents",
            *(["share_percent"] if share else []),
            *(f"losses_{c.lower()}" for c in result.currencies),
        ]
    )
    for figure in [] if result.too_few else getattr(result, table):
        if figure.small:
            writer.writerow(
                [figure.key, "<3", *([""] if share else []), *("" for _c in result.currencies)]
            )
            continue
        assert figure.lost_cents is not None
        writer.writerow(
            [
                figure.key,
                figure.count,
                *([f"{figure.share_percent:.1f}"] if share else []),
                *(f"{figure.lost_cents.get(c, 0) / 100:.2f}" for c in result.currencies),
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="jewelguard-incidents-{table}.csv"'
    return response


def _streamed(request: HttpRequest, parts: Iterator[str]) -> Iterator[str] | AsyncIterator[str]:
    """Under ASGI an async iterator (Django would read a sync one whole into memory first)."""
    if not isinstance(request, ASGIRequest):
        return parts

    def batch() -> str:
        return "".join(islice(parts, 200))

    async def chunks() -> AsyncIterator[str]:
        while text := await sync_to_async(batch, thread_sensitive=True)():
            yield text

    return chunks()


def _export(request: HttpRequest, kind: str) -> HttpResponse | StreamingHttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not export.user_may_export(user=request.user):
        raise PermissionDenied
    try:
        query = _query(request)
    except ServiceError as error:
        return _refused(error)
    incidents = export.export_incidents(user=request.user, query=query)
    if kind == "csv":
        response = StreamingHttpResponse(
            _streamed(request, export.export_csv_lines(incidents=incidents)),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = StreamingHttpResponse(
            _streamed(request, export.export_geojson_parts(incidents=incidents)),
            content_type="application/geo+json",
        )
    response["Content-Disposition"] = f'attachment; filename="jewelguard-incidents.{kind}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _export(request, "csv")


@require_GET
def export_geojson(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    return _export(request, "geojson")
