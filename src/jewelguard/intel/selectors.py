"""Reads of crime intelligence that other rooms may call. Keep them stable.

The crime-intelligence room does not exist yet, so :func:`local_crime_level` answers
"unknown" for every store. When intel lands it will count verified incidents of each scenario
in the store's H3 cells (and their neighbours) against the regional rate, with the same
signature, and every caller (the risk assessment first) picks the figures up unchanged.
"""

from __future__ import annotations

from jewelguard.accounts.models import Store
from jewelguard.intel.levels import LocalCrimeLevel

__all__ = ["LocalCrimeLevel", "local_crime_level"]


def local_crime_level(*, store: Store) -> LocalCrimeLevel:
    """How common each scenario is around ``store`` against the regional rate; unknown for now."""
    del store  # read once incidents exist: the store's h3_cell and its ring
    return LocalCrimeLevel.unknown()
