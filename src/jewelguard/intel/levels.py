"""The local crime level: how common each scenario is around a store against the regional rate.

The value lives in intel, which owns incidents; the assessment reads it (the arrows run
assessment -> intel, never back).
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class LocalCrimeLevel:
    """Per scenario, incidents around the store's cells divided by the regional rate.

    ``ratios`` holds ``(scenario_id, ratio)`` pairs (1.0: as common as in the region; 2.3:
    2.3 times as common). A scenario without a pair, or a level with ``known`` false, is
    unknown: the caller must say so rather than guess.
    """

    known: bool
    ratios: tuple[tuple[str, float], ...] = ()
    # What the ratios compare against, for explanations: "regional" or "national".
    baseline: str = "regional"

    def __post_init__(self) -> None:
        for scenario_id, ratio in self.ratios:
            if not math.isfinite(ratio) or ratio < 0:
                raise ValueError(f"crime ratio for {scenario_id} must be finite and >= 0")

    @classmethod
    def unknown(cls) -> LocalCrimeLevel:
        return cls(known=False)

    @classmethod
    def from_ratios(cls, ratios: dict[str, float], baseline: str = "regional") -> LocalCrimeLevel:
        return cls(known=True, ratios=tuple(sorted(ratios.items())), baseline=baseline)

    def ratio(self, scenario_id: str) -> float | None:
        """The ratio for ``scenario_id``, or None where it is not known."""
        if not self.known:
            return None
        for known_id, ratio in self.ratios:
            if known_id == scenario_id:
                return ratio
        return None
