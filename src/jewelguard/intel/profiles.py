"""Import profiles: how one police department's open-data CSV maps onto incidents.

A profile is a YAML file (see docs/import-profiles.md for every key); the shipped ones live in
``content/profiles/``. It is read by core's content loader, so a mistake is refused with a
message naming the file and the key.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, Field, model_validator

from jewelguard.core.content import ContentModel, content_error, content_load, content_problem
from jewelguard.intel.models import Attempt, LocationType, Visibility
from jewelguard.playbook.content import SCENARIO_IDS

PROFILES_DIR = Path(__file__).resolve().parent / "content" / "profiles"
# The NIBRS offense codes an incident may carry (see the crime-data reference).
NIBRS_CODES = frozenset(
    {"120", "220", "280", "290", "13A", "13B"}
    | {f"23{letter}" for letter in "ABCDEFGH"}
    | {f"26{letter}" for letter in "ABCDEFG"}
)
_SOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,59}$")
_PROFILE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


def _scenario(value: str) -> str:
    if value not in SCENARIO_IDS:
        raise content_problem(f"names an unknown scenario '{value[:60]}'")
    return value


def _nibrs(value: str) -> str:
    if value not in NIBRS_CODES:
        raise content_problem(f"names an unknown NIBRS offense code '{value[:10]}'")
    return value


def _source_name(value: str) -> str:
    if not _SOURCE_NAME.match(value):
        raise content_problem("must be lower-case letters, digits, '.', '_' or '-'")
    return value


def _encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise content_problem(f"names an unknown encoding '{value[:40]}'") from None
    return value


def _time_zone(value: str) -> str:
    if value not in available_timezones():
        raise content_problem(f"names an unknown time zone '{value[:60]}'")
    return value


def _date_format(value: str) -> str:
    sample = datetime(2019, 12, 31, 23, 59)
    try:
        if datetime.strptime(sample.strftime(value), value) != sample:
            raise ValueError
    except ValueError:
        raise content_problem(
            "must give the year, month, day, hours and minutes, as strptime does"
        ) from None
    return value


# A column, by its header name or by its 0-based position in the row.
ColumnRef = Annotated[str, Field(min_length=1, max_length=100)] | Annotated[int, Field(ge=0)]


class Columns(ContentModel):
    source_id: ColumnRef
    offense: ColumnRef
    occurred_from: ColumnRef
    occurred_to: ColumnRef | None = None
    reported_at: ColumnRef | None = None
    address: ColumnRef | None = None
    latitude: ColumnRef
    longitude: ColumnRef
    case_number: ColumnRef | None = None


class Dates(ContentModel):
    format: Annotated[str, AfterValidator(_date_format)]
    time_zone: Annotated[str, AfterValidator(_time_zone)]

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except ZoneInfoNotFoundError:  # pragma: no cover - checked at load
            raise content_problem("names an unknown time zone") from None


class Offense(ContentModel):
    scenario: Annotated[str, AfterValidator(_scenario)]
    nibrs: Annotated[str, AfterValidator(_nibrs)]
    attempt: Attempt = Attempt.COMPLETED


class Skip(ContentModel):
    column: ColumnRef
    equals: tuple[Annotated[str, Field(max_length=200)], ...] = Field(min_length=1)


class ImportProfile(ContentModel):
    source: Annotated[str, AfterValidator(_source_name)]
    name: Annotated[str, Field(min_length=1, max_length=200)]
    encoding: Annotated[str, AfterValidator(_encoding)] = "utf-8-sig"
    delimiter: Annotated[str, Field(min_length=1, max_length=1)] = ","
    header: Literal["present", "absent", "detect"] = "present"
    column_names: tuple[Annotated[str, Field(min_length=1, max_length=100)], ...] = ()
    columns: Columns
    dates: Dates
    offenses: Annotated[
        dict[Annotated[str, Field(min_length=1, max_length=100)], Offense], Field(min_length=1)
    ]
    skip: tuple[Skip, ...] = ()
    location_type: LocationType = LocationType.OTHER
    visibility: Visibility = Visibility.PUBLIC_AGGREGATE
    agency_ori: Annotated[str, Field(pattern=r"^[A-Z]{2}[A-Z0-9]{7}$")] | None = None

    @model_validator(mode="after")
    def _names_are_known(self) -> ImportProfile:
        if self.header == "present" or not self.column_names:
            if self.header != "present" and any(isinstance(ref, str) for ref in self.refs()):
                raise content_problem(
                    "column_names: a file without a header needs the columns listed in order"
                )
            return self
        width = len(self.column_names)
        for key, ref in self.refs_by_key().items():
            if isinstance(ref, str) and ref not in self.column_names:
                raise content_problem(f"{key}: column '{ref[:60]}' is not in column_names")
            if isinstance(ref, int) and ref >= width:
                raise content_problem(f"{key}: position {ref} is past the last column")
        return self

    def refs_by_key(self) -> dict[str, str | int]:
        """Every column the profile reads, by the key that names it."""
        found: dict[str, str | int] = {
            f"columns.{key}": ref
            for key, ref in self.columns.model_dump().items()
            if ref is not None
        }
        for index, rule in enumerate(self.skip):
            found[f"skip.{index}.column"] = rule.column
        return found

    def refs(self) -> list[str | int]:
        return list(self.refs_by_key().values())


def profile_names() -> list[str]:
    """The shipped profiles' names."""
    return sorted(path.stem for path in PROFILES_DIR.glob("*.yaml"))


def profile_load(*, name_or_path: str) -> ImportProfile:
    """A shipped profile by name, or the user's own by path; ContentError naming the key."""
    path = Path(name_or_path)
    if not (path.suffix in (".yaml", ".yml") or path.parent != Path(".")):
        if not _PROFILE_NAME.match(name_or_path) or name_or_path not in profile_names():
            raise content_error(
                filename=name_or_path[:60],
                message="is not a shipped profile (these are: "
                + ", ".join(profile_names())
                + "); give a path to a .yaml file for your own",
            )
        path = PROFILES_DIR / f"{name_or_path}.yaml"
    return content_load(path=path, model=ImportProfile).content
