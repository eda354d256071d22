"""The local crime level that intel will provide: unknown until incidents exist."""

from __future__ import annotations

import math

import pytest

from jewelguard.intel.levels import LocalCrimeLevel


def test_an_unknown_level_knows_no_scenario():
    level = LocalCrimeLevel.unknown()
    assert not level.known
    assert level.ratio("smash_and_grab") is None


def test_a_known_level_gives_its_ratios_and_nothing_it_was_not_told():
    level = LocalCrimeLevel.from_ratios({"three_minute_burglary": 2.3, "fraud": 0.5})
    assert level.ratio("three_minute_burglary") == 2.3
    assert level.ratio("fraud") == 0.5
    assert level.ratio("smash_and_grab") is None
    assert level == LocalCrimeLevel.from_ratios({"fraud": 0.5, "three_minute_burglary": 2.3})


@pytest.mark.parametrize("ratio", [-0.1, math.nan, math.inf])
def test_a_ratio_that_is_not_a_finite_non_negative_number_is_refused(ratio):
    with pytest.raises(ValueError, match="smash_and_grab"):
        LocalCrimeLevel.from_ratios({"smash_and_grab": ratio})
