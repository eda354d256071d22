"""Contact and media inquiries: stored, e-mailed after commit, and defended against spam."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from jewelguard.core.models import EmailDelivery, EmailStatus
from jewelguard.playbook.models import Inquiry, InquiryKind, InquiryStatus
from jewelguard.playbook.services import INQUIRY_RATE_LIMIT
from tests.conftest import client_for, free_port, run_queued_tasks

CONTACT = {
    "name": "Ana Morales",
    "email": "ana@frontrange.example",
    "organisation": "Front Range Jewelers",
    "subject": "Staff cards for our second store",
    "message": "Can we print the staff cards on our own letterhead?",
    "website": "",
}
MEDIA = {
    "name": "Lee Park",
    "email": "lee@gazette.example",
    "organisation": "Denver Gazette",
    "deadline": "",
    "subject": "Smash-and-grab wave",
    "message": "I am writing about the rise in smash-and-grab robberies and would like a comment.",
    "website": "",
}


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_contact_inquiry_is_stored_and_emailed_after_commit(
    db, smtp_server, settings, django_capture_on_commit_callbacks, tasks_immediate
):
    # given the association's contact recipients
    settings.JEWELGUARD_CONTACT_RECIPIENTS = ["desk@association.example"]
    client = from_address("198.51.100.7")
    # when a jeweler sends the contact form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/playbook/contact/", CONTACT)
    # then it is stored, e-mailed over SMTP, and the sender sees a confirmation
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.kind == InquiryKind.GENERAL
    assert inquiry.status == InquiryStatus.NEW
    assert inquiry.organisation == "Front Range Jewelers"
    bodies = smtp_server.bodies_to("desk@association.example")
    assert len(bodies) == 1
    assert "Can we print the staff cards on our own letterhead?" in bodies[0]
    assert "ana@frontrange.example" in bodies[0]
    message = smtp_server.messages[0]
    assert message["Reply-To"] == "ana@frontrange.example"
    assert "Staff cards for our second store" in message["Subject"]
    confirmation = client.get(response["Location"])
    assert "Thank you, Ana Morales" in confirmation.content.decode()
    # and the delivery log says it was sent, about this inquiry
    delivery = EmailDelivery.objects.get()
    assert (delivery.status, delivery.purpose, delivery.concerning) == (
        EmailStatus.SENT,
        "inquiry",
        inquiry,
    )


def test_inquiry_is_kept_and_its_email_logged_failed_when_the_mail_server_is_down(
    transactional_db, settings
):
    # given a mail server that refuses connections, and two contact recipients
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    settings.JEWELGUARD_CONTACT_RECIPIENTS = [
        "desk@association.example",
        "chair@association.example",
    ]
    settings.JEWELGUARD_EMAIL_RETRY_DELAYS = (3600,)
    # when someone sends the contact form and the worker tries the e-mails
    response = from_address("198.51.100.17").post("/playbook/contact/", CONTACT)
    assert response.status_code == 302
    run_queued_tasks()
    # then the inquiry is kept, and each e-mail is logged failed with the reason, to be retried
    assert Inquiry.objects.count() == 1
    deliveries = list(EmailDelivery.objects.order_by("recipient"))
    assert [d.recipient for d in deliveries] == [
        "chair@association.example",
        "desk@association.example",
    ]
    for delivery in deliveries:
        assert (delivery.status, delivery.last_error) == (EmailStatus.FAILED, "Connection refused")
        assert delivery.next_attempt_at is not None


def test_media_inquiry_goes_to_the_media_desk(
    db, smtp_server, settings, django_capture_on_commit_callbacks, tasks_immediate
):
    settings.JEWELGUARD_CONTACT_RECIPIENTS = ["desk@association.example"]
    settings.JEWELGUARD_MEDIA_RECIPIENTS = ["press@association.example"]
    deadline = timezone.localdate() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        response = from_address("198.51.100.8").post(
            "/playbook/media/", {**MEDIA, "deadline": deadline.isoformat()}
        )
    assert response.status_code == 302
    inquiry = Inquiry.objects.get()
    assert inquiry.kind == InquiryKind.MEDIA
    assert inquiry.deadline == deadline
    assert len(smtp_server.bodies_to("press@association.example")) == 1
    assert smtp_server.bodies_to("desk@association.example") == []
    assert deadline.isoformat() in smtp_server.bodies_to("press@association.example")[0]


def test_media_form_needs_the_outlet(db):
    response = from_address("198.51.100.9").post("/playbook/media/", {**MEDIA, "organisation": ""})
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_filled_honeypot_pretends_success_and_stores_nothing(
    db, smtp_server, django_capture_on_commit_callbacks, tasks_immediate
):
    # given a robot that fills every field, the hidden one too
    client = from_address("203.0.113.5")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/playbook/contact/", {**CONTACT, "website": "http://spam.example"})
    # then it sees the same confirmation as a person, and nothing is stored or sent
    assert response.status_code == 302
    assert response["Location"] == "/playbook/contact/sent/"
    assert "Thank you" in client.get(response["Location"]).content.decode()
    assert not Inquiry.objects.exists()
    assert smtp_server.messages == []


def test_honeypot_is_hidden_by_css_and_labelled(client, db):
    html = client.get("/playbook/contact/").content.decode()
    assert '<div class="pb-hp" aria-hidden="true">' in html
    assert "Leave this field empty" in html


def test_sixth_inquiry_in_an_hour_is_refused_with_a_clear_error(db):
    # given five inquiries from one address
    client = from_address("192.0.2.44")
    for number in range(INQUIRY_RATE_LIMIT):
        response = client.post("/playbook/contact/", {**CONTACT, "subject": f"Question {number}"})
        assert response.status_code == 302
    # when a sixth is sent, even through the media form
    response = client.post("/playbook/media/", MEDIA)
    # then it is refused, said plainly, and not stored
    assert response.status_code == 429
    assert "You have sent 5 messages in the last hour" in response.content.decode()
    assert Inquiry.objects.count() == INQUIRY_RATE_LIMIT
    # and another address is not affected
    assert from_address("192.0.2.45").post("/playbook/contact/", CONTACT).status_code == 302


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("message", "x" * 20_000),
        ("email", "not-an-address"),
        ("name", ""),
        ("name", "N" * 121),
        ("subject", "Hello\r\nBcc: everyone@example.com"),
        ("organisation", "O" * 161),
    ],
)
def test_bad_fields_give_field_errors_and_store_nothing(db, field, value):
    response = from_address("192.0.2.60").post("/playbook/contact/", {**CONTACT, field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'class="errorlist' in response.content.decode()
    assert not Inquiry.objects.exists()


def test_media_deadline_in_the_past_is_refused(db):
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = from_address("192.0.2.61").post("/playbook/media/", {**MEDIA, "deadline": yesterday})
    assert "deadline" in response.context["form"].errors
    assert not Inquiry.objects.exists()


def test_markup_in_the_name_is_shown_escaped(db, analyst):
    # given someone who types markup as their name
    client = from_address("192.0.2.70")
    response = client.post("/playbook/contact/", {**CONTACT, "name": "<script>alert(1)</script>"})
    # then the confirmation and the admin list show it as text
    confirmation = client.get(response["Location"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in confirmation
    assert "<script>alert(1)" not in confirmation
    admin_list = client_for(analyst).get("/admin/playbook/inquiry/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in admin_list
    assert "<script>alert(1)" not in admin_list


def test_analysts_answer_inquiries_in_the_admin_and_members_cannot_see_them(
    db, analyst, member, officer
):
    inquiry = Inquiry.objects.create(
        kind=InquiryKind.GENERAL,
        name="Sam",
        email="sam@example.com",
        subject="Hello",
        message="A question about the pledge.",
    )
    analyst_client = client_for(analyst)
    assert analyst_client.get("/admin/playbook/inquiry/").status_code == 200
    assert analyst_client.get(f"/admin/playbook/inquiry/{inquiry.pk}/change/").status_code == 200
    response = analyst_client.post(
        "/admin/playbook/inquiry/",
        {"action": "mark_answered", "_selected_action": [inquiry.pk]},
    )
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert inquiry.status == InquiryStatus.ANSWERED
    for outsider in (member.owner, officer):
        response = client_for(outsider).get("/admin/playbook/inquiry/")
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_no_client_address_is_stored(db):
    from_address("192.0.2.99").post("/playbook/contact/", CONTACT)
    inquiry = Inquiry.objects.get()
    stored = " ".join(str(getattr(inquiry, f.attname)) for f in Inquiry._meta.concrete_fields)
    assert "192.0.2.99" not in stored
