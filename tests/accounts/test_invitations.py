"""Staff invitations: sent by e-mail, accepted once, by the invited person, before expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from jewelguard.accounts import services
from jewelguard.accounts.models import Member, Role, StaffGrant, StaffInvitation, User
from tests.accounts.conftest import links_in
from tests.conftest import PASSWORD, client_for, make_user

INVITEE = "lee@frontrange.example"


@pytest.fixture
def invitation_url(member_client, store, smtp_server, django_capture_on_commit_callbacks, settings):
    """The member invites INVITEE to ``store``, with the right to edit it; the link mailed."""
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
    client = client_for(make_user("mallory@example.com", role=Role.STAFF))
    # when they accept it
    response = client.post(invitation_url, follow=True)
    # then they are told it is not theirs, and get nothing
    assert "This invitation was sent to another e-mail address." in response.content.decode()
    assert not StaffGrant.objects.exists()
    assert StaffInvitation.objects.get().accepted_at is None


def test_another_member_cannot_join_as_staff(invitation_url, member, store):
    # an invitation to a jeweler who owns a business of their own
    owner = make_user(INVITEE)
    services.member_create(owner=owner, name="Lee's Gems")
    response = client_for(owner).post(invitation_url, follow=True)
    assert "Store owners cannot join another member as staff." in response.content.decode()
    assert not StaffGrant.objects.exists()


def test_expired_invitation_is_refused(invitation_url):
    invitee = make_user(INVITEE, role=Role.STAFF)
    StaffInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    client = client_for(invitee)
    page = client.get(invitation_url)
    assert page.status_code == 404
    assert "This invitation is not valid or has expired." in page.content.decode()
    response = client.post(invitation_url, follow=True)
    assert "This invitation is not valid or has expired." in response.content.decode()
    assert not StaffGrant.objects.exists()


def test_invitation_is_used_once(invitation_url, other_member):
    invitee = make_user(INVITEE, role=Role.STAFF)
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
    transactional_db, member_client, store, settings
):
    # given a mail server that refuses connections (nothing listens on its port)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    settings.JEWELGUARD_SITE_URL = "http://testserver"
    # when the member invites someone (real commits: the mail leaves when the service commits)
    response = member_client.post(
        "/me/staff/",
        {"email": INVITEE, "stores": [store.pk], "rights": ["edit_store"]},
        follow=True,
    )
    # then the invitation is kept, marked unsent, and the page gives the link to pass on
    invitation = StaffInvitation.objects.get(email=INVITEE)
    assert invitation.email_failed_at is not None
    page = response.content.decode()
    assert "the e-mail could not be sent" in page
    assert "http://testserver/me/invitations/" in page
    assert "e-mail not sent" in page
