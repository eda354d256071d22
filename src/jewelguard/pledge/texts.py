"""The pledge's wording, versioned, read from content/pledge.yaml and checked at load.

The text lives in a content file rather than in the translation catalogue: what a member
took must stay exactly what they read, so a published version is never edited, only
followed by a new one. A pledge records the version and a hash of the text in its language.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from jewelguard.pledge.languages import supported_languages

CONTENT = Path(__file__).resolve().parent / "content" / "pledge.yaml"


class PledgeContentError(Exception):
    """content/pledge.yaml is malformed; the message says where."""


@dataclass(frozen=True)
class PledgeStatement:
    id: str
    text: str


@dataclass(frozen=True)
class PledgeWording:
    """One version of the pledge in one language."""

    version: int
    language: str
    title: str
    intro: str
    statements: tuple[PledgeStatement, ...]

    @property
    def statement_ids(self) -> tuple[str, ...]:
        return tuple(statement.id for statement in self.statements)

    @property
    def sha256(self) -> str:
        """A fingerprint of exactly what the member read."""
        lines = [self.title, self.intro, *(f"{s.id}: {s.text}" for s in self.statements)]
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@dataclass(frozen=True)
class PledgeVersion:
    version: int
    published: date
    wordings: dict[str, PledgeWording]

    def wording(self, language: str) -> PledgeWording:
        """The wording in ``language``, or in English where that language is missing."""
        return self.wordings.get(language) or self.wordings["en"]


def _require(mapping: dict[str, Any], key: str, where: str) -> Any:
    if not isinstance(mapping, dict) or key not in mapping:
        raise PledgeContentError(f"{CONTENT.name}: {where} has no {key!r}")
    return mapping[key]


def _wording(version: int, language: str, raw: dict[str, Any]) -> PledgeWording:
    where = f"version {version}, language {language}"
    statements = []
    for index, item in enumerate(_require(raw, "statements", where)):
        statements.append(
            PledgeStatement(
                id=str(_require(item, "id", f"{where}, statement {index + 1}")),
                text=str(_require(item, "text", f"{where}, statement {index + 1}")).strip(),
            )
        )
    if not statements:
        raise PledgeContentError(f"{CONTENT.name}: {where} has no statements")
    return PledgeWording(
        version=version,
        language=language,
        title=str(_require(raw, "title", where)).strip(),
        intro=str(_require(raw, "intro", where)).strip(),
        statements=tuple(statements),
    )


def parse(raw: Any) -> tuple[PledgeVersion, ...]:
    """Check and build the versions; raise PledgeContentError naming the first problem."""
    known_languages = set(supported_languages())
    versions: list[PledgeVersion] = []
    for entry in _require(raw, "versions", "the file"):
        number = _require(entry, "version", "a version entry")
        if not isinstance(number, int) or number < 1:
            raise PledgeContentError(f"{CONTENT.name}: version {number!r} is not a positive number")
        published = _require(entry, "published", f"version {number}")
        if not isinstance(published, date):
            raise PledgeContentError(f"{CONTENT.name}: version {number} published is not a date")
        wordings = {
            language: _wording(number, language, text)
            for language, text in _require(entry, "languages", f"version {number}").items()
        }
        if set(wordings) != known_languages:
            raise PledgeContentError(
                f"{CONTENT.name}: version {number} must have exactly the languages "
                f"{sorted(known_languages)}; has {sorted(wordings)}"
            )
        ids = {w.statement_ids for w in wordings.values()}
        if len(ids) != 1:
            raise PledgeContentError(
                f"{CONTENT.name}: version {number} has different statements per language"
            )
        versions.append(PledgeVersion(version=number, published=published, wordings=wordings))
    numbers = [v.version for v in versions]
    if not versions or len(set(numbers)) != len(numbers):
        raise PledgeContentError(f"{CONTENT.name}: versions must be present and unique")
    return tuple(sorted(versions, key=lambda v: v.version))


@cache
def pledge_versions() -> tuple[PledgeVersion, ...]:
    return parse(yaml.safe_load(CONTENT.read_text(encoding="utf-8")))


def pledge_version(version: int) -> PledgeVersion | None:
    return next((v for v in pledge_versions() if v.version == version), None)


def current_pledge_version() -> PledgeVersion:
    return pledge_versions()[-1]
