"""The report form: the scenario first, then only what matters for it.

Offenders and vehicles are repeatable rows named ``offender-<n>-<field>`` and
``vehicle-<n>-<field>``; the page adds and removes rows (with htmx, or by sending the form),
and whatever rows arrive are read, so that a removed row simply is not sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts.models import Store
from jewelguard.core.forms import ServiceErrorsMixin, database_id_fits
from jewelguard.core.text import SingleLineField
from jewelguard.intel.models import (
    Attempt,
    Build,
    Currency,
    Direction,
    LocationType,
    ModusOperandi,
    OffPremisesScene,
    Premises,
    Sex,
    Visibility,
)
from jewelguard.intel.photos import MAX_PHOTOS
from jewelguard.intel.services import IncidentDetails, OffenderDetails, VehicleDetails

# The NIBRS offense each scenario is reported under (reference/crime-data.md); an analyst
# corrects it in moderation where the facts say otherwise.
SCENARIO_OFFENSE = {
    "smash_and_grab": "120",
    "armed_robbery": "120",
    "three_minute_burglary": "220",
    "safe_burglary": "220",
    "grab_and_run": "23C",
    "distraction_theft": "23C",
    "switch_theft": "23C",
    "off_premises": "120",
    "fraud": "26A",
    "insider_theft": "23D",
}
# Scenarios whose offenders a jeweler may have seen, and those with a getaway vehicle.
WITH_OFFENDERS = frozenset(SCENARIO_OFFENSE) - {"insider_theft"}
WITH_VEHICLES = frozenset(
    {
        "smash_and_grab",
        "armed_robbery",
        "three_minute_burglary",
        "safe_burglary",
        "grab_and_run",
        "off_premises",
    }
)
# The NIBRS location of an off-premises scene.
SCENE_LOCATION: dict[str, str] = {
    OffPremisesScene.TRADE_SHOW: LocationType.OTHER,
    OffPremisesScene.HOTEL: LocationType.HOTEL,
    OffPremisesScene.PARKING_LOT: LocationType.PARKING_LOT,
    OffPremisesScene.RESIDENCE: LocationType.RESIDENCE,
    OffPremisesScene.VEHICLE: LocationType.HIGHWAY,
}
MAX_ROWS = 10
LOCAL_TIME = "%Y-%m-%dT%H:%M"
_ROW = re.compile(r"^(offender|vehicle)-([0-9]{1,3})-")


def _height_choices() -> list[tuple[str, str]]:
    choices = [("", str(_("Unknown")))]
    for centimetres in range(140, 215, 5):
        inches = round(centimetres / 2.54)
        choices.append((str(centimetres), f"{inches // 12} ft {inches % 12} in ({centimetres} cm)"))
    return choices


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to ``MAX_PHOTOS`` files at once; each is checked and re-encoded by the view."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("Send at most %(count)d photos.") % {"count": MAX_PHOTOS}, code="too_many"
            )
        return [super(PhotosField, self).clean(one, initial) for one in files]


class StoreChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A store by id; an id past what the database holds is an invalid choice, not a crash."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values and not database_id_fits(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ReportForm(ServiceErrorsMixin, forms.Form):
    store = StoreChoiceField(queryset=Store.objects.none(), label=_("Store"))
    occurred_from = forms.CharField(
        label=_("When did it happen?"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("On the store's own clock."),
    )
    attempt = forms.ChoiceField(
        label=_("Did they get away with anything?"),
        choices=[
            (Attempt.COMPLETED, _("Yes, something was taken")),
            (Attempt.ATTEMPTED, _("No, it was only attempted")),
        ],
        initial=Attempt.COMPLETED,
        widget=forms.RadioSelect,
    )
    location_type = forms.ChoiceField(
        label=_("Where is the store?"),
        choices=[
            (LocationType.SPECIALTY_STORE, _("A street or strip-mall store")),
            (LocationType.SHOPPING_MALL, _("In a shopping mall")),
            (LocationType.DEPARTMENT_STORE, _("In a department store")),
        ],
        initial=LocationType.SPECIALTY_STORE,
        widget=forms.RadioSelect,
        required=False,
    )
    off_premises_scene = forms.ChoiceField(
        label=_("Where did it happen?"),
        choices=[c for c in OffPremisesScene.choices if c[0]],
        widget=forms.RadioSelect,
        required=False,
    )
    scene_address = SingleLineField(
        label=_("Address or place of the scene"),
        max_length=200,
        required=False,
        help_text=_("The store's location is used on the map."),
    )
    property_lost = forms.DecimalField(
        label=_("Value taken, in dollars"),
        min_value=Decimal(0),
        max_value=Decimal(10**12),
        decimal_places=2,
        max_digits=15,
        required=False,
        help_text=_("Your best estimate; leave empty if you do not know yet."),
    )
    modus_operandi = forms.MultipleChoiceField(
        label=_("What did you notice?"),
        choices=ModusOperandi.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    police_case_number = SingleLineField(
        label=_("Police case number"), max_length=40, required=False
    )
    visibility = forms.ChoiceField(
        label=_("Who may see this report?"),
        choices=[
            (Visibility.MEMBERS, _("Other member jewelers, once the association verifies it")),
            (Visibility.LAW_ENFORCEMENT, _("Law enforcement")),
            (Visibility.PUBLIC_AGGREGATE, _("Only counted on the public map, never shown")),
            (Visibility.PRIVATE, _("Only me and the association")),
        ],
        initial=Visibility.MEMBERS,
        widget=forms.RadioSelect,
    )
    photos = PhotosField(
        label=_("Photos"),
        required=False,
        widget=MultiplePhotoInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_(
            "Up to 6 JPEG, PNG or WebP photos of at most 10 MB each. Their location and camera "
            "details are removed."
        ),
    )

    def __init__(self, *args: Any, scenario_id: str, stores: QuerySet[Store], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.scenario_id = scenario_id
        self.fields["store"].queryset = stores  # type: ignore[attr-defined]
        self.only_store = stores.first() if stores.count() == 1 else None
        if self.only_store is not None:
            # One store: nothing to choose, and a form sent without it means that store.
            self.fields["store"].initial = self.only_store
            self.fields["store"].widget = forms.HiddenInput()
            self.fields["store"].required = False
        self.off_premises = scenario_id == "off_premises"

    def clean_store(self) -> Store | None:
        store: Store | None = self.cleaned_data.get("store") or self.only_store
        if store is None:
            raise ValidationError(_("Choose the store."), code="required")
        return store

    def clean_occurred_from(self) -> datetime:
        text = str(self.cleaned_data.get("occurred_from") or "").strip()
        try:
            return datetime.strptime(text[:16], LOCAL_TIME) if len(text) <= 19 else _no_time()
        except ValueError:
            raise ValidationError(
                _("Give the date and time, e.g. 2026-03-04 15:30."), code="invalid"
            ) from None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.off_premises and not cleaned.get("off_premises_scene"):
            self.add_error("off_premises_scene", _("Say where off the premises it happened."))
        return cleaned

    def details(
        self, *, offenders: Iterable[OffenderDetails], vehicles: Iterable[VehicleDetails]
    ) -> IncidentDetails:
        """The report as the service takes it, the time read on the store's clock."""
        data = self.cleaned_data
        store: Store = data["store"]
        local: datetime = data["occurred_from"]
        occurred = local.replace(tzinfo=ZoneInfo(store.time_zone))
        scene = data.get("off_premises_scene") or "" if self.off_premises else ""
        lost = data.get("property_lost") or Decimal(0)
        return IncidentDetails(
            scenario_id=self.scenario_id,
            nibrs_offense_code=SCENARIO_OFFENSE[self.scenario_id],
            occurred_from=occurred,
            latitude=store.latitude,
            longitude=store.longitude,
            attempt=data["attempt"],
            address=(data.get("scene_address") or "")
            if self.off_premises
            else _store_address(store),
            location_type=SCENE_LOCATION.get(scene, LocationType.OTHER)
            if self.off_premises
            else (data.get("location_type") or LocationType.SPECIALTY_STORE),
            premises=Premises.OFF if self.off_premises else Premises.ON,
            off_premises_scene=scene,
            property_lost_cents=int(lost * 100),
            currency=Currency.CAD if store.country == "CA" else Currency.USD,
            modus_operandi=tuple(data.get("modus_operandi") or ()),
            police_case_number=data.get("police_case_number") or "",
            visibility=data["visibility"],
            offenders=tuple(offenders),
            vehicles=tuple(vehicles),
        )


def _no_time() -> datetime:
    raise ValueError


def _store_address(store: Store) -> str:
    parts = [store.street_address, store.city, store.region, store.postal_code]
    return ", ".join(part for part in parts if part)[:200]


class OffenderForm(forms.Form):
    age_min = forms.IntegerField(
        label=_("Youngest age"), min_value=0, max_value=120, required=False
    )
    age_max = forms.IntegerField(label=_("Oldest age"), min_value=0, max_value=120, required=False)
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=Sex.choices,
        initial=Sex.UNKNOWN,
        widget=forms.RadioSelect,
        required=False,
    )
    height_cm = forms.TypedChoiceField(
        label=_("Height"), choices=_height_choices, coerce=int, empty_value=None, required=False
    )
    build = forms.ChoiceField(label=_("Build"), choices=Build.choices, required=False)
    clothing = SingleLineField(label=_("Clothing"), max_length=300, required=False)
    disguise = SingleLineField(
        label=_("Disguise (mask, hood, gloves…)"), max_length=200, required=False
    )
    distinguishing_marks = SingleLineField(
        label=_("Distinguishing marks (tattoos, scars…)"), max_length=300, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        low, high = cleaned.get("age_min"), cleaned.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("The oldest age is below the youngest."))
        return cleaned

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(
            data.get(name) not in (None, "", Sex.UNKNOWN)
            for name in ("age_min", "age_max", "sex", "height_cm", "build")
        ) and not any(data.get(name) for name in ("clothing", "disguise", "distinguishing_marks"))

    def details(self) -> OffenderDetails:
        data = self.cleaned_data
        return OffenderDetails(
            age_min=data.get("age_min"),
            age_max=data.get("age_max"),
            sex=data.get("sex") or Sex.UNKNOWN,
            height_cm=data.get("height_cm"),
            build=data.get("build") or "",
            clothing=data.get("clothing") or "",
            disguise=data.get("disguise") or "",
            distinguishing_marks=data.get("distinguishing_marks") or "",
        )


class VehicleForm(forms.Form):
    make = SingleLineField(label=_("Make"), max_length=40, required=False)
    model = SingleLineField(label=_("Model"), max_length=40, required=False)
    colour = SingleLineField(label=_("Colour"), max_length=30, required=False)
    plate = SingleLineField(label=_("Plate"), max_length=12, required=False)
    plate_region = SingleLineField(
        label=_("Plate state or province"),
        max_length=2,
        required=False,
        help_text=_("Two letters, e.g. CO or ON."),
    )
    direction_of_travel = forms.ChoiceField(
        label=_("Direction of travel"), choices=Direction.choices, required=False
    )

    def is_blank(self) -> bool:
        return not any(self.cleaned_data.get(name) for name in self.fields)

    def details(self) -> VehicleDetails:
        data = self.cleaned_data
        return VehicleDetails(**{name: data.get(name) or "" for name in self.fields})


@dataclass
class ReportRows:
    """The offender and vehicle rows of one report page."""

    offenders: list[OffenderForm]
    vehicles: list[VehicleForm]

    def is_valid(self) -> bool:
        return all([form.is_valid() for form in (*self.offenders, *self.vehicles)])

    def offender_details(self) -> list[OffenderDetails]:
        return [form.details() for form in self.offenders if not form.is_blank()]

    def vehicle_details(self) -> list[VehicleDetails]:
        return [form.details() for form in self.vehicles if not form.is_blank()]


def row_numbers(data: Mapping[str, Any], kind: str) -> list[int]:
    """The row numbers of ``kind`` ("offender" or "vehicle") present in ``data``, at most
    ``MAX_ROWS`` of them, in order."""
    found = {
        int(match.group(2))
        for name in data
        if (match := _ROW.match(name)) is not None and match.group(1) == kind
    }
    return sorted(found)[:MAX_ROWS]


def report_rows(
    *,
    scenario_id: str,
    data: Mapping[str, Any] | None,
    initial: Mapping[str, Any] | None = None,
) -> ReportRows:
    """The rows the scenario has, bound to ``data`` (a sent form) or filled from ``initial``
    (a draft); a scenario with offenders starts with one empty offender row."""
    source = data if data is not None else (initial or {})

    def numbers_of(kind: str) -> list[int]:
        numbers = row_numbers(source, kind)
        # A new report starts with one empty offender row, ready to fill.
        return numbers or ([0] if data is None and kind == "offender" else [])

    offenders = [
        OffenderForm(data, prefix=f"offender-{n}")
        if data is not None
        else OffenderForm(
            prefix=f"offender-{n}", initial=_initial_for(source, f"offender-{n}", OffenderForm)
        )
        for n in (numbers_of("offender") if scenario_id in WITH_OFFENDERS else [])
    ]
    vehicles = [
        VehicleForm(data, prefix=f"vehicle-{n}")
        if data is not None
        else VehicleForm(
            prefix=f"vehicle-{n}", initial=_initial_for(source, f"vehicle-{n}", VehicleForm)
        )
        for n in (numbers_of("vehicle") if scenario_id in WITH_VEHICLES else [])
    ]
    return ReportRows(offenders=offenders, vehicles=vehicles)


def _initial_for(
    source: Mapping[str, Any], prefix: str, form_class: type[forms.Form]
) -> dict[str, Any]:
    return {
        name: source[f"{prefix}-{name}"]
        for name in form_class.base_fields
        if f"{prefix}-{name}" in source
    }


def report_initial(
    *, draft: Mapping[str, list[str]], form_class: type[forms.Form]
) -> dict[str, Any]:
    """A draft's values as a form's initial data: lists for multiple choices, else the value."""
    initial: dict[str, Any] = {}
    for name, values in draft.items():
        field = form_class.base_fields.get(name)
        if isinstance(field, forms.MultipleChoiceField):
            initial[name] = list(values)
        elif values and not isinstance(field, forms.FileField):
            initial[name] = values[-1]
    return initial


class RejectForm(forms.Form):
    reason = SingleLineField(label=_("Why is it rejected?"), max_length=500)


class MergeForm(forms.Form):
    kept = forms.IntegerField(
        label=_("Number of the incident to keep"), min_value=1, max_value=2**63 - 1
    )
