from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jewelguard.core.forms import ServiceErrorsMixin
from jewelguard.sentinel.models import Arming, SourceKind


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
    detect_fps = forms.FloatField(label=_("Detections per second"), min_value=0.2, max_value=30)
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args: Any, stores: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["store"].choices = stores  # type: ignore[attr-defined]
