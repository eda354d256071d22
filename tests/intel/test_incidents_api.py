"""The incidents API: report, list with filters and a cursor, read, change until verified."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from jewelguard.accounts import services as accounts_services
from jewelguard.core.models import AuditEntry
from jewelguard.intel.models import Incident
from jewelguard.intel.services import incident_merge, incident_reject, incident_verify
from tests.intel.incidents import incident_report

pytestmark = pytest.mark.django_db


def bearer(user) -> Client:
    _token, secret = accounts_services.api_token_create(user=user, name="Till")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def send(client: Client, method: str, path: str, body) -> object:
    return getattr(client, method)(path, data=json.dumps(body), content_type="application/json")


REPORT = {
    "scenario_id": "armed_robbery",
    "nibrs_offense_code": "120",
    "occurred_from": "2026-02-10T17:45:00-07:00",
    "visibility": "members",
    "offenders": [
        {"age_min": 30, "age_max": 40, "sex": "male", "clothing": "Blue parka"},
        {"sex": "female", "disguise": "Ski mask"},
    ],
    "vehicles": [{"make": "Ford", "model": "F-150", "colour": "White", "plate": "xyz 789"}],
}


def test_a_member_reports_through_the_api_at_their_store(member, store):
    client = bearer(member.owner)
    response = send(client, "post", "/api/intel/incidents", {**REPORT, "store_id": store.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    incident = Incident.objects.get(pk=body["id"])
    assert (incident.latitude, incident.longitude) == (store.latitude, store.longitude)
    assert body["verification"] == "submitted"
    assert [o["clothing"] for o in body["offenders"]] == ["Blue parka", ""]
    assert body["vehicles"][0]["plate"] == "XYZ 789"
    assert body["occurred_from"].startswith("2026-02-11T00:45:00")


def test_an_incident_is_changed_until_it_is_verified_then_refused(member, store, analyst):
    client = bearer(member.owner)
    incident = incident_report(reporter=member.owner, store=store, visibility="private")
    path = f"/api/intel/incidents/{incident.pk}"
    response = send(
        client,
        "patch",
        path,
        {"police_case_number": "DPD-1", "offenders": [{"sex": "female", "clothing": "Red coat"}]},
    )
    assert response.status_code == 200, response.content
    assert response.json()["police_case_number"] == "DPD-1"
    assert [o["clothing"] for o in response.json()["offenders"]] == ["Red coat"]
    assert response.json()["scenario_id"] == "smash_and_grab"  # what was not sent is kept
    assert AuditEntry.objects.filter(action="incident.updated").count() == 1
    incident_verify(incident=incident, analyst=analyst)
    refused = send(client, "patch", path, {"police_case_number": "DPD-2"})
    assert refused.status_code == 409
    assert "verified" in refused.json()["detail"]
    assert Incident.objects.get(pk=incident.pk).police_case_number == "DPD-1"


def test_a_rejected_incident_cannot_be_changed_either(member, store, analyst):
    incident = incident_report(reporter=member.owner, store=store)
    incident_reject(incident=incident, analyst=analyst, reason="Not a crime")
    response = send(
        bearer(member.owner), "patch", f"/api/intel/incidents/{incident.pk}", {"address": "x"}
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"scenario_id": "alien_abduction"}, "scenario_id"),
        ({"nibrs_offense_code": "999"}, "nibrs_offense_code"),
        ({"occurred_from": "2026-02-10T17:45:00"}, "occurred_from"),  # no offset
        ({"occurred_from": "3026-02-10T17:45:00Z"}, "occurred_from"),  # the future
        ({"occurred_from": "yesterday"}, "occurred_from"),
        ({"occurred_to": "2020-01-01T00:00:00Z"}, "occurred_to"),  # before the start
        ({"latitude": 91}, "latitude"),
        ({"latitude": 0.1, "longitude": 0.1}, "latitude"),  # the (0, 0) of a missing point
        ({"store_id": 99999999999999999999999}, "store_id"),
        ({"store_id": "other"}, "store_id"),
        ({"visibility": "everyone"}, "visibility"),
        ({"premises": "off"}, "off_premises_scene"),
        ({"property_lost_cents": -1}, "property_lost_cents"),
        ({"property_lost_cents": 10**20}, "property_lost_cents"),
        ({"modus_operandi": ["teleport"]}, "modus_operandi"),
        ({"address": "x" * 201}, "address"),
        ({"address": "Main St\u0000"}, "address"),
        ({"police_case_number": "A\u202eB"}, "police_case_number"),
        ({"offenders": [{"age_min": 50, "age_max": 20}]}, "offenders"),
        ({"offenders": [{"age_min": 500}]}, "age_min"),
        ({"offenders": [{"race": "any"}]}, "race"),
        ({"offenders": [{"clothing": "x" * 301}]}, "clothing"),
        ({"offenders": [{}] * 21}, "offenders"),
        ({"vehicles": [{"plate": "x" * 13}]}, "plate"),
        ({"vehicles": [{"direction_of_travel": "UP"}]}, "direction_of_travel"),
        ({"vehicles": [{}] * 11}, "vehicles"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(
    member, store, other_store, body, field
):
    if body.get("store_id") == "other":
        body = {**body, "store_id": other_store.pk}
    payload = {**REPORT, "store_id": store.pk, **body}
    response = send(bearer(member.owner), "post", "/api/intel/incidents", payload)
    assert response.status_code == 422, response.content
    locations = [entry["loc"] for entry in response.json()["detail"]]
    assert any(field in location for location in locations), locations
    assert not Incident.objects.exists()


def test_an_unreadable_or_oversized_body_is_refused(member, store):
    client = bearer(member.owner)
    assert (
        client.post("/api/intel/incidents", "{", content_type="application/json").status_code == 400
    )
    assert client.post("/api/intel/incidents", "a=b", content_type="text/plain").status_code == 415
    huge = json.dumps({**REPORT, "address": "x" * 3_000_000})
    assert (
        client.post("/api/intel/incidents", huge, content_type="application/json").status_code
        == 413
    )
    assert not Incident.objects.exists()


def test_staff_report_only_for_their_stores_and_officers_not_at_all(
    store, other_store, staff_user, officer
):
    client = bearer(staff_user)
    mine = send(client, "post", "/api/intel/incidents", {**REPORT, "store_id": store.pk})
    assert mine.status_code == 201
    theirs = send(client, "post", "/api/intel/incidents", {**REPORT, "store_id": other_store.pk})
    assert theirs.status_code == 422
    nowhere = send(client, "post", "/api/intel/incidents", {**REPORT, "latitude": 39.7})
    assert nowhere.status_code == 422
    police = send(bearer(officer), "post", "/api/intel/incidents", {**REPORT, "latitude": 39.7})
    assert police.status_code == 403
    signed_out = send(Client(), "post", "/api/intel/incidents", REPORT)
    assert signed_out.status_code == 401
    assert Incident.objects.count() == 1


def _imported(number: int, **fields):
    from datetime import UTC, datetime, timedelta

    from tests.intel.incidents import incident_imported

    incident = incident_imported(
        cell="8726910a9ffffff", scenario_id="three_minute_burglary", number=number, **fields
    )
    Incident.objects.filter(pk=incident.pk).update(
        occurred_from=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=number % 5)
    )
    return incident


def test_the_list_walks_every_incident_once_with_its_cursor(analyst):
    incidents = [_imported(n) for n in range(23)]  # several share one time: ties by id
    client = bearer(analyst)
    seen, cursor, pages = [], None, 0
    while True:
        query = "?limit=5" + (f"&cursor={cursor}" if cursor else "")
        body = client.get(f"/api/intel/incidents{query}").json()
        seen += [item["id"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 5
    assert sorted(seen) == sorted(i.pk for i in incidents)
    assert len(seen) == len(set(seen))
    # a cursor is opaque and signed: a forged one is refused, naming it
    forged = client.get("/api/intel/incidents?cursor=eyJmb28iOiAiYmFyIn0")
    assert forged.status_code == 422
    assert forged.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_the_list_filters_combine(member, store, analyst):
    from tests.intel.incidents import incident_report as report

    burglary = _imported(1)
    report(reporter=member.owner, store=store, scenario_id="fraud", nibrs_offense_code="26A")
    client = bearer(analyst)

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/intel/incidents?{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids("scenario=three_minute_burglary") == [burglary.pk]
    assert ids("source=import") == [burglary.pk]
    assert len(ids("status=submitted")) == 1
    assert ids("since=2026-01-02&until=2026-01-03") == [burglary.pk]
    assert ids("since=2030-01-01") == []
    lat, lng = burglary.latitude, burglary.longitude
    assert ids(f"bbox={lng - 0.01},{lat - 0.01},{lng + 0.01},{lat + 0.01}") == [burglary.pk]
    for bad in ("scenario=x", "status=x", "since=2026-13-01", "limit=0", "limit=100000"):
        assert client.get(f"/api/intel/incidents?{bad}").status_code == 422, bad
    for box in ("1,2,3", "10,0,5,1", "nan,0,1,1", "0,0,1,inf", "a,b,c,d", "1," * 100):
        response = client.get(f"/api/intel/incidents?bbox={box}")
        assert response.status_code == 422, box
        assert response.json()["detail"][0]["loc"][-1] == "bbox"


def test_a_merged_duplicate_reads_with_where_it_went(member, store, analyst):
    kept = incident_report(reporter=member.owner, store=store)
    duplicate = incident_report(reporter=member.owner, store=store)
    incident_merge(duplicate=duplicate, kept=kept, analyst=analyst)
    body = bearer(member.owner).get(f"/api/intel/incidents/{duplicate.pk}").json()
    assert body["merged_into_id"] == kept.pk
    assert body["verification"] == "rejected"


def test_sharing_a_report_with_police_through_an_update_alerts_once(
    member, store, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    incident = incident_report(reporter=member.owner, store=store, visibility="private")
    client = bearer(member.owner)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            response = send(
                client,
                "patch",
                f"/api/intel/incidents/{incident.pk}",
                {"visibility": "law_enforcement"},
            )
            assert response.status_code == 200
    queued = DBTaskResult.objects.filter(task_path="jewelguard.intel.tasks.incident_alert")
    assert [r.args_kwargs["kwargs"]["incident_id"] for r in queued] == [incident.pk]


def test_staff_change_their_own_reports_only(store, staff_user):
    mine = incident_report(reporter=staff_user, store=store)
    owners = incident_report(reporter=store.member.owner, store=store)
    client = bearer(staff_user)
    ok = send(client, "patch", f"/api/intel/incidents/{mine.pk}", {"address": "Back door"})
    assert ok.status_code == 200
    refused = send(client, "patch", f"/api/intel/incidents/{owners.pk}", {"address": "x"})
    assert refused.status_code == 403
    assert Incident.objects.get(pk=owners.pk).address == ""
