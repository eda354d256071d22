"""Background work of the pledge room: making a store's toolkit before the member asks."""

from __future__ import annotations

from django_tasks import task

from jewelguard.accounts.models import Store
from jewelguard.pledge import selectors
from jewelguard.pledge.toolkit.build import toolkit_build


@task()
def toolkit_prepare(*, store_id: int, language: str) -> None:
    """Build the store's toolkit, so the toolkit page opens at once; a no-op if unpledged.

    Idempotent (tasks may run twice): a rerun finds the toolkit built, or builds it again
    and removes the files a killed build left behind.
    """
    store = Store.objects.select_related("member").filter(pk=store_id).first()
    if store is None:
        return
    pledge = selectors.pledge_active_for(member=store.member)
    if pledge is None:
        return
    toolkit_build(selectors.toolkit_spec_for(store=store, pledge=pledge, language=language))
