"""Middleware of JewelGuard's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_only_middleware


@sync_only_middleware
def sync_chain(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Run the whole middleware chain in one thread under ASGI.

    Django adapts each hook of an async-capable ``MiddlewareMixin`` through ``sync_to_async``
    when served over ASGI: about 18 thread hops per request with our middleware, most of a
    simple page's cost (BENCHMARKS.md). A sync-only middleware at the innermost position makes
    Django build the chain in sync mode: three hops in all. Async views (Server-Sent Events)
    still stream: the view is awaited once and its body is sent on the event loop.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        return get_response(request)

    return middleware
