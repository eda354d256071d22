"""The questionnaire, as versioned content: ``content/questionnaire/<version>.yaml``.

One file holds one version whole: its sections and questions, what each answer means for the
controls of the playbook's catalogue and for each scenario, and the model's weights. An
assessment keeps the version it was taken with, and every version stays loadable, so a new
file never changes an old result. Files are read by the shared loader
(``jewelguard.core.content``) and checked at start-up (``AssessmentConfig.ready``); a problem
raises ``ContentError`` naming the file, the question and the field, e.g.
``v1.yaml: question safe_rating: field 'options[2].controls' names an unknown control id 'x'``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StrictBool, model_validator

from jewelguard.core.content import (
    ContentItems,
    ContentModel,
    Identifier,
    Text,
    content_error,
    content_load,
    content_problem,
    most_chars,
)
from jewelguard.playbook import selectors as playbook_selectors

CONTENT_DIR = Path(__file__).resolve().parent / "content" / "questionnaire"
# The version a new assessment is taken with. Older files stay: their assessments use them.
CURRENT_VERSION = "v1"
_VERSION = re.compile(r"^v[0-9]{1,4}$")
MAX_QUESTION = 300
MAX_HELP = 600
MAX_LABEL = 120
MAX_REASON = 160
# A multiplier is kept within these bounds so that no single answer dominates the model.
MIN_FACTOR = 0.05
MAX_FACTOR = 5.0

ControlStatus = Literal["present", "weak", "missing"]
YES_NO_VALUES = ("yes", "no", "not_applicable", "alternative")

Label = Annotated[Text, most_chars(MAX_LABEL)]
Reason = Annotated[Text, most_chars(MAX_REASON)]
Factor = Annotated[float, Field(ge=MIN_FACTOR, le=MAX_FACTOR, allow_inf_nan=False)]
Weight = Annotated[float, Field(gt=0, le=0.9, allow_inf_nan=False)]
Anchor = Annotated[float, Field(ge=0.5, le=10, allow_inf_nan=False)]


def _version_id(value: str) -> str:
    if not _VERSION.match(value):
        raise content_problem("must be 'v' and a number, e.g. v1")
    return value


class Effect(ContentModel):
    """What one answer means: control statuses, and factors on likelihood and impact."""

    controls: dict[Identifier, ControlStatus] = {}
    # scenario id -> factor on likelihood (exposure) or on impact (value at risk)
    exposure: dict[Identifier, Factor] = {}
    impact: dict[Identifier, Factor] = {}
    # Why, in a few words that complete "... because <reason>"; "{value}" is the number given.
    reason: Reason | None = None

    @model_validator(mode="after")
    def _reason_for_factors(self) -> Effect:
        if (self.exposure or self.impact) and self.reason is None:
            raise content_problem("changes likelihood or impact, so it needs a 'reason'")
        return self


class Option(Effect):
    id: Identifier
    label: Label


class Step(Effect):
    """For a number: applies from ``at_least`` up to the next step."""

    at_least: Annotated[float, Field(allow_inf_nan=False)]


class Condition(ContentModel):
    """``applies_if``: the question is asked only when an earlier answer matches."""

    question: Identifier
    # For yes/no and choice questions: the answers that make it apply.
    equals: tuple[str, ...] = ()
    # For number questions: the smallest number that makes it apply.
    at_least: Annotated[float, Field(allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_test(self) -> Condition:
        if bool(self.equals) == (self.at_least is not None):
            raise content_problem("needs either 'equals' or 'at_least'")
        return self


class Question(ContentModel):
    id: Identifier
    section: Identifier
    kind: Literal["yes_no", "choice", "number"]
    text: Annotated[Text, most_chars(MAX_QUESTION)]
    help: Annotated[Text, most_chars(MAX_HELP)] | None = None
    applies_if: Condition | None = None
    # yes_no: the control a "yes" (or an alternative in place) shows; "no" shows it missing.
    control: Identifier | None = None
    # What "yes" and "no" mean beyond the control (YAML reads a bare yes or no as true/false).
    if_yes: Effect | None = None
    if_no: Effect | None = None
    # choice
    options: tuple[Option, ...] = ()
    # number
    minimum: Annotated[float, Field(allow_inf_nan=False)] | None = None
    maximum: Annotated[float, Field(allow_inf_nan=False)] | None = None
    integer: StrictBool = True
    unit: Label | None = None
    steps: tuple[Step, ...] = ()

    @model_validator(mode="after")
    def _fits_kind(self) -> Question:
        choice_fields = bool(self.options)
        number_fields = bool(self.steps) or self.minimum is not None or self.maximum is not None
        yes_no_fields = (
            self.control is not None or self.if_yes is not None or self.if_no is not None
        )
        if self.kind == "yes_no":
            if choice_fields or number_fields:
                raise content_problem("is yes_no, so it takes no options, steps or range")
        elif self.kind == "choice":
            if yes_no_fields or number_fields:
                raise content_problem("is a choice, so it takes only options")
            if len(self.options) < 2:
                raise content_problem("is a choice, so it needs at least two options")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise content_problem("lists an option id twice")
        else:
            if yes_no_fields or choice_fields:
                raise content_problem("is a number, so it takes only a range and steps")
            if self.minimum is None or self.maximum is None or self.minimum >= self.maximum:
                raise content_problem("is a number, so it needs 'minimum' below 'maximum'")
            if not self.steps or self.steps[0].at_least != self.minimum:
                raise content_problem("needs steps, the first at its minimum")
            edges = [s.at_least for s in self.steps]
            if edges != sorted(set(edges)) or edges[-1] > self.maximum:
                raise content_problem("needs steps in rising order within its range")
        return self

    def values(self) -> tuple[str, ...]:
        """The answers a yes/no or choice question takes."""
        if self.kind == "yes_no":
            return YES_NO_VALUES
        return tuple(o.id for o in self.options)

    def effect_of(self, value: str | float) -> Effect:
        """What ``value`` (already checked) means under this version."""
        if self.kind == "choice":
            return next(o for o in self.options if o.id == value)
        if self.kind == "number":
            assert isinstance(value, int | float)
            return next(s for s in reversed(self.steps) if value >= s.at_least)
        if value in ("yes", "alternative"):
            base = self.if_yes or Effect()
            status: ControlStatus = "present"
        elif value == "no":
            base = self.if_no or Effect()
            status = "missing"
        else:
            return Effect()
        if self.control is None or self.control in base.controls:
            return base
        return base.model_copy(update={"controls": {**base.controls, self.control: status}})


class ScenarioAnchor(ContentModel):
    """A scenario's place in the model for a typical store, before any answer (1 to 10)."""

    id: Identifier
    likelihood: Anchor
    impact: Anchor
    # Whether the store's opening hours drive it (crimes during business hours).
    business_hours: StrictBool = False


class ControlWeight(ContentModel):
    """How much a control, fully in place, cuts each scenario's vulnerability (0 to 0.9)."""

    id: Identifier
    reduces: Annotated[dict[Identifier, Weight], Field(min_length=1)]
    ask_for: Annotated[Text, most_chars(MAX_HELP)]


class OpenHours(ContentModel):
    """Weekly opening hours against a reference week, as a factor on business-hours crimes."""

    reference: Annotated[float, Field(gt=0, le=168)]
    lowest: Factor
    highest: Factor


class Levels(ContentModel):
    """Risk (0 to 100) from which a scenario is moderate, high and very high."""

    moderate: Annotated[float, Field(gt=0, lt=100)]
    high: Annotated[float, Field(gt=0, lt=100)]
    very_high: Annotated[float, Field(gt=0, lt=100)]

    @model_validator(mode="after")
    def _rising(self) -> Levels:
        if not self.moderate < self.high < self.very_high:
            raise content_problem("needs moderate < high < very_high")
        return self


class Section(ContentModel):
    id: Identifier
    title: Label


class QuestionnaireFile(ContentModel):
    version: Annotated[str, AfterValidator(_version_id)]
    levels: Levels
    open_hours: OpenHours
    scenarios: Annotated[tuple[ScenarioAnchor, ...], Field(min_length=1)]
    controls: Annotated[tuple[ControlWeight, ...], Field(min_length=1)]
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]
    questions: Annotated[tuple[Question, ...], Field(min_length=1, max_length=500)]
    # Crime ratio to the regional rate is damped (square root) and kept within these bounds.
    crime_factor_lowest: Factor = 0.5
    crime_factor_highest: Factor = 2.0


@dataclass(frozen=True, eq=False)
class Questionnaire:
    """One checked version, with the lookups the engine needs."""

    file: QuestionnaireFile
    digest: str
    _questions: dict[str, Question] = field(init=False, repr=False)
    _controls: dict[str, ControlWeight] = field(init=False, repr=False)
    _dependents: dict[str, tuple[Question, ...]] = field(init=False, repr=False)
    # (question id, answer) -> its effect; effects of yes/no questions are built on first use.
    _effects: dict[tuple[str, str | float], Effect] = field(init=False, repr=False)
    # scenario id -> (control id, weight) of every control that reduces it, in file order
    _against: dict[str, tuple[tuple[str, float], ...]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        dependents: dict[str, list[Question]] = {}
        for question in self.file.questions:
            if question.applies_if:
                dependents.setdefault(question.applies_if.question, []).append(question)
        object.__setattr__(self, "_questions", {q.id: q for q in self.file.questions})
        object.__setattr__(self, "_controls", {c.id: c for c in self.file.controls})
        object.__setattr__(self, "_dependents", {k: tuple(v) for k, v in dependents.items()})
        object.__setattr__(self, "_effects", {})
        against: dict[str, list[tuple[str, float]]] = {}
        for control in self.file.controls:
            for scenario_id, cut in control.reduces.items():
                against.setdefault(scenario_id, []).append((control.id, cut))
        object.__setattr__(self, "_against", {k: tuple(v) for k, v in against.items()})

    @property
    def version(self) -> str:
        return self.file.version

    def question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def control_weight(self, control_id: str) -> ControlWeight | None:
        return self._controls.get(control_id)

    def effect(self, question: Question, value: str | float) -> Effect:
        """What ``value`` (already checked) means for ``question``, remembered."""
        key = (question.id, value)
        found = self._effects.get(key)
        if found is None:
            found = question.effect_of(value)
            if len(self._effects) < 10_000:  # numbers are many; only what is seen is kept
                self._effects[key] = found
        return found

    def controls_against(self, scenario_id: str) -> tuple[tuple[str, float], ...]:
        """(control id, weight) of each control that reduces ``scenario_id``."""
        return self._against.get(scenario_id, ())

    def dependents(self, question_id: str) -> tuple[Question, ...]:
        """The questions whose ``applies_if`` reads ``question_id``."""
        return self._dependents.get(question_id, ())


def _effects(question: Question) -> list[tuple[str, Effect]]:
    found: list[tuple[str, Effect]] = []
    if question.if_yes:
        found.append(("if_yes", question.if_yes))
    if question.if_no:
        found.append(("if_no", question.if_no))
    found += [(f"options[{i}]", o) for i, o in enumerate(question.options)]
    found += [(f"steps[{i}]", s) for i, s in enumerate(question.steps)]
    return found


def _check_references(filename: str, file: QuestionnaireFile) -> None:
    """Ids must name the playbook's scenarios and controls, and earlier questions."""
    scenario_ids = [s.id for s in playbook_selectors.scenario_list()]
    catalogue = {c.id: c for c in playbook_selectors.control_list()}

    def fail(item: str, field: str, message: str) -> None:
        raise content_error(filename=filename, item=item, field=field, message=message)

    anchored = [s.id for s in file.scenarios]
    for scenario_id in scenario_ids:
        if scenario_id not in anchored:
            fail(f"scenario {scenario_id}", "", "is missing (every scenario needs its anchors)")
    for anchor in file.scenarios:
        if anchor.id not in scenario_ids:
            fail(f"scenario {anchor.id}", "id", "is not a scenario of the playbook")
    for weight in file.controls:
        control = catalogue.get(weight.id)
        if control is None:
            fail(f"control {weight.id}", "id", "is not a control of the playbook's catalogue")
            continue
        for scenario_id in weight.reduces:
            if scenario_id not in control.scenario_ids:
                fail(
                    f"control {weight.id}",
                    f"reduces.{scenario_id}",
                    "names a scenario the playbook does not say this control mitigates",
                )
    weighted = {c.id for c in file.controls}
    sections = {s.id for s in file.sections}
    seen: dict[str, Question] = {}
    for question in file.questions:
        item = f"question {question.id}"
        if question.section not in sections:
            fail(item, "section", f"names an unknown section '{question.section}'")
        if question.control is not None and question.control not in weighted:
            fail(item, "control", f"names an unknown control id '{question.control}'")
        for where, effect in _effects(question):
            for control_id in effect.controls:
                if control_id not in weighted:
                    fail(item, f"{where}.controls", f"names an unknown control id '{control_id}'")
            for kind, factors in (("exposure", effect.exposure), ("impact", effect.impact)):
                for scenario_id in factors:
                    if scenario_id not in anchored:
                        fail(item, f"{where}.{kind}", f"names an unknown scenario '{scenario_id}'")
            if effect.reason and "{value}" in effect.reason.en and question.kind != "number":
                fail(item, f"{where}.reason", "uses {value}, which only numbers have")
        condition = question.applies_if
        if condition is not None:
            source = seen.get(condition.question)
            if source is None:
                fail(
                    item,
                    "applies_if.question",
                    f"must name an earlier question, not '{condition.question}'",
                )
                continue
            if source.kind == "number" and condition.at_least is None:
                fail(item, "applies_if", "reads a number, so it needs 'at_least'")
            if source.kind != "number":
                if condition.at_least is not None:
                    fail(item, "applies_if", "reads a yes/no or choice, so it needs 'equals'")
                for value in condition.equals:
                    if value not in source.values():
                        fail(item, "applies_if.equals", f"names an unknown answer '{value}'")
        seen[question.id] = question
    for section in file.sections:
        if not any(q.section == section.id for q in file.questions):
            fail(f"section {section.id}", "", "has no questions")


def questionnaire_load(*, version: str, directory: Path = CONTENT_DIR) -> Questionnaire:
    """Read and check one version; raise ContentError naming file, question and field."""
    if not _VERSION.match(version):
        raise content_error(filename=f"{version[:20]}.yaml", message="is not a version id")
    filename = f"{version}.yaml"
    loaded = content_load(
        path=directory / filename,
        model=QuestionnaireFile,
        items=[
            ContentItems(key="questions", noun="question"),
            ContentItems(key="sections", noun="section"),
            ContentItems(key="scenarios", noun="scenario"),
            ContentItems(key="controls", noun="control"),
        ],
    )
    file = loaded.content
    if file.version != version:
        raise content_error(
            filename=filename, field="version", message=f"must be '{version}', as the file's name"
        )
    _check_references(filename, file)
    return Questionnaire(file=file, digest=loaded.digest)


def questionnaire_versions(*, directory: Path = CONTENT_DIR) -> list[str]:
    """Every version shipped, oldest first."""
    names = [p.stem for p in directory.glob("v*.yaml") if _VERSION.match(p.stem)]
    return sorted(names, key=lambda name: int(name[1:]))


@cache
def questionnaire(version: str = CURRENT_VERSION) -> Questionnaire:
    """A shipped version, loaded once per process; ContentError if it does not exist."""
    return questionnaire_load(version=version)
