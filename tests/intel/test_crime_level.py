"""The local crime level the risk assessment reads: around the store against its region."""

from __future__ import annotations

import h3
import pytest

from jewelguard.intel.selectors import local_crime_level
from tests.factories import StoreFactory
from tests.intel.incidents import incident_imported
from tests.intel.test_imports import DENVER, DENVER_FILES, run_import

pytestmark = pytest.mark.django_db


def _around(store) -> tuple[str, list[str], list[str]]:
    own = h3.cell_to_parent(store.h3_cell, 7)
    local = list(h3.grid_disk(own, 1))
    elsewhere = list(h3.grid_ring(own, 3)) + list(h3.grid_ring(own, 4))[:3]  # 21 more cells
    return own, local, elsewhere


def _many(cells, scenario_id, per_cell, **fields):
    for cell in cells:
        for number in range(per_cell):
            incident_imported(cell=cell, scenario_id=scenario_id, number=number, **fields)


def test_each_scenario_is_rated_against_the_regional_rate():
    store = StoreFactory()
    own, local, elsewhere = _around(store)
    # shoplifting as common around the store as in its 28 recorded cells: 2 in each
    _many(local + elsewhere, "grab_and_run", 2)
    # burglaries only in the store's own cell: 14 there, 14 / 28 = 0.5 a cell in the region
    _many([own], "three_minute_burglary", 14)
    # robberies only far from the store
    _many(elsewhere[:4], "armed_robbery", 1)
    # neither a rejected nor a private incident, nor one in another region, counts
    _many([own], "safe_burglary", 3, verification="rejected", rejection_reason="duplicate")
    _many([own], "fraud", 3, visibility="private")
    _many([h3.latlng_to_cell(40.7128, -74.0060, 7)], "fraud", 5)

    level = local_crime_level(store=store)

    assert level.known
    assert level.ratio("grab_and_run") == pytest.approx(1.0)
    assert level.ratio("three_minute_burglary") == pytest.approx((14 / 7) / (14 / 28))
    assert level.ratio("armed_robbery") == 0.0
    assert level.ratio("safe_burglary") is None
    assert level.ratio("fraud") is None


def test_a_region_with_few_incidents_has_an_unknown_level():
    store = StoreFactory()
    own, local, _ = _around(store)
    _many(local, "grab_and_run", 4)  # 28 incidents: fewer than 30
    assert not local_crime_level(store=store).known
    _many([own], "grab_and_run", 2, source_name="other-pd")
    assert local_crime_level(store=store).known


def test_a_store_without_incidents_around_has_an_unknown_level():
    assert not local_crime_level(store=StoreFactory()).known


@pytest.mark.skipif(not DENVER.is_dir(), reason="the Denver data set (../shared/data) is absent")
def test_a_downtown_denver_store_reads_its_level_from_the_imported_police_data():
    # given Denver's police data imported, and a store on Larimer Street downtown
    run_import(*(DENVER / name for name in DENVER_FILES))
    store = StoreFactory()
    # then its level is known, and downtown's shoplifting is above Denver's rate
    level = local_crime_level(store=store)
    assert level.known
    assert level.ratio("grab_and_run") > 1
    # and a store in the southern suburbs reads a lower one
    suburban = local_crime_level(store=StoreFactory(postal_code="80123"))
    assert suburban.known
    assert suburban.ratio("grab_and_run") < level.ratio("grab_and_run")
