"""ASGI entry point, served by uvicorn (`jewelguard serve`)."""

from __future__ import annotations

import asyncio
import os
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jewelguard.settings")
# WhiteNoise streams static files from a synchronous iterator, which Django's ASGI handler
# consumes in a thread and warns about on every file. That is fine for the embedded default;
# a scaled deployment serves /static/ from its reverse proxy.
warnings.filterwarnings(
    "ignore",
    message="StreamingHttpResponse must consume synchronous iterators",
    category=Warning,
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Any, Any, Any], Awaitable[None]]

# Requests whose Python code runs at once in one process. Django runs each request's views
# and middleware in a thread of its own; with dozens in flight those threads fight over the
# GIL (every SQLite call releases and takes it back), which cost the store-list API about
# 3 ms of CPU per request at 50 connections (BENCHMARKS.md). The rest wait, on the event
# loop, for a turn.
SYNC_REQUESTS_AT_ONCE = 4


class TakingTurns:
    """Let at most ``at_once`` HTTP requests at a time into the application, the rest queued.

    A request takes its turn once its body has arrived (a slow upload holds no turn) and
    gives it back when its response starts, so a streamed response (Server-Sent Events)
    does not hold one while it streams. Other scopes (lifespan) pass straight through.
    """

    def __init__(self, app: App, *, at_once: int) -> None:
        self.app = app
        self.at_once = at_once
        self._turns: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.at_once)
        turns = self._turns
        holding = False

        async def receive_then_wait() -> Message:
            nonlocal holding
            message = await receive()
            body_done = message["type"] == "http.request" and not message.get("more_body")
            if body_done and not holding:
                await turns.acquire()
                holding = True
            return message

        async def send_and_give_back(message: Message) -> None:
            nonlocal holding
            if message["type"] == "http.response.start" and holding:
                turns.release()
                holding = False
            await send(message)

        try:
            await self.app(scope, receive_then_wait, send_and_give_back)
        finally:
            if holding:
                turns.release()


application = TakingTurns(get_asgi_application(), at_once=SYNC_REQUESTS_AT_ONCE)
