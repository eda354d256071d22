"""The questionnaire is checked at load: a broken file names the file, question and field."""

from __future__ import annotations

import copy
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from jewelguard.assessment.content import (
    CONTENT_DIR,
    CURRENT_VERSION,
    YES_NO_VALUES,
    questionnaire,
    questionnaire_load,
    questionnaire_versions,
)
from jewelguard.core.content import ContentError
from jewelguard.playbook.selectors import control_list, scenario_list
from tests.assessment.conftest import score, typical_store

SECTIONS = [
    "exterior",
    "showroom",
    "safe",
    "alarm",
    "cameras",
    "opening_closing",
    "showing",
    "staff",
    "travel",
    "shipping",
]


def copy_of_content(tmp_path: Path) -> Path:
    target = tmp_path / "questionnaire"
    shutil.copytree(CONTENT_DIR, target)
    return target


def read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return data


def write(path: Path, data: dict[str, Any]) -> None:
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def question(data: dict[str, Any], question_id: str) -> dict[str, Any]:
    return next(q for q in data["questions"] if q["id"] == question_id)


def load_edited(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> str:
    directory = copy_of_content(tmp_path)
    data = read(directory / "v1.yaml")
    change(data)
    write(directory / "v1.yaml", data)
    with pytest.raises(ContentError) as error:
        questionnaire_load(version="v1", directory=directory)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_the_shipped_questionnaire_covers_every_section_kind_and_choice(book):
    assert book.version == CURRENT_VERSION == "v1"
    assert [s.id for s in book.file.sections] == SECTIONS
    kinds = {q.kind for q in book.file.questions}
    assert kinds == {"yes_no", "choice", "number"}
    options = {q.id: [o.id for o in q.options] for q in book.file.questions if q.kind == "choice"}
    assert options["safe_rating"] == ["none", "tl_15", "tl_30", "tl_30x6", "trtl_30x6", "trtl_60x6"]
    assert options["alarm_certificate"] == ["none", "mercantile", "central_station"]
    assert options["signal_paths"] == ["one", "two"]
    numbers = {q.id for q in book.file.questions if q.kind == "number"}
    assert {"overnight_share", "trade_shows", "parcels_per_week"} <= numbers
    assert YES_NO_VALUES == ("yes", "no", "not_applicable", "alternative")


def test_every_control_of_the_catalogue_is_asked_about_and_weighted(book):
    catalogue = {c.id for c in control_list()}
    assert {c.id for c in book.file.controls} == catalogue
    asked: set[str] = set()
    for q in book.file.questions:
        if q.control:
            asked.add(q.control)
        for effect in [q.if_yes, q.if_no, *q.options, *q.steps]:
            if effect is not None:
                asked |= set(effect.controls)
    assert asked == catalogue
    assert [s.id for s in book.file.scenarios] == [s.id for s in scenario_list()]


def test_every_question_has_english_and_french_text(book):
    for q in book.file.questions:
        assert q.text.en.strip() and q.text.fr_ca.strip()
        assert q.text.en != q.text.fr_ca


def test_travel_questions_are_asked_only_of_stores_that_travel(book):
    never = score(typical_store() | {"travels": "no"})
    travels = score(typical_store() | {"travels": "yes"})
    travel_section = {p.section_id: p for p in never.progress}["travel"]
    assert travel_section.applicable == 1
    assert {p.section_id: p for p in travels.progress}["travel"].applicable == 4
    trade_shows = book.question("trade_shows")
    assert trade_shows is not None and trade_shows.applies_if is not None
    assert trade_shows.applies_if.question == "travels"


def test_every_version_on_disk_loads():
    assert "v1" in questionnaire_versions()
    for version in questionnaire_versions():
        assert questionnaire(version).version == version


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: question(d, "safe_rating")["options"][0]["controls"].update(
                {"no_such_control": "missing"}
            ),
            "v1.yaml: question safe_rating: field 'options[0].controls' names an unknown "
            "control id 'no_such_control'",
        ),
        (
            lambda d: question(d, "entry_buzzer")["text"].pop("fr-ca"),
            "v1.yaml: question entry_buzzer: field 'text' is missing its French text (fr-ca)",
        ),
        (
            lambda d: question(d, "entry_buzzer").update({"control": "laser_moat"}),
            "v1.yaml: question entry_buzzer: field 'control' names an unknown control id "
            "'laser_moat'",
        ),
        (
            lambda d: question(d, "trade_shows")["applies_if"].update(
                {"question": "parcels_per_week"}
            ),
            "v1.yaml: question trade_shows: field 'applies_if.question' must name an earlier "
            "question, not 'parcels_per_week'",
        ),
        (
            lambda d: question(d, "trade_shows")["applies_if"].update({"equals": ["often"]}),
            "v1.yaml: question trade_shows: field 'applies_if.equals' names an unknown answer "
            "'often'",
        ),
        (
            lambda d: d["questions"].append(copy.deepcopy(question(d, "entry_buzzer"))),
            "v1.yaml: question entry_buzzer: duplicate question id",
        ),
        (
            lambda d: question(d, "overnight_share")["steps"][0].update({"at_least": 5}),
            "v1.yaml: question overnight_share: needs steps, the first at its minimum",
        ),
        (
            lambda d: question(d, "signal_paths").update(
                {"options": question(d, "signal_paths")["options"][:1]}
            ),
            "v1.yaml: question signal_paths: is a choice, so it needs at least two options",
        ),
        (
            lambda d: question(d, "travels")["if_yes"].pop("reason"),
            "v1.yaml: question travels: field 'if_yes' changes likelihood or impact, so it needs "
            "a 'reason'",
        ),
        (
            lambda d: question(d, "travels")["if_yes"]["exposure"].update({"piracy": 2.0}),
            "v1.yaml: question travels: field 'if_yes.exposure' names an unknown scenario 'piracy'",
        ),
        (
            lambda d: question(d, "travels")["if_yes"]["exposure"].update({"off_premises": 50}),
            "v1.yaml: question travels: field 'if_yes.exposure.off_premises' is not valid "
            "(input should be less than or equal to 5)",
        ),
        (
            lambda d: question(d, "entry_buzzer").update({"kind": "number"}),
            "v1.yaml: question entry_buzzer: is a number, so it takes only a range and steps",
        ),
        (
            lambda d: question(d, "entry_buzzer").update({"section": "roof"}),
            "v1.yaml: question entry_buzzer: field 'section' names an unknown section 'roof'",
        ),
        (
            lambda d: question(d, "entry_buzzer").update({"colour": "red"}),
            "v1.yaml: question entry_buzzer: unknown field 'colour'",
        ),
        (
            lambda d: d["controls"][0]["reduces"].update({"fraud": 0.3}),
            "v1.yaml: control laminated_showcases: field 'reduces.fraud' names a scenario the "
            "playbook does not say this control mitigates",
        ),
        (
            lambda d: d["controls"][0].update({"id": "moat"}),
            "v1.yaml: control moat: field 'id' is not a control of the playbook's catalogue",
        ),
        (
            lambda d: d.update({"version": "v2"}),
            "v1.yaml: field 'version' must be 'v1', as the file's name",
        ),
        (
            lambda d: d["scenarios"].pop(),
            "v1.yaml: scenario insider_theft: is missing (every scenario needs its anchors)",
        ),
    ],
)
def test_a_broken_questionnaire_names_the_file_the_question_and_the_field(
    tmp_path, change, expected
):
    assert load_edited(tmp_path, change) == expected


def test_an_oversized_or_aliased_file_is_refused(tmp_path):
    directory = copy_of_content(tmp_path)
    (directory / "v1.yaml").write_bytes(b"version: v1\n" + b"#" * (1024 * 1024 + 10))
    with pytest.raises(ContentError, match=r"v1\.yaml: is larger than"):
        questionnaire_load(version="v1", directory=directory)
    (directory / "v1.yaml").write_text("version: &v v1\nlevels: *v\n")
    with pytest.raises(ContentError, match=r"v1\.yaml: line 2: YAML aliases are refused"):
        questionnaire_load(version="v1", directory=directory)


def test_a_version_id_that_is_not_one_is_refused_before_any_file_is_read(tmp_path):
    with pytest.raises(ContentError, match="is not a version id"):
        questionnaire_load(version="../../etc/passwd", directory=tmp_path)
    with pytest.raises(ContentError, match=r"v9\.yaml: cannot be read"):
        questionnaire_load(version="v9", directory=tmp_path)


def test_a_new_version_never_changes_an_old_result(tmp_path):
    # given v1's result for a store
    before = score(typical_store() | {"overnight_share": 40})
    # when a v2 with other weights is published beside it
    directory = copy_of_content(tmp_path)
    data = read(directory / "v1.yaml")
    data["version"] = "v2"
    for anchor in data["scenarios"]:
        anchor["likelihood"] = 10
    write(directory / "v2.yaml", data)
    v1 = questionnaire_load(version="v1", directory=directory)
    v2 = questionnaire_load(version="v2", directory=directory)
    assert questionnaire_versions(directory=directory) == ["v1", "v2"]
    # then v1 still gives exactly the same result, and v2 another
    answers = typical_store() | {"overnight_share": 40}
    assert score(answers, book=v1) == before
    assert score(answers, book=v2).scores != before.scores
