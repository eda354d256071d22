"""Content is checked at start-up; a broken file names the file, the item and the field."""

from __future__ import annotations

import copy
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jewelguard.playbook.content import CONTENT_DIR, SCENARIO_IDS, playbook, playbook_load

REFERENCE_CONTROL_IDS = {
    "laminated_showcases",
    "showcase_glassbreak_alarm",
    "spread_high_value",
    "entry_buzzer",
    "uniformed_guard",
    "eye_level_cameras",
    "casing_awareness",
    "show_one_item",
    "retest_returns",
    "locked_cases_keys",
    "no_resist_policy",
    "two_person_open_close",
    "all_in_safe_nightly",
    "safe_placement_rating",
    "full_alarm_dual_path",
    "alarm_response_rules",
    "bollards",
    "fog_generator",
    "travel_protocols",
    "shipping_protocols",
    "verify_orders",
    "staff_screening",
}


def content_copy(directory: Path) -> Path:
    target = directory / "content"
    shutil.copytree(CONTENT_DIR, target)
    return target


def edit(directory: Path, filename: str, change: Callable[[dict[str, Any]], None]) -> None:
    path = directory / filename
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    change(data)
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def load_edited(directory: Path, filename: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load a copy of the shipped content, in ``directory``, with one file changed."""
    content = content_copy(directory)
    edit(content, filename, change)
    playbook_load(content)


def scenario(data: dict[str, Any], scenario_id: str) -> dict[str, Any]:
    return next(s for s in data["scenarios"] if s["id"] == scenario_id)


def control(data: dict[str, Any], control_id: str) -> dict[str, Any]:
    return next(c for c in data["controls"] if c["id"] == control_id)


def test_shipped_content_has_the_ten_scenarios_and_the_reference_controls():
    book = playbook_load()
    assert tuple(s.id for s in book.scenarios) == SCENARIO_IDS
    assert {c.id for c in book.controls} == REFERENCE_CONTROL_IDS
    assert [y.year for y in book.years] == [2019, 2020, 2021, 2022, 2023, 2024]


def test_shipped_content_is_what_the_app_loaded_at_start_up():
    assert playbook().version == playbook_load().version


def test_any_edit_to_a_content_file_changes_the_content_version(tmp_path):
    # the version is part of every staff card's cache key: an edit must not serve old cards
    content = content_copy(tmp_path)
    before = playbook_load(content).version
    edit(content, "figures.yaml", lambda d: d["years"][0].update(crimes=1439))
    assert playbook_load(content).version != before


def test_every_scenario_says_never_intervene_in_its_first_steps():
    for item in playbook_load().scenarios:
        first_steps = " ".join(step.en.lower() for step in item.what_to_do[:2])
        assert "do not" in first_steps or "never" in first_steps, item.id


def test_unknown_control_id_names_file_scenario_and_id(tmp_path):
    # given a scenario that names a control the catalogue does not have
    # when the content is loaded, then the error says where
    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(
            tmp_path,
            "scenarios.yaml",
            lambda d: scenario(d, "smash_and_grab")["controls"].append("laminated_showcase"),
        )
    assert str(error.value) == (
        "scenarios.yaml: scenario smash_and_grab: unknown control id 'laminated_showcase'"
    )


def test_missing_french_text_names_the_field(tmp_path):
    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(
            tmp_path, "scenarios.yaml", lambda d: scenario(d, "fraud")["summary"].pop("fr-ca")
        )
    assert str(error.value) == (
        "scenarios.yaml: scenario fraud: field 'summary' is missing its French text (fr-ca)"
    )


def test_blank_french_step_names_the_step(tmp_path):
    def blank_step(data: dict[str, Any]) -> None:
        scenario(data, "armed_robbery")["what_to_do"][2]["fr-ca"] = "   "

    with pytest.raises(
        ImproperlyConfigured, match=r"scenario armed_robbery: field 'what_to_do\[2\]'"
    ):
        load_edited(tmp_path, "scenarios.yaml", blank_step)


def test_missing_french_in_a_control_names_the_control(tmp_path):
    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(
            tmp_path, "controls.yaml", lambda d: control(d, "bollards")["effect"].pop("fr-ca")
        )
    assert str(error.value) == (
        "controls.yaml: control bollards: field 'effect' is missing its French text (fr-ca)"
    )


def test_duplicate_scenario_id_is_refused(tmp_path):
    def duplicate(data: dict[str, Any]) -> None:
        data["scenarios"].insert(1, copy.deepcopy(scenario(data, "smash_and_grab")))

    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(tmp_path, "scenarios.yaml", duplicate)
    assert str(error.value) == "scenarios.yaml: scenario smash_and_grab: duplicate scenario id"


def test_control_mitigating_a_scenario_that_does_not_list_it_is_refused(tmp_path):
    # given the guard claims to help against fraud, but the fraud scenario does not list it
    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(
            tmp_path,
            "controls.yaml",
            lambda d: control(d, "uniformed_guard")["scenarios"].append("fraud"),
        )
    message = str(error.value)
    assert message.startswith("controls.yaml: control uniformed_guard: mitigates scenario 'fraud'")
    assert "scenarios.yaml scenario fraud field 'controls'" in message


def test_scenario_listing_a_control_that_does_not_mitigate_it_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(
            tmp_path,
            "scenarios.yaml",
            lambda d: scenario(d, "fraud")["controls"].append("bollards"),
        )
    assert str(error.value) == (
        "controls.yaml: control bollards: field 'scenarios' does not list 'fraud', "
        "whose controls include it"
    )


def test_step_too_long_for_the_staff_card_is_refused(tmp_path):
    def lengthen(data: dict[str, Any]) -> None:
        scenario(data, "switch_theft")["what_to_do"][0]["fr-ca"] = "Vérifiez " * 40

    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(tmp_path, "scenarios.yaml", lengthen)
    assert str(error.value) == (
        "scenarios.yaml: scenario switch_theft: field 'what_to_do[0]' is longer than "
        "200 characters (fr-ca)"
    )


def test_unknown_cost_band_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="control bollards: field 'cost_band'"):
        load_edited(
            tmp_path, "controls.yaml", lambda d: control(d, "bollards").update(cost_band="cheap")
        )


def test_missing_scenario_is_refused(tmp_path):
    with pytest.raises(ImproperlyConfigured) as error:
        load_edited(tmp_path, "scenarios.yaml", lambda d: d["scenarios"].pop())
    assert str(error.value) == "scenarios.yaml: scenario insider_theft: is missing"


def test_invalid_yaml_names_the_file(tmp_path):
    directory = content_copy(tmp_path)
    (directory / "figures.yaml").write_text("years: [2019\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"^figures\.yaml: is not valid YAML"):
        playbook_load(directory)


def test_year_with_negative_losses_names_the_year(tmp_path):
    with pytest.raises(
        ImproperlyConfigured, match=r"^figures\.yaml: year 2022: field 'losses_cents'"
    ):
        load_edited(tmp_path, "figures.yaml", lambda d: d["years"][3].update(losses_cents=-1))


JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.lists(st.one_of(st.none(), st.integers(), st.text(max_size=3)), max_size=3),
    st.dictionaries(
        st.sampled_from(["en", "fr-ca", "fr", "de"]), st.one_of(st.none(), st.text(max_size=3))
    ),
)
FIELDS = [
    "id",
    "title",
    "summary",
    "timing",
    "what_to_do",
    "stay_safe",
    "limit_loss",
    "controls",
    "figures",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(index=st.integers(0, 9), field=st.sampled_from(FIELDS), value=JUNK)
def test_any_junk_in_a_scenario_field_gives_a_clear_error_or_loads(index, field, value):
    # given any value at all in any field of any scenario
    with tempfile.TemporaryDirectory() as tmp:
        # when loaded, then it either loads or says which file is wrong; nothing else escapes
        try:
            load_edited(
                Path(tmp),
                "scenarios.yaml",
                lambda d: d["scenarios"][index].__setitem__(field, value),
            )
        except ImproperlyConfigured as error:
            assert str(error).startswith(("scenarios.yaml: ", "controls.yaml: "))
