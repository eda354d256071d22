"""Where a store stands among stores of its kind, anonymously.

A store's kind is what its questionnaire says of it: its setting (mall, strip center or
street storefront, ``store_setting``) and the size band of its stock (``stock_value``). The
store record holds neither, and these two answers are the ones that move the model most
for a store's type. Peers are the other stores whose latest finished assessment gives the
same two answers. Nothing is shown with fewer than ``MIN_PEERS`` peers, and what is shown
is only figures over all of them (median, quartiles, the store's place), never a peer's own.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from jewelguard.assessment.content import questionnaire
from jewelguard.assessment.models import Answer, Assessment, AssessmentStatus
from jewelguard.assessment.progress import risk_average
from jewelguard.assessment.results import AssessmentResult
from jewelguard.assessment.selectors import assessment_answers, assessment_result

KIND_QUESTIONS = ("store_setting", "stock_value")
MIN_PEERS = 5
# Each peer is scored afresh (about 10 ms each): the figures use the most recently assessed.
MAX_PEERS = 500


@dataclass(frozen=True)
class PeerScenario:
    scenario_id: str
    title: str
    risk: float
    median: float
    lower_quartile: float
    upper_quartile: float
    # Share of peers (0 to 100) whose risk for this scenario is higher than the store's.
    peers_higher_percent: int


@dataclass(frozen=True)
class PeerView:
    # The kind, as the answers' labels ("In a mall", "Up to $1 million").
    kind: tuple[str, ...]
    peer_count: int
    average: float
    average_median: float
    peers_higher_percent: int
    scenarios: tuple[PeerScenario, ...]


@dataclass(frozen=True)
class PeerRefusal:
    """Why there is no peer view: the kind is not known, or too few peers share it."""

    kind_known: bool
    peer_count: int


def _quartiles(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return values[0], values[0]
    cuts = statistics.quantiles(values, n=4, method="inclusive")
    return round(cuts[0], 1), round(cuts[2], 1)


def _higher_percent(value: float, others: list[float]) -> int:
    return round(100 * sum(1 for other in others if other > value) / len(others))


def store_kind(*, assessment: Assessment) -> dict[str, str] | None:
    """The store's kind as the assessment's answers give it; None while either is missing."""
    answers = assessment_answers(assessment=assessment)
    kind = {q: answers.get(q) for q in KIND_QUESTIONS}
    if any(not isinstance(v, str) for v in kind.values()):
        return None
    return {q: str(v) for q, v in kind.items()}


def peer_assessments(*, assessment: Assessment, kind: dict[str, str]) -> list[Assessment]:
    """The latest finished assessment of every other store of that kind (the ``MAX_PEERS``
    most recent)."""
    latest: dict[int, Assessment] = {}
    for other in (
        Assessment.objects.filter(status=AssessmentStatus.FINISHED)
        .exclude(store_id=assessment.store_id)
        .select_related("store")
        .order_by("store_id", "-finished_at", "-pk")
    ):
        latest.setdefault(other.store_id, other)
    matching: dict[int, dict[str, object]] = {pk: {} for pk in (a.pk for a in latest.values())}
    for assessment_id, question_id, value in Answer.objects.filter(
        assessment_id__in=list(matching), question_id__in=KIND_QUESTIONS
    ).values_list("assessment_id", "question_id", "value"):
        matching[assessment_id][question_id] = value
    peers = [a for a in latest.values() if matching[a.pk] == kind]
    peers.sort(key=lambda a: (a.finished_at or a.started_at, a.pk), reverse=True)
    return peers[:MAX_PEERS]


def _kind_labels(*, assessment: Assessment, kind: dict[str, str], language: str) -> tuple[str, ...]:
    book = questionnaire(assessment.questionnaire_version)
    labels = []
    for question_id in KIND_QUESTIONS:
        question = book.question(question_id)
        option = (
            next((o for o in question.options if o.id == kind[question_id]), None)
            if question
            else None
        )
        labels.append(option.label.in_language(language) if option else kind[question_id])
    return tuple(labels)


def peer_view(
    *, assessment: Assessment, language: str, result: AssessmentResult | None = None
) -> PeerView | PeerRefusal:
    """The store among its peers, or why not (kind unknown, fewer than ``MIN_PEERS``)."""
    kind = store_kind(assessment=assessment)
    if kind is None:
        return PeerRefusal(kind_known=False, peer_count=0)
    peers = peer_assessments(assessment=assessment, kind=kind)
    if len(peers) < MIN_PEERS:
        return PeerRefusal(kind_known=True, peer_count=len(peers))
    mine = result or assessment_result(assessment=assessment)
    theirs = [assessment_result(assessment=peer) for peer in peers]
    scenarios = []
    for score in mine.scores:
        values = [s.risk for r in theirs for s in r.scores if s.scenario_id == score.scenario_id]
        if len(values) < MIN_PEERS:
            continue  # a scenario some peers' versions do not score
        low, high = _quartiles(values)
        scenarios.append(
            PeerScenario(
                scenario_id=score.scenario_id,
                title=score.title,
                risk=score.risk,
                median=round(statistics.median(values), 1),
                lower_quartile=low,
                upper_quartile=high,
                peers_higher_percent=_higher_percent(score.risk, values),
            )
        )
    averages = [risk_average(result=r) for r in theirs]
    average = risk_average(result=mine)
    return PeerView(
        kind=_kind_labels(assessment=assessment, kind=kind, language=language),
        peer_count=len(peers),
        average=average,
        average_median=round(statistics.median(averages), 1),
        peers_higher_percent=_higher_percent(average, averages),
        scenarios=tuple(scenarios),
    )
