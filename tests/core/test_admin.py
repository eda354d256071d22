"""The e-mail delivery log in the admin: analysts and administrators read it, nobody edits it."""

from __future__ import annotations

import pytest

from jewelguard.accounts.models import Role
from jewelguard.core.mail import email_send_on_commit
from jewelguard.core.models import EmailDelivery, EmailStatus
from tests.conftest import client_for, make_user


@pytest.fixture
def delivery(db) -> EmailDelivery:
    return email_send_on_commit(
        purpose="inquiry",
        recipient="desk@association.example",
        subject="Contact inquiry: staff cards",
        body="Can we print the staff cards on our own letterhead?",
    )


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_analysts_and_administrators_read_the_delivery_log(role, delivery):
    client = client_for(make_user(f"{role}@association.example", role=role))
    listed = client.get("/admin/core/emaildelivery/")
    assert listed.status_code == 200
    assert "Contact inquiry: staff cards" in listed.content.decode()
    page = client.get(f"/admin/core/emaildelivery/{delivery.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only: no save button


@pytest.mark.parametrize("role", [Role.ANALYST, Role.ADMIN])
def test_nobody_changes_deletes_or_adds_to_the_delivery_log(role, delivery):
    client = client_for(make_user(f"{role}@association.example", role=role))
    changed = client.post(
        f"/admin/core/emaildelivery/{delivery.pk}/change/", {"status": EmailStatus.SENT}
    )
    deleted = client.post(f"/admin/core/emaildelivery/{delivery.pk}/delete/", {"post": "yes"})
    added = client.get("/admin/core/emaildelivery/add/")
    assert (changed.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    delivery.refresh_from_db()
    assert delivery.status == EmailStatus.QUEUED


def test_members_cannot_read_the_delivery_log(member, delivery):
    response = client_for(member.owner).get("/admin/core/emaildelivery/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
