"""Who sees which incident, for every role against every visibility and verification."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from jewelguard.core.permissions import Action, restrict
from jewelguard.intel.models import Incident, Verification, Visibility
from jewelguard.intel.services import incident_reject, incident_verify
from tests.factories import (
    AdminFactory,
    AgencyFactory,
    AnalystFactory,
    MemberFactory,
    OfficerFactory,
    StaffGrantFactory,
    StoreFactory,
)
from tests.intel.incidents import incident_report

pytestmark = pytest.mark.django_db

VISIBILITIES = list(Visibility.values)
STATES = ("submitted", "verified", "rejected")


@pytest.fixture
def world():
    owner_store = StoreFactory()
    agency = AgencyFactory()
    analyst = AnalystFactory()
    staff_grant = StaffGrantFactory(store=owner_store)
    return {
        "owner": owner_store.member.owner,
        "store": owner_store,
        "other_member": MemberFactory().owner,
        "staff": staff_grant.user,
        "officer": OfficerFactory(agency=agency),
        "officer_elsewhere": OfficerFactory(agency=AgencyFactory(ori="CO0020200")),
        "analyst": analyst,
        "admin": AdminFactory(),
        "agency": agency,
    }


def _incident(world, *, visibility: str, state: str) -> Incident:
    incident = incident_report(
        reporter=world["owner"], store=world["store"], visibility=visibility, agency=world["agency"]
    )
    if state == "verified":
        incident_verify(incident=incident, analyst=world["analyst"])
    elif state == "rejected":
        incident_reject(incident=incident, analyst=world["analyst"], reason="A duplicate")
    return incident


def _sees(user, incident: Incident) -> bool:
    visible = restrict(Incident.objects.all(), user=user, action=Action.VIEW)
    return visible.filter(pk=incident.pk).exists()


def _expected(role: str, visibility: str, state: str) -> bool:
    if role in ("owner", "staff", "analyst", "admin"):
        return True
    if role == "other_member":
        return visibility == Visibility.MEMBERS and state == "verified"
    if role == "officer":
        return visibility == Visibility.LAW_ENFORCEMENT and state != "rejected"
    return False  # an officer of another agency, and the public


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("state", STATES)
def test_each_role_sees_exactly_what_the_visibility_allows(world, visibility, state):
    incident = _incident(world, visibility=visibility, state=state)
    roles = ("owner", "staff", "analyst", "admin", "other_member", "officer", "officer_elsewhere")
    seen = {role: _sees(world[role], incident) for role in roles}
    expected = {role: _expected(role, visibility, state) for role in roles}
    assert seen == expected
    assert not _sees(AnonymousUser(), incident)


def test_staff_see_members_shared_incidents_of_other_stores_once_verified(world):
    other_owner = MemberFactory().owner
    other_store = StoreFactory(member=other_owner.member)
    incident = incident_report(
        reporter=other_owner, store=other_store, visibility=Visibility.MEMBERS
    )
    assert not _sees(world["staff"], incident)
    incident_verify(incident=incident, analyst=world["analyst"])
    assert _sees(world["staff"], incident)


def test_officers_see_law_enforcement_shared_incidents_naming_no_agency(world):
    incident = incident_report(
        reporter=world["owner"], store=world["store"], visibility=Visibility.LAW_ENFORCEMENT
    )
    assert _sees(world["officer"], incident)
    assert _sees(world["officer_elsewhere"], incident)


def test_a_member_changes_their_own_report_only_until_it_is_verified(world):
    incident = _incident(world, visibility=Visibility.MEMBERS, state="submitted")
    changeable = restrict(Incident.objects.all(), user=world["owner"], action=Action.CHANGE)
    assert changeable.filter(pk=incident.pk).exists()
    other = restrict(Incident.objects.all(), user=world["other_member"], action=Action.CHANGE)
    assert not other.filter(pk=incident.pk).exists()
    incident_verify(incident=incident, analyst=world["analyst"])
    assert not changeable.filter(pk=incident.pk).exists()
    assert Incident.objects.get(pk=incident.pk).verification == Verification.VERIFIED


def test_only_administrators_delete_incidents(world):
    incident = _incident(world, visibility=Visibility.MEMBERS, state="verified")
    for role, allowed in (("admin", True), ("analyst", False), ("owner", False)):
        deletable = restrict(Incident.objects.all(), user=world[role], action=Action.DELETE)
        assert deletable.filter(pk=incident.pk).exists() is allowed, role


def test_the_admin_lists_incidents_for_analysts_and_not_for_members(world, client):
    incident = _incident(world, visibility=Visibility.PRIVATE, state="submitted")
    client.force_login(world["analyst"])
    page = client.get(f"/admin/intel/incident/{incident.pk}/change/")
    assert page.status_code == 200
    client.force_login(world["owner"])
    page = client.get(f"/admin/intel/incident/{incident.pk}/change/")
    assert page.status_code in (302, 403)
