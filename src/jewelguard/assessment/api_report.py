"""An assessment's report over the API: ``GET /api/assessment/assessments/{id}/report``.

The same permission rule as the pages (``assessment.permissions``): anyone who may not read
the assessment gets a 404, as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Path, Query, Router, Schema

from jewelguard.accounts.api import SIGNED_OUT, ErrorOut, ValidationErrorOut
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.views_report import report_response
from jewelguard.core.forms import DATABASE_ID_MAX
from jewelguard.core.permissions import Action, object_get_or_refuse

router = Router(tags=["risk assessments"])

AssessmentId = Annotated[int, Path(ge=1, le=DATABASE_ID_MAX)]


class ReportQuery(Schema):
    format: Literal["pdf", "html"] = "pdf"


@router.get(
    "/assessments/{assessment_id}/report",
    response={**SIGNED_OUT, 404: ErrorOut, 422: ValidationErrorOut},
    openapi_extra={
        "responses": {
            "200": {
                "description": "The report, in the member's language, as a download.",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    "text/html": {"schema": {"type": "string"}},
                },
            }
        }
    },
)
def assessment_report(
    request: HttpRequest,
    assessment_id: AssessmentId,
    query: Query[ReportQuery],
) -> HttpResponse:
    """The assessment's report: summary, risk per scenario, recommendations, answers."""
    assessment = object_get_or_refuse(
        Assessment.objects.select_related("store__member__owner"),
        pk=assessment_id,
        user=request.user,
        action=Action.VIEW,
    )
    return report_response(assessment=assessment, file_format=query.format)
