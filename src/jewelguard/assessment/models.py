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


class Observation(models.Model):
    """An analyst's note on one question of an assessment, made during a virtual assessment."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="observations"
    )
    question_id = models.CharField(_("question"), max_length=64)
    text = models.TextField(_("observation"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["assessment", "question_id"])]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.text[:40]}"


class ObservationPhoto(models.Model):
    """A photo taken for an observation, re-encoded on upload with its metadata (EXIF, GPS) gone."""

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("photo"), max_length=200)
    content_type = models.CharField(_("type"), max_length=16)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size in bytes"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("observation photo")
        verbose_name_plural = _("observation photos")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.observation.question_id}: {self.width}x{self.height}"


class FindingStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")


class Finding(models.Model):
    """A question or a control the analyst marked as to be dealt with, by someone, by a date.

    Exactly one of ``question_id`` and ``control_id`` names what it is about; the owner is one
    of the member's people (``owner``) or, for someone without a login, a name (``owner_name``).
    """

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="findings")
    question_id = models.CharField(_("question"), max_length=64, blank=True)
    control_id = models.CharField(_("control"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    owner_name = models.CharField(_("owner's name"), max_length=120, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("marked by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["status", "due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(question_id="") & ~models.Q(control_id=""))
                | (~models.Q(question_id="") & models.Q(control_id="")),
                name="finding_names_question_or_control",
            ),
            models.UniqueConstraint(
                fields=["assessment", "question_id", "control_id"], name="finding_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question_id or self.control_id} ({self.status})"
