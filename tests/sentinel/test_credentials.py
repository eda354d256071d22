"""Camera passwords: stored encrypted, never shown back, never in a log, a page or an event."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jewelguard.config import ConfigError
from jewelguard.config import load as config_load
from jewelguard.core.models import AuditEntry, Event
from jewelguard.sentinel.credentials import (
    CredentialError,
    password_decrypt,
    password_encrypt,
    url_masked,
    url_with_credentials,
)
from jewelguard.sentinel.models import Camera, CameraState, SourceKind
from tests.conftest import client_for
from tests.sentinel.conftest import camera_add, status_of, wait_until

SECRET = "Tr0ub4dor&3-vault"


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("rtsp://admin:hunter2@10.0.0.5:554/s1", "rtsp://admin:***@10.0.0.5:554/s1"),
        ("rtsp://:hunter2@10.0.0.5/s1", "rtsp://:***@10.0.0.5/s1"),
        ("http://cam.example/mjpg?x=1", "http://cam.example/mjpg?x=1"),
        ("rtsp://admin:p%40ss@[fe80::1]:8554/a", "rtsp://admin:***@[fe80::1]:8554/a"),
        ("rtsp://admin:hunter2@host:notaport/a", "***"),
    ],
)
def test_url_masked_hides_the_password_and_keeps_the_rest(url, masked):
    assert url_masked(url) == masked
    assert "hunter2" not in url_masked(url)


def test_credentials_are_put_back_into_the_address_only_for_the_decoder():
    url = url_with_credentials(url="rtsp://10.0.0.5:554/s1", username="ad min", password="p@ss:/")
    assert url == "rtsp://ad%20min:p%40ss%3A%2F@10.0.0.5:554/s1"


def test_a_password_is_unreadable_once_the_key_changes(settings):
    token = password_encrypt(password=SECRET)
    assert SECRET not in token
    assert password_decrypt(token=token) == SECRET
    settings.JEWELGUARD_SENTINEL_KEY = "x" * 43 + "="
    with pytest.raises(CredentialError):
        password_decrypt(token=token)
    # and a token made with the explicit key reads back with it
    assert password_decrypt(token=password_encrypt(password=SECRET)) == SECRET


@pytest.mark.parametrize("bad", ["short", "x" * 44, "é" * 44])
def test_a_malformed_sentinel_key_stops_the_start_naming_the_variable(bad):
    with pytest.raises(ConfigError) as refused:
        config_load({"JEWELGUARD_DEBUG": "1", "JEWELGUARD_SENTINEL_KEY": bad})
    assert "JEWELGUARD_SENTINEL_KEY" in str(refused.value)
    assert bad not in str(refused.value)


@pytest.mark.django_db
def test_a_password_typed_into_the_address_is_taken_out_and_stored_encrypted(store, member_client):
    response = member_client.post(
        reverse("sentinel:camera_create"),
        {
            "store": store.pk,
            "name": "Door",
            "source_kind": "rtsp",
            "url": f"rtsp://admin:{SECRET}@192.0.2.10:554/stream1",
            "arming": "schedule",
            "detect_fps": "5",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    camera = Camera.objects.get(name="Door")
    assert camera.url == "rtsp://192.0.2.10:554/stream1"
    assert camera.username == "admin"
    assert SECRET not in camera.password_encrypted
    assert password_decrypt(token=camera.password_encrypted) == SECRET
    # then no page shows it back, and the audit log does not hold it
    for url in (
        reverse("sentinel:camera_status"),
        reverse("sentinel:camera_edit", args=[camera.pk]),
        reverse("sentinel:camera_zones", args=[camera.pk]),
    ):
        page = member_client.get(url).content.decode()
        assert SECRET not in page
    assert not any(SECRET in str(entry.__dict__) for entry in AuditEntry.objects.all())


@pytest.mark.django_db
def test_editing_without_a_password_keeps_the_stored_one(store, member):
    camera = camera_add(
        store, "Door", SourceKind.RTSP, "rtsp://192.0.2.10/s", username="admin", password=SECRET
    )
    client = client_for(member.owner)
    response = client.post(
        reverse("sentinel:camera_edit", args=[camera.pk]),
        {
            "store": store.pk,
            "name": "Front door",
            "source_kind": "rtsp",
            "url": "rtsp://192.0.2.10/s",
            "username": "admin",
            "password": "",
            "arming": "armed",
            "detect_fps": "2",
            "enabled": "on",
        },
    )
    assert response.status_code == 302
    camera.refresh_from_db()
    assert camera.name == "Front door"
    assert password_decrypt(token=camera.password_encrypted) == SECRET


@pytest.mark.django_db(transaction=True)
def test_the_node_never_logs_nor_publishes_a_password(
    store, silent_port, rtsp_server, node_process, caplog
):
    # given a camera that never answers and a real one, both with a password
    server = rtsp_server()
    silent = camera_add(
        store,
        "Silent",
        SourceKind.RTSP,
        f"rtsp://127.0.0.1:{silent_port}/x",
        username="admin",
        password=SECRET,
    )
    live = camera_add(store, "Live", SourceKind.RTSP, server.url, username="admin", password=SECRET)
    node = node_process("node-a")
    wait_until(
        "the silent camera failed",
        lambda: status_of(silent).state == CameraState.FAILED,
        log=node.log,
    )
    wait_until(
        "the live camera live", lambda: status_of(live).state == CameraState.LIVE, log=node.log
    )
    node.stop()
    # then neither the node's output, nor the statuses, nor any event holds the password
    output = node.output()
    assert SECRET not in output
    assert f"camera {silent.pk}" in output  # the failure is reported, by camera id
    assert not any(SECRET in str(e.payload) for e in Event.objects.all())
    assert SECRET not in status_of(silent).detail
    assert all(SECRET not in record.getMessage() for record in caplog.records)
