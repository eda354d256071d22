"""Test settings: the real settings, with debug on and a throwaway data directory."""

import os
import tempfile

os.environ.setdefault("JEWELGUARD_DEBUG", "1")
os.environ.setdefault("JEWELGUARD_DATA_DIR", tempfile.mkdtemp(prefix="jewelguard-test-"))
os.environ.setdefault("JEWELGUARD_MAP_TILES_URL", "")

from jewelguard.settings import *  # noqa: F403

# Fast hashing: tests create many users; argon2 stays the production hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# With Redis as the cache (CI's second run), keep each run's rate-limit counters apart.
if "redis" in CACHES["default"]["BACKEND"].lower():  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
    CACHES[RATE_LIMIT_CACHE]["KEY_PREFIX"] = f"test-rate-{os.getpid()}"  # noqa: F405
