"""The member's dashboard says where they stand and what to do next."""

from __future__ import annotations

import re
from datetime import time

from jewelguard.accounts import selectors, services
from jewelguard.accounts.models import Member
from jewelguard.pledge import services as pledge_services
from tests.conftest import client_for, make_user
from tests.pledge.conftest import take_pledge


def checklist(member: Member) -> dict[str, tuple[bool, str]]:
    return {
        str(step.label): (step.done, step.url)
        for step in selectors.member_overview(member=member).steps
    }


def test_a_new_member_sees_every_step_to_do_each_with_a_link(db):
    # given a jeweler who has just signed up
    owner = make_user("new@jeweler.example")
    member = services.member_create(owner=owner, name="New Jeweler")

    # when they open their dashboard
    page = client_for(owner).get("/me/").content.decode()

    # then the checklist lists the five steps, in order, none done, each a link
    steps = checklist(member)
    assert list(steps) == [
        "Add your store",
        "Set your opening hours",
        "Take the pledge",
        "Choose what your signs say",
        "Invite your staff",
    ]
    assert not any(done for done, _url in steps.values())
    assert steps["Add your store"][1] == "/me/stores/new/"
    assert steps["Take the pledge"][1] == "/pledge/"
    assert '<a href="/me/stores/new/">Add your store</a>' in page
    assert "Not pledged yet" in page
    assert 'href="/pledge/">Read the pledge</a>' in page


def test_steps_are_ticked_as_the_member_does_them(member):
    # given a member with a store whose hours are not set
    details = services.StoreDetails(
        name="Front Range Jewelers",
        street_address="1430 Larimer St",
        postal_code="80202",
        country="US",
        week={},
    )
    store = services.store_create(member=member, details=details)
    steps = checklist(member)
    assert steps["Add your store"][0] is True
    assert steps["Set your opening hours"] == (False, f"/me/stores/{store.pk}/edit/")

    # when they set hours, pledge and choose their sign statements
    services.store_update(
        store=store,
        details=services.StoreDetails(
            name=store.name,
            street_address=store.street_address,
            postal_code=store.postal_code,
            country="US",
            week={d: (time(10), time(18)) for d in range(5)},
        ),
    )
    take_pledge(member)
    assert checklist(member)["Choose what your signs say"] == (
        False,
        f"/pledge/toolkit/{store.pk}/#signage",
    )
    pledge_services.store_signage_set(
        store=store, statements=["video_surveillance"], updated_by=member.owner
    )

    # then those steps are done, and the dashboard shows the pledge and the toolkit
    steps = checklist(member)
    assert steps["Set your opening hours"][0] is True
    assert steps["Take the pledge"][0] is True
    assert steps["Choose what your signs say"][0] is True
    assert steps["Invite your staff"][0] is False
    page = client_for(member.owner).get("/me/").content.decode()
    assert re.search(r"You took the pledge on [\w.]+ \d+, \d{4}", page), page
    assert 'href="/pledge/toolkit/">Open your toolkit</a>' in page
    assert "Add your store</span>" in page  # shown as done, not as a link


def test_staff_see_no_member_checklist(staff_user):
    page = client_for(staff_user).get("/me/").content.decode()

    assert "Getting started" not in page
