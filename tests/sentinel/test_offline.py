"""`jewelguard sentinel analyse`: files in, MOTChallenge tracks, sounds CSV and detections
JSON out; damaged and hostile input."""

from __future__ import annotations

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jewelguard.sentinel.models import SourceKind
from jewelguard.sentinel.pipeline.video import DecodeStats, VideoError, video_frames
from tests.conftest import shared_data
from tests.sentinel.conftest import camera_add


def _analyse(*args: str) -> str:
    out = StringIO()
    call_command("sentinel", "analyse", *args, "--no-progress", stdout=out)
    return out.getvalue()


def test_closed_store_analysis_writes_mot_tracks_sounds_and_detections(vtest, tmp_path):
    # when 3 s of vtest.avi are analysed as a closed store
    printed = _analyse(vtest, "--closed", "--seconds", "3", "--out", str(tmp_path))
    # then the tracks are MOTChallenge rows in the file's own pixels (768x576)
    rows = [line.split(",") for line in (tmp_path / "tracks.txt").read_text().splitlines()]
    assert rows, "no person tracked in 3 s of vtest.avi"
    for row in rows:
        assert len(row) == 10
        frame, track_id = int(row[0]), int(row[1])
        left, top, width, height, confidence = map(float, row[2:7])
        assert 1 <= frame <= 30 and track_id >= 1
        assert left >= 0 and left + width <= 768.5
        assert top >= 0 and top + height <= 576.5
        assert 0 < confidence <= 1
        assert row[7:] == ["-1", "-1", "-1"]
    # frames are numbered 1-based in the file's own frame count (10 fps, 5 analysed a second)
    assert {int(r[0]) for r in rows} <= set(range(1, 31, 2))
    # sound events: a header row (no audio in this file)
    with (tmp_path / "sounds.csv").open() as sounds:
        assert list(csv.reader(sounds)) == [["start_s", "end_s", "label", "confidence"]]
    # detections: the one intrusion, with its snapshot written next to it
    report = json.loads((tmp_path / "detections.json").read_text())
    assert report["store_open"] is False
    [hit] = report["detections"]
    assert hit["rule"] == "after_hours_intrusion"
    assert (tmp_path / hit["snapshot"]).read_bytes().startswith(b"\xff\xd8")
    # the MOT row of a track in the hit's frame is its box scaled from 640x480 to 768x576
    frame_number = round(hit["at_s"] * 10) + 1
    track = hit["tracks"][0]
    row = next(r for r in rows if int(r[0]) == frame_number and int(r[1]) == track["track_id"])
    assert float(row[2]) == pytest.approx(track["box"]["left"] * 1.2, abs=0.01)
    assert float(row[5]) == pytest.approx(track["box"]["height"] * 1.2, abs=0.01)
    assert "after_hours_intrusion" in printed


def test_audio_file_gives_a_sounds_csv_and_no_tracks(tmp_path):
    glass = shared_data("audio/glass/default_break_glass.1.ogg")
    _analyse(str(glass), "--out", str(tmp_path))
    assert (tmp_path / "tracks.txt").read_text() == ""
    assert (tmp_path / "sounds.csv").read_text().startswith("start_s,end_s,label,confidence")
    assert json.loads((tmp_path / "detections.json").read_text())["frames_analysed"] == 0


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("concat:/etc/passwd|/etc/hosts", "source: the scheme 'concat' is not allowed"),
        ("file:///etc/passwd", "source: the scheme 'file' is not allowed"),
        ("/nonexistent/clip.mp4", "source: no such file"),
        ("bad\x00name", "source: give a file path"),
        ("x" * 5000, "source: give a file path"),
    ],
)
def test_hostile_or_missing_sources_are_refused_naming_the_source(source, message, tmp_path):
    with pytest.raises(CommandError, match=message.replace("|", r"\|")):
        _analyse(source, "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_file_that_is_not_media_leaves_nothing_written(tmp_path):
    bogus = tmp_path / "clip.avi"
    bogus.write_bytes(bytes(range(256)) * 64)
    with pytest.raises(CommandError, match="source: cannot be opened"):
        _analyse(str(bogus), "--out", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_out_must_be_a_folder_and_seconds_positive(vtest, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(CommandError, match=r"--out: .* is not a folder"):
        _analyse(vtest, "--out", str(tmp_path / "file"))
    with pytest.raises(CommandError, match="--seconds: must be a positive"):
        _analyse(vtest, "--seconds", "-1", "--out", str(tmp_path / "o"))


@pytest.mark.django_db
def test_a_registered_camera_lends_its_zones_and_an_unknown_one_is_refused(store, vtest, tmp_path):
    # The whole view is the street outside the window: people there are no intrusion.
    outside = {"name": "Street", "kind": "outside", "polygon": [[0, 0], [1, 0], [1, 1], [0, 1]]}
    camera = camera_add(store, "Window", SourceKind.FILE, vtest, zones=[outside])
    _analyse(
        vtest, "--camera", str(camera.pk), "--closed", "--seconds", "3", "--out", str(tmp_path)
    )
    detections = json.loads((tmp_path / "detections.json").read_text())
    assert detections["frames_analysed"] > 0
    assert [d for d in detections["detections"] if d["rule"] == "after_hours_intrusion"] == []
    with pytest.raises(CommandError, match="--camera: no camera with id 999999"):
        _analyse(vtest, "--camera", "999999", "--out", str(tmp_path / "o"))


def _damaged_copy(source: Path, target: Path) -> None:
    """vtest.avi's first 1.2 MB with stretches of its frame data overwritten by noise."""
    data = bytearray(source.read_bytes()[:1_200_000])
    noise = bytes((i * 7919) % 251 for i in range(4000))
    for start in range(100_000, len(data) - 4000, 60_000):
        data[start : start + 4000] = noise
    target.write_bytes(bytes(data))


def test_corrupt_frames_are_skipped_and_counted_not_fatal(vtest, tmp_path):
    # given a truncated copy of vtest.avi with noise written over parts of it
    damaged = tmp_path / "damaged.avi"
    _damaged_copy(Path(vtest), damaged)
    stats = DecodeStats()
    # when it is decoded at the detect rate
    frames = list(video_frames(source=str(damaged), stats=stats))
    # then good frames still come, in time order, and the damage is counted
    assert len(frames) > 10
    assert [f.at_s for f in frames] == sorted(f.at_s for f in frames)
    assert stats.corrupt > 0
    assert all(f.image.shape == (480, 640, 3) for f in frames)


def test_detect_settings_out_of_bounds_are_refused_by_name(vtest):
    with pytest.raises(VideoError, match="detect_fps"):
        next(video_frames(source=vtest, detect_fps=0))
    with pytest.raises(VideoError, match="detect_width"):
        next(video_frames(source=vtest, width=100_000))
