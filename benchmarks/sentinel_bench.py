"""Benchmark: the sentinel's video pipeline on this machine's CPUs (no GPU).

What it measures, in one process, on ../shared/data/video/vtest.avi (768x576, 10 fps):

1. **quality**: person detection precision and recall at IoU 0.5 (greedy matching, best
   score first), against boxes drawn by hand (tests/sentinel/data/vtest_people.txt: 57
   people in 10 frames; see the README there) and the shared still images (5 people, boxes
   drawn by hand, below), for (a) the SSDLite detector on the whole 640x480 frame, (b) the
   pipeline as it runs on a camera: motion-gated crops at 5 detect fps (frame 1 of the
   video has no motion yet, so nothing is looked for there), (c) HOG on the whole frame;
2. **throughput**: N vtest streams decoded and analysed round-robin at 5 detect fps and
   640x480, each its own decoder and analyser, as fast as they go; reported as video
   seconds per wall second for all streams, and how many streams that sustains in real
   time. Three modes: pure decoding (every frame decoded, 5 a second converted to 640x480
   BGR), the pipeline (motion gating, detector on moving regions, tracking, zones, rules),
   and the detector on every full frame without gating (plus tracking);
3. **memory**: resident memory added per stream with N streams open;
4. **quiet scene**: CPU time of the pipeline on a clip made by repeating one empty vtest
   frame (the per-pixel median of the video, no people), against pure decoding of it;
5. **latency**: on a composed smash-and-grab clip (tests/sentinel/clips.py: real people cut
   from vtest moved fast into a showcase zone, synthetic smashing), the time from the first
   frame where two people are inside the zone to the hit, in stream time, plus the wall
   time the hit frame took.

    .venv/bin/python benchmarks/sentinel_bench.py                  # 4 streams, 20 s each
    .venv/bin/python benchmarks/sentinel_bench.py --streams 8 --seconds 30
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

import av  # noqa: E402
import cv2  # noqa: E402
import numpy as np  # noqa: E402

from jewelguard.sentinel.pipeline import analyzer_build  # noqa: E402
from jewelguard.sentinel.pipeline.detectors import (  # noqa: E402
    HogDetector,
    SsdliteDetector,
)
from jewelguard.sentinel.pipeline.offline import WHOLE_VIEW_SETUP  # noqa: E402
from jewelguard.sentinel.pipeline.tracking import PersonTracker  # noqa: E402
from jewelguard.sentinel.pipeline.types import Box  # noqa: E402
from jewelguard.sentinel.pipeline.video import DecodeStats, video_frames  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
VTEST = DATA / "video" / "vtest.avi"
GROUND_TRUTH = ROOT / "tests" / "sentinel" / "data" / "vtest_people.txt"
# The people in the shared stills, boxes drawn by hand (left, top, width, height); the
# blurred crowd behind the player in messi5.jpg is not counted.
IMAGES = {
    "basketball1.png": [(30, 80, 130, 396), (437, 18, 200, 454)],
    "basketball2.png": [(31, 83, 125, 393), (443, 19, 195, 454)],
    "messi5.jpg": [(70, 62, 388, 273)],
}


def iou(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x2 - x1) * max(0.0, y2 - y1)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def matches(found: list[Box], truth: list[tuple[float, ...]], *, scale: float = 1.0) -> int:
    """True positives: each true box matched at most once, best-scored detections first."""
    free = list(truth)
    hits = 0
    for box in sorted(found, key=lambda b: -b.confidence):
        rect = (box.left * scale, box.top * scale, box.width * scale, box.height * scale)
        best = max(free, key=lambda t: iou(rect, t), default=None)
        if best is not None and iou(rect, best) >= 0.5:
            free.remove(best)
            hits += 1
    return hits


def ground_truth() -> dict[int, list[tuple[float, ...]]]:
    truth: dict[int, list[tuple[float, ...]]] = {}
    for line in GROUND_TRUTH.read_text().splitlines():
        row = line.split(",")
        truth.setdefault(int(row[0]) - 1, []).append(tuple(float(v) for v in row[2:6]))
    return truth


def quality() -> None:
    truth = ground_truth()
    people = sum(len(v) for v in truth.values())
    scale = 768 / 640
    frames: dict[int, np.ndarray] = {}
    for frame in video_frames(source=str(VTEST), detect_fps=10):
        if frame.index in truth:
            frames[frame.index] = frame.image
    rows = []
    for name, detector in (
        ("SSDLite, whole frame", SsdliteDetector()),
        ("HOG, whole frame", HogDetector()),
    ):
        found = tp = 0
        for index, image in frames.items():
            boxes = detector.detect(image, None)
            found += len(boxes)
            tp += matches(boxes, truth[index], scale=scale)
        rows.append((name, tp, found, people))
    # The pipeline as on a camera: 5 fps, gated; its boxes at the labelled frames.
    analyzer = analyzer_build(WHOLE_VIEW_SETUP)
    found = tp = 0
    for frame in video_frames(source=str(VTEST)):
        result = analyzer.frame(image=frame.image, at_s=frame.at_s, is_open=True)
        if frame.index in truth:
            found += len(result.boxes)
            tp += matches(list(result.boxes), truth[frame.index], scale=scale)
        if frame.index >= max(truth):
            break
    rows.append(("pipeline (motion-gated, 5 fps)", tp, found, people))
    print(
        f"\nperson detection on {len(frames)} hand-labelled vtest frames ({people} people), IoU 0.5"
    )
    print(f"  {'detector':34} {'precision':>9} {'recall':>7}  (true / found / people)")
    for name, tp, found, people in rows:
        print(
            f"  {name:34} {tp / max(found, 1):9.2f} {tp / people:7.2f}  ({tp} / {found} / {people})"
        )
    tp = found = total = 0
    for name, boxes in IMAGES.items():
        image = cv2.imread(str(DATA / "images" / name))
        detections = SsdliteDetector().detect(image, None)
        found += len(detections)
        total += len(boxes)
        tp += matches(detections, [tuple(map(float, b)) for b in boxes])
    print(
        f"  SSDLite on the shared stills ({total} people): precision {tp / max(found, 1):.2f}, "
        f"recall {tp / total:.2f} ({tp} / {found} / {total})"
    )


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def throughput(*, streams: int, seconds: float) -> None:
    print(
        f"\nthroughput: {streams} vtest streams round-robin, {seconds:g} s of video each, "
        "640x480, 5 detect fps"
    )
    for mode in ("decode only", "pipeline (gated)", "detector on every full frame"):
        before = rss_mb()
        readers = [video_frames(source=str(VTEST)) for _ in range(streams)]
        analyzers = (
            [analyzer_build(WHOLE_VIEW_SETUP) for _ in range(streams)]
            if mode == "pipeline (gated)"
            else []
        )
        full = (
            [(SsdliteDetector(), PersonTracker()) for _ in range(streams)]
            if mode.startswith("detector")
            else []
        )
        wall = time.perf_counter()
        cpu = time.process_time()
        done = [0.0] * streams
        frames = 0
        peak = before
        active = set(range(streams))
        while active:
            for i in list(active):
                frame = next(readers[i], None)
                if frame is None or frame.at_s >= seconds:
                    active.discard(i)
                    continue
                if analyzers:
                    analyzers[i].frame(image=frame.image, at_s=frame.at_s, is_open=True)
                elif full:
                    detector, tracker = full[i]
                    boxes = detector.detect(frame.image, None)
                    tracker.update(boxes=boxes, at_s=frame.at_s, width=640, height=480)
                done[i] = frame.at_s + 0.2
                frames += 1
            if frames % 50 == 0:
                peak = max(peak, rss_mb())
        wall = time.perf_counter() - wall
        cpu = time.process_time() - cpu
        video = sum(done)
        factor = video / wall
        per_stream_mb = (max(peak, rss_mb()) - before) / streams
        print(
            f"  {mode:30} {factor:6.2f} video s per wall s -> {factor:5.1f} streams in real time; "
            f"{1000 * wall / frames:6.1f} ms wall and {1000 * cpu / frames:6.1f} ms CPU "
            "per analysed frame; "
            f"+{per_stream_mb:.0f} MB per stream"
        )
        for reader in readers:
            reader.close()


def quiet_clip(path: Path, *, seconds: float) -> None:
    """An MPEG-4 clip at vtest's size and rate repeating one frame: the empty walkway."""
    frames = [
        f.image for f in video_frames(source=str(VTEST), detect_fps=0.5, width=768, height=576)
    ]
    empty = np.median(np.stack(frames), axis=0).astype(np.uint8)
    with av.open(str(path), "w") as container:
        stream = container.add_stream("mpeg4", rate=10)
        stream.width, stream.height, stream.pix_fmt = 768, 576, "yuv420p"
        for _ in range(int(seconds * 10)):
            for packet in stream.encode(av.VideoFrame.from_ndarray(empty, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def quiet(*, seconds: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        clip = Path(folder) / "quiet.mp4"
        quiet_clip(clip, seconds=seconds)
        results = {}
        for mode in ("decode only", "pipeline"):
            analyzer = analyzer_build(WHOLE_VIEW_SETUP) if mode == "pipeline" else None
            best = float("inf")
            for _ in range(3):
                cpu = time.process_time()
                for frame in video_frames(source=str(clip), stats=DecodeStats()):
                    if analyzer is not None:
                        analyzer.frame(image=frame.image, at_s=frame.at_s, is_open=True)
                best = min(best, time.process_time() - cpu)
            results[mode] = best
        print(
            f"\nquiet scene ({seconds:g} s of one repeated empty frame, best of 3): decode "
            f"{results['decode only']:.2f} s CPU, pipeline {results['pipeline']:.2f} s CPU, "
            f"ratio {results['pipeline'] / results['decode only']:.2f}x"
        )


def latency() -> None:
    from tests.sentinel.clips import FPS, SHOWCASE, STORE, clip_compose

    clip = clip_compose(path=str(VTEST), people=3, speed=3.0, seconds=5, smash=True)
    analyzer = analyzer_build(STORE)
    first_qualifying = None
    for n, image in enumerate(clip.frames):
        at_s = n / FPS
        start = time.perf_counter()
        result = analyzer.frame(image=image, at_s=at_s, is_open=True)
        took = time.perf_counter() - start
        inside = [t for t in result.tracks if SHOWCASE.name in t.zones]
        if first_qualifying is None and len(inside) >= 2:
            first_qualifying = at_s
        if result.hits:
            print(
                f"\nlatency (composed smash-and-grab, onset {clip.onset_s:.1f} s): two people in "
                f"the zone at {first_qualifying} s, hit at {at_s:.1f} s: "
                f"{at_s - (first_qualifying if first_qualifying is not None else at_s):.1f} s of "
                f"stream time after the first qualifying frame ({at_s - clip.onset_s:.1f} s after "
                f"onset), and the hit frame took {1000 * took:.0f} ms to analyse"
            )
            return
    print("\nlatency: no hit on the composed clip")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--streams", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument(
        "--skip", nargs="*", default=[], choices=["quality", "throughput", "quiet", "latency"]
    )
    args = parser.parse_args()
    if not VTEST.exists():
        raise SystemExit(f"sentinel_bench: {VTEST} is not here")
    print(
        f"sentinel_bench on {platform.node()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; Python "
        f"{platform.python_version()}, OpenCV {cv2.__version__}, PyAV {av.__version__}, "
        f"OpenCV threads {cv2.getNumThreads()}"
    )
    if "quality" not in args.skip:
        quality()
    if "latency" not in args.skip:
        latency()
    if "quiet" not in args.skip:
        quiet(seconds=20)
    if "throughput" not in args.skip:
        throughput(streams=args.streams, seconds=args.seconds)


if __name__ == "__main__":
    main()
