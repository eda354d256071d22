from django.contrib import admin

from jewelguard.assessment.models import Answer, Assessment
from jewelguard.core.admin import RestrictedAdmin, RestrictedInlineMixin


class AnswerInline(RestrictedInlineMixin, admin.TabularInline[Answer, Assessment]):
    model = Answer
    extra = 0
    fields = ("question_id", "value", "justification", "answered_by", "updated_at")
    readonly_fields = fields
    can_delete = False


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
    inlines = [AnswerInline]
