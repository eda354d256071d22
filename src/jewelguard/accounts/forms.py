"""HTML forms for the accounts room. They check shape; the services check meaning."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _

from jewelguard.accounts import selectors, services
from jewelguard.accounts.hours import WEEKDAYS
from jewelguard.accounts.models import (
    BusinessHours,
    Country,
    LocationSource,
    StaffInvitation,
    StaffRight,
    Store,
    User,
)
from jewelguard.core.forms import ServiceErrorsMixin


class SignupExtraForm(forms.Form):
    """What allauth's sign-up asks beyond e-mail and password.

    A jeweler names their business and becomes a member. Someone signing up from a staff
    invitation (the form's ``next`` is the invitation's page) joins as staff and may leave
    the business name empty.
    """

    full_name = forms.CharField(label=_("Your name"), max_length=150)
    business_name = forms.CharField(
        label=_("Business name"),
        max_length=200,
        required=False,
        help_text=_("Your jewelry business. Leave it empty if a jeweler invited you as staff."),
    )

    def _invitation(self) -> StaffInvitation | None:
        """The open invitation this sign-up continues, if it was sent to this e-mail."""
        target = urlsplit(str(self.data.get("next", ""))).path
        try:
            match = resolve(target)
        except Resolver404:
            return None
        if match.view_name != "accounts:invitation_accept":
            return None
        invitation = selectors.staff_invitation_pending(token=match.kwargs["token"])
        email = str(self.cleaned_data.get("email") or "").strip().lower()
        if invitation is None or invitation.email != email:
            return None
        return invitation

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("business_name") and self._invitation() is None:
            self.add_error(
                "business_name",
                _("Give your business name; only people invited as staff may leave it empty."),
            )
        return cleaned

    def signup(self, request: HttpRequest, user: User) -> None:
        services.user_signup_complete(
            user=user,
            full_name=self.cleaned_data["full_name"],
            business_name=self.cleaned_data["business_name"],
        )


class StoreForm(forms.Form):
    name = forms.CharField(label=_("Store name"), max_length=120)
    street_address = forms.CharField(label=_("Street address"), max_length=200)
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        required=False,
        help_text=_("Filled in from the ZIP code when left empty."),
    )
    country = forms.ChoiceField(label=_("Country"), choices=Country.choices)
    postal_code = forms.CharField(label=_("ZIP or postal code"), max_length=10)
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for weekday, day in enumerate(WEEKDAYS):
            label = BusinessHours.Weekday(weekday).label
            self.fields[f"{day}_opens"] = forms.TimeField(
                label=_("%(day)s opens") % {"day": label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )
            self.fields[f"{day}_closes"] = forms.TimeField(
                label=_("%(day)s closes") % {"day": label},
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            )

    @property
    def weekday_rows(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (str(BusinessHours.Weekday(i).label), self[f"{day}_opens"], self[f"{day}_closes"])
            for i, day in enumerate(WEEKDAYS)
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
        for hours in store.hours.all():
            initial[f"{WEEKDAYS[hours.weekday]}_opens"] = hours.opens
            initial[f"{WEEKDAYS[hours.weekday]}_closes"] = hours.closes
        return initial

    def details(
        self, *, keep_exceptions: list[services.HoursExceptionInput] | None = None
    ) -> services.StoreDetails:
        data = self.cleaned_data
        return services.StoreDetails(
            name=data["name"],
            street_address=data["street_address"],
            city=data["city"],
            country=data["country"],
            postal_code=data["postal_code"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            week={
                i: (data[f"{day}_opens"], data[f"{day}_closes"])
                for i, day in enumerate(WEEKDAYS)
                if data[f"{day}_opens"] or data[f"{day}_closes"]
            },
            exceptions=keep_exceptions or [],
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors on the matching fields (or the form)."""
        for key, messages in error.message_dict.items():
            name = key.removeprefix("hours_")
            target = next((f for f in (key, f"{name}_opens") if f in self.fields), None)
            for message in messages:
                self.add_error(target, message)


OFFERED_STAFF_RIGHTS = frozenset({StaffRight.EDIT_STORE})


class StaffInviteForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("Their e-mail"))
    stores = forms.ModelMultipleChoiceField(
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
    name = forms.CharField(label=_("What the token is for"), max_length=80)
