"""The detection pipeline: frames and sound in, tracks, sound events and rule hits out.

Pure code with no Django: the sentinel node feeds it live streams, `jewelguard sentinel
analyse` feeds it files, and both get the same answers.
"""

from __future__ import annotations

from jewelguard.sentinel.pipeline.types import Analyzer, CameraSetup


def analyzer_build(setup: CameraSetup, *, detector: str = "ssdlite") -> Analyzer:
    """One camera's analyser for `setup`, with the person detector named by `detector`.

    `detector` is "ssdlite" (the shipped SSDLite model, the default), "hog" (OpenCV's
    HOG people detector) or "onnx:PATH" (a user-supplied ONNX model, with onnxruntime).
    Raises ValueError naming the setting for a setup that cannot be analysed, and
    DetectorError when the detector cannot be built. Audio gives sound events only where
    `jewelguard.sentinel.pipeline.audio` is installed.
    """
    # Imported here so that `pipeline.types` stays importable without OpenCV and norfair.
    from jewelguard.sentinel.pipeline.analyzer import (
        PipelineAnalyzer,
        _sound_detector_load,
        setup_check,
    )
    from jewelguard.sentinel.pipeline.detectors import detector_build

    setup_check(setup=setup)
    return PipelineAnalyzer(
        setup=setup,
        detector=detector_build(name=detector),
        sound_detect=_sound_detector_load(),
    )
