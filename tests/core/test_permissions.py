"""The permission registry in core: one policy per kind, rooms register, core imports none."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils import timezone

import jewelguard
from jewelguard.accounts.models import Role, StaffGrant, Store
from jewelguard.accounts.permissions import StorePolicy
from jewelguard.core.permissions import (
    Action,
    object_get_or_refuse,
    policy_for,
    policy_register,
    restrict,
)
from tests.factories import AnalystGrantFactory, StaffGrantFactory

CORE = Path(jewelguard.__file__).parent / "core"
ROOMS = ("accounts", "pledge", "playbook", "intel", "alerts", "assessment", "sentinel", "response")


def test_core_imports_no_room():
    # Rooms register their policies with core; core reads nothing of theirs.
    rooms = tuple(f"jewelguard.{room}" for room in ROOMS)
    offending = []
    for path in CORE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            offending += [f"{path.name}: {name}" for name in names if name.startswith(rooms)]
    assert offending == []


def test_every_kind_that_pages_api_and_admin_ask_has_a_policy():
    for kind in ("accounts.Store", "accounts.StaffGrant", "accounts.StaffInvitation",
                 "accounts.ApiToken", "pledge.Pledge", "pledge.toolkit", "core.AuditEntry",
                 "playbook.Inquiry"):  # fmt: skip
        assert hasattr(policy_for(kind), "restrict"), kind


def test_a_kind_without_a_policy_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match=r"nowhere\.Nothing"):
        policy_for("nowhere.Nothing")


def test_a_second_policy_for_the_same_kind_is_refused():
    class Lenient:
        def restrict(self, queryset, *, user, action):
            return queryset

    with pytest.raises(ImproperlyConfigured, match=r"accounts\.Store already has a policy"):
        policy_register(kind=Store, policy=Lenient())
    policy_register(kind=Store, policy=StorePolicy())  # the same again is harmless
    assert isinstance(policy_for(Store), StorePolicy)


def test_visitors_and_deactivated_users_get_nothing(store):
    assert not restrict(Store.objects.all(), user=AnonymousUser(), action=Action.VIEW).exists()
    owner = store.member.owner
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    assert not restrict(Store.objects.all(), user=owner, action=Action.VIEW).exists()


@pytest.mark.parametrize("pk", ["abc", "", None, 10**30, "1 OR 1=1"])
def test_an_impossible_id_is_not_found_rather_than_an_error(store, pk):
    with pytest.raises(Http404):
        object_get_or_refuse(Store.objects.all(), pk=pk, user=store.member.owner, action="view")


def test_visible_but_not_allowed_is_refused_and_invisible_is_not_found(store, other_store):
    staff = StaffGrantFactory(store=store).user
    with pytest.raises(PermissionDenied):
        object_get_or_refuse(Store.objects.all(), pk=store.pk, user=staff, action="delete")
    with pytest.raises(Http404):
        object_get_or_refuse(Store.objects.all(), pk=other_store.pk, user=staff, action="delete")


def test_an_expired_analyst_grant_opens_nothing(store):
    grant = AnalystGrantFactory(member=store.member)
    StaffGrantFactory(store=store)
    analyst = grant.analyst
    assert restrict(StaffGrant.objects.all(), user=analyst, action="view").count() == 1
    grant.expires_at = timezone.now() - timedelta(minutes=1)
    grant.save(update_fields=["expires_at"])
    assert restrict(StaffGrant.objects.all(), user=analyst, action="view").count() == 0


def test_a_grant_to_someone_no_longer_an_analyst_opens_nothing(store):
    grant = AnalystGrantFactory(member=store.member)
    StaffGrantFactory(store=store)
    person = grant.analyst
    person.role = Role.MEMBER
    person.save(update_fields=["role"])
    assert restrict(StaffGrant.objects.all(), user=person, action="view").count() == 0


def test_another_members_store_is_not_opened_by_a_grant_for_one_member(store, other_store):
    grant = AnalystGrantFactory(member=store.member)
    StaffGrantFactory(store=other_store)
    assert not restrict(StaffGrant.objects.all(), user=grant.analyst, action="view").exists()
