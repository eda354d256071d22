"""The playbook's tests start from an empty cache: rate limits are per test (stored cards are
per test too, in the documents folder of tests/conftest.py)."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
