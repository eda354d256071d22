"""The industry's figures in a sentence, for pages outside the playbook (the front page)."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from jewelguard.playbook import selectors
from jewelguard.playbook.numbers import count_label, millions_label

register = template.Library()


@register.simple_tag
def industry_lead() -> str:
    """What the statistics page shows, in one sentence: only what the figures say."""
    years = selectors.industry_figures()
    if not years:
        return ""
    first, last = years[0], years[-1]
    peak = max(years, key=lambda y: y.crimes)
    low = min(years, key=lambda y: y.losses_cents)
    high = max(years, key=lambda y: y.losses_cents)
    return _(
        "Crimes against U.S. jewelers numbered %(first)s in %(first_year)s, peaked at "
        "%(peak)s in %(peak_year)s and were %(last)s in %(last_year)s; their losses ranged "
        "from %(low)s (%(low_year)s) to %(high)s (%(high_year)s) a year (Jewelers' Security "
        "Alliance)."
    ) % {
        "first": count_label(first.crimes),
        "first_year": first.year,
        "peak": count_label(peak.crimes),
        "peak_year": peak.year,
        "last": count_label(last.crimes),
        "last_year": last.year,
        "low": millions_label(low.losses_cents),
        "low_year": low.year,
        "high": millions_label(high.losses_cents),
        "high_year": high.year,
    }
