"""Fixtures for the sentinel pipeline (the composed clips are in clips.py)."""

from __future__ import annotations

import pytest

from tests.conftest import shared_data


@pytest.fixture
def vtest() -> str:
    return str(shared_data("video/vtest.avi"))
