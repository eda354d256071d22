"""The pledge's wording: versioned content, checked when it is loaded."""

from __future__ import annotations

from datetime import date

import pytest

from jewelguard.core.content import ContentError
from jewelguard.pledge.texts import current_pledge_version, pledge_content_parse


def wording(statement_ids: list[str]) -> dict[str, object]:
    return {
        "title": "T",
        "intro": "I",
        "statements": [{"id": i, "text": f"text {i}"} for i in statement_ids],
    }


def test_the_shipped_pledge_has_every_commitment_in_both_languages():
    version = current_pledge_version()
    english, french = version.wording("en"), version.wording("fr-ca")
    assert english.statement_ids == french.statement_ids
    texts = " ".join(s.text for s in english.statements)
    for commitment in ("Rethink security", "top priority", "vigilant", "Spread the message"):
        assert commitment in texts
    assert "Repenser la sécurité" in " ".join(s.text for s in french.statements)


def test_a_new_version_becomes_the_current_one():
    versions = pledge_content_parse(
        data={
            "versions": [
                {
                    "version": v,
                    "published": date(2025, v, 1),
                    "languages": {"en": wording(["a"]), "fr-ca": wording(["a"])},
                }
                for v in (2, 1)
            ]
        }
    )
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].wording("en").sha256 == versions[1].wording("en").sha256


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        (
            {"en": wording(["a"])},
            "version 1: field 'languages' must have exactly the languages ['en', 'fr-ca']; "
            "has ['en']",
        ),
        (
            {"en": wording(["a"]), "fr-ca": wording(["b"])},
            "version 1: field 'languages' has different statements per language",
        ),
        (
            {"en": wording([]), "fr-ca": wording([])},
            "version 1: field 'languages.en.statements' must be a non-empty list",
        ),
        (
            {"en": {"title": "T"}, "fr-ca": wording(["a"])},
            "version 1: field 'languages.en.intro' is missing",
        ),
        (
            {"en": wording(["a"]), "fr": wording(["a"])},
            "version 1: field 'languages' must have exactly the languages ['en', 'fr-ca']; "
            "has ['en', 'fr']",
        ),
        (
            {"en": wording(["a"]), "fr-ca": {**wording(["a"]), "title": "  "}},
            "version 1: field 'languages.fr-ca.title' must not be empty",
        ),
        (
            {"en": wording(["a"]), "fr-ca": {**wording(["a"]), "title": 5}},
            "version 1: field 'languages.fr-ca.title' must be text",
        ),
    ],
)
def test_malformed_content_is_refused_naming_the_problem(languages, message):
    raw = {"versions": [{"version": 1, "published": date(2025, 1, 1), "languages": languages}]}
    with pytest.raises(ContentError) as error:
        pledge_content_parse(data=raw)
    assert str(error.value) == "pledge.yaml: " + message


def test_duplicate_versions_are_refused():
    entry = {
        "version": 1,
        "published": date(2025, 1, 1),
        "languages": {"en": wording(["a"]), "fr-ca": wording(["a"])},
    }
    with pytest.raises(ContentError) as error:
        pledge_content_parse(data={"versions": [entry, entry]})
    assert str(error.value) == "pledge.yaml: version 1: duplicate version"


def test_a_version_that_is_not_a_number_is_named_by_position():
    entry = {
        "version": "one",
        "published": date(2025, 1, 1),
        "languages": {"en": wording(["a"]), "fr-ca": wording(["a"])},
    }
    with pytest.raises(ContentError) as error:
        pledge_content_parse(data={"versions": [entry]})
    assert str(error.value) == "pledge.yaml: version one: field 'version' must be a whole number"
