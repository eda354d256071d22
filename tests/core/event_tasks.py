"""A background task that publishes, for the live-update tests (run by the real worker)."""

from __future__ import annotations

import time

from django_tasks import task

from jewelguard.core.events import publish_on_commit


@task()
def notice_publish(*, user_id: int, text: str) -> None:
    """Publish a notice to ``user:<user_id>``, stamped with when it was published."""
    publish_on_commit(topic=f"user:{user_id}", payload={"text": text, "published_at": time.time()})
