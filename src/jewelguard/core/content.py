"""One loader for every room's data files (``content/*.yaml``), on pydantic models.

A room describes a file with :class:`ContentModel` subclasses and reads it with
:func:`content_load` (or checks data already parsed with :func:`content_validate`). Any problem
raises :class:`ContentError`, an ``ImproperlyConfigured``, whose one-line message names the file,
the item (by its id) and the field::

    scenarios.yaml: scenario fraud: field 'summary' is missing its French text (fr-ca)

Languages: a translated text (:class:`Text`) is a mapping keyed by the site's own language
codes, exactly as Django's ``LANGUAGES`` setting spells them: ``en`` and ``fr-ca``. Every
language is required; no other key is allowed.

Files are read with YAML's safe loader, at most ``MAX_FILE_BYTES``, without aliases (a content
file has no need of them and they let a small file expand into a huge one).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Generic, TypeVar

import yaml
from django.core.exceptions import ImproperlyConfigured
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic_core import ErrorDetails, PydanticCustomError

# The site's language codes (settings.LANGUAGES), in the order texts are written.
LANGUAGES = ("en", "fr-ca")
LANGUAGE_NAMES = {"en": "English", "fr-ca": "French"}
MAX_FILE_BYTES = 1024 * 1024
# How much of a hostile id or value an error message repeats.
_MAX_QUOTED = 60
_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
_SPACES = re.compile(r"[ \t\r\n]+")
# libyaml's safe loader when the wheel has it: several times faster than the Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

M = TypeVar("M", bound="ContentModel")


class ContentError(ImproperlyConfigured):
    """A content file is wrong; the message names the file, the item and the field."""


def content_error(*, filename: str, message: str, item: str = "", field: str = "") -> ContentError:
    """An error for a problem a room finds itself, worded like the loader's own."""
    parts = [filename]
    if item:
        parts.append(item)
    parts.append(f"field '{field}' {message}" if field else message)
    return ContentError(": ".join(parts))


def content_problem(message: str) -> PydanticCustomError:
    """Raise from a validator; ``message`` completes "field 'x' ...", e.g. "lists 'a' twice"."""
    return PydanticCustomError("content", message)


class ContentModel(BaseModel):
    """Base of every content model: unknown fields are refused and loaded content is frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _squash(words: str) -> str:
    """Folds line breaks and runs of spaces; keeps no-break spaces (French typography)."""
    return _SPACES.sub(" ", words).strip()


class Text(ContentModel):
    """One piece of user-facing text in every language the site speaks."""

    en: str
    fr_ca: str = Field(alias="fr-ca")

    @model_validator(mode="before")
    @classmethod
    def _every_language(cls, value: Any) -> Any:
        if not isinstance(value, Mapping):
            raise content_problem("must have text for " + " and ".join(LANGUAGES))
        for language in LANGUAGES:
            words = value.get(language)
            if not isinstance(words, str) or not words.strip():
                name = LANGUAGE_NAMES[language]
                raise content_problem(f"is missing its {name} text ({language})")
        extra = sorted(str(key) for key in value if key not in LANGUAGES)
        if extra:
            raise content_problem(f"has an unknown language '{_quoted(extra[0])}'")
        return {language: _squash(value[language]) for language in LANGUAGES}

    def in_language(self, language: str) -> str:
        """The text in ``language`` (a site code; any ``fr`` is French), English otherwise."""
        return self.fr_ca if content_language(language) == "fr-ca" else self.en


def content_language(code: str | None) -> str:
    """``code`` ('fr', 'fr-CA', 'fr_CA', 'en-us', None...) as one of the site's languages."""
    if code and code.strip().lower().startswith("fr"):
        return "fr-ca"
    return "en"


def most_chars(max_chars: int) -> AfterValidator:
    """For ``Annotated[Text, most_chars(80)]``: at most ``max_chars`` in every language."""

    def check(text: Text) -> Text:
        for language in LANGUAGES:
            if len(text.in_language(language)) > max_chars:
                raise content_problem(f"is longer than {max_chars} characters ({language})")
        return text

    return AfterValidator(check)


def _identifier(value: str) -> str:
    if not _ID_PATTERN.match(value):
        raise content_problem("must be lower_snake_case text")
    return value


# An item's id: lower_snake_case, as scenario and control ids are.
Identifier = Annotated[str, AfterValidator(_identifier)]


def _no_repeats(values: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise content_problem(f"lists '{_quoted(value)}' twice")
        seen.add(value)
    return values


# A non-empty list of ids, none twice.
IdList = Annotated[tuple[Identifier, ...], Field(min_length=1), AfterValidator(_no_repeats)]


@dataclass(frozen=True)
class ContentItems:
    """A top-level list of items, how one is called in messages and which field is its id.

    ``id_field=None`` names items by their position ("source #2").
    """

    key: str
    noun: str
    id_field: str | None = "id"


@dataclass(frozen=True)
class Loaded(Generic[M]):
    content: M
    # sha256 of the file's bytes: changes whenever the file does (for cache keys).
    digest: str


def _quoted(value: object) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _MAX_QUOTED else text[: _MAX_QUOTED - 1] + "…"


def _item_name(spec: ContentItems, index: int, item: object) -> str:
    if spec.id_field and isinstance(item, Mapping):
        ident = item.get(spec.id_field)
        if isinstance(ident, str | int) and not isinstance(ident, bool) and str(ident).strip():
            return f"{spec.noun} {_quoted(ident)}"
    return f"{spec.noun} #{index + 1}"


def _path(loc: Sequence[int | str]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else str(part)
    return path


def _predicate(error: ErrorDetails) -> str:
    """What is wrong, worded to follow "field 'x' ..."."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "content":
        return error["msg"]
    wording = {
        "missing": "is missing",
        "string_type": "must be text",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "date_type": "must be a date (YYYY-MM-DD)",
        "date_from_datetime_parsing": "must be a date (YYYY-MM-DD)",
        "date_parsing": "must be a date (YYYY-MM-DD)",
        "list_type": "must be a list",
        "tuple_type": "must be a list",
        "dict_type": "must be a mapping",
        "model_type": "must be a mapping",
        "model_attributes_type": "must be a mapping",
    }
    if kind in wording:
        return wording[kind]
    if kind == "too_short":
        if ctx.get("min_length") == 1:
            return "must be a non-empty list"
        return f"must have at least {ctx.get('min_length')} items"
    if kind == "too_long":
        return f"has more than {ctx.get('max_length')} items"
    if kind == "string_too_long":
        return f"is longer than {ctx.get('max_length')} characters"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}"
    return f"is not valid ({error['msg'][:1].lower()}{error['msg'][1:]})"


def _message(
    filename: str, data: Mapping[str, Any], items: Sequence[ContentItems], error: ErrorDetails
) -> str:
    loc = list(error["loc"])
    where = ""
    by_key = {spec.key: spec for spec in items}
    if len(loc) >= 2 and isinstance(loc[0], str) and loc[0] in by_key and isinstance(loc[1], int):
        spec, index = by_key[loc[0]], loc[1]
        where = _item_name(spec, index, data[spec.key][index])
        loc = loc[2:]
    field = _quoted(_path(loc))
    if error["type"] == "extra_forbidden":
        message = f"unknown field '{field}'"
        return str(content_error(filename=filename, item=where, message=message))
    # With no field left, the item itself (or the whole file) is of the wrong kind.
    error_at = content_error(filename=filename, item=where, field=field, message=_predicate(error))
    return str(error_at)


def _duplicates(filename: str, data: Mapping[str, Any], items: Iterable[ContentItems]) -> None:
    for spec in items:
        values = data.get(spec.key)
        if spec.id_field is None or not isinstance(values, list):
            continue
        seen: set[object] = set()
        for item in values:
            ident = item.get(spec.id_field) if isinstance(item, Mapping) else None
            if not isinstance(ident, str | int) or isinstance(ident, bool):
                continue
            if ident in seen:
                what = spec.noun if spec.id_field == spec.noun else f"{spec.noun} {spec.id_field}"
                raise content_error(
                    filename=filename,
                    item=f"{spec.noun} {_quoted(ident)}",
                    message=f"duplicate {what}",
                )
            seen.add(ident)


def content_validate(
    *,
    data: object,
    model: type[M],
    filename: str,
    items: Sequence[ContentItems] = (),
) -> M:
    """Check parsed ``data`` against ``model``; raise ContentError naming file, item and field.

    ``items`` lists the file's top-level lists of items, so that errors and duplicates are
    named by the item's id rather than its position.
    """
    if not isinstance(data, Mapping):
        raise content_error(filename=filename, message="must be a mapping at the top level")
    _duplicates(filename, data, items)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors(include_url=False, include_input=False)[0]
        raise ContentError(_message(filename, data, items, first)) from None


def _yaml_problem(exc: yaml.YAMLError) -> str:
    """Where and what, on one line: "line 3, column 7: found character that cannot start..."."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {_quoted(exc.problem)}"
    return _quoted(exc)


def _refuse_aliases(raw: bytes, filename: str) -> None:
    for event in yaml.parse(raw, Loader=_YAML_LOADER):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark else "?"
            raise content_error(filename=filename, message=f"line {line}: YAML aliases are refused")


def content_read(*, path: Path) -> tuple[object, bytes]:
    """The parsed YAML of ``path`` and its bytes; ContentError if unreadable or not YAML."""
    filename = path.name
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise content_error(filename=filename, message=f"cannot be read ({exc.strerror})") from exc
    if len(raw) > MAX_FILE_BYTES:
        raise content_error(filename=filename, message=f"is larger than {MAX_FILE_BYTES} bytes")
    try:
        _refuse_aliases(raw, filename)
        data = yaml.load(raw, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader, C or Python
    except yaml.YAMLError as exc:
        raise content_error(
            filename=filename, message=f"is not valid YAML ({_yaml_problem(exc)})"
        ) from None
    except RecursionError:
        raise content_error(filename=filename, message="is nested too deeply") from None
    return data, raw


def content_load(*, path: Path, model: type[M], items: Sequence[ContentItems] = ()) -> Loaded[M]:
    """Read, parse and check one content file; raise ContentError naming file, item and field."""
    data, raw = content_read(path=path)
    content = content_validate(data=data, model=model, filename=path.name, items=items)
    return Loaded(content=content, digest=hashlib.sha256(raw).hexdigest())
