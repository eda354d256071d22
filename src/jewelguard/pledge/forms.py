"""Forms of the pledge room; each checks its input and maps service errors onto its fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jewelguard.core.context import language_choices
from jewelguard.core.forms import ServiceErrorsMixin
from jewelguard.pledge.deterrents import DETERRENTS
from jewelguard.pledge.services import MAX_REASON_LENGTH


class PledgeForm(ServiceErrorsMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=32767)
    accept = forms.BooleanField(
        label=_("I take the Partner for Protection pledge, for myself and for all my stores."),
        error_messages={"required": _("Tick the box to take the pledge.")},
    )


class WithdrawForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only the association's analysts read this."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that my badges and signs will say my stores are no longer members."),
        error_messages={"required": _("Tick the box to confirm that you are withdrawing.")},
    )


class SignageForm(ServiceErrorsMixin, forms.Form):
    statements = forms.MultipleChoiceField(
        label=_("What is true of this store?"),
        choices=[(d.id, d.claim) for d in DETERRENTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Only what you tick appears on the door and window signs."),
    )


class ToolkitLanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the toolkit"), choices=[])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["language"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = language_choices()
