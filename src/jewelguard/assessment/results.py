"""An assessment's whole result from plain values: scores, recommendations and progress.

Pure (no database): the selector reads the answers, the store's hours and the local crime
level, and hands them here. Recomputing after one answer is this same call; it takes about a
millisecond (benchmarks/assessment_bench.py), so no partial update is kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import get_language

from jewelguard.assessment.content import Questionnaire
from jewelguard.assessment.recommendations import Recommendation, recommendations_compute
from jewelguard.assessment.scoring import (
    AnswerValue,
    ScenarioScore,
    StoreFacts,
    profile_build,
    question_applies,
    scores_compute,
)
from jewelguard.core.content import content_language
from jewelguard.intel.levels import LocalCrimeLevel


@dataclass(frozen=True)
class SectionProgress:
    section_id: str
    title: str
    answered: int
    # Questions asked in this section, given the answers so far.
    applicable: int


@dataclass(frozen=True)
class AssessmentResult:
    questionnaire_version: str
    # Highest risk first.
    scores: tuple[ScenarioScore, ...]
    recommendations: tuple[Recommendation, ...]
    # False when intel has no local crime level for the store (the sentences say so).
    crime_level_known: bool
    progress: tuple[SectionProgress, ...]
    answered: int
    applicable: int

    def score(self, scenario_id: str) -> ScenarioScore:
        return next(s for s in self.scores if s.scenario_id == scenario_id)

    def rank(self, scenario_id: str) -> int:
        """1 for the highest risk."""
        return 1 + [s.scenario_id for s in self.scores].index(scenario_id)


def result_compute(
    *,
    questionnaire: Questionnaire,
    answers: Mapping[str, AnswerValue],
    crime_level: LocalCrimeLevel,
    facts: StoreFacts,
) -> AssessmentResult:
    """Scores, recommendations and progress for checked ``answers`` under ``questionnaire``."""
    profile = profile_build(questionnaire=questionnaire, answers=answers)
    scores = scores_compute(
        questionnaire=questionnaire, profile=profile, crime_level=crime_level, facts=facts
    )
    recommendations = recommendations_compute(
        questionnaire=questionnaire, profile=profile, crime_level=crime_level, facts=facts
    )
    language = content_language(get_language())
    progress: list[SectionProgress] = []
    for section in questionnaire.file.sections:
        asked = [
            q
            for q in questionnaire.file.questions
            if q.section == section.id
            and question_applies(questionnaire=questionnaire, question=q, answers=answers)
        ]
        progress.append(
            SectionProgress(
                section_id=section.id,
                title=section.title.in_language(language),
                answered=sum(1 for q in asked if q.id in profile.answers),
                applicable=len(asked),
            )
        )
    return AssessmentResult(
        questionnaire_version=questionnaire.version,
        scores=tuple(scores),
        recommendations=tuple(recommendations),
        crime_level_known=crime_level.known,
        progress=tuple(progress),
        answered=sum(p.answered for p in progress),
        applicable=sum(p.applicable for p in progress),
    )
