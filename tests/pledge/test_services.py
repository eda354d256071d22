"""Taking and withdrawing the pledge, and a store's signage statements."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from jewelguard.pledge import selectors, services
from jewelguard.pledge.models import Pledge, StoreSignage
from jewelguard.pledge.texts import current_pledge_version
from tests.factories import PledgeFactory

VERSION = current_pledge_version().version
ALL_STATEMENTS = current_pledge_version().wording("en").statement_ids


def test_taking_the_pledge_records_who_when_which_text_and_language(member, store):
    # given a member with a store and no pledge
    assert selectors.pledge_active_for(member=member) is None
    # when it takes the pledge in French
    pledge = services.pledge_take(
        member=member, text_version=VERSION, language="fr-ca", taken_by=member.owner
    )
    # then the pledge records the version, the exact French text, the language and the time
    wording = current_pledge_version().wording("fr-ca")
    assert pledge.text_version == VERSION
    assert pledge.text_sha256 == wording.sha256
    assert pledge.text_sha256 != current_pledge_version().wording("en").sha256
    assert pledge.language == "fr-ca"
    assert pledge.statements == list(wording.statement_ids)
    assert pledge.taken_by == member.owner
    assert pledge.taken_at is not None and pledge.withdrawn_at is None
    assert selectors.pledge_active_for(member=member) == pledge


def test_withdrawing_and_pledging_again_keeps_the_history(member, store):
    # given a member that pledged
    first = PledgeFactory(member=member)
    # when it withdraws, then pledges again
    services.pledge_withdraw(member=member, reason="Selling the business")
    second = PledgeFactory(member=member)
    # then both pledges are kept, the first one withdrawn, the second in force
    first.refresh_from_db()
    assert first.withdrawn_at is not None and first.withdrawal_reason == "Selling the business"
    assert second.pk != first.pk and second.is_active
    history = Pledge.objects.filter(member=member).order_by("-taken_at", "-pk")
    assert list(history) == [second, first]
    assert selectors.pledge_active_for(member=member) == second


def test_a_member_cannot_hold_two_pledges_at_once(member, store):
    # given a member in good standing
    PledgeFactory(member=member)
    # when it tries to pledge again
    with pytest.raises(ValidationError, match="already taken"):
        PledgeFactory(member=member)
    # then there is still one pledge
    assert Pledge.objects.filter(member=member).count() == 1


def test_a_member_without_a_store_cannot_pledge(member):
    with pytest.raises(ValidationError, match="Add your store"):
        PledgeFactory(member=member)
    assert not Pledge.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text_version": VERSION + 1}, "version"),
        ({"text_version": 0}, "version"),
        ({"language": "de"}, "language"),
        ({"statements": ["rethink_security"]}, "statements"),
        (
            {"statements": [*current_pledge_version().wording("en").statement_ids, "x"]},
            "statements",
        ),
        ({"statements": []}, "statements"),
    ],
)
def test_bad_pledge_input_is_refused_naming_the_field(member, store, changes, field):
    # given a member with a store
    arguments = {"member": member, "text_version": VERSION, "language": "en", **changes}
    # when it pledges with one bad argument
    with pytest.raises(ValidationError) as refused:
        services.pledge_take(**arguments)
    # then the error names the field and nothing is stored
    assert field in refused.value.message_dict
    assert not Pledge.objects.exists()


def test_withdrawing_without_a_pledge_is_refused(member, store):
    with pytest.raises(ValidationError, match="nothing to withdraw"):
        services.pledge_withdraw(member=member)


def test_an_oversized_withdrawal_reason_is_refused_and_the_pledge_stays(pledged, member):
    with pytest.raises(ValidationError) as refused:
        services.pledge_withdraw(member=member, reason="x" * 501)
    assert "reason" in refused.value.message_dict
    pledged.refresh_from_db()
    assert pledged.is_active


def test_signage_keeps_only_known_statements_in_catalogue_order(store, member):
    # when the member confirms two statements, in any order
    services.store_signage_set(
        store=store,
        statements=["time_delay_safe", "video_surveillance", "time_delay_safe"],
        updated_by=member.owner,
    )
    # then they are stored once each, in the catalogue's order
    assert selectors.signage_statements_for(store=store) == (
        "video_surveillance",
        "time_delay_safe",
    )


def test_unknown_signage_statements_are_refused_and_nothing_changes(store, member):
    # given a store whose signs say it has video surveillance
    services.store_signage_set(store=store, statements=["video_surveillance"])
    # when someone posts an unknown statement beside a known one
    with pytest.raises(ValidationError) as refused:
        services.store_signage_set(store=store, statements=["alarm_monitored", "armed_guards"])
    # then the error names the field and the statements are unchanged
    assert "statements" in refused.value.message_dict
    assert StoreSignage.objects.get(store=store).statements == ["video_surveillance"]
