"""Background work of the assessment room: setting a report's PDF before the member asks."""

from __future__ import annotations

from django_tasks import task

from jewelguard.assessment.models import Assessment
from jewelguard.assessment.report import report_build, report_pdf


@task()
def report_prepare(*, assessment_id: int) -> None:
    """Store the assessment's report PDF in the member's language, so its download is a read.

    Idempotent (tasks may run twice): a rerun finds the same report stored; a report that
    changed since it was queued is built as it is now.
    """
    assessment = (
        Assessment.objects.select_related("store__member__owner").filter(pk=assessment_id).first()
    )
    if assessment is None:
        return  # deleted since
    report_pdf(report=report_build(assessment=assessment))
