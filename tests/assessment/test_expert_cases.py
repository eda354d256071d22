"""Cases a security expert would agree with, scored by the shipped questionnaire (v1)."""

from __future__ import annotations

import pytest

from jewelguard.intel.levels import LocalCrimeLevel
from tests.assessment.conftest import score, typical_store


@pytest.mark.parametrize("setting", ["mall", "strip", "street"])
@pytest.mark.parametrize("safe", ["none", "tl_15"])
def test_stock_left_out_without_an_adequate_safe_puts_three_minute_burglary_on_top(setting, safe):
    # given a store that leaves 40% of its stock out overnight, with no safe or a TL-15,
    # and weak daytime defences too (ordinary glass, no buzzer)
    answers = typical_store() | {
        "store_setting": setting,
        "overnight_share": 40,
        "safe_rating": safe,
        "showcase_glass": "ordinary",
        "entry_buzzer": "no",
    }
    # when it is scored
    result = score(answers)
    # then three-minute burglary is the top risk, high or worse, and the sentence says why
    top = result.scores[0]
    assert top.scenario_id == "three_minute_burglary"
    assert top.level in ("high", "very_high")
    assert "40% of stock stays out of the safe overnight" in top.why
    # and the first recommendation is to put everything in the safe every night
    assert result.recommendations[0].control_id == "all_in_safe_nightly"


def test_the_sentence_names_the_local_crime_level_when_intel_knows_it():
    answers = typical_store() | {"store_setting": "street", "overnight_share": 40}
    level = LocalCrimeLevel.from_ratios({"three_minute_burglary": 2.3})
    top = score(answers, crime_level=level).scores[0]
    assert top.scenario_id == "three_minute_burglary"
    assert top.why.startswith("Three-minute burglary is very high because ")
    assert "40% of stock stays out of the safe overnight" in top.why
    assert "these crimes around the store are 2.3 times the regional rate" in top.why
    assert top.crime_level_known
    assert "not known" not in top.why


def test_the_sentence_is_in_french_for_a_french_speaking_member():
    answers = typical_store() | {"store_setting": "street", "overnight_share": 40}
    level = LocalCrimeLevel.from_ratios({"three_minute_burglary": 2.3})
    top = score(answers, crime_level=level, language="fr-ca").scores[0]
    assert top.why.startswith(
        "Risque très élevé pour « Cambriolage éclair de trois minutes », parce que "
    )
    assert "40 % du stock reste hors du coffre-fort la nuit" in top.why
    assert "2,3 fois le taux régional" in top.why


def test_unknown_local_crime_level_is_said_in_every_score():
    result = score(typical_store())
    assert not result.crime_level_known
    for scenario in result.scores:
        assert not scenario.crime_level_known
        assert "local crime level is not known yet" in scenario.why
        assert "local crime level is not known yet" in scenario.why_likelihood


def test_laminated_showcases_buzzer_and_guard_lower_smash_and_grab():
    # given the same mall store, once without and once with the three controls
    without = typical_store() | {
        "store_setting": "mall",
        "showcase_glass": "ordinary",
        "entry_buzzer": "no",
        "uniformed_guard": "no",
    }
    with_them = without | {
        "showcase_glass": "all_laminated",
        "entry_buzzer": "yes",
        "uniformed_guard": "yes",
    }
    before = score(without).score("smash_and_grab")
    after = score(with_them).score("smash_and_grab")
    # then smash-and-grab risk falls, by more than half, and vulnerability is what changed
    assert after.risk < before.risk / 2
    assert after.likelihood == before.likelihood
    assert after.vulnerability < before.vulnerability
    # and each control alone lowers it too
    for control in (
        {"showcase_glass": "all_laminated"},
        {"entry_buzzer": "yes"},
        {"uniformed_guard": "yes"},
    ):
        assert score(without | control).score("smash_and_grab").risk < before.risk


def test_owner_driving_goods_to_trade_shows_without_a_courier_puts_off_premises_near_the_top():
    answers = typical_store() | {
        "travels": "yes",
        "trade_shows": 6,
        "transport": "own_vehicle",
        "vehicle_rule": "no",
    }
    result = score(answers)
    assert result.rank("off_premises") <= 2
    assert result.score("off_premises").level in ("high", "very_high")
    assert "without a courier" in result.score("off_premises").why
    # and an armored courier brings it down to a small share of that
    courier = score(answers | {"transport": "armored_courier", "vehicle_rule": "yes"})
    assert courier.score("off_premises").risk < result.score("off_premises").risk / 2


def test_a_store_that_never_travels_has_off_premises_low():
    result = score(typical_store())
    assert result.score("off_premises").level == "low"
    assert "merchandise never leaves the store" in result.score("off_premises").why


def test_many_remote_orders_and_unverified_ship_to_changes_put_fraud_near_the_top():
    answers = typical_store() | {
        "remote_orders": "yes",
        "parcels_per_week": 30,
        "verify_changes": "no",
        "shipping_protocols": "no",
    }
    result = score(answers)
    assert result.rank("fraud") <= 2
    assert result.score("fraud").level in ("high", "very_high")
    recommended = [r.control_id for r in result.recommendations]
    assert recommended[0] == "verify_orders"
    # verifying changes with a known contact cuts fraud the most of the two controls
    verified = score(answers | {"verify_changes": "yes"}).score("fraud").risk
    boxed = score(answers | {"shipping_protocols": "yes"}).score("fraud").risk
    assert verified < boxed < result.score("fraud").risk


def test_a_well_protected_typical_store_has_no_high_risk():
    result = score(typical_store())
    assert all(s.level in ("low", "moderate") for s in result.scores)


def test_longer_opening_hours_raise_daytime_crimes_only():
    short = score(typical_store(), hours=40)
    long = score(typical_store(), hours=80)
    assert long.score("grab_and_run").risk > short.score("grab_and_run").risk
    assert long.score("safe_burglary").risk == short.score("safe_burglary").risk
    assert "the store is open 80 hours a week" in long.score("grab_and_run").why_likelihood
