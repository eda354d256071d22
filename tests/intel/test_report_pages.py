"""The report page: scenario first, its fields, offenders and vehicles, drafts, photos."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from jewelguard.accounts.models import StaffRight
from jewelguard.intel.models import Incident, IncidentDraft
from jewelguard.intel.selectors import incident_draft_open
from tests.conftest import client_for
from tests.factories import (
    AnalystFactory,
    MemberFactory,
    OfficerFactory,
    StaffGrantFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db


def report_form(**extra):
    """What a member sends for a smash-and-grab with two offenders and a vehicle."""
    data = {
        "scenario_id": "smash_and_grab",
        "occurred_from": "2026-03-04T15:30",
        "attempt": "completed",
        "location_type": "24",
        "property_lost": "12500.50",
        "modus_operandi": ["hammer", "construction_vest"],
        "police_case_number": "DPD-26-0412",
        "visibility": "members",
        "offender-0-age_min": "20",
        "offender-0-age_max": "25",
        "offender-0-sex": "male",
        "offender-0-height_cm": "180",
        "offender-0-build": "slim",
        "offender-0-clothing": "Black hoodie, grey jeans",
        "offender-0-disguise": "Surgical mask",
        "offender-0-distinguishing_marks": "",
        "offender-3-sex": "female",
        "offender-3-clothing": "Orange construction vest",
        "vehicle-0-make": "Honda",
        "vehicle-0-model": "Civic",
        "vehicle-0-colour": "Silver",
        "vehicle-0-plate": "abc123",
        "vehicle-0-plate_region": "co",
        "vehicle-0-direction_of_travel": "N",
    }
    data.update(extra)
    return data


def test_a_member_chooses_a_scenario_then_sees_only_its_fields(member_client, store):
    page = member_client.get("/report/")
    assert page.status_code == 200
    assert 'href="?scenario=smash_and_grab"' in page.text
    form = member_client.get("/report/?scenario=smash_and_grab").text
    assert 'name="offender-0-clothing"' in form
    assert "Add another offender" in form
    assert 'name="off_premises_scene"' not in form
    fraud = member_client.get("/report/?scenario=insider_theft").text
    assert "offender-0" not in fraud and "Add a vehicle" not in fraud
    away = member_client.get("/report/?scenario=off_premises").text
    assert 'name="off_premises_scene"' in away


def test_a_report_is_saved_with_its_offenders_and_vehicle_on_the_stores_clock(member_client, store):
    response = member_client.post("/report/", report_form())
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/incidents/{incident.pk}/"
    assert incident.occurred_from == datetime(2026, 3, 4, 15, 30, tzinfo=ZoneInfo(store.time_zone))
    assert (incident.latitude, incident.longitude) == (store.latitude, store.longitude)
    assert incident.store == store and incident.member == store.member
    assert incident.property_lost_cents == 1_250_050
    assert incident.nibrs_offense_code == "120"
    assert incident.verification == "submitted"
    assert [o.clothing for o in incident.offenders.all()] == [
        "Black hoodie, grey jeans",
        "Orange construction vest",
    ]
    vehicle = incident.vehicles.get()
    assert (vehicle.plate, vehicle.plate_region) == ("ABC123", "CO")
    assert incident_draft_open(user=store.member.owner) is None


def test_the_report_page_is_for_members_and_staff_with_the_right(store, staff_user):
    # staff with the "report" right report for their store
    response = client_for(staff_user).post("/report/", report_form(store=str(store.pk)))
    assert response.status_code == 302
    assert Incident.objects.get().reporter == staff_user
    # staff without it, officers and analysts are refused; the signed-out sent to log in
    viewer = StaffUserFactory()
    StaffGrantFactory(user=viewer, store=store, rights=[StaffRight.VIEW])
    for user in (viewer, OfficerFactory(), AnalystFactory()):
        client = client_for(user)
        assert client.get("/report/").status_code == 403
        assert client.post("/report/", report_form(store=str(store.pk))).status_code == 403
        assert client.post("/report/draft/", {"scenario_id": "fraud"}).status_code == 403
    assert Client().get("/report/").status_code == 302
    assert Incident.objects.count() == 1


def test_a_member_without_a_store_is_asked_to_add_one(db):
    client = client_for(MemberFactory().owner)
    page = client.get("/report/?scenario=fraud")
    assert page.status_code == 200
    assert "Add your store first" in page.text


def test_a_member_cannot_report_for_another_members_store(member_client, store, other_store):
    response = member_client.post("/report/", report_form(store=str(other_store.pk)))
    assert response.status_code == 400
    assert not Incident.objects.exists()


HOSTILE = [
    ("occurred_from", "yesterday", "Give the date and time"),
    ("occurred_from", "2026-13-45T99:99", "Give the date and time"),
    ("occurred_from", "9" * 5000, "Give the date and time"),
    ("occurred_from", "2999-01-01T10:00", "in the future"),
    ("attempt", "maybe", "Select a valid choice"),
    ("visibility", "everyone", "Select a valid choice"),
    ("location_type", "99", "Select a valid choice"),
    ("modus_operandi", ["hammer", "<script>"], "Select a valid choice"),
    ("property_lost", "-5", "greater than or equal to 0"),
    ("property_lost", "1e400", "less than or equal to"),
    ("property_lost", "NaN", "Enter a number"),
    ("property_lost", "99999999999999", "less than or equal to"),
    ("police_case_number", "A" * 41, "at most 40 characters"),
    ("police_case_number", "DPD\x00-1", "hidden"),
    ("police_case_number", "DPD\u202e-1", "hidden"),
    ("store", "99999999999999999999999", "Select a valid choice"),
    ("store", "-1", "Select a valid choice"),
    ("offender-0-age_min", "-3", "greater than or equal to 0"),
    ("offender-0-age_max", "121", "less than or equal to 120"),
    ("offender-0-age_min", "99999999999999999999999", "less than or equal to 120"),
    ("offender-0-height_cm", "9999", "Select a valid choice"),
    ("offender-0-sex", "alien", "Select a valid choice"),
    ("offender-0-build", "x", "Select a valid choice"),
    ("offender-0-clothing", "x" * 301, "at most 300 characters"),
    ("offender-0-disguise", "mask\r\nhood", "line"),
    ("offender-0-distinguishing_marks", "x" * 100_000, "at most 300 characters"),
    ("vehicle-0-plate", "ABCDEFGHIJKLM", "at most 12 characters"),
    ("vehicle-0-plate_region", "COL", "at most 2 characters"),
    ("vehicle-0-direction_of_travel", "UP", "Select a valid choice"),
    ("vehicle-0-make", "Ford\u200b", "hidden"),
]


@pytest.mark.parametrize(("field", "value", "message"), HOSTILE)
def test_hostile_input_is_refused_by_field_and_nothing_is_written(
    member_client, store, field, value, message
):
    response = member_client.post("/report/", report_form(**{field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert not Incident.objects.exists()


def test_an_age_range_upside_down_is_refused(member_client, store):
    response = member_client.post(
        "/report/", report_form(**{"offender-0-age_min": "40", "offender-0-age_max": "20"})
    )
    assert response.status_code == 400
    assert "The oldest age is below the youngest." in response.text
    assert not Incident.objects.exists()


def test_off_premises_needs_its_scene(member_client, store):
    data = report_form(scenario_id="off_premises")
    response = member_client.post("/report/", data)
    assert response.status_code == 400
    assert "Say where off the premises it happened." in response.text
    response = member_client.post(
        "/report/", {**data, "off_premises_scene": "hotel", "scene_address": "Brown Palace"}
    )
    incident = Incident.objects.get()
    assert (incident.premises, incident.off_premises_scene, incident.location_type) == (
        "off",
        "hotel",
        "14",
    )
    assert incident.address == "Brown Palace"


def test_too_many_rows_are_cut_to_the_limit(member_client, store):
    rows = {f"offender-{n}-clothing": f"Person {n}" for n in range(40)}
    response = member_client.post("/report/", report_form(**rows))
    assert response.status_code == 302
    assert Incident.objects.get().offenders.count() == 10


# Drafts: kept as one types, reopened on return, discarded on request.
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_a_draft_is_kept_as_one_types_and_reopened_on_return(member_client, store):
    data = report_form(**{"offender-0-clothing": "Red cap", "police_case_number": "CASE-9"})
    del data["vehicle-0-make"]
    response = member_client.post("/report/draft/", data, **HTMX)
    assert response.status_code == 200
    assert "Draft saved at" in response.text
    # the page is closed; later the member comes back to /report/
    page = member_client.get("/report/")
    assert "Report: Smash-and-grab robbery" in page.text
    assert 'value="Red cap"' in page.text
    assert 'value="CASE-9"' in page.text
    assert 'value="2026-03-04T15:30"' in page.text
    assert "Discard this draft" in page.text
    # and discards it
    member_client.post("/report/draft/discard/")
    assert incident_draft_open(user=store.member.owner) is None
    assert 'href="?scenario=smash_and_grab"' in member_client.get("/report/").text


def test_drafts_are_each_users_own(member_client, store, other_store):
    member_client.post("/report/draft/", report_form(police_case_number="MINE-1"), **HTMX)
    other = client_for(other_store.member.owner)
    assert "MINE-1" not in other.get("/report/?scenario=smash_and_grab").text


def test_adding_and_removing_rows_through_htmx_keeps_the_draft(member_client, store):
    data = report_form()
    added = member_client.post("/report/draft/", {**data, "add": "offender"}, **HTMX)
    assert added.status_code == 200
    assert 'name="offender-4-clothing"' in added.text
    removed = member_client.post("/report/draft/", {**data, "remove": "offender-0"}, **HTMX)
    assert removed.status_code == 200 and removed.text == ""
    kept = IncidentDraft.objects.get().fields
    assert "offender-0-clothing" not in kept
    assert kept["offender-3-clothing"] == ["Orange construction vest"]


def test_without_scripts_add_another_sends_the_form_and_shows_one_more_row(member_client, store):
    page = member_client.post("/report/", {**report_form(), "add": "vehicle"})
    assert page.status_code == 200
    assert 'name="vehicle-1-make"' in page.text
    assert 'value="Honda"' in page.text
    assert not Incident.objects.exists()


def test_an_oversized_draft_is_refused_and_the_last_one_kept(member_client, store):
    member_client.post("/report/draft/", report_form(police_case_number="KEEP"), **HTMX)
    huge = {f"offender-{n}-clothing": "x" * 1999 for n in range(60)}
    response = member_client.post("/report/draft/", report_form(**huge), **HTMX)
    assert response.status_code == 413
    assert "too large" in response.text
    one_field = member_client.post("/report/draft/", report_form(police_case_number="y" * 5000))
    assert one_field.status_code == 413
    assert IncidentDraft.objects.get().fields["police_case_number"] == ["KEEP"]


def test_a_refused_report_is_kept_as_a_draft(member_client, store):
    member_client.post("/report/", report_form(attempt="maybe", police_case_number="AFTER"))
    assert IncidentDraft.objects.get().fields["police_case_number"] == ["AFTER"]


def test_the_report_page_speaks_french(member_client, store):
    member_client.cookies["django_language"] = "fr-ca"
    page = member_client.get("/report/?scenario=smash_and_grab")
    assert "Quand est-ce arrivé\u00a0?" in page.text
    assert "Ajouter un autre suspect" in page.text
    refused = member_client.post("/report/", report_form(**{"occurred_from": "hier"}))
    assert "Donnez la date et l\u2019heure" in refused.text


def test_choosing_another_scenario_keeps_what_was_typed(member_client, store):
    member_client.post("/report/draft/", report_form(police_case_number="KEPT-7"), **HTMX)
    chooser = member_client.get("/report/?scenario=")
    assert 'href="?scenario=armed_robbery"' in chooser.text
    page = member_client.get("/report/?scenario=armed_robbery")
    assert "Report: Armed robbery" in page.text
    assert 'value="KEPT-7"' in page.text
    assert IncidentDraft.objects.get().fields["scenario_id"] == ["armed_robbery"]
    # and the list shows the time on the store's clock
    member_client.post("/report/", report_form())
    assert "2026-03-04 15:30 MST" in member_client.get("/incidents/").text


def test_a_save_still_on_its_way_after_the_report_is_sent_does_not_bring_the_draft_back(
    member_client, store
):
    page = member_client.get("/report/?scenario=smash_and_grab").text
    token = page.split('name="draft_token" value="')[1].split('"')[0]
    data = report_form(draft_token=token)
    member_client.post("/report/draft/", data, **HTMX)
    assert member_client.post("/report/", data).status_code == 302
    late = member_client.post("/report/draft/", data, **HTMX)
    assert late.status_code == 204
    assert incident_draft_open(user=store.member.owner) is None
    # a new report page starts afresh, with a new token
    fresh = member_client.get("/report/").text
    assert 'href="?scenario=smash_and_grab"' in fresh
    again = member_client.get("/report/?scenario=fraud").text
    assert token not in again
