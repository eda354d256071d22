"""The association analysts' portfolio: stores by risk, the most common gaps, findings past due.

Only the association's people (analysts, administrators) have a portfolio, and it holds only
the assessments the one assessment policy lets them read: an analyst sees the stores of the
members who shared their data with them (an ``AnalystGrant``), an administrator every store.
Each store counts once, by its latest finished assessment.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone, translation

from jewelguard.accounts.models import User
from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.assessment.content import questionnaire
from jewelguard.assessment.models import Assessment, AssessmentStatus, Finding, FindingStatus
from jewelguard.assessment.progress import control_statuses, risk_average
from jewelguard.assessment.report import finding_subject
from jewelguard.assessment.scoring import catalogue_names
from jewelguard.assessment.selectors import assessment_result
from jewelguard.core.content import content_language
from jewelguard.core.permissions import Action, restrict

# Cells a spreadsheet would run as a formula are written as text (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The page and its CSV list this many findings past due at most.
PAST_DUE_LIMIT = 500


@dataclass(frozen=True)
class StoreRisk:
    assessment_id: int
    store_id: int
    store_name: str
    member_name: str
    city: str
    finished_at: datetime
    average: float
    highest_title: str
    highest_risk: float
    highest_level: str
    gaps: int


@dataclass(frozen=True)
class CommonGap:
    control_id: str
    name: str
    stores: int
    # Share of the portfolio's stores (0 to 100) where the control is missing or weak.
    percent: int


@dataclass(frozen=True)
class PastDueFinding:
    assessment_id: int
    store_name: str
    title: str
    due: date
    days_late: int
    owner: str


@dataclass(frozen=True)
class Portfolio:
    stores: tuple[StoreRisk, ...]
    gaps: tuple[CommonGap, ...]
    findings: tuple[PastDueFinding, ...]


def portfolio_allowed(*, user: User) -> bool:
    return user_is_association_staff(user=user)


def portfolio_assessments(*, user: User) -> list[Assessment]:
    """The latest finished assessment of each store this user may read."""
    latest: dict[int, Assessment] = {}
    for assessment in (
        restrict(Assessment.objects.all(), user=user, action=Action.VIEW)
        .filter(status=AssessmentStatus.FINISHED)
        .select_related("store__member")
        .order_by("store_id", "-finished_at", "-pk")
    ):
        latest.setdefault(assessment.store_id, assessment)
    return list(latest.values())


def portfolio_build(*, user: User) -> Portfolio:
    """The three tables; empty for anyone who is not the association's."""
    if not portfolio_allowed(user=user):
        return Portfolio(stores=(), gaps=(), findings=())
    assessments = portfolio_assessments(user=user)
    stores: list[StoreRisk] = []
    missing: Counter[str] = Counter()
    for assessment in assessments:
        result = assessment_result(assessment=assessment)
        statuses = control_statuses(assessment=assessment)
        gaps = [c for c, status in statuses.items() if status in ("missing", "weak")]
        missing.update(gaps)
        top = result.scores[0]
        stores.append(
            StoreRisk(
                assessment_id=assessment.pk,
                store_id=assessment.store_id,
                store_name=assessment.store.name,
                member_name=assessment.store.member.name,
                city=assessment.store.city,
                finished_at=assessment.finished_at or assessment.started_at,
                average=risk_average(result=result),
                highest_title=top.title,
                highest_risk=top.risk,
                highest_level=top.level_label,
                gaps=len(gaps),
            )
        )
    stores.sort(key=lambda s: (-s.highest_risk, -s.average, s.store_name))
    _titles, names = catalogue_names()
    total = len(assessments)
    common = tuple(
        CommonGap(
            control_id=control_id,
            name=names.get(control_id, control_id),
            stores=count,
            percent=round(100 * count / total),
        )
        for control_id, count in sorted(missing.items(), key=lambda item: (-item[1], item[0]))
    )
    return Portfolio(
        stores=tuple(stores), gaps=common, findings=portfolio_findings_past_due(user=user)
    )


def portfolio_findings_past_due(*, user: User) -> tuple[PastDueFinding, ...]:
    """Open findings whose due date has passed, of every assessment this user may read,
    the longest overdue first."""
    if not portfolio_allowed(user=user):
        return ()
    today = timezone.localdate()
    visible = restrict(Assessment.objects.all(), user=user, action=Action.VIEW)
    language = content_language(translation.get_language())
    found = []
    for finding in (
        Finding.objects.filter(assessment__in=visible, status=FindingStatus.OPEN, due_on__lt=today)
        .select_related("assessment__store", "owner")
        .order_by("due_on", "pk")[:PAST_DUE_LIMIT]
    ):
        assert finding.due_on is not None
        book = questionnaire(finding.assessment.questionnaire_version)
        found.append(
            PastDueFinding(
                assessment_id=finding.assessment_id,
                store_name=finding.assessment.store.name,
                title=finding_subject(finding=finding, book=book, language=language),
                due=finding.due_on,
                days_late=(today - finding.due_on).days,
                owner=(
                    (finding.owner.full_name or finding.owner.email)
                    if finding.owner
                    else finding.owner_name
                ),
            )
        )
    return tuple(found)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def csv_write(*, header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A CSV table (UTF-8 with a byte-order mark, for spreadsheets), formula-safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
