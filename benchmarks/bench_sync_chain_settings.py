"""bench_settings with one change under test: the whole middleware chain runs synchronously.

Django runs each hook of an async-capable MiddlewareMixin middleware through sync_to_async
when served over ASGI: a thread hop per hook, about 18 per request with JewelGuard's
middleware. A sync-only middleware at the innermost position makes Django build the chain in
sync mode, so the chain runs in one thread with about three hops in all. Compare with
`http_bench.py --settings bench_sync_chain_settings`.
"""

from bench_settings import *  # noqa: F403
from bench_settings import MIDDLEWARE

MIDDLEWARE = [*MIDDLEWARE, "bench_middleware.sync_chain"]
