"""The prioritised list: what each missing or weak control is, what it would take off, its cost."""

from __future__ import annotations

from django.utils import translation

from jewelguard.assessment.scoring import AnswerValue
from jewelguard.playbook.selectors import control_list, scenario_list
from tests.assessment.conftest import score, typical_store


def poorly_protected() -> dict[str, AnswerValue]:
    return typical_store() | {
        "store_setting": "street",
        "overnight_share": 40,
        "safe_rating": "tl_30x6",
        "alarm_certificate": "mercantile",
        "signal_paths": "one",
        "showcase_glass": "ordinary",
        "entry_buzzer": "no",
    }


def test_each_recommendation_says_what_why_how_much_cost_and_what_to_ask_for():
    result = score(poorly_protected())
    by_id = {r.control_id: r for r in result.recommendations}
    safe = by_id["safe_placement_rating"]
    assert safe.status == "weak" and safe.status_label == "only partly in place"
    assert "TRTL-30x6" in safe.ask_for
    assert safe.cost_band == "high" and safe.cost_label == "high cost"
    assert "UL 687" in safe.standards
    assert [s.scenario_id for s in safe.scenarios] == ["safe_burglary"]
    assert safe.scenarios[0].risk_after < safe.scenarios[0].risk_now
    assert safe.reduction == safe.scenarios[0].points > 0
    alarm = by_id["full_alarm_dual_path"]
    assert "central station" in alarm.ask_for and "two signal paths" in alarm.ask_for
    glass = by_id["laminated_showcases"]
    assert glass.status == "missing" and "UL 972" in glass.ask_for
    assert {s.scenario_id for s in glass.scenarios} == {"smash_and_grab", "three_minute_burglary"}
    assert glass.description  # what it is, from the playbook's catalogue
    assert 0 < glass.reduction_percent <= 100


def test_the_list_is_ordered_by_reduction_for_the_cost_and_numbered():
    recommendations = score(poorly_protected()).recommendations
    weight = {"low": 1, "medium": 2, "high": 3}
    values = [r.reduction / weight[r.cost_band] for r in recommendations]
    assert values == sorted(values, reverse=True)
    assert [r.priority for r in recommendations] == list(range(1, len(recommendations) + 1))


def test_a_control_in_place_is_not_recommended_and_unanswered_ones_are_not_guessed():
    result = score(poorly_protected() | {"entry_buzzer": "yes"})
    recommended = {r.control_id for r in result.recommendations}
    assert "entry_buzzer" not in recommended
    assert score({}).recommendations == ()
    # "not applicable" is neither in place nor missing
    assert "entry_buzzer" not in {
        r.control_id for r in score({"entry_buzzer": "not_applicable"}).recommendations
    }


def test_the_expected_reduction_is_what_the_model_gives_once_the_control_is_added():
    answers = poorly_protected()
    before = score(answers)
    glass = next(r for r in before.recommendations if r.control_id == "laminated_showcases")
    after = score(answers | {"showcase_glass": "all_laminated"})
    for reduction in glass.scenarios:
        assert after.score(reduction.scenario_id).risk == reduction.risk_after


def test_recommendations_are_in_french_for_a_french_speaking_member():
    result = score(poorly_protected(), language="fr-ca")
    glass = next(r for r in result.recommendations if r.control_id == "laminated_showcases")
    assert glass.ask_for.startswith("Des vitrines en verre conforme à UL 972")
    assert glass.cost_label == "coût élevé"
    assert glass.status_label == "manquante"
    with translation.override("fr-ca"):
        french = {c.id: c.name for c in control_list()}
        titles = {c.id: c.title for c in scenario_list()}
    assert glass.name == french["laminated_showcases"] != "Burglary-resistant showcase glass"
    assert glass.scenarios[0].title == titles[glass.scenarios[0].scenario_id]
