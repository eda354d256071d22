"""Who may follow which topic, and how the stream endpoint refuses everybody else."""

from __future__ import annotations

import pytest

from jewelguard.accounts.models import Role
from jewelguard.core import topics
from jewelguard.core.topics import topic_permitted, topic_rule_register
from tests.conftest import client_for, make_user

pytestmark = pytest.mark.django_db


def test_user_follows_own_topic_only(member, other_member):
    ana, sam = member.owner, other_member.owner
    assert topic_permitted(user=ana, topic=f"user:{ana.pk}")
    assert not topic_permitted(user=ana, topic=f"user:{sam.pk}")


def test_staff_analysts_and_officers_do_not_follow_other_users(
    member, staff_user, analyst, officer
):
    for user in (staff_user, analyst, officer):
        assert not topic_permitted(user=user, topic=f"user:{member.owner.pk}")


def test_superuser_follows_any_user_topic(member):
    admin = make_user("root@association.example", role=Role.ADMIN)
    assert topic_permitted(user=admin, topic=f"user:{member.owner.pk}")


def test_kind_nobody_registered_is_followed_by_nobody(member):
    admin = make_user("root@association.example", role=Role.ADMIN)
    assert not topic_permitted(user=admin, topic="vault:1")
    assert not topic_permitted(user=member.owner, topic="vault:1")


def test_a_room_registers_its_own_kind(member, other_member, monkeypatch):
    monkeypatch.setattr(topics, "_rules", dict(topics._rules))
    topic_rule_register(kind="store", check=lambda user, ident: ident == "7")
    assert topic_permitted(user=member.owner, topic="store:7")
    assert not topic_permitted(user=member.owner, topic="store:8")


def test_a_kind_has_one_rule(monkeypatch):
    monkeypatch.setattr(topics, "_rules", dict(topics._rules))
    with pytest.raises(ValueError, match="user"):
        topic_rule_register(kind="user", check=lambda user, ident: True)


def test_inactive_user_follows_nothing(member):
    member.owner.is_active = False
    assert not topic_permitted(user=member.owner, topic=f"user:{member.owner.pk}")


def test_stream_of_another_users_topic_is_forbidden(member, other_member):
    response = client_for(member.owner).get(
        "/events/stream", {"topic": f"user:{other_member.owner.pk}"}
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/plain")


def test_stream_with_one_forbidden_topic_among_allowed_ones_is_forbidden(member, other_member):
    ana = member.owner
    response = client_for(ana).get(
        f"/events/stream?topic=user:{ana.pk}&topic=user:{other_member.owner.pk}"
    )
    assert response.status_code == 403


def test_anonymous_visitor_may_not_follow_any_user(client, member):
    response = client.get("/events/stream", {"topic": f"user:{member.owner.pk}"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "query",
    ["", "?topic=", "?topic=user", "?topic=user:1%0Aid:%205", "?topic=" + "a" * 5000],
)
def test_missing_or_malformed_topic_is_a_bad_request_naming_it(member, query):
    response = client_for(member.owner).get(f"/events/stream{query}")
    assert response.status_code == 400
    assert response.content.decode().startswith("topic:")


def test_too_many_topics_is_a_bad_request(member):
    own = f"user:{member.owner.pk}"
    response = client_for(member.owner).get("/events/stream?" + "&".join([f"topic={own}"] * 11))
    assert response.status_code == 400


@pytest.mark.parametrize("bad", ["abc", "-1", "1.5", "99999999999999999999", "١٢"])
def test_malformed_last_event_id_is_a_bad_request_naming_it(member, bad):
    client = client_for(member.owner)
    own = f"user:{member.owner.pk}"
    by_header = client.get("/events/stream", {"topic": own}, headers={"Last-Event-ID": bad})
    by_query = client.get("/events/stream", {"topic": own, "last_event_id": bad})
    assert by_header.status_code == 400
    assert "Last-Event-ID" in by_header.content.decode()
    assert by_query.status_code == 400
    assert "last_event_id" in by_query.content.decode()


def test_stream_answers_only_get(member):
    response = client_for(member.owner).post("/events/stream?topic=user:" + str(member.owner.pk))
    assert response.status_code == 405


def test_refusal_speaks_french_to_a_french_browser(member, other_member):
    response = client_for(member.owner).get(
        "/events/stream",
        {"topic": f"user:{other_member.owner.pk}"},
        headers={"Accept-Language": "fr-CA"},
    )
    assert response.status_code == 403
    assert "vous ne pouvez pas suivre ce sujet" in response.content.decode()
