"""Fixtures of the pledge room: pledged members, a clean toolkit cache, document readers."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from jewelguard.accounts.models import Member, Store
from jewelguard.pledge import selectors
from jewelguard.pledge.models import Pledge
from jewelguard.pledge.toolkit.build import BuiltToolkit, toolkit_build
from tests.factories import PledgeFactory


@pytest.fixture(autouse=True)
def toolkit_media(settings, tmp_path):
    """Each test writes its toolkits into a folder of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JEWELGUARD_SITE_URL = "https://jewelguard.example.org"
    return settings.MEDIA_ROOT


def build_toolkit(store: Store, language: str = "en") -> BuiltToolkit:
    """What the worker does after a pledge: build the store's toolkit and store it."""
    pledge = selectors.pledge_active_for(member=store.member)
    assert pledge is not None
    return toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language=language))


def take_pledge(member: Member, language: str = "en") -> Pledge:
    """Kept for older tests; new tests use ``tests.factories.PledgeFactory``."""
    return PledgeFactory(member=member, language=language)


@pytest.fixture
def pledged(member, store) -> Pledge:
    """``member`` has taken the pledge for its one store, ``store``."""
    return PledgeFactory(member=member)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_text(data: bytes) -> str:
    """All the PDF's text with whitespace collapsed, so wrapped lines read as one."""
    return " ".join(" ".join(pdf_pages(data)).split())


def pdf_sizes(data: bytes) -> list[tuple[float, float]]:
    return [
        (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
        for page in PdfReader(io.BytesIO(data)).pages
    ]


def decode_qr(png: bytes) -> str:
    """The QR code in a PNG, read by OpenCV the way a phone would (on white)."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    flat = Image.new("RGBA", image.size, "white")
    flat.alpha_composite(image)
    pixels = cv2.cvtColor(np.array(flat.convert("RGB")), cv2.COLOR_RGB2BGR)
    text, _points, _raw = cv2.QRCodeDetector().detectAndDecode(pixels)
    return str(text)
