"""Model factories for every test: people in each role, members, stores, staff, pledges.

Each factory makes its object the way the product does (through the room's services where
one exists), so a factory-made user can sign in, has the admin access its role brings and a
verified address; a factory-made store is placed by the geocoder. Override any field:

    store = StoreFactory(member=member, name="Larimer Gems", postal_code="80206")
    officer = OfficerFactory(agency=AgencyFactory(name="Boulder Police Department"))
"""

from __future__ import annotations

import secrets
from datetime import time, timedelta
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from jewelguard.accounts import services as accounts_services
from jewelguard.accounts.models import (
    Agency,
    AnalystGrant,
    ApiToken,
    Member,
    Role,
    StaffGrant,
    StaffInvitation,
    StaffRight,
    Store,
    User,
)
from jewelguard.pledge import services as pledge_services
from jewelguard.pledge.models import Pledge
from jewelguard.pledge.texts import current_pledge_version

PASSWORD = "correct-horse-battery"
OPEN_MONDAY_TO_SATURDAY = {day: (time(10), time(18)) for day in range(6)}


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Police Department {n}")
    ori = factory.Sequence(lambda n: f"CO{n:07d}")
    jurisdiction = "Denver"


class UserFactory(DjangoModelFactory[User]):
    """A member jeweler's login by default; the subclasses below give the other roles."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = ""
    role = Role.MEMBER
    agency = None

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        password = kwargs.pop("password", PASSWORD)
        return accounts_services.user_create(password=password, email_verified=True, **kwargs)


class StaffUserFactory(UserFactory):
    role = Role.STAFF
    email = factory.Sequence(lambda n: f"staff{n}@example.com")


class OfficerFactory(UserFactory):
    role = Role.OFFICER
    email = factory.Sequence(lambda n: f"officer{n}@police.example")
    agency = factory.SubFactory(AgencyFactory)


class AnalystFactory(UserFactory):
    role = Role.ANALYST
    email = factory.Sequence(lambda n: f"analyst{n}@association.example")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    email = factory.Sequence(lambda n: f"admin{n}@association.example")


class MemberFactory(DjangoModelFactory[Member]):
    class Meta:
        model = Member

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Jeweler {n}")

    @classmethod
    def _create(cls, model_class: type[Member], *args: Any, **kwargs: Any) -> Member:
        return accounts_services.member_create(**kwargs)


class StoreFactory(DjangoModelFactory[Store]):
    """A store placed from its ZIP code, open 10 to 6 Monday to Saturday."""

    class Meta:
        model = Store

    member = factory.SubFactory(MemberFactory)
    name = "Front Range Jewelers"
    street_address = "1430 Larimer St"
    postal_code = "80202"
    country = "US"

    @classmethod
    def _create(cls, model_class: type[Store], *args: Any, **kwargs: Any) -> Store:
        member = kwargs.pop("member")
        kwargs.setdefault("week", OPEN_MONDAY_TO_SATURDAY)
        details = accounts_services.StoreDetails(**kwargs)
        return accounts_services.store_create(member=member, details=details)


class StaffGrantFactory(DjangoModelFactory[StaffGrant]):
    """Store staff who may see the store and report incidents there, nothing more."""

    class Meta:
        model = StaffGrant

    user = factory.SubFactory(StaffUserFactory)
    store = factory.SubFactory(StoreFactory)
    rights = factory.LazyFunction(lambda: [StaffRight.VIEW, StaffRight.REPORT])


class StaffInvitationFactory(DjangoModelFactory[StaffInvitation]):
    """An invitation not yet accepted, to the member's first store (if any)."""

    class Meta:
        model = StaffInvitation

    member = factory.SubFactory(MemberFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    grants = factory.LazyAttribute(
        lambda o: {str(s.pk): [StaffRight.VIEW] for s in o.member.stores.all()[:1]}
    )
    token_hash = factory.LazyFunction(lambda: ApiToken.hash(secrets.token_urlsafe(32)))
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))


class ApiTokenFactory(DjangoModelFactory[ApiToken]):
    """A token whose plain text nobody knows; use ``api_token_for`` in tests that call the API."""

    class Meta:
        model = ApiToken

    user = factory.SubFactory(UserFactory)
    name = "Point of sale"
    prefix = "jg_test"
    token_hash = factory.LazyFunction(lambda: ApiToken.hash(secrets.token_urlsafe(32)))


class AnalystGrantFactory(DjangoModelFactory[AnalystGrant]):
    class Meta:
        model = AnalystGrant

    analyst = factory.SubFactory(AnalystFactory)
    member = factory.SubFactory(MemberFactory)
    reason = "Helping after a burglary"


class PledgeFactory(DjangoModelFactory[Pledge]):
    """The member takes the current pledge, whole; the member needs a store first."""

    class Meta:
        model = Pledge

    member = factory.SubFactory(MemberFactory)
    language = "en"

    @classmethod
    def _create(cls, model_class: type[Pledge], *args: Any, **kwargs: Any) -> Pledge:
        member = kwargs.pop("member")
        kwargs.setdefault("taken_by", member.owner)
        return pledge_services.pledge_take(
            member=member, text_version=current_pledge_version().version, **kwargs
        )
