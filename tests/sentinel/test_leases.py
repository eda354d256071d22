"""Camera leases: each camera read by one node at a time, a dead node's cameras taken over."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest
from django.db import close_old_connections
from django.utils import timezone

from jewelguard.sentinel.leases import camera_leases_claim, camera_leases_release
from jewelguard.sentinel.models import Camera, CameraLease, SourceKind
from tests.sentinel.conftest import camera_add

TTL = timedelta(seconds=10)


def cameras(store, count: int) -> list[Camera]:
    return [
        camera_add(store, f"Camera {n}", SourceKind.RTSP, f"rtsp://192.0.2.{n}/s")
        for n in range(count)
    ]


@pytest.mark.django_db
def test_nodes_share_the_cameras_up_to_their_limit(store):
    all_cameras = cameras(store, 3)
    first = camera_leases_claim(node_name="a", ttl=TTL, limit=2)
    second = camera_leases_claim(node_name="b", ttl=TTL, limit=2)
    assert len(first) == 2 and len(second) == 1
    assert set(first) | set(second) == {c.pk for c in all_cameras}
    # a renewal keeps each node's own cameras, and takes nothing of the other's
    assert camera_leases_claim(node_name="a", ttl=TTL, limit=5) == first
    assert camera_leases_claim(node_name="b", ttl=TTL, limit=5) == second


@pytest.mark.django_db
def test_an_expired_lease_goes_to_the_next_node_and_its_old_holder_loses_it(store):
    (camera,) = cameras(store, 1)
    assert camera_leases_claim(node_name="a", ttl=TTL, limit=5) == [camera.pk]
    CameraLease.objects.filter(camera=camera).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert camera_leases_claim(node_name="b", ttl=TTL, limit=5) == [camera.pk]
    assert camera_leases_claim(node_name="a", ttl=TTL, limit=5) == []


@pytest.mark.django_db
def test_a_disabled_camera_is_given_up_and_a_release_frees_the_rest(store):
    keep, drop = cameras(store, 2)
    assert camera_leases_claim(node_name="a", ttl=TTL, limit=5) == sorted([keep.pk, drop.pk])
    Camera.objects.filter(pk=drop.pk).update(enabled=False)
    assert camera_leases_claim(node_name="a", ttl=TTL, limit=5) == [keep.pk]
    assert camera_leases_release(node_name="a") == 1
    assert camera_leases_claim(node_name="b", ttl=TTL, limit=5) == [keep.pk]


@pytest.mark.django_db(transaction=True)
def test_nodes_claiming_at_the_same_moment_never_take_the_same_camera(store):
    cameras(store, 12)
    results: dict[str, list[int]] = {}
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def claim(name: str) -> None:
        try:
            start.wait()
            results[name] = camera_leases_claim(node_name=name, ttl=TTL, limit=3)
        except BaseException as error:
            errors.append(error)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=claim, args=(f"node-{n}",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    taken = Counter(pk for held in results.values() for pk in held)
    assert all(count == 1 for count in taken.values())
    assert len(taken) == 12  # six nodes of three fill all twelve cameras
    by_node = dict(CameraLease.objects.values_list("camera_id", "node_name"))
    for name, held in results.items():
        assert all(by_node[pk] == name for pk in held)
