"""The seam for alerts: a task per incident each time it comes to reach members or police."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from jewelguard.intel.models import Visibility
from jewelguard.intel.services import (
    incident_reject,
    incident_verify,
    incident_visibility_set,
)
from tests.factories import AdminFactory, AnalystFactory, StoreFactory
from tests.intel.incidents import incident_report

pytestmark = pytest.mark.django_db


def alerts_queued() -> list[dict[str, object]]:
    return [
        result.args_kwargs["kwargs"]
        for result in DBTaskResult.objects.filter(
            task_path="jewelguard.intel.tasks.incident_alert"
        ).order_by("enqueued_at")
    ]


@pytest.fixture
def owner_store():
    return StoreFactory()


def test_sharing_with_law_enforcement_queues_one_alert_per_change(
    owner_store, django_capture_on_commit_callbacks
):
    owner = owner_store.member.owner
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_report(reporter=owner, store=owner_store)
    assert alerts_queued() == []  # private: it reaches nobody
    with django_capture_on_commit_callbacks(execute=True):
        incident_visibility_set(
            incident=incident, visibility=Visibility.LAW_ENFORCEMENT, actor=owner
        )
    assert alerts_queued() == [{"incident_id": incident.pk}]
    with django_capture_on_commit_callbacks(execute=True):
        incident_visibility_set(
            incident=incident, visibility=Visibility.LAW_ENFORCEMENT, actor=owner
        )
        incident_visibility_set(incident=incident, visibility=Visibility.PRIVATE, actor=owner)
    assert len(alerts_queued()) == 1  # no change, then narrower: nothing new
    with django_capture_on_commit_callbacks(execute=True):
        incident_visibility_set(
            incident=incident, visibility=Visibility.LAW_ENFORCEMENT, actor=owner
        )
    assert alerts_queued() == [{"incident_id": incident.pk}] * 2


def test_a_members_shared_incident_alerts_once_when_it_is_verified(
    owner_store, django_capture_on_commit_callbacks
):
    analyst = AnalystFactory()
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_report(
            reporter=owner_store.member.owner, store=owner_store, visibility=Visibility.MEMBERS
        )
    assert alerts_queued() == []  # members see it only once verified
    with django_capture_on_commit_callbacks(execute=True):
        incident_verify(incident=incident, analyst=analyst)
        incident_verify(incident=incident, analyst=analyst)
    assert alerts_queued() == [{"incident_id": incident.pk}]


def test_a_report_shared_with_police_from_the_start_alerts_once(
    owner_store, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_report(
            reporter=owner_store.member.owner,
            store=owner_store,
            visibility=Visibility.LAW_ENFORCEMENT,
        )
    assert alerts_queued() == [{"incident_id": incident.pk}]


def test_a_rejected_incident_alerts_nobody(owner_store, django_capture_on_commit_callbacks):
    owner = owner_store.member.owner
    incident = incident_report(reporter=owner, store=owner_store)
    with django_capture_on_commit_callbacks(execute=True):
        incident_reject(incident=incident, analyst=AnalystFactory(), reason="Not a crime")
        incident_visibility_set(incident=incident, visibility=Visibility.MEMBERS, actor=owner)
        incident_visibility_set(
            incident=incident, visibility=Visibility.LAW_ENFORCEMENT, actor=owner
        )
    assert alerts_queued() == []


def test_a_change_rolled_back_queues_nothing(owner_store, django_capture_on_commit_callbacks):
    owner = owner_store.member.owner
    incident = incident_report(reporter=owner, store=owner_store)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        incident_visibility_set(
            incident=incident, visibility=Visibility.LAW_ENFORCEMENT, actor=owner
        )
        raise RuntimeError("the request failed")
    assert alerts_queued() == []


def test_sharing_through_the_admin_alerts_too(
    owner_store, client, django_capture_on_commit_callbacks
):
    incident = incident_report(reporter=owner_store.member.owner, store=owner_store)
    client.force_login(AdminFactory())
    page = client.get(f"/admin/intel/incident/{incident.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    for name in ("occurred_from", "reported_at"):  # the admin splits date and time
        moment = data.pop(name)
        data[f"{name}_0"], data[f"{name}_1"] = f"{moment:%Y-%m-%d}", f"{moment:%H:%M:%S}"
    data["visibility"] = Visibility.LAW_ENFORCEMENT
    for prefix in ("offenders", "vehicles", "photos"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(f"/admin/intel/incident/{incident.pk}/change/", data)
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    assert alerts_queued() == [{"incident_id": incident.pk}]
