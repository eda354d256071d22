"""Who sees a store's assessment: its member, staff who may edit the store, an analyst with a
grant and administrators; nobody else, in the admin as everywhere."""

import pytest

from jewelguard.accounts.models import StaffRight
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.services import assessment_start
from jewelguard.core.permissions import Action, restrict
from tests.conftest import client_for
from tests.factories import (
    AdminFactory,
    AnalystFactory,
    AnalystGrantFactory,
    OfficerFactory,
    StaffUserFactory,
)


@pytest.fixture
def assessment(member, store) -> Assessment:
    return assessment_start(store=store, started_by=member.owner)


def visible(user) -> list[int]:
    return list(
        restrict(Assessment.objects.all(), user=user, action=Action.VIEW).values_list(
            "pk", flat=True
        )
    )


def test_each_role_sees_only_the_assessments_it_may(assessment, store, other_member):
    editor = StaffUserFactory()
    store.staff_grants.create(user=editor, rights=[StaffRight.VIEW, StaffRight.EDIT_STORE])
    viewer = StaffUserFactory()
    store.staff_grants.create(user=viewer, rights=[StaffRight.VIEW])
    granted = AnalystGrantFactory(member=store.member).analyst
    # the member, staff who may edit the store, a granted analyst and an administrator see it
    for user in (store.member.owner, editor, granted, AdminFactory()):
        assert visible(user) == [assessment.pk], user.role
    # another member, staff without the right, an analyst without a grant, an officer: nothing
    for user in (other_member.owner, viewer, AnalystFactory(), OfficerFactory()):
        assert visible(user) == [], user.role


def test_the_admin_follows_the_same_rule(assessment, store):
    page = f"/admin/assessment/assessment/{assessment.pk}/change/"
    assert client_for(AdminFactory()).get(page).status_code == 200
    granted = AnalystGrantFactory(member=store.member).analyst
    assert client_for(granted).get(page).status_code == 200
    # an analyst without a grant is sent away, as for any object it may not see
    assert client_for(AnalystFactory()).get(page).status_code in (302, 403)
    listing = client_for(AnalystFactory()).get("/admin/assessment/assessment/")
    assert listing.status_code == 403 or str(assessment.store) not in listing.content.decode()
