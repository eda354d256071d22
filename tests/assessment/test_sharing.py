"""Sharing with an analyst: a member grants an association analyst its assessments, and revokes."""

from __future__ import annotations

import pytest

from jewelguard.accounts.models import AnalystGrant
from jewelguard.accounts.services import analyst_grant_create
from jewelguard.core.errors import ServiceError
from jewelguard.core.models import AuditEntry
from tests.assessment.report_helpers import assessment_taken
from tests.conftest import client_for
from tests.factories import AnalystFactory, StaffUserFactory


@pytest.fixture
def analyst_kim(db):
    return AnalystFactory(email="kim@association.example", full_name="Kim Osei")


def test_member_shares_with_an_analyst_then_stops(member_client, store, analyst_kim):
    assessment = assessment_taken(store)
    report = f"/assessment/{assessment.pk}/report.pdf"
    analyst = client_for(analyst_kim)
    # before sharing, the analyst gets nothing
    assert analyst.get(report).status_code == 404
    # when the member shares with them
    page = member_client.get("/assessment/sharing/")
    assert "Kim Osei" in page.content.decode()
    response = member_client.post(
        "/assessment/sharing/", {"analyst": analyst_kim.pk, "reason": "Help after a break-in"}
    )
    assert response.status_code == 302
    # then the analyst downloads the report, and the member sees whom they share with
    assert analyst.get(report).status_code == 200
    grant = AnalystGrant.objects.get(member=store.member)
    assert grant.granted_by == store.member.owner
    assert "Help after a break-in" in member_client.get("/assessment/sharing/").content.decode()
    assert AuditEntry.objects.filter(action="analyst_grant.created").count() == 1
    # when the member stops sharing
    response = member_client.post(f"/assessment/sharing/{grant.pk}/revoke/")
    assert response.status_code == 302
    # then the analyst gets nothing again, at once
    assert analyst.get(report).status_code == 404
    assert analyst.get(f"/api/assessment/assessments/{assessment.pk}/report").status_code == 404
    assert not AnalystGrant.objects.exists()
    assert AuditEntry.objects.filter(action="analyst_grant.deleted").count() == 1


@pytest.mark.parametrize(
    "analyst_value",
    ["", "abc", "-1", "0", "99999999999999999999999", "1 OR 1=1"],
)
def test_a_bad_analyst_choice_is_refused_on_its_field(member_client, analyst_kim, analyst_value):
    response = member_client.post("/assessment/sharing/", {"analyst": analyst_value})
    assert response.status_code == 400
    assert response.context["form"].errors["analyst"]
    assert not AnalystGrant.objects.exists()


def test_only_analysts_can_be_chosen(member, other_member, analyst_kim):
    # a member's own login, or a staff user, is not an analyst
    for user in (other_member.owner, StaffUserFactory()):
        with pytest.raises(ServiceError) as refused:
            analyst_grant_create(member=member, analyst_id=user.pk, granted_by=member.owner)
        assert refused.value.field == "analyst"
    inactive = AnalystFactory()
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    with pytest.raises(ServiceError):
        analyst_grant_create(member=member, analyst_id=inactive.pk, granted_by=member.owner)
    assert not AnalystGrant.objects.exists()


@pytest.mark.parametrize("reason", ["x" * 201, "line one\nline two", "hidden\u202eright-to-left"])
def test_a_bad_reason_is_refused_with_nothing_written(member_client, analyst_kim, reason):
    response = member_client.post(
        "/assessment/sharing/", {"analyst": analyst_kim.pk, "reason": reason}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["reason"]
    assert not AnalystGrant.objects.exists()


def test_only_the_owner_shares_and_revokes(member, other_member, analyst_kim):
    with pytest.raises(ServiceError) as refused:
        analyst_grant_create(
            member=member, analyst_id=analyst_kim.pk, granted_by=other_member.owner
        )
    assert refused.value.field == "member"
    grant = analyst_grant_create(member=member, analyst_id=analyst_kim.pk, granted_by=member.owner)
    # another member cannot revoke it, nor learn it exists
    response = client_for(other_member.owner).post(f"/assessment/sharing/{grant.pk}/revoke/")
    assert response.status_code == 404
    assert AnalystGrant.objects.filter(pk=grant.pk).exists()
    # staff, analysts and officers have no sharing page
    for user in (StaffUserFactory(), analyst_kim):
        assert client_for(user).get("/assessment/sharing/").status_code == 404


def test_sharing_twice_keeps_one_grant(member, analyst_kim):
    analyst_grant_create(member=member, analyst_id=analyst_kim.pk, granted_by=member.owner)
    analyst_grant_create(
        member=member, analyst_id=analyst_kim.pk, granted_by=member.owner, reason="Again"
    )
    assert AnalystGrant.objects.get().reason == "Again"
