"""Who sees which incident through the pages and the API: every role, every visibility."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jewelguard.accounts import services as accounts_services
from jewelguard.intel.models import Incident, Visibility
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

ROLES = ("owner", "other_member", "staff", "analyst", "admin", "officer", "officer_elsewhere")
STATES = ("submitted", "verified", "rejected")


@pytest.fixture
def world():
    store = StoreFactory()
    agency = AgencyFactory()
    return {
        "store": store,
        "agency": agency,
        "owner": store.member.owner,
        "other_member": MemberFactory().owner,
        "staff": StaffGrantFactory(store=store).user,
        "analyst": AnalystFactory(),
        "admin": AdminFactory(),
        "officer": OfficerFactory(agency=agency),
        "officer_elsewhere": OfficerFactory(agency=AgencyFactory(ori="CO0020200")),
    }


def _incident(world, visibility: str, state: str) -> Incident:
    incident = incident_report(
        reporter=world["owner"], store=world["store"], visibility=visibility, agency=world["agency"]
    )
    if state == "verified":
        incident_verify(incident=incident, analyst=world["analyst"])
    elif state == "rejected":
        incident_reject(incident=incident, analyst=world["analyst"], reason="Not a crime")
    return incident


def _may_see(role: str, visibility: str, state: str) -> bool:
    if role in ("owner", "staff", "analyst", "admin"):
        return True
    if role == "other_member":
        return visibility == Visibility.MEMBERS and state == "verified"
    if role == "officer":
        return visibility == Visibility.LAW_ENFORCEMENT and state != "rejected"
    return False


def _session(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _bearer(user) -> Client:
    _token, secret = accounts_services.api_token_create(user=user, name="Test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("visibility", list(Visibility.values))
@pytest.mark.parametrize("state", STATES)
def test_pages_and_api_show_an_incident_exactly_to_those_it_is_shared_with(
    world, visibility, state
):
    incident = _incident(world, visibility, state)
    page_url = f"/incidents/{incident.pk}/"
    api_url = f"/api/intel/incidents/{incident.pk}"
    for role in ROLES:
        expected = _may_see(role, visibility, state)
        page, api = _session(world[role]), _bearer(world[role])
        assert page.get(page_url).status_code == (200 if expected else 404), role
        assert (incident.pk in _listed_on_page(page)) is expected, role
        assert api.get(api_url).status_code == (200 if expected else 404), role
        listed = [item["id"] for item in api.get("/api/intel/incidents").json()["items"]]
        assert (incident.pk in listed) is expected, role
    anonymous = Client()
    assert anonymous.get(page_url).status_code == 302
    assert anonymous.get(api_url).status_code == 401
    assert anonymous.get("/api/intel/incidents").status_code == 401


def _listed_on_page(client: Client) -> set[int]:
    text = client.get("/incidents/").text
    return {
        incident.pk
        for incident in Incident.objects.all()
        if f'href="/incidents/{incident.pk}/"' in text
    }


def test_a_404_reads_the_same_for_an_incident_hidden_and_one_that_does_not_exist(world):
    hidden = _incident(world, Visibility.PRIVATE, "submitted")
    client = _bearer(world["other_member"])
    seen = client.get(f"/api/intel/incidents/{hidden.pk}").json()["detail"]
    missing = client.get(f"/api/intel/incidents/{hidden.pk + 1000}").json()["detail"]
    assert seen.replace(str(hidden.pk), "N") == missing.replace(str(hidden.pk + 1000), "N")
    for path in (
        "/incidents/99999999999999999999999/",
        "/incidents/1/photos/99999999999999999999/",
    ):
        assert _session(world["owner"]).get(path).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_the_reporter_side_changes_a_report_and_others_leave_it_untouched(world, role):
    incident = _incident(world, Visibility.MEMBERS, "submitted")
    response = _bearer(world[role]).patch(
        f"/api/intel/incidents/{incident.pk}",
        data=json.dumps({"police_case_number": "CHANGED"}),
        content_type="application/json",
    )
    # the staff grant here holds no "report" right, so staff see the report but do not change it
    allowed = role in ("owner", "analyst", "admin")
    visible = _may_see(role, Visibility.MEMBERS, "submitted")
    assert response.status_code == (200 if allowed else 403 if visible else 404), role
    changed = Incident.objects.get(pk=incident.pk).police_case_number == "CHANGED"
    assert changed is allowed


def test_the_api_names_the_store_only_to_those_who_see_the_store(world):
    incident = _incident(world, Visibility.MEMBERS, "verified")
    for role, named in (
        ("owner", True),
        ("staff", True),
        ("analyst", True),
        ("other_member", False),
    ):
        body = _bearer(world[role]).get(f"/api/intel/incidents/{incident.pk}").json()
        assert (body["store_id"] == world["store"].pk) is named, role
        if not named:
            assert body["store_id"] is None
