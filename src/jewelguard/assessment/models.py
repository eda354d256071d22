from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import Store


class AssessmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("in progress")
    FINISHED = "finished", _("finished")


class Assessment(models.Model):
    """One risk assessment of one store, taken with one questionnaire version for good."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="assessments")
    questionnaire_version = models.CharField(_("questionnaire version"), max_length=8)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.IN_PROGRESS,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("started by"),
    )
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("finished by"),
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["store", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.store} ({self.started_at:%Y-%m-%d})"


class Answer(models.Model):
    """One answer, saved as it is given; the latest answer to a question replaces the last."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(_("question"), max_length=64)
    # "yes" / "no" / "not_applicable" / "alternative", an option id, or a number.
    value = models.JSONField(_("answer"))
    justification = models.TextField(_("justification"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_id"], name="assessment_answer_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value}"
