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
from typing import Annotated

from pydantic import AfterValidator, Field, StrictInt

from jewelguard.core.content import (
    LANGUAGES,
    ContentItems,
    ContentModel,
    Identifier,
    content_error,
    content_problem,
    content_read,
    content_validate,
)

CONTENT = Path(__file__).resolve().parent / "content" / "pledge.yaml"
MAX_WORDS = 2000


def _pledge_text(words: str) -> str:
    # Kept exactly as written but for the ends: the hash of what a member read depends on it.
    words = words.strip()
    if not words:
        raise content_problem("must not be empty")
    if len(words) > MAX_WORDS:
        raise content_problem(f"is longer than {MAX_WORDS} characters")
    return words


PledgeText = Annotated[str, AfterValidator(_pledge_text)]


class _StatementFile(ContentModel):
    id: Identifier
    text: PledgeText


class _WordingFile(ContentModel):
    title: PledgeText
    intro: PledgeText
    statements: Annotated[tuple[_StatementFile, ...], Field(min_length=1)]


class _VersionFile(ContentModel):
    version: Annotated[StrictInt, Field(ge=1)]
    published: date
    languages: dict[str, _WordingFile]


class _PledgeFile(ContentModel):
    versions: Annotated[tuple[_VersionFile, ...], Field(min_length=1)]


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


def pledge_content_parse(*, data: object) -> tuple[PledgeVersion, ...]:
    """Check and build the versions, oldest first; raise ContentError naming the first problem.

    Every version has exactly the site's languages (``en`` and ``fr-ca``), with the same
    statements in each.
    """
    filename = CONTENT.name
    parsed = content_validate(
        data=data,
        model=_PledgeFile,
        filename=filename,
        items=[ContentItems(key="versions", noun="version", id_field="version")],
    )
    versions: list[PledgeVersion] = []
    for entry in parsed.versions:
        where = f"version {entry.version}"
        if set(entry.languages) != set(LANGUAGES):
            raise content_error(
                filename=filename,
                item=where,
                field="languages",
                message=f"must have exactly the languages {sorted(LANGUAGES)}; "
                f"has {sorted(entry.languages)}",
            )
        wordings = {
            language: PledgeWording(
                version=entry.version,
                language=language,
                title=text.title,
                intro=text.intro,
                statements=tuple(PledgeStatement(id=s.id, text=s.text) for s in text.statements),
            )
            for language, text in entry.languages.items()
        }
        if len({w.statement_ids for w in wordings.values()}) != 1:
            raise content_error(
                filename=filename,
                item=where,
                field="languages",
                message="has different statements per language",
            )
        versions.append(
            PledgeVersion(version=entry.version, published=entry.published, wordings=wordings)
        )
    return tuple(sorted(versions, key=lambda v: v.version))


@cache
def pledge_versions() -> tuple[PledgeVersion, ...]:
    data, _raw = content_read(path=CONTENT)
    return pledge_content_parse(data=data)


def pledge_version(version: int) -> PledgeVersion | None:
    return next((v for v in pledge_versions() if v.version == version), None)


def current_pledge_version() -> PledgeVersion:
    return pledge_versions()[-1]
