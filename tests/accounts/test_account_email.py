"""Sign-up confirmations and password resets leave through the worker, with the delivery log,
and their secret link does not stay in the log once sent."""

from __future__ import annotations

import re

from django.test import Client

from jewelguard.core.models import EmailDelivery, EmailStatus
from tests.conftest import PASSWORD, run_queued_tasks


def test_a_sign_up_queues_its_confirmation_and_the_worker_sends_it_once(
    transactional_db, mailoutbox
):
    # when a jeweler joins
    response = Client().post(
        "/accounts/signup/",
        {
            "full_name": "Rosa Delgado",
            "business_name": "Goldenrod Jewelers",
            "email": "rosa@goldenrod.example",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302
    # then the request sent nothing itself: the e-mail waits in the log for the worker
    assert mailoutbox == []
    [delivery] = EmailDelivery.objects.all()
    assert (delivery.purpose, delivery.status) == ("account:email_confirmation_signup", "queued")
    assert "/accounts/confirm-email/" in delivery.body
    # when the worker runs
    run_queued_tasks()
    # then it is sent once, with its link, and the link is gone from the log
    [message] = mailoutbox
    assert message.to == ["rosa@goldenrod.example"]
    assert re.search(r"/accounts/confirm-email/\S+/", message.body)
    delivery.refresh_from_db()
    assert delivery.status == EmailStatus.SENT
    assert delivery.body == ""


def test_a_password_reset_is_queued_not_sent_in_the_request(transactional_db, member, mailoutbox):
    response = Client().post("/accounts/password/reset/", {"email": member.owner.email})
    assert response.status_code == 302
    assert mailoutbox == []
    [delivery] = EmailDelivery.objects.filter(purpose="account:password_reset_key")
    run_queued_tasks()
    [message] = mailoutbox
    assert "/accounts/password/reset/key/" in message.body
    delivery.refresh_from_db()
    assert (delivery.status, delivery.body) == (EmailStatus.SENT, "")
