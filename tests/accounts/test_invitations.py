"""Staff invitations: sent by e-mail, accepted once, by the invited person, before expiry."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, TestCase
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jewelguard.accounts import services
from jewelguard.accounts.models import Member, Role, StaffGrant, StaffInvitation, User
from jewelguard.core.models import EmailDelivery, EmailStatus
from tests.accounts.conftest import links_in
from tests.conftest import PASSWORD, client_for, free_port, make_user, run_queued_tasks
from tests.core.test_accessibility import check
from tests.factories import StaffUserFactory, UserFactory

INVITEE = "lee@frontrange.example"


@pytest.fixture
def invitation_url(
    member_client, store, smtp_server, django_capture_on_commit_callbacks, settings, tasks_immediate
):
    """The member invites INVITEE to ``store``, with the right to edit it; the link mailed
    by the e-mail task (run at once here; tests/core/test_worker.py uses the real worker)."""
    settings.JEWELGUARD_SITE_URL = "http://testserver"
    with django_capture_on_commit_callbacks(execute=True):
        response = member_client.post(
            "/me/staff/", {"email": INVITEE, "stores": [store.pk], "rights": ["edit_store"]}
        )
    assert response.status_code == 302
    [body] = smtp_server.bodies_to(INVITEE)
    [url] = [link for link in links_in(body) if "/me/invitations/" in link]
    return url.removeprefix("http://testserver")


def sign_up(client: Client, *, email: str, business_name: str = "", next_url: str = ""):
    # The confirmation e-mail is queued on commit, as in a real request.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/accounts/signup/",
            {
                "full_name": "Lee Park",
                "business_name": business_name,
                "email": email,
                "password1": PASSWORD,
                "password2": PASSWORD,
                "next": next_url,
            },
        )


def confirm_email(client: Client, smtp_server, email: str):
    [link] = [
        link for body in smtp_server.bodies_to(email) for link in links_in(body)
        if "/accounts/confirm-email/" in link
    ]  # fmt: skip
    return client.post(link.removeprefix("http://testserver"))


def test_invitation_mail_names_the_member_and_arrives_on_the_smtp_server(
    invitation_url, smtp_server
):
    [message] = smtp_server.messages
    assert message["To"] == INVITEE
    assert message["Subject"] == "Front Range Jewelers invites you to JewelGuard"
    assert (
        "Front Range Jewelers invites you to see their stores" in smtp_server.bodies_to(INVITEE)[0]
    )
    assert StaffInvitation.objects.get().grants  # kept for acceptance
    assert invitation_url.startswith("/me/invitations/")


def test_invitee_signs_up_with_the_invited_address_and_accepts(invitation_url, smtp_server, store):
    client = Client()
    # given the invitee opens the link before having an account
    page = client.get(invitation_url).content.decode()
    assert "Front Range Jewelers invites lee@frontrange.example" in page
    assert f"/accounts/signup/?next={invitation_url}" in page.replace("%2F", "/")
    # when they sign up without a business name and confirm their address
    signed_up = sign_up(client, email=INVITEE, next_url=invitation_url)
    assert signed_up.status_code == 302, signed_up.context["form"].errors
    confirmed = confirm_email(client, smtp_server, INVITEE)
    # then they land back on the invitation, signed in, and can accept it
    assert confirmed["Location"] == invitation_url
    accepted = client.post(invitation_url)
    assert accepted["Location"] == "/me/stores/"
    user = User.objects.get(email=INVITEE)
    assert user.role == Role.STAFF
    assert not Member.objects.filter(owner=user).exists()
    grant = StaffGrant.objects.get(user=user)
    assert (grant.store, sorted(grant.rights)) == (store, ["edit_store", "view"])
    assert store.name in client.get("/me/stores/").content.decode()


def test_sign_up_without_business_name_needs_an_invitation(client, db):
    response = sign_up(client, email="walk-in@example.com")
    assert response.status_code == 200
    assert "only people invited as staff may leave it empty" in str(
        response.context["form"].errors["business_name"]
    )
    assert not User.objects.filter(email="walk-in@example.com").exists()


def test_sign_up_with_another_address_than_invited_needs_a_business_name(invitation_url):
    response = sign_up(Client(), email="someone-else@example.com", next_url=invitation_url)
    assert response.status_code == 200
    assert "business_name" in response.context["form"].errors


def test_a_different_user_cannot_accept(invitation_url, other_member):
    # given someone else, signed in, who got hold of the link
    client = client_for(StaffUserFactory(email="mallory@example.com"))
    # when they accept it
    response = client.post(invitation_url, follow=True)
    # then they are told it is not theirs, and get nothing
    assert "This invitation was sent to another e-mail address." in response.content.decode()
    assert not StaffGrant.objects.exists()
    assert StaffInvitation.objects.get().accepted_at is None


def test_another_member_cannot_join_as_staff(invitation_url, member, store):
    # an invitation to a jeweler who owns a business of their own
    owner = UserFactory(email=INVITEE)
    services.member_create(owner=owner, name="Lee's Gems")
    response = client_for(owner).post(invitation_url, follow=True)
    assert "Store owners cannot join another member as staff." in response.content.decode()
    assert not StaffGrant.objects.exists()


def test_expired_invitation_is_refused(invitation_url):
    invitee = StaffUserFactory(email=INVITEE)
    StaffInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for(invitee)
    page = client.get(invitation_url)
    assert page.status_code == 404
    assert "This invitation is not valid or has expired." in page.content.decode()
    response = client.post(invitation_url, follow=True)
    assert "This invitation is not valid or has expired." in response.content.decode()
    assert not StaffGrant.objects.exists()


def test_invitation_is_used_once(invitation_url, other_member):
    invitee = StaffUserFactory(email=INVITEE)
    client = client_for(invitee)
    assert client.post(invitation_url)["Location"] == "/me/stores/"
    # when the same link is used again, after access was taken away
    StaffGrant.objects.all().delete()
    response = client.post(invitation_url, follow=True)
    # then it is refused: the link does not hand out access again
    assert "This invitation is not valid or has expired." in response.content.decode()
    assert not StaffGrant.objects.exists()


def test_garbage_token_is_refused(client, db):
    response = client.get("/me/invitations/not-a-token/")
    assert response.status_code == 404
    assert "not valid or has expired" in response.content.decode()


def test_anonymous_post_to_accept_goes_to_log_in(invitation_url):
    response = Client().post(invitation_url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert StaffInvitation.objects.get().accepted_at is None


def test_member_cannot_grant_a_store_they_do_not_own(member_client, member, other_store):
    # on the page, the other member's store is not a choice
    response = member_client.post(
        "/me/staff/", {"email": INVITEE, "stores": [other_store.pk], "rights": ["edit_store"]}
    )
    assert response.status_code == 200
    assert "stores" in response.context["form"].errors
    # and the service refuses it too
    with pytest.raises(ValidationError) as refused:
        services.staff_invite(member=member, email=INVITEE, grants={other_store.pk: ["edit_store"]})
    assert "stores" in refused.value.message_dict
    assert not StaffInvitation.objects.exists()


@pytest.mark.parametrize(
    ("email", "rights", "field"),
    [
        (INVITEE, None, "stores"),
        (INVITEE, ["fly"], "rights"),
        ("ana@frontrange.example", ["edit_store"], "email"),
        ("not-an-address", ["edit_store"], "email"),
    ],
    ids=["no-store", "unknown-right", "own-address", "bad-address"],
)
def test_invitation_input_is_checked(member, store, email, rights, field):
    grants = {} if rights is None else {store.pk: rights}
    with pytest.raises(ValidationError) as refused:
        services.staff_invite(member=member, email=email, grants=grants)
    assert field in refused.value.message_dict
    assert not StaffInvitation.objects.exists()


def test_member_removes_staff_access(member_client, staff_user, store):
    grant = staff_user.staff_grants.get()
    staff_page = member_client.get("/me/staff/").content.decode()
    assert "See the store, Report incidents" in staff_page
    member_client.post(f"/me/staff/{grant.pk}/revoke/")
    assert client_for(staff_user).get(f"/me/stores/{store.pk}/").status_code == 404


def test_an_officer_cannot_join_as_staff(member, store, officer):
    # given an invitation sent to an officer's address
    _invitation, token = services.staff_invite(
        member=member, email=officer.email, grants={store.pk: ["report"]}
    )
    # then accepting it is refused, with the reason
    with pytest.raises(ValidationError) as refused:
        services.staff_invitation_accept(token=token, user=officer)
    assert "Officers, analysts and administrators" in str(refused.value)
    assert officer.role == Role.OFFICER and not StaffGrant.objects.exists()


def test_when_the_mail_server_is_down_the_member_gets_the_link_to_pass_on(
    transactional_db, member_client, store, settings, request
):
    # given a mail server that refuses connections (nothing listens on its port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.JEWELGUARD_SITE_URL = "http://testserver"
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = (3600,)
    # when the member invites someone (real commits: the worker sends the e-mail)
    response = member_client.post(
        "/me/staff/",
        {"email": INVITEE, "stores": [store.pk], "rights": ["edit_store"]},
        follow=True,
    )
    # then, before the worker has run, the page says the e-mail is queued
    assert "Its e-mail is on its way" in response.content.decode()
    assert "e-mail queued" in response.content.decode()
    # when the worker tries to send it
    run_queued_tasks()
    # then the page says it was not sent, why, and gives the link to pass on and a retry
    page = member_client.get("/me/staff/").content.decode()
    assert "e-mail not sent: Connection refused" in page
    assert "tried again automatically" in page
    [link] = re.findall(r"<code>(http://testserver/me/invitations/[^<]+)</code>", page)
    assert "Send again" in page
    check(page)  # still labelled and landmarked for a screen reader
    # and the link works for the invitee before any e-mail went out
    invitee = make_user(INVITEE, role=Role.STAFF)
    assert client_for(invitee).post(link.removeprefix("http://testserver"))["Location"] == (
        "/me/stores/"
    )


def test_member_sends_a_failed_invitation_again_once_the_mail_server_is_back(
    transactional_db, member_client, store, settings, request
):
    # given an invitation whose e-mail failed (mail server down)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.JEWELGUARD_SITE_URL = "http://testserver"
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = (3600,)
    member_client.post(
        "/me/staff/", {"email": INVITEE, "stores": [store.pk], "rights": ["edit_store"]}
    )
    run_queued_tasks()
    invitation = StaffInvitation.objects.get()
    failed_page = member_client.get("/me/staff/").content.decode()
    [passed_on] = re.findall(r"<code>(http://testserver/[^<]+)</code>", failed_page)
    # when the mail server is back and the member presses "Send again"
    smtp_server = request.getfixturevalue("smtp_server")
    resend = member_client.post(f"/me/staff/invitations/{invitation.pk}/resend/", follow=True)
    assert "queued again" in resend.content.decode()
    run_queued_tasks()
    # then it arrives once, with the same link the member could pass on, and the page says so
    [body] = smtp_server.bodies_to(INVITEE)
    assert passed_on in body
    page = member_client.get("/me/staff/").content.decode()
    assert "e-mail sent" in page
    assert "e-mail not sent" not in page and "<code>" not in page
    # and the automatic try still waiting in the queue sends nothing more when its time comes
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_queued_tasks()
    assert len(smtp_server.messages) == 1
    # and a sent e-mail cannot be "sent again"
    again = member_client.post(f"/me/staff/invitations/{invitation.pk}/resend/", follow=True)
    assert "Only an e-mail that was not sent can be sent again." in again.content.decode()


def test_a_member_cannot_see_or_retry_another_members_invitation_email(
    transactional_db, member_client, store, other_member, settings
):
    # given the member's invitation whose e-mail failed
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = ()
    member_client.post(
        "/me/staff/", {"email": INVITEE, "stores": [store.pk], "rights": ["edit_store"]}
    )
    run_queued_tasks()
    invitation = StaffInvitation.objects.get()
    delivery = EmailDelivery.objects.get()
    assert delivery.status == EmailStatus.FAILED
    # when another member opens their staff page and tries to retry it
    other = client_for(other_member.owner)
    page = other.get("/me/staff/").content.decode()
    response = other.post(f"/me/staff/invitations/{invitation.pk}/resend/")
    # then they see nothing of it, and the retry is refused without touching it
    assert INVITEE not in page and "e-mail not sent" not in page
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (EmailStatus.FAILED, 1)
    assert DBTaskResult.objects.filter(status="READY").count() == 0
