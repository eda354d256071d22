"""What the playbook room stores: contact and media inquiries from the public."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NAME_MAX = 120
ORGANISATION_MAX = 160
SUBJECT_MAX = 160
MESSAGE_MAX = 5000


class InquiryKind(models.TextChoices):
    GENERAL = "general", _("General")
    MEDIA = "media", _("Media")


class InquiryStatus(models.TextChoices):
    NEW = "new", _("New")
    ANSWERED = "answered", _("Answered")


class Inquiry(models.Model):
    """A message sent through the contact or media form. No client address is kept."""

    kind = models.CharField(_("kind"), max_length=16, choices=InquiryKind.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX)
    email = models.EmailField(_("e-mail"))
    # The sender's organisation; for media inquiries, the outlet.
    organisation = models.CharField(_("organisation"), max_length=ORGANISATION_MAX, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=SUBJECT_MAX)
    message = models.TextField(_("message"), max_length=MESSAGE_MAX)
    # The language the sender used on the site, so that the answer can be in it.
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=16, choices=InquiryStatus.choices, default=InquiryStatus.NEW
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"
