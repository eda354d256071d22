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

# On SQLite, the test database is a file rather than memory, so that a real worker process
# (tests/core/test_worker.py) reaches the same database as the test.
if DATABASES["default"]["ENGINE"] == "jewelguard.core.sqlite":  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["JEWELGUARD_DATA_DIR"], f"test-{os.getpid()}.sqlite3")
    }
