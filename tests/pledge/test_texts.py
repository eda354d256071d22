"""The pledge's wording: versioned content, checked when it is loaded."""

from __future__ import annotations

from datetime import date

import pytest

from jewelguard.pledge.texts import PledgeContentError, current_pledge_version, parse


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
    versions = parse(
        {
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
        ({"en": wording(["a"])}, "exactly the languages"),
        ({"en": wording(["a"]), "fr-ca": wording(["b"])}, "different statements"),
        ({"en": wording([]), "fr-ca": wording([])}, "no statements"),
        ({"en": {"title": "T"}, "fr-ca": wording(["a"])}, "has no 'statements'"),
    ],
)
def test_malformed_content_is_refused_naming_the_problem(languages, message):
    raw = {"versions": [{"version": 1, "published": date(2025, 1, 1), "languages": languages}]}
    with pytest.raises(PledgeContentError, match=message):
        parse(raw)


def test_duplicate_versions_are_refused():
    entry = {
        "version": 1,
        "published": date(2025, 1, 1),
        "languages": {"en": wording(["a"]), "fr-ca": wording(["a"])},
    }
    with pytest.raises(PledgeContentError, match="unique"):
        parse({"versions": [entry, entry]})
