"""The contact and media inquiry forms, with a honeypot against form-filling robots."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jewelguard.core.text import MultiLineField, SingleLineField
from jewelguard.playbook.models import MESSAGE_MAX, NAME_MAX, ORGANISATION_MAX, SUBJECT_MAX

# The honeypot's field name: plausible to a robot, meaningless to a person who never sees it.
HONEYPOT_FIELD = "website"


class InquiryForm(forms.Form):
    name = SingleLineField(
        label=_("Your name"),
        max_length=NAME_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We answer at this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    organisation = SingleLineField(
        label=_("Organisation (optional)"),
        max_length=ORGANISATION_MAX,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    subject = SingleLineField(label=_("Subject"), max_length=SUBJECT_MAX)
    message = MultiLineField(
        label=_("Message"),
        max_length=MESSAGE_MAX,
        help_text=format_lazy(_("Up to {count} characters."), count=MESSAGE_MAX),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Hidden from people by CSS; robots that fill every field give themselves away.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_robot(self) -> bool:
        """True when the honeypot was filled in; call after is_valid()."""
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))

    def inquiry_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "email": data["email"],
            "organisation": data.get("organisation", ""),
            "subject": data["subject"],
            "message": data["message"],
        }


class MediaInquiryForm(InquiryForm):
    organisation = SingleLineField(
        label=_("Media outlet"),
        max_length=ORGANISATION_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    deadline = forms.DateField(
        label=_("Deadline (optional)"),
        required=False,
        help_text=_("The date you need an answer by."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    field_order = ["name", "email", "organisation", "deadline", "subject", "message"]

    def clean_deadline(self) -> date | None:
        deadline: date | None = self.cleaned_data.get("deadline")
        if deadline is not None and deadline < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return deadline

    def inquiry_fields(self) -> dict[str, Any]:
        return {**super().inquiry_fields(), "deadline": self.cleaned_data.get("deadline")}
