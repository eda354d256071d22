from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jewelguard.assessment.models import Answer, Assessment, Finding, Observation
from jewelguard.core.admin import RestrictedAdmin, RestrictedInlineMixin


class ReadOnlyInline(RestrictedInlineMixin):
    """Seen as far as the assessment is; written only through the services (pages, API)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AnswerInline(ReadOnlyInline, admin.TabularInline[Answer, Assessment]):
    model = Answer
    fields = ("question_id", "value", "justification", "answered_by", "updated_at")
    readonly_fields = fields


class ObservationInline(ReadOnlyInline, admin.TabularInline[Observation, Assessment]):
    model = Observation
    fields = ("question_id", "text", "author", "created_at")
    readonly_fields = fields


class FindingInline(ReadOnlyInline, admin.TabularInline[Finding, Assessment]):
    model = Finding
    fields = ("question_id", "control_id", "status", "owner", "owner_name", "due_on", "marked_by")
    readonly_fields = fields


@admin.register(Assessment)
class AssessmentAdmin(RestrictedAdmin[Assessment]):
    list_display = ("store", "questionnaire_version", "status", "started_at", "finished_at")
    list_filter = ("status", "questionnaire_version")
    readonly_fields = (
        "store",
        "questionnaire_version",
        "status",
        "started_by",
        "finished_by",
        "started_at",
        "updated_at",
        "finished_at",
    )
    inlines = [AnswerInline, ObservationInline, FindingInline]
