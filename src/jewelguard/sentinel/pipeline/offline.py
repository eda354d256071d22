"""Offline analysis of a recorded file: the same pipeline as a live camera, as fast as the
machine goes, written out as person tracks (MOTChallenge text), sound events (CSV) and rule
detections (JSON, with snapshots).

Everything is written under temporary names and moved into place at the end, so a failed
or interrupted run leaves no half-written results.
"""

from __future__ import annotations

import csv
import json
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

import av
import av.error
import numpy as np
import numpy.typing as npt

from jewelguard.sentinel.pipeline.types import (
    Analyzer,
    CameraSetup,
    RuleHit,
    SoundEvent,
    Track,
    Zone,
)
from jewelguard.sentinel.pipeline.video import DecodeStats, VideoError, source_check, video_frames

TRACKS_FILE = "tracks.txt"
SOUNDS_FILE = "sounds.csv"
DETECTIONS_FILE = "detections.json"
SNAPSHOTS_DIR = "snapshots"
AUDIO_RATE = 16000
AUDIO_BLOCK_S = 0.5

# Without a camera: the whole view is one showcase.
WHOLE_VIEW = Zone(
    name="view", kind="showcase", polygon=((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0))
)
WHOLE_VIEW_SETUP = CameraSetup(zones=(WHOLE_VIEW,))


@dataclass
class AnalysisReport:
    """What an offline analysis found and wrote."""

    source: str
    has_video: bool = False
    has_audio: bool = False
    frames_analysed: int = 0
    corrupt_frames: int = 0
    seconds: float = 0.0
    tracks: int = 0  # distinct person ids
    sound_events: int = 0
    hits: list[RuleHit] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)


def mot_line(*, frame: int, track: Track, scale_x: float, scale_y: float) -> str:
    """One MOTChallenge row: frame (1-based), id, left, top, width, height, conf, -1, -1, -1."""
    box = track.box
    return (
        f"{frame},{track.track_id},{box.left * scale_x:.2f},{box.top * scale_y:.2f},"
        f"{box.width * scale_x:.2f},{box.height * scale_y:.2f},{box.confidence:.4f},-1,-1,-1\n"
    )


def streams_probe(*, source: str) -> tuple[bool, bool, float]:
    """Whether `source` has video and audio, and its duration in seconds (0 if unknown)."""
    try:
        container = av.open(source_check(source=source), mode="r")
    except av.error.FFmpegError as error:
        raise VideoError(f"source: cannot be opened: {error.strerror}") from None
    with container:
        duration = container.duration / 1_000_000 if container.duration else 0.0
        return bool(container.streams.video), bool(container.streams.audio), duration


def audio_blocks(
    *, source: str, block_s: float = AUDIO_BLOCK_S
) -> Iterator[tuple[npt.NDArray[np.float32], float]]:
    """The first audio stream of `source` as mono float32 blocks at 16 kHz, with start times."""
    try:
        container = av.open(source_check(source=source), mode="r")
    except av.error.FFmpegError as error:
        raise VideoError(f"source: cannot be opened: {error.strerror}") from None
    with container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=AUDIO_RATE)
        block = int(AUDIO_RATE * block_s)
        pending: list[npt.NDArray[np.float32]] = []
        pending_len = 0
        start = 0
        for packet in container.demux(stream):
            try:
                frames = packet.decode()
            except av.error.FFmpegError:
                continue  # a corrupt audio packet: skip it, as with video
            for frame in frames:
                for out in resampler.resample(frame):  # type: ignore[arg-type]
                    pending.append(np.asarray(out.to_ndarray(), dtype=np.float32).reshape(-1))
                    pending_len += pending[-1].size
                    while pending_len >= block:
                        joined = np.concatenate(pending)
                        yield joined[:block], start / AUDIO_RATE
                        start += block
                        pending = [joined[block:]]
                        pending_len = pending[0].size
        if pending_len:
            yield np.concatenate(pending), start / AUDIO_RATE


class _Outputs:
    """The result files under temporary names until `commit`."""

    def __init__(self, out: Path) -> None:
        if out.exists() and not out.is_dir():
            raise VideoError(f"--out: {out} exists and is not a folder")
        out.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.temporary: dict[str, Path] = {}
        self.snapshots: list[tuple[str, bytes]] = []

    def open(self, name: str) -> IO[str]:
        path = self.out / f".{name}.partial-{os.getpid()}"
        self.temporary[name] = path
        return path.open("w", encoding="utf-8", newline="")

    def commit(self) -> list[Path]:
        written: list[Path] = []
        if self.snapshots:
            folder = self.out / SNAPSHOTS_DIR
            folder.mkdir(exist_ok=True)
            for name, data in self.snapshots:
                (folder / name).write_bytes(data)
                written.append(folder / name)
        for name, path in self.temporary.items():
            final = self.out / name
            path.replace(final)
            written.append(final)
        return written

    def discard(self) -> None:
        for path in self.temporary.values():
            path.unlink(missing_ok=True)


def hit_json(hit: RuleHit, *, snapshot: str | None) -> dict[str, Any]:
    """A rule hit as JSON: its fields, the snapshot's file name instead of its bytes."""
    data = asdict(hit)
    data.pop("snapshot_jpeg")
    data["snapshot"] = snapshot
    data["tracks"] = [
        {
            "track_id": t.track_id,
            "box": asdict(t.box),
            "speed": round(t.speed, 4),
            "zones": list(t.zones),
            "path": [[round(x, 4), round(y, 4)] for x, y in t.path],
        }
        for t in hit.tracks
    ]
    return data


def file_analyse(
    *,
    source: str,
    out: Path,
    analyzer: Analyzer,
    is_open: bool,
    setup: CameraSetup = WHOLE_VIEW_SETUP,
    seconds: float | None = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> AnalysisReport:
    """Run `analyzer` over a video or audio file and write the results under `out`.

    `seconds` stops after that much of the file; `progress(done, total)` is called after
    each analysed frame (or audio block). Raises VideoError for a file that cannot be read,
    leaving no result files behind.
    """
    if seconds is not None and not (0 < seconds < 1e7):
        raise VideoError("--seconds: must be a positive number of seconds")
    has_video, has_audio, duration = streams_probe(source=source)
    if not has_video and not has_audio:
        raise VideoError("source: has neither video nor audio")
    report = AnalysisReport(source=source, has_video=has_video, has_audio=has_audio)
    outputs = _Outputs(out)
    try:
        with (
            outputs.open(TRACKS_FILE) as tracks_file,
            outputs.open(SOUNDS_FILE) as sounds_file,
        ):
            sounds = csv.writer(sounds_file)
            sounds.writerow(["start_s", "end_s", "label", "confidence"])
            span = min(duration, seconds) if seconds and duration else duration or seconds
            _analyse_streams(
                source=source,
                analyzer=analyzer,
                is_open=is_open,
                setup=setup,
                seconds=seconds,
                total=math.ceil(span * setup.detect_fps) if span and has_video else None,
                tracks_file=tracks_file,
                sounds=sounds,
                report=report,
                progress=progress,
            )
        for number, hit in enumerate(report.hits, start=1):
            if hit.snapshot_jpeg:
                outputs.snapshots.append((f"hit-{number:03d}-{hit.rule}.jpg", hit.snapshot_jpeg))
        with outputs.open(DETECTIONS_FILE) as detections_file:
            json.dump(
                {
                    "source": Path(source).name,
                    "store_open": is_open,
                    "frames_analysed": report.frames_analysed,
                    "corrupt_frames": report.corrupt_frames,
                    "seconds": round(report.seconds, 3),
                    # Boxes in detections are in the analysed frame's pixels, tracks.txt's
                    # in the file's own.
                    "frame_width": setup.detect_width,
                    "frame_height": setup.detect_height,
                    "detections": [
                        hit_json(
                            hit,
                            snapshot=(
                                f"{SNAPSHOTS_DIR}/hit-{n:03d}-{hit.rule}.jpg"
                                if hit.snapshot_jpeg
                                else None
                            ),
                        )
                        for n, hit in enumerate(report.hits, start=1)
                    ],
                },
                detections_file,
                indent=2,
            )
    except BaseException:
        outputs.discard()
        raise
    report.files = outputs.commit()
    return report


def _analyse_streams(
    *,
    source: str,
    analyzer: Analyzer,
    is_open: bool,
    setup: CameraSetup,
    seconds: float | None,
    total: int | None,
    tracks_file: IO[str],
    sounds: Any,
    report: AnalysisReport,
    progress: Callable[[int, int | None], None] | None,
) -> None:
    ids: set[int] = set()
    blocks = audio_blocks(source=source) if report.has_audio else iter(())
    pending: tuple[npt.NDArray[np.float32], float] | None = None

    def audio_until(at_s: float) -> None:
        """Feed the audio blocks that start before `at_s`, in time order."""
        nonlocal pending
        while True:
            if pending is None:
                pending = next(blocks, None)
                if pending is None:
                    return
            samples, start = pending
            if start > at_s or (seconds is not None and start >= seconds):
                return
            pending = None
            events, hits = analyzer.audio(
                samples=samples, sample_rate=AUDIO_RATE, at_s=start, is_open=is_open
            )
            _sounds_write(sounds, events, report)
            report.hits.extend(hits)
            report.seconds = max(report.seconds, start + samples.size / AUDIO_RATE)
            if not report.has_video and progress is not None:
                progress(1, total)

    if not report.has_video:
        audio_until(math.inf)
        return
    stats = DecodeStats()
    for frame in video_frames(
        source=source,
        detect_fps=setup.detect_fps,
        width=setup.detect_width,
        height=setup.detect_height,
        stats=stats,
    ):
        if seconds is not None and frame.at_s >= seconds:
            break
        audio_until(frame.at_s)
        result = analyzer.frame(image=frame.image, at_s=frame.at_s, is_open=is_open)
        scale_x = stats.source_width / setup.detect_width
        scale_y = stats.source_height / setup.detect_height
        for track in result.tracks:
            ids.add(track.track_id)
            tracks_file.write(
                mot_line(frame=frame.index + 1, track=track, scale_x=scale_x, scale_y=scale_y)
            )
        report.hits.extend(result.hits)
        report.frames_analysed += 1
        report.seconds = frame.at_s
        if progress is not None:
            progress(1, total)
    audio_until(report.seconds)
    report.corrupt_frames = stats.corrupt
    report.tracks = len(ids)


def _sounds_write(sounds: Any, events: tuple[SoundEvent, ...], report: AnalysisReport) -> None:
    for event in events:
        sounds.writerow(
            [f"{event.start_s:.3f}", f"{event.end_s:.3f}", event.label, f"{event.confidence:.4f}"]
        )
        report.sound_events += 1
