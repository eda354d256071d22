"""The sentinel node on real sources: an RTSP server, video files, a port that never answers.

The node runs in a thread of the test (or as `jewelguard sentinel_node` processes where a
process is killed) with a small real analyzer (tests/sentinel/motion.py); the cameras are
armed, so the walking people of vtest.avi are after-hours movement.
"""

from __future__ import annotations

import time

import pytest

from jewelguard.core.models import Event
from jewelguard.sentinel.models import (
    CameraLease,
    CameraState,
    LiveEvent,
    LiveEventSnapshot,
    SourceKind,
)
from jewelguard.sentinel.services import topic_for_store
from tests.sentinel.conftest import (
    camera_add,
    corrupt_video,
    file_camera,
    noise_file,
    status_of,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)


def frames_of(camera) -> int:
    return status_of(camera).frames


def test_rtsp_camera_killed_and_restarted_reconnects_while_the_other_never_stops(
    store, vtest, rtsp_server, node_thread
):
    # given a real RTSP camera and a file camera, read by one node
    server = rtsp_server()
    rtsp = camera_add(store, "Front door", SourceKind.RTSP, server.url)
    looped = file_camera(store, "Showcase", vtest)
    node = node_thread()
    wait_until(
        "both cameras live",
        lambda: all(status_of(c).state == CameraState.LIVE for c in (rtsp, looped)),
    )
    # when the RTSP server dies mid-stream
    server.kill()
    wait_until(
        "the RTSP camera reconnecting",
        lambda: status_of(rtsp).state in (CameraState.RECONNECTING, CameraState.FAILED),
    )
    # then the file camera keeps delivering frames meanwhile
    before = frames_of(looped)
    wait_until("the file camera still reading", lambda: frames_of(looped) > before + 10)
    assert status_of(looped).state == CameraState.LIVE
    # and when the server comes back, the camera is live again, one reconnect counted or more
    server.start()
    wait_until("the RTSP camera live again", lambda: status_of(rtsp).state == CameraState.LIVE)
    assert status_of(rtsp).reconnects >= 1
    after = frames_of(rtsp)
    wait_until("RTSP frames flowing again", lambda: frames_of(rtsp) > after + 5)
    node.halt()
    assert status_of(rtsp).state == CameraState.IDLE


def test_broken_cameras_leave_the_good_one_running_and_each_status_says_what_is_wrong(
    store, tmp_path, vtest, silent_port, rtsp_server, node_thread
):
    # given a good camera, a noise file, a file that breaks after 100 kB, a camera that never
    # answers, a missing file and a 4K stream
    good = file_camera(store, "Good", vtest)
    noise = file_camera(store, "Noise", noise_file(tmp_path))
    broken = file_camera(store, "Broken", corrupt_video(tmp_path, vtest))
    silent = camera_add(store, "Silent", SourceKind.RTSP, f"rtsp://127.0.0.1:{silent_port}/x")
    missing = file_camera(store, "Missing", tmp_path / "nothing-here.avi")
    server = rtsp_server(width=3840, height=2160)
    big = camera_add(store, "Four K", SourceKind.RTSP, server.url, detect_fps=1.0)
    node_thread()
    # then the bad ones fail, each with a reason, while the good one reads on
    for camera in (noise, silent, missing):
        wait_until(
            f"{camera.name} failed", lambda c=camera: status_of(c).state == CameraState.FAILED
        )
        assert status_of(camera).detail
    wait_until("the 4K camera live", lambda: status_of(big).state == CameraState.LIVE)
    wait_until("4K frames", lambda: status_of(big).width == 3840 and status_of(big).height == 2160)
    # the broken file gives its first frames, then stops; it is retried and never "live" long
    wait_until("the broken file read", lambda: frames_of(broken) > 0)
    before = frames_of(good)
    time.sleep(3)
    assert frames_of(good) > before + 20  # vtest.avi plays at 10 fps: the node keeps up
    assert status_of(good).state == CameraState.LIVE
    assert status_of(good).last_frame_at is not None


def test_movement_while_armed_opens_one_live_event_persisted_before_it_is_published(
    store, vtest, node_thread
):
    # given an armed camera watching people walk
    camera = file_camera(store, "Back room", vtest)
    node = node_thread()
    # when the analyzer sees movement for several seconds
    event = wait_until("a live event", lambda: LiveEvent.objects.filter(camera=camera).first())
    time.sleep(3)
    node.halt()
    # then there is one event in progress, with its snapshot and a short timeline
    events = LiveEvent.objects.filter(camera=camera)
    assert events.count() == 1
    event.refresh_from_db()
    assert event.ended_at is None
    assert event.scenario == "three_minute_burglary"
    assert LiveEventSnapshot.objects.filter(event=event).exists()
    assert event.entries.count() < 40  # people count changes, not one line per frame
    # and each published event speaks of the stored one
    published = Event.objects.filter(topic=topic_for_store(store_id=store.pk))
    live = [e.payload for e in published if e.payload.get("type") == "live_event"]
    assert live and all(p["event"] == event.pk for p in live)
    assert live[0]["people"] >= 1


def test_a_killed_node_loses_no_event_and_a_second_node_takes_its_cameras_over(
    store, vtest, node_process
):
    # given two cameras read by node A
    cameras = [file_camera(store, f"Camera {n}", vtest) for n in (1, 2)]
    node_a = node_process("node-a")
    wait_until(
        "node A reading both",
        lambda: all(
            status_of(c).state == CameraState.LIVE and status_of(c).node_name == "node-a"
            for c in cameras
        ),
        log=node_a.log,
    )
    opened = wait_until(
        "live events",
        lambda: LiveEvent.objects.filter(camera__in=cameras).count() == 2,
        log=node_a.log,
    )
    assert opened
    events_before = set(LiveEvent.objects.values_list("pk", flat=True))
    # and node B waiting, with no camera free to take
    node_b = node_process("node-b")
    time.sleep(2)
    assert set(CameraLease.objects.values_list("node_name", flat=True)) == {"node-a"}
    # when node A is killed outright
    node_a.kill()
    # then node B takes both cameras over once A's leases lapse, and reads them live
    wait_until(
        "node B reading both",
        lambda: all(
            status_of(c).state == CameraState.LIVE and status_of(c).node_name == "node-b"
            for c in cameras
        ),
        log=node_b.log,
    )
    assert set(CameraLease.objects.values_list("node_name", flat=True)) == {"node-b"}
    # and every event A had written is still there, continued rather than duplicated
    time.sleep(2)
    assert events_before <= set(LiveEvent.objects.values_list("pk", flat=True))
    for camera in cameras:
        assert LiveEvent.objects.filter(camera=camera, ended_at__isnull=True).count() == 1
    # and when B stops, it gives the leases back at once
    node_b.stop()
    assert not CameraLease.objects.exclude(node_name="").exists()
    assert "Traceback" not in node_b.output()


def test_a_node_restarted_after_kill_resumes_every_camera(store, vtest, node_process):
    cameras = [file_camera(store, f"Camera {n}", vtest) for n in (1, 2, 3)]
    first = node_process("node-a")
    wait_until(
        "all live",
        lambda: all(status_of(c).state == CameraState.LIVE for c in cameras),
        log=first.log,
    )
    first.kill()
    # the same node name restarted claims its own leases again without waiting for them to lapse
    second = node_process("node-a")
    frames = {c.pk: frames_of(c) for c in cameras}
    wait_until(
        "all reading again",
        lambda: all(frames_of(c) > frames[c.pk] + 5 for c in cameras),
        log=second.log,
    )
