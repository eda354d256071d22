"""JewelGuard's own settings, with a URLconf that adds the bare baseline view.

Used only by http_bench.py, with ``benchmarks/`` on PYTHONPATH, so the baseline is served by
the same process, middleware and settings as the pages it is compared with.
"""

from jewelguard.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
