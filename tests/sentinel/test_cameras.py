"""Cameras: who may manage them, what is refused, zones drawn in the browser, open or closed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time

import pytest
from django.urls import reverse

from jewelguard.accounts.models import HoursException
from jewelguard.sentinel.models import Arming, Camera, SourceKind
from jewelguard.sentinel.schedule import camera_schedule
from jewelguard.sentinel.services import CameraError, camera_create, zones_check
from tests.conftest import client_for
from tests.factories import StaffGrantFactory, StaffUserFactory
from tests.sentinel.conftest import camera_add

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Door",
    "source_kind": "rtsp",
    "url": "rtsp://192.0.2.10:554/stream1",
    "arming": "schedule",
    "detect_fps": "5",
    "enabled": "on",
}
SHOWCASE = {
    "name": "Main case",
    "kind": "showcase",
    "polygon": [[0.1, 0.1], [0.5, 0.1], [0.5, 0.6]],
}


def test_a_member_adds_a_camera_to_its_store_and_sees_it(store, member):
    client = client_for(member.owner)
    response = client.post(reverse("sentinel:camera_create"), {**FORM, "store": store.pk})
    camera = Camera.objects.get(store=store)
    assert response["Location"] == reverse("sentinel:camera_zones", args=[camera.pk])
    assert "Door" in client.get(reverse("sentinel:camera_status")).content.decode()


def test_another_member_cannot_see_add_to_change_or_remove_the_store_cameras(store, other_member):
    camera = camera_add(store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s")
    client = client_for(other_member.owner)
    assert "Door" not in client.get(reverse("sentinel:camera_status")).content.decode()
    for name in ("sentinel:camera_edit", "sentinel:camera_zones", "sentinel:camera_preview"):
        assert client.get(reverse(name, args=[camera.pk])).status_code == 404
    assert client.post(reverse("sentinel:camera_delete", args=[camera.pk])).status_code == 404
    # a store of someone else is not a choice in the form
    response = client.post(reverse("sentinel:camera_create"), {**FORM, "store": store.pk})
    assert Camera.objects.count() == 1
    assert response.status_code in (200, 403)


def test_staff_see_cameras_but_manage_them_only_with_the_edit_right(store, staff_user):
    camera = camera_add(store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s")
    viewer = client_for(staff_user)
    assert "Door" in viewer.get(reverse("sentinel:camera_status")).content.decode()
    assert viewer.get(reverse("sentinel:camera_edit", args=[camera.pk])).status_code == 403
    assert viewer.post(reverse("sentinel:camera_delete", args=[camera.pk])).status_code == 403
    editor = StaffUserFactory(email="lee@frontrange.example")
    StaffGrantFactory(user=editor, store=store, rights=["view", "edit_store"])
    assert (
        client_for(editor).post(reverse("sentinel:camera_delete", args=[camera.pk])).status_code
        == 302
    )
    assert not Camera.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"url": "ftp://192.0.2.10/x"}, "url"),
        ({"url": "rtsp://"}, "url"),
        ({"url": "rtsp://host:99999/x"}, "url"),
        ({"url": "rtsp://192.0.2.10/x\nHost: evil"}, "url"),
        ({"url": "rtsp://h/" + "a" * 600}, "url"),
        ({"source_kind": "file", "url": "relative/path.avi"}, "url"),
        ({"name": "Door\u202egnp"}, "name"),
        ({"name": "   "}, "name"),
        ({"detect_fps": 0.0}, "detect_fps"),
        ({"detect_fps": float("inf")}, "detect_fps"),
        ({"arming": "sometimes"}, "arming"),
        ({"armed_windows": [[7, "22:00", "23:00"]]}, "armed_windows"),
        ({"armed_windows": [[1, "23:00", "22:00"]]}, "armed_windows"),
        ({"zones": [{**SHOWCASE, "kind": "vault"}]}, "zones"),
        ({"zones": [{**SHOWCASE, "polygon": [[0, 0], [1, 1]]}]}, "zones"),
        ({"zones": [{**SHOWCASE, "polygon": [[0, 0], [2, 1], [1, 1]]}]}, "zones"),
        ({"zones": [{**SHOWCASE, "polygon": [[0, 0], [float("nan"), 1], [1, 1]]}]}, "zones"),
        ({"zones": [SHOWCASE, {**SHOWCASE, "name": "MAIN CASE"}]}, "zones"),
        ({"zones": [SHOWCASE] * 40}, "zones"),
        ({"masks": [[[0, 0], [1, 0]]]}, "masks"),
    ],
)
def test_bad_camera_settings_are_refused_naming_the_field_and_nothing_is_written(
    store, changes, field
):
    values = {
        "name": "Door",
        "source_kind": "rtsp",
        "url": "rtsp://192.0.2.10/s",
        **changes,
    }
    with pytest.raises(CameraError) as refused:
        camera_create(store=store, actor=None, **values)
    assert refused.value.field == field
    assert not Camera.objects.exists()


def test_the_same_name_twice_in_a_store_is_refused(store):
    camera_add(store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s")
    with pytest.raises(CameraError) as refused:
        camera_add(store, "door", SourceKind.RTSP, "rtsp://192.0.2.11/s")
    assert refused.value.field == "name"


def test_zones_drawn_in_the_browser_are_saved_and_bad_ones_refused(store, member):
    camera = camera_add(store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s")
    client = client_for(member.owner)
    url = reverse("sentinel:camera_zones", args=[camera.pk])
    assert "zone-editor" in client.get(url).content.decode()
    good = {"zones": [SHOWCASE], "masks": [[[0.8, 0], [1, 0], [1, 0.2]]]}
    response = client.post(url, json.dumps(good), content_type="application/json")
    assert response.status_code == 200
    camera.refresh_from_db()
    assert camera.zones == [SHOWCASE]
    # a bad shape, a body that is not JSON and an oversized body are refused, zones kept
    bad = {"zones": [{**SHOWCASE, "kind": "vault"}]}
    refused = client.post(url, json.dumps(bad), content_type="application/json")
    assert refused.status_code == 400 and "zones" in refused.json()["errors"]
    assert client.post(url, "not json", content_type="application/json").status_code == 400
    huge = json.dumps({"zones": [], "masks": [[[0.5, 0.5]] * 10000]})
    assert client.post(url, huge, content_type="application/json").status_code == 400
    camera.refresh_from_db()
    assert camera.zones == [SHOWCASE]


def test_zone_names_are_cleaned_and_points_rounded():
    zones = zones_check(
        zones=[
            {
                "name": "  Main   case ",
                "kind": "safe",
                "polygon": [[0, 0], [1, 0], [0.123456789, 1]],
            }
        ]
    )
    assert zones == [
        {"name": "Main case", "kind": "safe", "polygon": [[0.0, 0.0], [1.0, 0.0], [0.12346, 1.0]]}
    ]


def test_open_and_closed_follow_the_store_hours_in_its_time_zone(store):
    # the factory's store is in Denver, open 10:00-18:00 Monday to Saturday
    camera = camera_add(
        store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s", arming=Arming.SCHEDULE
    )
    schedule = camera_schedule(camera=camera)
    monday_noon_denver = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)  # 12:00 MDT
    monday_night_denver = datetime(2026, 6, 2, 4, 0, tzinfo=UTC)  # 22:00 MDT
    sunday_noon_denver = datetime(2026, 6, 7, 18, 0, tzinfo=UTC)
    assert store.time_zone == "America/Denver"
    assert schedule.is_open(at=monday_noon_denver)
    assert not schedule.is_open(at=monday_night_denver)
    assert not schedule.is_open(at=sunday_noon_denver)
    # a holiday closes the store for the day
    HoursException.objects.create(store=store, date=datetime(2026, 6, 1).date(), label="Closed")
    assert not camera_schedule(camera=camera).is_open(at=monday_noon_denver)


def test_an_armed_camera_and_an_armed_window_treat_the_store_as_closed(store):
    monday_noon_denver = datetime(2026, 6, 1, 18, 0, tzinfo=UTC)
    armed = camera_add(store, "Safe", SourceKind.RTSP, "rtsp://192.0.2.10/s", arming=Arming.ARMED)
    assert not camera_schedule(camera=armed).is_open(at=monday_noon_denver)
    lunch = camera_add(
        store,
        "Back",
        SourceKind.RTSP,
        "rtsp://192.0.2.11/s",
        arming=Arming.SCHEDULE,
        armed_windows=[[0, "11:30", "12:30"]],
    )
    schedule = camera_schedule(camera=lunch)
    assert schedule.armed_windows == ((0, time(11, 30), time(12, 30)),)
    assert not schedule.is_open(at=monday_noon_denver)
    assert schedule.is_open(at=datetime(2026, 6, 1, 19, 0, tzinfo=UTC))


def test_the_camera_pages_speak_french_when_asked(store, member):
    camera_add(store, "Porte", SourceKind.RTSP, "rtsp://192.0.2.10/s")
    client = client_for(member.owner)
    client.cookies["django_language"] = "fr-ca"
    page = client.get(reverse("sentinel:camera_status")).content.decode()
    assert "Caméras" in page and "Dernière image" in page
    assert "Événements en direct" in client.get(reverse("sentinel:live_events")).content.decode()


def test_armed_windows_typed_in_the_form_are_kept_and_shown_back(store, member):
    camera = camera_add(store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s")
    client = client_for(member.owner)
    url = reverse("sentinel:camera_edit", args=[camera.pk])
    form = {**FORM, "store": store.pk, "armed_windows": "Monday 12:00-13:00\n\nsunday 0:00-08:00"}
    assert client.post(url, form).status_code == 302
    camera.refresh_from_db()
    assert camera.armed_windows == [[0, "12:00", "13:00"], [6, "00:00", "08:00"]]
    assert "monday 12:00-13:00" in client.get(url).content.decode()
    # a window that does not read is refused on its field, and nothing changes
    page = client.post(url, {**form, "armed_windows": "someday 12:00-13:00"}).content.decode()
    assert "such as: monday 22:00-23:59" in page
    refused = client.post(url, {**form, "armed_windows": "monday 13:00-12:00"}).content.decode()
    assert "Each armed window is a weekday and two times" in refused
    camera.refresh_from_db()
    assert camera.armed_windows == [[0, "12:00", "13:00"], [6, "00:00", "08:00"]]
