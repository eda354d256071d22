"""`jewelguard sentinel analyse FILE --out DIR`: run the detection pipeline over a recording;
`jewelguard sentinel run`: the live sentinel node."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from jewelguard.sentinel.models import Camera
from jewelguard.sentinel.node import camera_setup
from jewelguard.sentinel.pipeline import analyzer_build
from jewelguard.sentinel.pipeline.detectors import DetectorError
from jewelguard.sentinel.pipeline.offline import WHOLE_VIEW_SETUP, file_analyse
from jewelguard.sentinel.pipeline.types import CameraSetup
from jewelguard.sentinel.pipeline.video import VideoError


def _camera_setup(camera_id: int) -> CameraSetup:
    """The zones, masks and detect settings of a registered camera."""
    camera = Camera.objects.filter(pk=camera_id).select_related("store").first()
    if camera is None:
        raise CommandError(f"--camera: no camera with id {camera_id}")
    return camera_setup(camera=camera)


class Command(BaseCommand):
    help = "The sentinel: analyse a recording offline, or run the live node."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="COMMAND")
        analyse = commands.add_parser(
            "analyse",
            help="run the detection pipeline over a video or audio file, as fast as it goes",
            description=(
                "Analyse a video or audio file with the same pipeline as a live camera and "
                "write person tracks (MOTChallenge text, tracks.txt), sound events "
                "(sounds.csv) and rule detections (detections.json, with snapshots) to --out. "
                "Without --camera the whole view is one showcase zone and the store is open "
                "unless --closed."
            ),
        )
        analyse.add_argument("source", metavar="VIDEO_OR_AUDIO")
        analyse.add_argument("--out", required=True, type=Path, metavar="DIR")
        analyse.add_argument("--camera", type=int, metavar="ID", help="use a camera's zones")
        analyse.add_argument("--closed", action="store_true", help="the store is closed")
        analyse.add_argument(
            "--detector",
            default="ssdlite",
            help="ssdlite (default), hog, or onnx:PATH for your own ONNX model",
        )
        analyse.add_argument(
            "--seconds", type=float, metavar="S", help="analyse only the first S seconds"
        )
        analyse.add_argument("--no-progress", action="store_true", help="no progress bar")
        run = commands.add_parser(
            "run",
            help="run the live sentinel node: every camera it can lease, until SIGTERM or Ctrl-C",
            description="Options as for `jewelguard sentinel_node` (--name, --analyzer, ...).",
        )
        run.add_argument("node_options", nargs=argparse.REMAINDER)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "run":
            self._run(options["node_options"])
            return
        self._analyse(options)

    def _run(self, node_options: list[str]) -> None:
        call_command("sentinel_node", *node_options)

    def _analyse(self, options: dict[str, Any]) -> None:
        setup = (
            _camera_setup(options["camera"]) if options["camera"] is not None else WHOLE_VIEW_SETUP
        )
        try:
            analyzer = analyzer_build(setup, detector=options["detector"])
        except (DetectorError, ValueError) as error:
            raise CommandError(str(error)) from None
        with tqdm(
            unit=" frames",
            disable=options["no_progress"] or None,
            file=self.stderr,
            dynamic_ncols=True,
        ) as bar:

            def progress(done: int, total: int | None) -> None:
                if total is not None and bar.total != total:
                    bar.total = total
                bar.update(done)

            try:
                report = file_analyse(
                    source=options["source"],
                    out=options["out"],
                    analyzer=analyzer,
                    is_open=not options["closed"],
                    setup=setup,
                    seconds=options["seconds"],
                    progress=progress,
                )
            except VideoError as error:
                raise CommandError(str(error)) from None
        self.stdout.write(
            f"analysed {report.seconds:.1f} s ({report.frames_analysed} frames, "
            f"{report.corrupt_frames} corrupt skipped): {report.tracks} people tracked, "
            f"{report.sound_events} sound events, {len(report.hits)} detections"
        )
        for hit in report.hits:
            self.stdout.write(
                f"  {hit.at_s:7.2f} s  {hit.rule}  ({hit.confidence:.2f})  {hit.summary}"
            )
        self.stdout.write(f"written to {options['out']}")
