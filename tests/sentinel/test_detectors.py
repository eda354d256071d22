"""Person detectors: the shipped SSDLite model on real pictures, HOG, and the ONNX loader on
tiny models the tests build themselves."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from jewelguard.sentinel.pipeline.detectors import (
    CropSettings,
    DetectorError,
    HogDetector,
    OnnxDetector,
    SsdliteDetector,
    crops_plan,
    detector_build,
)
from tests.conftest import shared_data

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

pytestmark = pytest.mark.database_free


def test_ssdlite_finds_both_players_in_basketball1():
    # given a picture of two people playing ball (640x480)
    image = cv2.imread(str(shared_data("images/basketball1.png")))
    # when the shipped model looks at the whole picture
    boxes = SsdliteDetector().detect(image, None)
    # then it finds the two of them, one on the left and one on the right
    assert len(boxes) == 2
    lefts = sorted(b.left + b.width / 2 for b in boxes)
    assert lefts[0] < 200 < 400 < lefts[1]
    assert all(b.confidence > 0.8 and b.height > 300 for b in boxes)


def test_ssdlite_on_an_empty_wall_finds_nobody():
    wall = np.full((480, 640, 3), 128, dtype=np.uint8)
    assert SsdliteDetector().detect(wall, None) == []


def test_no_moving_region_means_no_detection_at_all():
    image = cv2.imread(str(shared_data("images/basketball1.png")))
    # moving regions given but empty: a quiet scene costs nothing
    assert SsdliteDetector().detect(image, []) == []


def test_hog_fallback_finds_a_person():
    image = cv2.imread(str(shared_data("images/basketball2.png")))
    boxes = HogDetector().detect(image, None)
    assert boxes, "HOG found nobody in basketball2.png"


def test_crops_stay_square_inside_the_frame_and_fall_back_to_the_whole_frame():
    settings = CropSettings()
    crops = crops_plan(regions=[(600, 440, 30, 30)], width=640, height=480, settings=settings)
    assert crops is not None and len(crops) == 1
    left, top, w, h = crops[0]
    assert w == h == settings.min_side
    assert left + w <= 640 and top + h <= 480
    # motion all over the frame: look at the whole frame instead of many crops
    scattered = [(x, y, 20, 20) for x in range(0, 640, 90) for y in range(0, 480, 90)]
    assert crops_plan(regions=scattered, width=640, height=480, settings=settings) is None


def _model(path, *, output: np.ndarray, channels: int = 3, size: int = 32) -> None:
    """A tiny ONNX model: any 1 x C x size x size image in, a constant `output` out (the
    image is used, through ReduceMean times 0, so that the graph has a real input)."""
    constant = numpy_helper.from_array(output.astype(np.float32), name="constant")
    zero = numpy_helper.from_array(np.zeros((1,), dtype=np.float32), name="zero")
    graph = helper.make_graph(
        [
            helper.make_node("ReduceMean", ["images"], ["mean"], keepdims=0),
            helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
            helper.make_node("Add", ["constant", "nothing"], ["output"]),
        ],
        "tiny",
        [helper.make_tensor_value_info("images", TensorProto.FLOAT, [1, channels, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, list(output.shape))],
        initializer=[constant, zero],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def test_onnx_model_after_nms_gives_its_person_boxes_in_image_pixels(tmp_path):
    # given a model on 32x32 inputs that "finds" a person and a car (class 2)
    rows = np.array([[[8, 4, 16, 28, 0.9, 0], [0, 0, 10, 10, 0.95, 2], [1, 1, 5, 5, 0.2, 0]]])
    _model(tmp_path / "tiny.onnx", output=rows)
    detector = detector_build(name=f"onnx:{tmp_path / 'tiny.onnx'}")
    # when it looks at a 64x64 image
    boxes = detector.detect(np.zeros((64, 64, 3), dtype=np.uint8), None)
    # then only the confident person comes back, scaled to the image (x2)
    assert len(boxes) == 1
    box = boxes[0]
    assert (box.left, box.top, box.width, box.height) == pytest.approx((16, 8, 16, 48))
    assert box.confidence == pytest.approx(0.9)


def test_onnx_raw_yolo_predictions_are_decoded(tmp_path):
    # given raw YOLO output: 1 x (4 + 3 classes) x 2 predictions, the first a person
    predictions = np.zeros((1, 7, 2), dtype=np.float32)
    predictions[0, :, 0] = [16, 16, 8, 24, 0.8, 0.1, 0.0]  # cx, cy, w, h, person, ...
    predictions[0, :, 1] = [5, 5, 4, 4, 0.1, 0.9, 0.0]  # a confident non-person
    _model(tmp_path / "yolo.onnx", output=predictions)
    boxes = OnnxDetector(path=tmp_path / "yolo.onnx").detect(
        np.zeros((32, 32, 3), dtype=np.uint8), None
    )
    assert [(b.left, b.top, b.width, b.height) for b in boxes] == [(12, 4, 8, 24)]


def test_onnx_refuses_a_missing_a_broken_and_a_wrong_model(tmp_path):
    with pytest.raises(DetectorError, match="onnx: no such model file"):
        detector_build(name=f"onnx:{tmp_path / 'absent.onnx'}")
    (tmp_path / "garbage.onnx").write_bytes(b"\x00not a model\xff" * 100)
    with pytest.raises(DetectorError, match="onnx: the model cannot be loaded"):
        detector_build(name=str(tmp_path / "garbage.onnx"))
    _model(tmp_path / "grey.onnx", output=np.zeros((1, 1, 6)), channels=1)
    with pytest.raises(DetectorError, match="onnx: the input must be 1 x 3"):
        detector_build(name=str(tmp_path / "grey.onnx"))
    _model(tmp_path / "odd.onnx", output=np.zeros((5,)))
    with pytest.raises(DetectorError, match="output shape"):
        detector_build(name=str(tmp_path / "odd.onnx")).detect(
            np.zeros((32, 32, 3), dtype=np.uint8), None
        )


def test_unknown_detector_is_refused_by_name():
    with pytest.raises(DetectorError, match="detector: unknown detector 'yolo'"):
        detector_build(name="yolo")
