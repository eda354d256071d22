"""The moderation queue: analysts take up, verify, reject with a reason and merge duplicates."""

from __future__ import annotations

import h3
import pytest
from django_tasks_db.models import DBTaskResult

from jewelguard.core.models import AuditEntry
from jewelguard.intel.models import Incident, Verification, Visibility
from jewelguard.intel.selectors import crime_cells, incidents_visible
from tests.conftest import client_for
from tests.factories import AnalystFactory, MemberFactory, OfficerFactory, StoreFactory
from tests.intel.incidents import incident_report

pytestmark = pytest.mark.django_db


def alerts_queued() -> list[int]:
    return [
        result.args_kwargs["kwargs"]["incident_id"]
        for result in DBTaskResult.objects.filter(task_path="jewelguard.intel.tasks.incident_alert")
    ]


def actions_audited(incident: Incident) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_id=str(incident.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def owner_store():
    return StoreFactory()


@pytest.fixture
def analyst_client():
    analyst = AnalystFactory()
    return client_for(analyst)


def test_the_queue_lists_waiting_reports_for_analysts_only(owner_store, analyst_client):
    waiting = incident_report(reporter=owner_store.member.owner, store=owner_store)
    page = analyst_client.get("/moderation/")
    assert page.status_code == 200
    assert f"/incidents/{waiting.pk}/" in page.text
    for user in (owner_store.member.owner, OfficerFactory(), MemberFactory().owner):
        assert client_for(user).get("/moderation/").status_code == 403
    assert (
        client_for(owner_store.member.owner).post(f"/moderation/{waiting.pk}/verify/").status_code
        == 403
    )
    assert Incident.objects.get(pk=waiting.pk).verification == Verification.SUBMITTED


def test_verifying_a_shared_report_alerts_once_and_is_audited(
    owner_store, analyst_client, django_capture_on_commit_callbacks
):
    incident = incident_report(
        reporter=owner_store.member.owner, store=owner_store, visibility=Visibility.MEMBERS
    )
    with django_capture_on_commit_callbacks(execute=True):
        analyst_client.post(f"/moderation/{incident.pk}/review/")
        response = analyst_client.post(f"/moderation/{incident.pk}/verify/")
        analyst_client.post(f"/moderation/{incident.pk}/verify/")
    assert response.status_code == 302
    assert Incident.objects.get(pk=incident.pk).verification == Verification.VERIFIED
    assert alerts_queued() == [incident.pk]
    assert actions_audited(incident) == ["incident.review_started", "incident.verified"]
    entry = AuditEntry.objects.get(action="incident.verified")
    assert entry.client_ip == "127.0.0.1"
    assert entry.actor.role == "analyst"
    # and it leaves the queue
    assert f"/incidents/{incident.pk}/" not in analyst_client.get("/moderation/").text


def test_rejecting_needs_a_reason(owner_store, analyst_client):
    incident = incident_report(reporter=owner_store.member.owner, store=owner_store)
    for reason in ("", "   ", "x" * 501, "line\nbreak"):
        response = analyst_client.post(
            f"/moderation/{incident.pk}/reject/", {"reason": reason}, follow=True
        )
        assert "Reason:" in response.text
        assert Incident.objects.get(pk=incident.pk).verification == Verification.SUBMITTED
    analyst_client.post(f"/moderation/{incident.pk}/reject/", {"reason": "Not a jewelry crime"})
    rejected = Incident.objects.get(pk=incident.pk)
    assert (rejected.verification, rejected.rejection_reason) == (
        Verification.REJECTED,
        "Not a jewelry crime",
    )
    assert actions_audited(incident) == ["incident.rejected"]


def test_a_merged_duplicate_points_at_the_kept_one_and_is_counted_once(
    owner_store, analyst_client, django_capture_on_commit_callbacks
):
    other_store = StoreFactory(
        latitude=owner_store.latitude, longitude=owner_store.longitude, postal_code="80202"
    )
    kept = incident_report(
        reporter=owner_store.member.owner, store=owner_store, visibility=Visibility.MEMBERS
    )
    duplicate = incident_report(
        reporter=other_store.member.owner, store=other_store, visibility=Visibility.MEMBERS
    )
    third = incident_report(
        reporter=other_store.member.owner, store=other_store, visibility=Visibility.MEMBERS
    )
    detail = analyst_client.get(f"/incidents/{duplicate.pk}/").text
    assert f'href="/incidents/{kept.pk}/"' in detail  # offered as a possible duplicate
    with django_capture_on_commit_callbacks(execute=True):
        response = analyst_client.post(f"/moderation/{duplicate.pk}/merge/", {"kept": str(kept.pk)})
        for incident in (kept, third):
            analyst_client.post(f"/moderation/{incident.pk}/verify/")
    assert response.status_code == 302
    merged = Incident.objects.get(pk=duplicate.pk)
    assert merged.merged_into_id == kept.pk
    assert merged.verification == Verification.REJECTED
    # the alert fired for the two verified ones, never for the duplicate
    assert sorted(alerts_queued()) == sorted([kept.pk, third.pk])
    assert actions_audited(duplicate) == ["incident.merged"]
    # hidden from every list, the reporter's own included; its page says where it went
    analyst = AnalystFactory()
    for user in (analyst, other_store.member.owner, owner_store.member.owner):
        assert duplicate.pk not in incidents_visible(user=user).values_list("pk", flat=True)
    page = client_for(other_store.member.owner).get(f"/incidents/{duplicate.pk}/")
    assert page.status_code == 200
    assert f"same crime as incident #{kept.pk}" in page.text
    # counted once on the map: two incidents, not three
    cell = h3.latlng_to_cell(owner_store.latitude, owner_store.longitude, 7)
    lat, lng = h3.cell_to_latlng(cell)
    cells = crime_cells(
        user=analyst, bbox=(lng - 0.2, lat - 0.2, lng + 0.2, lat + 0.2), resolution=7
    )
    assert sum(c.count for c in cells) == 2
    # and an API list leaves it out too
    body = client_for(analyst).get("/api/intel/incidents").json()
    assert duplicate.pk not in [item["id"] for item in body["items"]]


@pytest.mark.parametrize(
    ("kept", "message"),
    [
        ("self", "cannot be merged into itself"),
        ("99999999999999999999999", "number of the incident to keep"),
        ("abc", "number of the incident to keep"),
        ("999999", "no incident with that number"),
    ],
)
def test_a_merge_into_nothing_sensible_is_refused(owner_store, analyst_client, kept, message):
    incident = incident_report(reporter=owner_store.member.owner, store=owner_store)
    target = str(incident.pk) if kept == "self" else kept
    response = analyst_client.post(
        f"/moderation/{incident.pk}/merge/", {"kept": target}, follow=True
    )
    assert message in response.text
    assert Incident.objects.get(pk=incident.pk).merged_into_id is None
    assert not AuditEntry.objects.filter(action="incident.merged").exists()
