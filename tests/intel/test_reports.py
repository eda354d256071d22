"""Reporting an incident through the service: bad input is refused naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone, translation

from jewelguard.core.errors import ServiceError
from jewelguard.intel.models import Incident, Offender, Vehicle
from jewelguard.intel.services import OffenderDetails, VehicleDetails
from tests.factories import StoreFactory
from tests.intel.incidents import incident_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def store():
    return StoreFactory()


def test_a_report_keeps_its_offenders_vehicles_and_cells(store):
    incident = incident_report(
        reporter=store.member.owner,
        store=store,
        offenders=(
            OffenderDetails(age_min=20, age_max=30, sex="male", clothing="Grey hoodie"),
            OffenderDetails(disguise="Ski mask"),
        ),
        vehicles=(VehicleDetails(plate="abc 123", colour="Black", direction_of_travel="N"),),
    )
    assert incident.member == store.member
    assert incident.h3_r9 == store.h3_cell
    assert Offender.objects.filter(incident=incident).count() == 2
    assert Vehicle.objects.get(incident=incident).plate == "ABC 123"


@pytest.mark.parametrize(
    ("details", "field"),
    [
        ({"scenario_id": "bank_heist"}, "scenario_id"),
        ({"nibrs_offense_code": "999"}, "nibrs_offense_code"),
        ({"latitude": 91.0}, "latitude"),
        ({"longitude": float("nan")}, "longitude"),
        ({"latitude": 0.0, "longitude": 0.0}, "latitude"),
        ({"occurred_from": datetime(2025, 3, 4, 15, 30)}, "occurred_from"),
        ({"occurred_from": timezone.now() + timedelta(days=2)}, "occurred_from"),
        (
            {"occurred_to": datetime(2025, 3, 4, 15, 0, tzinfo=UTC)},
            "occurred_to",
        ),
        ({"premises": "off"}, "off_premises_scene"),
        ({"visibility": "everyone"}, "visibility"),
        ({"modus_operandi": ("teleportation",)}, "modus_operandi"),
        ({"address": "12 Main St\u202e"}, "address"),
        ({"address": "x" * 201}, "address"),
        ({"property_lost_cents": -1}, "property_lost_cents"),
        ({"offenders": (OffenderDetails(age_min=40, age_max=20),)}, "offenders"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(store, details, field):
    with pytest.raises(ServiceError) as refused:
        incident_report(reporter=store.member.owner, store=store, **details)
    assert refused.value.field == field
    assert not Incident.objects.exists()
    assert not Offender.objects.exists()


def test_refusals_speak_french(store):
    with translation.override("fr-ca"), pytest.raises(ServiceError) as refused:
        incident_report(reporter=store.member.owner, store=store, latitude=91.0)
    assert refused.value.message == "Une latitude est comprise entre -90 et 90."
