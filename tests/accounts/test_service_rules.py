"""Rules the services keep, whichever page or client calls them."""

from __future__ import annotations

import dataclasses
from datetime import date, time

import pytest

from jewelguard.accounts import services
from jewelguard.accounts.models import Member, Role
from jewelguard.core.errors import ServiceError
from tests.accounts.conftest import store_form_data
from tests.conftest import make_user


def special_days(store) -> list[tuple[date, str]]:
    return [(e.date, e.label) for e in store.hours_exceptions.order_by("date")]


@pytest.fixture
def store_with_christmas(member):
    details = services.StoreDetails(
        name="Front Range Jewelers",
        street_address="1430 Larimer St",
        postal_code="80202",
        country="US",
        week={0: (time(10), time(18))},
        exceptions=[services.HoursExceptionInput(date=date(2026, 12, 25), label="Christmas")],
    )
    return services.store_create(member=member, details=details)


def test_editing_a_store_on_its_page_keeps_its_special_days(member_client, store_with_christmas):
    # given a store closed on Christmas (set through the API; the page does not show it)
    store = store_with_christmas
    # when its name is changed on the store page
    response = member_client.post(
        f"/me/stores/{store.pk}/edit/", store_form_data(name="Front Range Fine Jewelry")
    )
    # then the name changed and Christmas is still a special day
    assert response.status_code == 302
    store.refresh_from_db()
    assert store.name == "Front Range Fine Jewelry"
    assert special_days(store) == [(date(2026, 12, 25), "Christmas")]


def test_an_update_with_special_days_replaces_them_unless_told_to_keep(store_with_christmas):
    store = store_with_christmas
    new_year = services.HoursExceptionInput(date=date(2027, 1, 1), label="New Year")
    details = services.StoreDetails(
        name=store.name,
        street_address=store.street_address,
        postal_code=store.postal_code,
        country=store.country,
        exceptions=[new_year],
    )
    services.store_update(store=store, details=details, keep_special_days=True)
    assert special_days(store) == [(date(2026, 12, 25), "Christmas")]
    services.store_update(store=store, details=details)
    assert special_days(store) == [(date(2027, 1, 1), "New Year")]
    services.store_update(store=store, details=dataclasses.replace(details, exceptions=[]))
    assert special_days(store) == []


def test_sign_up_without_business_name_is_refused_by_the_service_too(db):
    # given someone who signed up directly, with no invitation
    user = make_user("walk-in@example.com", full_name="")
    # when the sign-up is completed without a business name
    with pytest.raises(ServiceError) as refused:
        services.user_signup_complete(user=user, full_name="Walk In", business_name="  ")
    # then the field is named and nothing changed: no member, no staff role, no name
    assert refused.value.field == "business_name"
    user.refresh_from_db()
    assert (user.full_name, user.role) == ("", Role.MEMBER)
    assert not Member.objects.filter(owner=user).exists()


def test_someone_invited_may_sign_up_without_business_name(member, store):
    # given an open invitation to join the member's store as staff
    services.staff_invite(member=member, email="Clerk@Example.com", grants={store.pk: ["report"]})
    user = make_user("clerk@example.com", full_name="")
    # when they complete their sign-up without a business name, they join as staff
    assert services.user_signup_complete(user=user, full_name="Clerk", business_name="") is None
    user.refresh_from_db()
    assert user.role == Role.STAFF
