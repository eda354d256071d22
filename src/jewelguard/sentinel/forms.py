from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.hours import WEEKDAYS
from jewelguard.core.forms import ServiceErrorsMixin
from jewelguard.sentinel.models import Arming, SourceKind

_WINDOW = re.compile(r"([a-z]+)\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})")
WINDOWS_MAX = 50


def armed_windows_text(windows: list[list[Any]]) -> str:
    """Stored armed windows as the form shows them, one a line: ``monday 22:00-23:59``."""
    return "\n".join(f"{WEEKDAYS[day]} {start}-{end}" for day, start, end in windows)


class ArmedWindowsField(forms.CharField):
    """Extra armed hours, one window a line: a weekday in English and two times."""

    def to_python(self, value: Any) -> list[list[Any]]:  # type: ignore[override]
        text = super().to_python(value) or ""
        lines = [line.strip().lower() for line in text.splitlines() if line.strip()]
        if len(lines) > WINDOWS_MAX:
            raise ValidationError(_("At most 50 armed windows."), code="too_many")
        windows: list[list[Any]] = []
        for line in lines:
            found = _WINDOW.fullmatch(line)
            if found is None or found.group(1) not in WEEKDAYS:
                raise ValidationError(
                    _("Write each window on its own line, such as: monday 22:00-23:59"),
                    code="invalid",
                )
            day, start, end = found.groups()
            windows.append([WEEKDAYS.index(day), start.zfill(5), end.zfill(5)])  # type: ignore[arg-type]
        return windows


class CameraForm(ServiceErrorsMixin, forms.Form):
    store = forms.TypedChoiceField(label=_("Store"), coerce=int)
    name = forms.CharField(label=_("Camera name"), max_length=80)
    source_kind = forms.ChoiceField(label=_("Source"), choices=SourceKind.choices)
    url = forms.CharField(
        label=_("Address"),
        max_length=500,
        help_text=_("Such as rtsp://192.0.2.10:554/stream1, or a video file's full path."),
    )
    username = forms.CharField(label=_("User name"), max_length=120, required=False)
    password = forms.CharField(
        label=_("Password"),
        max_length=200,
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Kept encrypted and never shown again. Leave empty to keep the present one."),
    )
    clear_password = forms.BooleanField(label=_("Remove the stored password"), required=False)
    arming = forms.ChoiceField(label=_("Arming"), choices=Arming.choices)
    armed_windows = ArmedWindowsField(
        label=_("Armed windows"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Hours when the camera is armed even while the store is open, in the store's "
            "time zone, one a line, such as: monday 12:00-13:00"
        ),
    )
    detect_fps = forms.FloatField(label=_("Detections per second"), min_value=0.2, max_value=30)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args: Any, stores: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = stores  # type: ignore[attr-defined]
