"""The pledge room's pages: who may see what, and bad input in every form."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from jewelguard.accounts.models import Role, StaffRight
from jewelguard.pledge import selectors
from jewelguard.pledge.models import Pledge, StoreSignage
from jewelguard.pledge.texts import current_pledge_version
from tests.conftest import client_for, make_user
from tests.factories import PledgeFactory
from tests.pledge.conftest import build_toolkit, take_pledge

VERSION = current_pledge_version().version


def toolkit_url(store) -> str:
    return reverse("pledge:toolkit_store", args=[store.pk])


def documents_dir_of() -> Path:
    return Path(settings.STORAGES["documents"]["OPTIONS"]["location"])


def file_url(store, name: str = "badge-512.png", language: str = "en") -> str:
    return reverse("pledge:toolkit_file", args=[store.pk, language, name])


# --- the public page and taking the pledge ----------------------------------------------


def test_the_public_page_explains_the_pledge_and_counts_stores_without_names(
    client, member, store, other_member, other_store
):
    # given two pledged members in Colorado and Pennsylvania
    PledgeFactory(member=member)
    PledgeFactory(member=other_member)
    # when anyone opens the pledge page
    page = client.get(reverse("pledge:index"))
    html = page.content.decode()
    # then it shows the pledge text and counts by state, and no store or member names
    assert page.status_code == 200
    assert "Make safety a top priority for myself, my staff and my customers." in html
    assert "Colorado" in html and "Pennsylvania" in html
    assert '<svg viewBox="0 0' in html
    for private in ("Front Range", "Rittenhouse", "ana@", "Larimer"):
        assert private not in html


def test_the_public_page_is_in_french_for_french_visitors(client, member, store):
    PledgeFactory(member=member)
    page = client.get(reverse("pledge:index"), HTTP_ACCEPT_LANGUAGE="fr-CA")
    html = page.content.decode()
    assert "L'engagement Partenaire pour la protection" in html.replace("&#x27;", "'")
    assert "Faire de la sécurité une priorité absolue" in html


def test_a_member_takes_the_pledge_through_the_form(member, store):
    client = client_for(member.owner)
    response = client.post(reverse("pledge:take"), {"version": VERSION, "accept": "on"})
    assert response.status_code == 302
    pledge = selectors.pledge_active_for(member=member)
    assert pledge is not None and pledge.language == "en" and pledge.taken_by == member.owner


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"version": VERSION}, "Tick the box to take the pledge."),
        ({"version": VERSION, "accept": ""}, "Tick the box to take the pledge."),
        ({"accept": "on"}, "This field is required."),
        ({"version": "1; DROP TABLE", "accept": "on"}, "Enter a whole number."),
        ({"version": VERSION + 1, "accept": "on"}, "The pledge has changed since you opened it."),
        ({"version": "9" * 5000, "accept": "on"}, "Enter a whole number."),
    ],
)
def test_a_bad_pledge_form_gets_a_clear_error_and_stores_nothing(member, store, data, message):
    client = client_for(member.owner)
    response = client.post(reverse("pledge:take"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Pledge.objects.exists()


def test_pledging_twice_is_refused_with_a_message(member, store):
    PledgeFactory(member=member)
    response = client_for(member.owner).post(
        reverse("pledge:take"), {"version": VERSION, "accept": "on"}
    )
    assert "You have already taken the pledge." in response.content.decode()
    assert Pledge.objects.count() == 1


def test_only_member_jewelers_may_take_the_pledge(client, staff_user, analyst):
    assert (
        client.post(reverse("pledge:take"), {"version": VERSION, "accept": "on"}).status_code == 302
    )
    for user in (staff_user, analyst):
        response = client_for(user).post(
            reverse("pledge:take"), {"version": VERSION, "accept": "on"}
        )
        assert response.status_code == 403
    assert not Pledge.objects.exists()


# --- withdrawing ---------------------------------------------------------------------


def test_withdrawing_through_the_form(member, store):
    PledgeFactory(member=member)
    client = client_for(member.owner)
    response = client.post(
        reverse("pledge:withdraw"), {"confirm": "on", "reason": "<script>alert(1)</script>"}
    )
    assert response.status_code == 302
    pledge = Pledge.objects.get(member=member)
    assert pledge.withdrawn_at is not None
    assert pledge.withdrawal_reason == "<script>alert(1)</script>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Tick the box to confirm that you are withdrawing."),
        ({"confirm": "on", "reason": "x" * 501}, "Ensure this value has at most 500 characters"),
    ],
)
def test_a_bad_withdrawal_gets_a_clear_error_and_the_pledge_stays(member, store, data, message):
    PledgeFactory(member=member)
    response = client_for(member.owner).post(reverse("pledge:withdraw"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert selectors.pledge_active_for(member=member) is not None


def test_withdrawing_when_not_pledged_says_so(member, store):
    response = client_for(member.owner).post(reverse("pledge:withdraw"), {"confirm": "on"})
    assert response.status_code == 200
    assert "nothing to withdraw" in response.content.decode()
    assert not Pledge.objects.exists()


# --- the toolkit: who may see it ----------------------------------------------------------


def test_a_pledged_member_sees_its_toolkit_and_gets_its_files(member, store):
    take_pledge(member)
    build_toolkit(store)
    client = client_for(member.owner)
    page = client.get(toolkit_url(store))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Front Range Jewelers" in html
    assert file_url(store, "badge-512.png") in html
    badge = client.get(file_url(store, "badge-512.png"))
    assert badge.status_code == 200 and badge["Content-Type"] == "image/png"
    assert b"".join(badge.streaming_content).startswith(b"\x89PNG")
    archive = client.get(file_url(store, "toolkit.zip") + "?download=1")
    assert archive["Content-Type"] == "application/zip"
    assert "attachment" in archive["Content-Disposition"]
    assert (
        "front-range-jewelers-partner-for-protection-toolkit.zip" in archive["Content-Disposition"]
    )


def test_the_toolkit_list_leads_a_one_store_member_to_its_toolkit(member, store):
    PledgeFactory(member=member)
    response = client_for(member.owner).get(reverse("pledge:toolkit"))
    assert response.status_code == 302 and response["Location"] == toolkit_url(store)


def test_before_the_worker_is_done_the_page_says_so_and_refreshes_itself(
    member, store, django_capture_on_commit_callbacks
):
    # given a member who just pledged, whose toolkit the worker has not made yet
    take_pledge(member)
    cache.clear()  # as if the build queued by the pledge had been lost (or never committed)
    client = client_for(member.owner)
    # when they open the toolkit page
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(toolkit_url(store))
    html = page.content.decode()
    # then it says the toolkit is being made, refreshes by itself, and built nothing
    assert page.status_code == 200
    assert "Your toolkit is being made" in html
    # and, while it is made, asks what is true of the store, for the signs
    assert "Tell us what is true of this store" in html and 'name="statements"' in html
    assert '<meta http-equiv="refresh" content="3">' in html
    assert file_url(store, "badge-512.png") not in html
    assert not (documents_dir_of() / "pledge" / "toolkit").exists()
    # and the build was queued once, however often the page refreshes
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.get(toolkit_url(store))
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    # and a file asked for meanwhile shows the same state, not a build
    download = client.get(file_url(store, "signage-letter.pdf"))
    assert download.status_code == 202
    assert "Your toolkit is being made" in download.content.decode()
    assert download["Retry-After"] == "3"
    assert not (documents_dir_of() / "pledge" / "toolkit").exists()
    # when the worker has made it, the page shows the files
    build_toolkit(store)
    page = client.get(toolkit_url(store))
    assert file_url(store, "badge-512.png") in page.content.decode()
    assert client.get(file_url(store, "signage-letter.pdf")).status_code == 200


def test_staff_of_a_pledged_store_get_its_staff_briefing_and_nothing_else(
    member, store, staff_user, other_member, other_store
):
    # given two pledged members, and staff of the first's store (with the view right only)
    take_pledge(member)
    take_pledge(other_member)
    build_toolkit(store)
    build_toolkit(other_store)
    client = client_for(staff_user)
    # when the staff member opens the toolkit
    page = client.get(reverse("pledge:toolkit"))
    html = page.content.decode()
    # then they are offered their store's staff briefing, not an invitation to pledge
    assert page.status_code == 200
    assert "Take the pledge" not in html
    assert "Front Range Jewelers" in html and "Rittenhouse" not in html
    assert file_url(store, "staff-briefing-letter.pdf") in html
    # and they can download it, on either paper
    for paper in ("letter", "a4"):
        response = client.get(file_url(store, f"staff-briefing-{paper}.pdf"))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # but not the other files of their store, nor the other store's briefing
    for name in ("badge-512.png", "signage-letter.pdf", "toolkit.zip"):
        assert client.get(file_url(store, name)).status_code == 404
    assert client.get(file_url(other_store, "staff-briefing-letter.pdf")).status_code == 404


def test_staff_of_an_unpledged_store_are_told_the_briefing_comes_with_the_pledge(
    member, store, staff_user
):
    html = client_for(staff_user).get(reverse("pledge:toolkit")).content.decode()
    assert "Take the pledge" not in html
    assert "has taken the pledge yet" in html
    assert client_for(staff_user).get(file_url(store, "staff-briefing-a4.pdf")).status_code == 404


@pytest.mark.parametrize(
    ("role_fixture", "expected"),
    [("officer", "scan the QR code"), ("analyst", "See who has pledged")],
)
def test_officers_and_analysts_are_told_what_the_toolkit_is_to_them(
    db, request, role_fixture, expected
):
    user = request.getfixturevalue(role_fixture)
    page = client_for(user).get(reverse("pledge:toolkit"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Take the pledge" not in html
    assert expected in html


def test_an_unpledged_member_is_invited_to_pledge_and_gets_no_files(member, store):
    client = client_for(member.owner)
    page = client.get(toolkit_url(store))
    assert page.status_code == 200
    assert "Take the pledge to get your toolkit" in page.content.decode()
    assert client.get(file_url(store)).status_code == 404
    assert client.get(file_url(store, "toolkit.zip")).status_code == 404


def test_no_one_else_may_see_a_members_toolkit(
    member, store, other_member, other_store, staff_user, analyst, officer
):
    # given two pledged members
    PledgeFactory(member=member)
    PledgeFactory(member=other_member)
    strangers = [
        client_for(other_member.owner),  # another member
        client_for(staff_user),  # staff of this store, without the right to edit it
        client_for(analyst),
        client_for(officer),
    ]
    # then none of them gets the page or any file: 404, as if the store did not exist
    for client in strangers:
        assert client.get(toolkit_url(store)).status_code == 404
        for name in ("badge-512.png", "signage-letter.pdf", "toolkit.zip"):
            assert client.get(file_url(store, name)).status_code == 404
        response = client.post(
            reverse("pledge:toolkit_signage", args=[store.pk]), {"statements": ["alarm_monitored"]}
        )
        assert response.status_code == 404
    assert not StoreSignage.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, member, store):
    PledgeFactory(member=member)
    response = client.get(file_url(store))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_who_may_edit_the_store_can_fetch_its_toolkit(member, store):
    take_pledge(member)
    build_toolkit(store)
    manager = make_user("lee@frontrange.example", role=Role.STAFF)
    store.staff_grants.create(user=manager, rights=[StaffRight.VIEW, StaffRight.EDIT_STORE])
    assert client_for(manager).get(file_url(store, "badge-256.png")).status_code == 200


@pytest.mark.parametrize(
    ("name", "language"),
    [
        ("..%2F..%2Fsecret_key", "en"),
        ("manifest.json", "en"),
        ("badge-999.png", "en"),
        ("badge-512.png", "de"),
    ],
)
def test_only_toolkit_files_are_served(member, store, name, language):
    PledgeFactory(member=member)
    url = f"/pledge/toolkit/{store.pk}/{language}/{name}"
    response = client_for(member.owner).get(url)
    assert response.status_code == 404


# --- the toolkit's forms --------------------------------------------------------------


def test_confirming_statements_changes_the_signs(member, store):
    PledgeFactory(member=member)
    client = client_for(member.owner)
    response = client.post(
        reverse("pledge:toolkit_signage", args=[store.pk]),
        {"statements": ["alarm_monitored", "video_surveillance"]},
    )
    assert response.status_code == 302
    assert selectors.signage_statements_for(store=store) == (
        "video_surveillance",
        "alarm_monitored",
    )


@pytest.mark.parametrize(
    "statements",
    [["armed_guards"], ["alarm_monitored", "<img src=x onerror=alert(1)>"], ["x" * 10_000]],
)
def test_unknown_statements_get_a_clear_error_and_store_nothing(member, store, statements):
    PledgeFactory(member=member)
    response = client_for(member.owner).post(
        reverse("pledge:toolkit_signage", args=[store.pk]), {"statements": statements}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "is not one of the available choices" in html
    assert "<img src=x" not in html
    assert not StoreSignage.objects.exists()


def test_a_bad_toolkit_language_gets_an_error_and_the_default(member, store):
    take_pledge(member)
    build_toolkit(store)
    response = client_for(member.owner).get(toolkit_url(store), {"language": "klingon"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice" in html
    assert file_url(store, "badge-512.png", "en") in html


def test_the_toolkit_in_french(member, store):
    take_pledge(member)
    build_toolkit(store, "fr-ca")
    client = client_for(member.owner)
    response = client.get(toolkit_url(store), {"language": "fr-ca"})
    assert file_url(store, "badge-512.png", "fr-ca") in response.content.decode()
    assert client.get(file_url(store, "signage-a4.pdf", "fr-ca")).status_code == 200


# --- the analysts' list ----------------------------------------------------------------


def test_analysts_see_the_pledged_members(analyst, member, store, other_member, other_store):
    PledgeFactory(member=member)
    response = client_for(analyst).get(reverse("pledge:members"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Front Range Jewelers" in html and "ana@frontrange.example" in html
    assert "Rittenhouse" not in html


def test_members_and_staff_may_not_see_the_list(member, staff_user, client):
    for user in (member.owner, staff_user):
        assert client_for(user).get(reverse("pledge:members")).status_code == 403
    assert client.get(reverse("pledge:members")).status_code == 302


def test_the_admin_lists_pledges(admin_client, member, store):
    PledgeFactory(member=member)
    response = admin_client.get("/admin/pledge/pledge/")
    assert response.status_code == 200
    assert "Front Range Jewelers" in response.content.decode()
