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


@task()
def import_run_task(*, run_id: int) -> None:
    """Run one import an analyst started from the browser (idempotent: see import_runs)."""
    # Imported here: import_runs queues this task, so it imports this module first.
    from jewelguard.intel.import_runs import import_run_execute

    import_run_execute(run_id=run_id)
