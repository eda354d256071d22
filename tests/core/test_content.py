"""The content loader: every room's data files, errors naming the file, the item and the field."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Literal

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from pydantic import Field, StrictInt

from jewelguard.core.content import (
    LANGUAGES,
    MAX_FILE_BYTES,
    ContentError,
    ContentItems,
    ContentModel,
    Identifier,
    IdList,
    Text,
    content_language,
    content_load,
    most_chars,
)


class Tip(ContentModel):
    id: Identifier
    title: Annotated[Text, most_chars(20)]
    level: Literal["low", "high"]
    minutes: Annotated[StrictInt, Field(ge=1)]
    see_also: IdList = ("none",)


class TipsFile(ContentModel):
    tips: Annotated[tuple[Tip, ...], Field(min_length=1)]


ITEMS = [ContentItems(key="tips", noun="tip")]

GOOD = """\
tips:
  - id: lock_up
    title: {en: Lock up, fr-ca: Verrouillez}
    level: high
    minutes: 2
  - id: count_stock
    title: {en: Count stock, fr-ca: Comptez le stock}
    level: low
    minutes: 30
    see_also: [lock_up]
"""


def load(tmp_path: Path, text: str | bytes) -> TipsFile:
    path = tmp_path / "tips.yaml"
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return content_load(path=path, model=TipsFile, items=ITEMS).content


def error_for(tmp_path: Path, text: str | bytes) -> str:
    with pytest.raises(ContentError) as error:
        load(tmp_path, text)
    return str(error.value)


def test_the_languages_are_the_sites_own_codes():
    assert tuple(code for code, _name in settings.LANGUAGES) == LANGUAGES


def test_a_good_file_loads_with_each_text_in_each_language(tmp_path):
    tips = load(tmp_path, GOOD).tips
    assert [t.id for t in tips] == ["lock_up", "count_stock"]
    assert tips[1].title.in_language("fr-ca") == "Comptez le stock"
    assert tips[1].title.in_language("en") == "Count stock"
    assert tips[1].see_also == ("lock_up",)


def test_a_content_error_stops_start_up_like_any_configuration_error(tmp_path):
    with pytest.raises(ImproperlyConfigured):
        load(tmp_path, "tips: []\n")


@pytest.mark.parametrize(
    ("code", "language"),
    [("fr-ca", "fr-ca"), ("fr", "fr-ca"), ("fr_CA", "fr-ca"), ("FR-ca", "fr-ca"), ("en", "en"),
     ("en-us", "en"), ("de", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_any_french_code_reads_the_french_text(code, language):
    assert content_language(code) == language


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ("title: {en: Lock up, fr-ca: Verrouillez}", "title: {en: Lock up}",
         "tips.yaml: tip lock_up: field 'title' is missing its French text (fr-ca)"),
        ("title: {en: Lock up, fr-ca: Verrouillez}", "title: {en: ' ', fr-ca: Verrouillez}",
         "tips.yaml: tip lock_up: field 'title' is missing its English text (en)"),
        ("title: {en: Lock up, fr-ca: Verrouillez}",
         "title: {en: Lock up, fr-ca: Verrouillez, fr: Verrouillez}",
         "tips.yaml: tip lock_up: field 'title' has an unknown language 'fr'"),
        ("title: {en: Lock up, fr-ca: Verrouillez}", "title: Lock up",
         "tips.yaml: tip lock_up: field 'title' must have text for en and fr-ca"),
        ("title: {en: Lock up, fr-ca: Verrouillez}",
         "title: {en: Lock up, fr-ca: Verrouillez la porte du magasin}",
         "tips.yaml: tip lock_up: field 'title' is longer than 20 characters (fr-ca)"),
        ("    level: high\n", "", "tips.yaml: tip lock_up: field 'level' is missing"),
        ("level: high", "level: urgent",
         "tips.yaml: tip lock_up: field 'level' must be one of 'low' or 'high'"),
        ("minutes: 2", "minutes: '2'",
         "tips.yaml: tip lock_up: field 'minutes' must be a whole number"),
        ("minutes: 2", "minutes: true",
         "tips.yaml: tip lock_up: field 'minutes' must be a whole number"),
        ("minutes: 2", "minutes: 0", "tips.yaml: tip lock_up: field 'minutes' must be at least 1"),
        ("minutes: 2", "minutes: 2\n    colour: red",
         "tips.yaml: tip lock_up: unknown field 'colour'"),
        ("see_also: [lock_up]", "see_also: [lock_up, lock_up]",
         "tips.yaml: tip count_stock: field 'see_also' lists 'lock_up' twice"),
        ("see_also: [lock_up]", "see_also: []",
         "tips.yaml: tip count_stock: field 'see_also' must be a non-empty list"),
        ("see_also: [lock_up]", "see_also: [Lock-Up]",
         "tips.yaml: tip count_stock: field 'see_also[0]' must be lower_snake_case text"),
        ("id: count_stock", "id: lock_up", "tips.yaml: tip lock_up: duplicate tip id"),
        ("id: count_stock", "id: [count_stock]",
         "tips.yaml: tip #2: field 'id' must be text"),
        ("  - id: lock_up\n    title: {en: Lock up, fr-ca: Verrouillez}\n    level: high\n"
         "    minutes: 2\n", "  - lock up\n", "tips.yaml: tip #1: must be a mapping"),
    ],
)  # fmt: skip
def test_an_error_names_the_file_the_item_and_the_field(tmp_path, before, after, message):
    assert before in GOOD
    assert error_for(tmp_path, GOOD.replace(before, after, 1)) == message


def test_a_hostile_id_is_cut_short_in_the_message(tmp_path):
    text = GOOD.replace("minutes: 2", "minutes: -1").replace("lock_up", "x" * 5000)
    message = error_for(tmp_path, text)
    assert message.startswith("tips.yaml: tip " + "x" * 59 + "…: field 'minutes'")
    assert len(message) < 200


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tips: [", "tips.yaml: is not valid YAML (line 2, column 1: did not find expected node"),
        (b"tips:\n  - id: \xff\xfe\n", "tips.yaml: is not valid YAML"),
        ("- a\n- b\n", "tips.yaml: must be a mapping at the top level"),
        ("", "tips.yaml: must be a mapping at the top level"),
        ("tips: {a: 1}\n", "tips.yaml: field 'tips' must be a list"),
        ("tips: []\n", "tips.yaml: field 'tips' must be a non-empty list"),
        ("other: 1\n", "tips.yaml: field 'tips' is missing"),
        ("tips: !!python/object:os.system {}\n", "tips.yaml: is not valid YAML"),
    ],
)
def test_a_broken_file_names_the_file(tmp_path, text, message):
    found = error_for(tmp_path, text)
    assert found.startswith(message)
    assert "\n" not in found


def test_a_missing_file_names_the_file(tmp_path):
    with pytest.raises(ContentError, match=r"^tips\.yaml: cannot be read"):
        content_load(path=tmp_path / "tips.yaml", model=TipsFile, items=ITEMS)


def test_an_oversized_file_is_refused_before_it_is_parsed(tmp_path):
    text = GOOD + "# " + "x" * MAX_FILE_BYTES + "\n"
    assert error_for(tmp_path, text) == f"tips.yaml: is larger than {MAX_FILE_BYTES} bytes"


def test_aliases_that_would_expand_a_small_file_are_refused_at_once(tmp_path):
    # given a "billion laughs" file: nine levels of nine references each
    lines = ['a0: &a0 ["lol"]']
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    lines.append("tips: *a9")
    started = time.monotonic()
    message = error_for(tmp_path, "\n".join(lines) + "\n")
    assert message == "tips.yaml: line 2: YAML aliases are refused"
    assert time.monotonic() - started < 2


def test_deep_nesting_gives_an_error_not_a_crash(tmp_path):
    message = error_for(tmp_path, "tips: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert message.startswith("tips.yaml: ")


def test_a_hostile_field_name_is_cut_short_and_kept_on_one_line(tmp_path):
    text = GOOD.replace("minutes: 2", 'minutes: 2\n    "' + "evil\\n" * 150 + '": 1')
    message = error_for(tmp_path, text)
    assert message.startswith("tips.yaml: tip lock_up: unknown field 'evil evil")
    assert "\n" not in message and len(message) < 200
