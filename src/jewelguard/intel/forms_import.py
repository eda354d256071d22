"""The form an analyst uploads police open-data files with."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jewelguard.core.forms import ServiceErrorsMixin
from jewelguard.intel.profiles import profile_names


class _MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class _MultipleFileField(forms.FileField):
    """One or more files; the service checks how many, their size and their type."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _MultipleFileInput(attrs={"accept": ".csv,.txt,text/csv"}))
        kwargs.setdefault("allow_empty_file", True)  # the service names the empty file
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ImportForm(ServiceErrorsMixin, forms.Form):
    data_files = _MultipleFileField(
        label=_("Police open-data files (CSV)"),
        required=False,
        help_text=_("One or more CSV files of the same department, up to 25 MiB each."),
    )
    profile = forms.ChoiceField(label=_("Import profile"), required=False)
    profile_file = forms.FileField(
        label=_("Or your own profile (YAML)"),
        required=False,
        help_text=_(
            "A profile file as docs/import-profiles.md describes; it replaces the choice above."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["profile"]
        field.choices = [("", _("— choose —")), *[(name, name) for name in profile_names()]]
