"""Background work of the intel room."""

from __future__ import annotations

from django_tasks import task


@task()
def incident_alert(*, incident_id: int) -> None:
    """Tell the alerts room about an incident that now reaches members or law enforcement.

    The seam only, for now: the alerts room will match subscriptions around the incident and
    deliver. It must stay idempotent (a task may run twice).
    """
    del incident_id
