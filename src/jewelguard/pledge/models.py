"""The pledge a member takes (and may withdraw), and what each store's signs may claim."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import Member, Store, User


class PledgeQuerySet(models.QuerySet["Pledge"]):
    def active(self) -> PledgeQuerySet:
        return self.filter(withdrawn_at__isnull=True)


class Pledge(models.Model):
    """One taking of the pledge by a member, covering all its stores.

    Withdrawing sets ``withdrawn_at``; taking it again later is a new row, so the history
    stays. A member is a Partner for Protection member while it has an active row.
    """

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="pledges"
    )
    taken_by = models.ForeignKey(
        User,
        verbose_name=_("taken by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text_version = models.PositiveSmallIntegerField(_("text version"))
    # SHA-256 of the exact wording the member read, in their language.
    text_sha256 = models.CharField(_("text fingerprint"), max_length=64)
    language = models.CharField(_("language"), max_length=8)
    statements = models.JSONField(_("statements"), default=list)
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawing"), max_length=500, blank=True)

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-taken_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_pledge_per_member",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("taken_at")),
                name="pledge_withdrawn_after_taken",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} (v{self.text_version}, {self.taken_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class StoreSignage(models.Model):
    """The deterrent statements a member confirmed are true of one store, for its signs."""

    store = models.OneToOneField(
        Store, verbose_name=_("store"), on_delete=models.CASCADE, related_name="signage"
    )
    statements = models.JSONField(_("statements"), default=list)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        User, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("store signage")
        verbose_name_plural = _("store signage")

    def __str__(self) -> str:
        return str(self.store)
