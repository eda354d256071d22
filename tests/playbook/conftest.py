"""The playbook's tests start from an empty cache: rate limits are per test (stored cards are
per test too, in the documents folder of tests/conftest.py)."""

import pytest
from django.conf import settings
from django.core.cache import cache, caches


@pytest.fixture(autouse=True)
def _empty_cache(db):
    cache.clear()
    caches[settings.RATE_LIMIT_CACHE].clear()
    yield
    cache.clear()
    caches[settings.RATE_LIMIT_CACHE].clear()
