"""A real RTSP server on loopback for the node's tests (Debian's GStreamer RTSP server).

Run with the system python3 (python3-gi), not the virtualenv:

    python3 tests/sentinel/rtsp_server.py PORT VIDEO [--width W --height H]

It serves VIDEO, looped, as H.264 at rtsp://127.0.0.1:PORT/cam (re-encoded, so any input
works and a size can be forced, e.g. 3840x2160), and prints "ready" once it listens.
"""

import argparse
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("video")
    parser.add_argument("--width", type=int, default=0)
    parser.add_argument("--height", type=int, default=0)
    args = parser.parse_args()
    Gst.init(None)
    scale = ""
    if args.width and args.height:
        scale = f"! videoscale ! video/x-raw,width={args.width},height={args.height} "
    launch = (
        f'( multifilesrc location="{args.video}" loop=true ! decodebin ! videoconvert '
        f"{scale}! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=15 "
        "! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch)
    factory.set_shared(True)
    server.get_mount_points().add_factory("/cam", factory)
    if server.attach(None) == 0:
        print("could not listen", flush=True)
        sys.exit(1)
    print("ready", flush=True)
    GLib.MainLoop().run()


if __name__ == "__main__":
    main()
