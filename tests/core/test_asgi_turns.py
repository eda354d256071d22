"""Requests take turns in the application, without a stream or a slow upload holding one."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from jewelguard.asgi import TakingTurns

SCOPE = {"type": "http", "method": "GET", "path": "/"}


class Counting:
    """An ASGI app that answers after a pause, counting how many requests are inside at once."""

    def __init__(self, *, stream_forever: bool = False) -> None:
        self.inside = 0
        self.most_inside = 0
        self.stream_forever = stream_forever

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        await asyncio.sleep(0.01)
        self.inside -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        if self.stream_forever and scope["path"] == "/events":
            while True:  # a Server-Sent Events stream that a client keeps open
                await send({"type": "http.response.body", "body": b": ping\n\n", "more_body": True})
                await asyncio.sleep(0.01)
        await send({"type": "http.response.body", "body": b"ok"})


async def _get(app: TakingTurns, path: str = "/", chunks: list[bytes] | None = None) -> int:
    parts = list(chunks or [b""])
    status = 0

    async def receive() -> dict[str, Any]:
        if parts:
            body = parts.pop(0)
            await asyncio.sleep(0.05 if parts else 0)  # a slow client between chunks
            return {"type": "http.request", "body": body, "more_body": bool(parts)}
        await asyncio.Future()  # no disconnect
        raise AssertionError

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app({**SCOPE, "path": path}, receive, send)
    return status


def test_no_more_than_the_allowed_requests_are_inside_at_once_and_all_are_answered():
    inner = Counting()
    app = TakingTurns(inner, at_once=3)

    async def twenty() -> list[int]:
        return list(await asyncio.gather(*(_get(app) for _ in range(20))))

    assert asyncio.run(twenty()) == [200] * 20
    assert inner.most_inside == 3


def test_open_event_streams_do_not_hold_a_turn():
    inner = Counting(stream_forever=True)
    app = TakingTurns(inner, at_once=1)

    async def streams_then_a_page() -> int:
        streams = [asyncio.ensure_future(_get(app, "/events")) for _ in range(3)]
        await asyncio.sleep(0.1)
        try:
            return await asyncio.wait_for(_get(app), timeout=2)
        finally:
            for stream in streams:
                stream.cancel()
            await asyncio.gather(*streams, return_exceptions=True)

    assert asyncio.run(streams_then_a_page()) == 200


def test_a_slow_upload_holds_no_turn_while_its_body_arrives():
    inner = Counting()
    app = TakingTurns(inner, at_once=1)

    async def upload_and_page() -> tuple[float, list[int]]:
        loop = asyncio.get_running_loop()
        upload = asyncio.ensure_future(_get(app, chunks=[b"x"] * 20))  # 20 chunks, 1 s
        await asyncio.sleep(0.05)
        started = loop.time()
        page = await _get(app)
        waited = loop.time() - started
        return waited, [page, await upload]

    waited, statuses = asyncio.run(upload_and_page())
    assert statuses == [200, 200]
    assert waited < 0.5  # the page did not wait for the upload to finish


def test_a_request_that_fails_gives_its_turn_back():
    async def failing(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        raise RuntimeError("broken view")

    inner = Counting()
    app = TakingTurns(failing, at_once=1)

    async def fail_then_page() -> int:
        with pytest.raises(RuntimeError):
            await _get(app)
        app.app = inner
        return await asyncio.wait_for(_get(app), timeout=2)

    assert asyncio.run(fail_then_page()) == 200
