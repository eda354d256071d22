"""Progress over time: what changed since a store's last finished assessment, and its history.

A re-assessment is compared with the store's latest finished assessment started before it:
the change in risk per scenario, and the controls now in place that were not then (and any
in place then that are not now). Each assessment is scored with its own questionnaire
version, so a newer version never rewrites an older result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from jewelguard.accounts.models import Store
from jewelguard.assessment.charts import LineChart, risk_line_chart
from jewelguard.assessment.content import ControlStatus, questionnaire
from jewelguard.assessment.models import Assessment, AssessmentStatus
from jewelguard.assessment.results import AssessmentResult
from jewelguard.assessment.scoring import catalogue_names, profile_build
from jewelguard.assessment.selectors import assessment_answers, assessment_result


@dataclass(frozen=True)
class ScenarioChange:
    scenario_id: str
    title: str
    risk_before: float
    risk_now: float
    # Negative when the risk went down.
    change: float
    level_before: str
    level_now: str


@dataclass(frozen=True)
class ProgressComparison:
    previous_id: int
    previous_at: datetime
    # Largest fall first.
    changes: tuple[ScenarioChange, ...]
    controls_added: tuple[str, ...]
    controls_lost: tuple[str, ...]
    average_before: float
    average_now: float


def risk_average(*, result: AssessmentResult) -> float:
    """The mean of the scenarios' risks (0 to 100): one number for a store's overall risk."""
    if not result.scores:
        return 0.0
    return round(sum(s.risk for s in result.scores) / len(result.scores), 1)


def control_statuses(*, assessment: Assessment) -> dict[str, ControlStatus]:
    """Each control's status as the assessment's answers show it."""
    profile = profile_build(
        questionnaire=questionnaire(assessment.questionnaire_version),
        answers=assessment_answers(assessment=assessment),
    )
    return dict(profile.statuses)


def progress_compare(
    *,
    before: AssessmentResult,
    now: AssessmentResult,
    statuses_before: dict[str, ControlStatus],
    statuses_now: dict[str, ControlStatus],
) -> tuple[tuple[ScenarioChange, ...], tuple[str, ...], tuple[str, ...]]:
    """Per-scenario change and the controls added and lost (as ids), from two results."""
    earlier = {s.scenario_id: s for s in before.scores}
    changes = [
        ScenarioChange(
            scenario_id=score.scenario_id,
            title=score.title,
            risk_before=earlier[score.scenario_id].risk,
            risk_now=score.risk,
            change=round(score.risk - earlier[score.scenario_id].risk, 1),
            level_before=earlier[score.scenario_id].level_label,
            level_now=score.level_label,
        )
        for score in now.scores
        if score.scenario_id in earlier
    ]
    changes.sort(key=lambda c: (c.change, c.title))
    added = tuple(
        c
        for c, status in statuses_now.items()
        if status == "present" and statuses_before.get(c) != "present"
    )
    lost = tuple(
        c
        for c, status in statuses_before.items()
        if status == "present" and statuses_now.get(c) != "present"
    )
    return tuple(changes), added, lost


def assessment_previous(*, assessment: Assessment) -> Assessment | None:
    """The store's latest finished assessment started before this one."""
    return (
        Assessment.objects.filter(store_id=assessment.store_id, status=AssessmentStatus.FINISHED)
        .filter(
            Q(started_at__lt=assessment.started_at)
            | Q(started_at=assessment.started_at, pk__lt=assessment.pk)
        )
        .exclude(pk=assessment.pk)
        .order_by("-started_at", "-pk")
        .first()
    )


def assessment_progress(*, assessment: Assessment) -> ProgressComparison | None:
    """What changed since the store's last finished assessment; None for a first one."""
    previous = assessment_previous(assessment=assessment)
    if previous is None:
        return None
    before = assessment_result(assessment=previous)
    now = assessment_result(assessment=assessment)
    changes, added, lost = progress_compare(
        before=before,
        now=now,
        statuses_before=control_statuses(assessment=previous),
        statuses_now=control_statuses(assessment=assessment),
    )
    _titles, names = catalogue_names()
    return ProgressComparison(
        previous_id=previous.pk,
        previous_at=previous.finished_at or previous.started_at,
        changes=changes,
        controls_added=tuple(names.get(c, c) for c in added),
        controls_lost=tuple(names.get(c, c) for c in lost),
        average_before=risk_average(result=before),
        average_now=risk_average(result=now),
    )


@dataclass(frozen=True)
class HistoryRow:
    assessment_id: int
    finished_at: datetime
    average: float
    highest_title: str
    highest_risk: float
    controls_in_place: int


@dataclass(frozen=True)
class StoreHistory:
    rows: tuple[HistoryRow, ...]
    chart: LineChart | None


# A history page shows this many assessments at most (the latest).
HISTORY_LIMIT = 24


def store_history(*, store: Store, assessments: list[Assessment] | None = None) -> StoreHistory:
    """The store's finished assessments, oldest first, with a chart of the average risk."""
    found = assessments
    if found is None:
        found = list(
            Assessment.objects.filter(store=store, status=AssessmentStatus.FINISHED)
            .select_related("store")
            .order_by("-finished_at", "-pk")[:HISTORY_LIMIT]
        )
    found = sorted(found, key=lambda a: (a.finished_at or a.started_at, a.pk))
    rows: list[HistoryRow] = []
    for assessment in found:
        result = assessment_result(assessment=assessment)
        top = result.scores[0]
        statuses = control_statuses(assessment=assessment)
        rows.append(
            HistoryRow(
                assessment_id=assessment.pk,
                finished_at=assessment.finished_at or assessment.started_at,
                average=risk_average(result=result),
                highest_title=top.title,
                highest_risk=top.risk,
                controls_in_place=sum(1 for s in statuses.values() if s == "present"),
            )
        )
    chart = (
        risk_line_chart(points=[(row.finished_at, row.average) for row in rows]) if rows else None
    )
    return StoreHistory(rows=tuple(rows), chart=chart)
