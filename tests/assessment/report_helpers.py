"""Helpers for the report, progress, peers and portfolio tests: assessments taken for real."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import timedelta

from django.utils import timezone
from pypdf import PdfReader

from jewelguard.accounts.models import Store
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.scoring import AnswerValue
from jewelguard.assessment.services import answer_put, assessment_finish, assessment_start
from tests.assessment.conftest import typical_store


def assessment_taken(
    store: Store,
    answers: Mapping[str, AnswerValue] | None = None,
    *,
    finish: bool = True,
    days_ago: int = 0,
) -> Assessment:
    """An assessment of ``store`` answered through the services, by the store's owner."""
    owner = store.member.owner
    assessment = assessment_start(store=store, started_by=owner)
    for question_id, value in (answers or typical_store()).items():
        answer_put(assessment=assessment, question_id=question_id, value=value, answered_by=owner)
    if finish:
        assessment = assessment_finish(assessment=assessment, finished_by=owner)
    if days_ago:
        when = timezone.now() - timedelta(days=days_ago)
        Assessment.objects.filter(pk=assessment.pk).update(
            started_at=when, finished_at=when if finish else None
        )
        assessment.refresh_from_db()
    return assessment


def pdf_text(content: bytes) -> str:
    """The PDF's text, as one line with single spaces."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())


def flat(text: str) -> str:
    return " ".join(text.replace("\xa0", " ").replace("\u202f", " ").split())
