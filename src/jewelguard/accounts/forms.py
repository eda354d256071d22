"""HTML forms for the accounts room. They check shape; the services check meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts import services
from jewelguard.accounts.hours import WEEKDAYS
from jewelguard.accounts.models import (
    BusinessHours,
    Country,
    LocationSource,
    StaffRight,
    Store,
    User,
)
from jewelguard.core.errors import ServiceError
from jewelguard.core.forms import ModelIdMultipleChoiceField, ServiceErrorsMixin
from jewelguard.core.text import SingleLineField


class SignupExtraForm(forms.Form):
    """What allauth's sign-up asks beyond e-mail and password.

    A jeweler names their business and becomes a member. Someone invited as staff joins as
    staff and may leave the business name empty (the rule is the service's).
    """

    full_name = SingleLineField(label=_("Your name"), max_length=150)
    business_name = SingleLineField(
        label=_("Business name"),
        max_length=200,
        required=False,
        help_text=_("Your jewelry business. Leave it empty if a jeweler invited you as staff."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            services.signup_business_name_check(
                email=str(cleaned.get("email") or ""),
                business_name=str(cleaned.get("business_name") or ""),
            )
        except ServiceError as error:
            self.add_error(error.field, error.message)
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        services.user_signup_complete(
            user=user,
            full_name=self.cleaned_data["full_name"],
            business_name=self.cleaned_data["business_name"],
        )


class ClockTimeField(forms.TimeField):
    """Hours and minutes on a 24-hour clock, as the time picker sends them; no seconds."""

    input_formats = ["%H:%M"]
    default_error_messages = {"invalid": _("Use a 24-hour time such as 09:30.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
        super().__init__(**kwargs)


class SpecialDayForm(forms.Form):
    """One holiday or special day: a date, what it is, and closed or its own hours."""

    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    label = SingleLineField(label=_("Occasion"), max_length=80, required=False)
    closed = forms.BooleanField(label=_("Closed all day"), required=False)
    opens = ClockTimeField(label=_("Opens"), required=False)
    closes = ClockTimeField(label=_("Closes"), required=False)
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        filled = cleaned.get("label") or cleaned.get("opens") or cleaned.get("closes")
        if not cleaned.get("date") and filled and not cleaned.get("remove"):
            self.add_error("date", _("Give the date of this special day, or clear the row."))
        return cleaned

    def hours_exception(self) -> services.HoursExceptionInput | None:
        """The special day this row gives, or None for a blank or removed row."""
        data = self.cleaned_data
        if not data.get("date") or data.get("remove"):
            return None
        closed = data.get("closed") or not (data.get("opens") or data.get("closes"))
        return services.HoursExceptionInput(
            date=data["date"],
            label=data.get("label") or "",
            opens=None if closed else data.get("opens"),
            closes=None if closed else data.get("closes"),
        )


SpecialDayFormSet = forms.formset_factory(
    SpecialDayForm,
    extra=3,
    max_num=services.MAX_HOURS_EXCEPTIONS,
    validate_max=True,
    absolute_max=services.MAX_HOURS_EXCEPTIONS + 3,
)


class StoreForm(forms.Form):
    name = SingleLineField(label=_("Store name"), max_length=120)
    street_address = SingleLineField(label=_("Street address"), max_length=200)
    city = SingleLineField(
        label=_("City"),
        max_length=100,
        required=False,
        help_text=_("Filled in from the ZIP or postal code when left empty."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    postal_code = SingleLineField(label=_("ZIP or postal code"), max_length=10)
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Set by clicking the map; leave empty to use the ZIP code."),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
    )

    SPECIAL_DAYS_PREFIX = "special"
    special_days_errors: list[str]

    def __init__(
        self,
        *args: Any,
        special_days: list[dict[str, Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        for weekday, day in enumerate(WEEKDAYS):
            label = BusinessHours.Weekday(weekday).label
            self.fields[f"{day}_closed"] = forms.BooleanField(
                label=_("%(day)s: closed") % {"day": label}, required=False
            )
            self.fields[f"{day}_opens"] = ClockTimeField(
                label=_("%(day)s opens") % {"day": label}, required=False
            )
            self.fields[f"{day}_closes"] = ClockTimeField(
                label=_("%(day)s closes") % {"day": label}, required=False
            )
        # Special days come as a list of rows. A client that sends none of them (an older
        # page, a script) leaves the store's special days as they are.
        self.special_days_sent = (
            self.is_bound and f"{self.SPECIAL_DAYS_PREFIX}-TOTAL_FORMS" in self.data
        )
        self.special_days_errors = []
        # Rows sent are read as sent: compared with the saved ones, an unchanged row would
        # count as blank and its special day be lost.
        self.special_days = SpecialDayFormSet(
            self.data if self.special_days_sent else None,
            initial=None if self.special_days_sent else special_days or [],
            prefix=self.SPECIAL_DAYS_PREFIX,
        )

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return (self.special_days.is_valid() if self.special_days_sent else True) and valid

    @property
    def weekday_rows(
        self,
    ) -> list[tuple[str, forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (
                str(BusinessHours.Weekday(i).label),
                self[f"{day}_closed"],
                self[f"{day}_opens"],
                self[f"{day}_closes"],
            )
            for i, day in enumerate(WEEKDAYS)
        ]

    @staticmethod
    def special_days_for(store: Store) -> list[dict[str, Any]]:
        return [
            {
                "date": e.date,
                "label": e.label,
                "closed": e.is_closed,
                "opens": e.opens,
                "closes": e.closes,
            }
            for e in store.hours_exceptions.all()
        ]

    @classmethod
    def initial_for(cls, store: Store) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": store.name,
            "street_address": store.street_address,
            "city": store.city,
            "country": store.country,
            "postal_code": store.postal_code,
        }
        # Only a map pick is shown as coordinates: a store placed by its ZIP code moves with
        # its ZIP code when that changes.
        if store.location_source == LocationSource.MAP:
            initial.update(latitude=store.latitude, longitude=store.longitude)
        open_days = set()
        for hours in store.hours.all():
            initial[f"{WEEKDAYS[hours.weekday]}_opens"] = hours.opens
            initial[f"{WEEKDAYS[hours.weekday]}_closes"] = hours.closes
            open_days.add(hours.weekday)
        for weekday, day in enumerate(WEEKDAYS):
            initial[f"{day}_closed"] = weekday not in open_days
        return initial

    def details(self) -> services.StoreDetails:
        """The store as typed; special days are not on this form (the service keeps them)."""
        data = self.cleaned_data
        return services.StoreDetails(
            name=data["name"],
            street_address=data["street_address"],
            city=data["city"],
            country=data["country"],
            postal_code=data["postal_code"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            # A day ticked closed is closed, whatever times its row still shows.
            week={
                i: (data[f"{day}_opens"], data[f"{day}_closes"])
                for i, day in enumerate(WEEKDAYS)
                if not data[f"{day}_closed"] and (data[f"{day}_opens"] or data[f"{day}_closes"])
            },
            exceptions=self._special_days() if self.special_days_sent else [],
        )

    def _special_days(self) -> list[services.HoursExceptionInput]:
        rows = (row.hours_exception() for row in self.special_days.forms)  # type: ignore[attr-defined]
        return [row for row in rows if row is not None]

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors on the matching fields (or the form); special
        days' errors go with the special days."""
        for key, messages in error.message_dict.items():
            if key == "exceptions":
                self.special_days_errors.extend(messages)
                if not self.special_days_sent:
                    self.add_error(None, messages)
                continue
            name = key.removeprefix("hours_")
            target = next((f for f in (key, f"{name}_opens") if f in self.fields), None)
            for message in messages:
                self.add_error(target, message)


OFFERED_STAFF_RIGHTS = frozenset({StaffRight.EDIT_STORE})


class StaffInviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Their e-mail"))
    stores = ModelIdMultipleChoiceField(
        label=_("Stores"), queryset=Store.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    rights = forms.MultipleChoiceField(
        label=_("They may also"),
        # Only rights something honours today: reporting incidents and answering live
        # events are offered once the intel and response rooms exist.
        choices=[c for c in StaffRight.choices if c[0] in OFFERED_STAFF_RIGHTS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, member_stores: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stores"].queryset = member_stores  # type: ignore[attr-defined]


class ApiTokenForm(forms.Form):
    name = SingleLineField(label=_("What the token is for"), max_length=80)
