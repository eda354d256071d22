"""Badge verification: signed tokens, what a scan says, and what it never shows."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.urls import reverse

from jewelguard.pledge import services
from jewelguard.pledge.verification import (
    BadgeStatus,
    badge_check,
    badge_token,
    verify_url,
)
from tests.factories import PledgeFactory


def test_a_badge_of_a_member_in_good_standing_is_valid(client, member, store):
    # given a pledged member's badge
    pledge = PledgeFactory(member=member)
    token = badge_token(store_id=store.pk, pledge_id=pledge.pk)
    # when someone scans it
    page = client.get(reverse("pledge:verify", args=[token]))
    html = page.content.decode()
    # then it says valid, for which store and where, and since when
    assert page.status_code == 200
    assert "Valid badge" in html
    assert "Front Range Jewelers" in html and "Denver" in html and "Colorado" in html
    assert str(pledge.taken_at.year) in html
    # and nothing private
    for private in ("1430 Larimer", "80202", "ana@frontrange.example", "Ana Morales"):
        assert private not in html
    assert page["X-Robots-Tag"] == "noindex"


def test_the_verify_url_is_absolute_on_the_configured_site(member, store, settings):
    pledge = PledgeFactory(member=member)
    url = verify_url(store_id=store.pk, pledge_id=pledge.pk)
    assert url.startswith("https://jewelguard.example.org/pledge/verify/")


def test_after_withdrawing_the_badge_says_no_longer_a_member(client, member, store):
    pledge = PledgeFactory(member=member)
    token = badge_token(store_id=store.pk, pledge_id=pledge.pk)
    services.pledge_withdraw(member=member)
    page = client.get(reverse("pledge:verify", args=[token]))
    assert page.status_code == 200
    assert "No longer a member" in page.content.decode()
    assert badge_check(token=token).status == BadgeStatus.NO_LONGER_MEMBER


def test_a_member_that_pledges_again_is_a_member_on_its_old_badges(member, store):
    first = PledgeFactory(member=member)
    old = badge_token(store_id=store.pk, pledge_id=first.pk)
    services.pledge_withdraw(member=member)
    second = PledgeFactory(member=member)
    check = badge_check(token=old)
    assert check.status == BadgeStatus.VALID
    # "since" is the day on the store's own calendar, not in UTC
    assert check.since == second.taken_at.astimezone(ZoneInfo(store.time_zone)).date()


def test_every_altered_character_is_refused(client, member, store):
    pledge = PledgeFactory(member=member)
    token = badge_token(store_id=store.pk, pledge_id=pledge.pk)
    for index, char in enumerate(token):
        tampered = token[:index] + ("B" if char != "B" else "C") + token[index + 1 :]
        assert badge_check(token=tampered).status == BadgeStatus.INVALID, tampered
    page = client.get(reverse("pledge:verify", args=[token[:-1] + "x"]))
    assert page.status_code == 404
    assert "Not a valid badge" in page.content.decode()


def test_a_token_for_another_store_is_refused(member, store, other_member, other_store):
    pledge = PledgeFactory(member=member)
    PledgeFactory(member=other_member)
    # signed by us, but pairing another member's store with this pledge
    mixed = badge_token(store_id=other_store.pk, pledge_id=pledge.pk)
    assert badge_check(token=mixed).status == BadgeStatus.NO_LONGER_MEMBER
    assert badge_check(token=mixed).store_name == ""


def test_forged_and_hostile_tokens_are_refused(client, member, store):
    pledge = PledgeFactory(member=member)
    for token in (
        f"{store.pk}.{pledge.pk}",
        f"{store.pk}.{pledge.pk}:forged",
        "<script>alert(1)</script>",
        "x" * 5000,
        "",
    ):
        assert badge_check(token=token).status == BadgeStatus.INVALID
    assert client.get("/pledge/verify/" + "x" * 5000 + "/").status_code == 404
    assert client.get("/pledge/verify/%3Cscript%3E/").status_code == 404
