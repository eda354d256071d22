"""How the playbook writes its figures, in the active language."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def millions_label(cents: float) -> str:
    """Dollars in millions, one decimal: "$129.4M" in English, "129,4 M$" in French."""
    amount = number_format(cents / 100 / 1_000_000, decimal_pos=1)
    return _("$%(amount)sM") % {"amount": amount}


def count_label(value: float) -> str:
    return number_format(int(value), force_grouping=True)
