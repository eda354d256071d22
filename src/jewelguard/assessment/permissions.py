"""Who may do what with risk assessments.

- An assessment is read and answered by whoever may change its store: the member who owns it,
  staff with the right to edit the store, administrators.
- An analyst reads an assessment only with a grant for its member (the virtual assessment is
  done by invitation); nobody else of the association, and no officer, sees one. With that
  grant the analyst also answers (on a call with the jeweler, recorded as theirs), adds
  observations and photos, and marks findings; only the analyst (or an administrator) does
  those last two, which the member's people read.
- Only administrators delete one (erasure); an assessment is otherwise kept as the record of
  its result.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jewelguard.accounts.models import Role, Store, User
from jewelguard.accounts.permissions import StoreAction, members_granted_to, user_is_admin
from jewelguard.assessment.models import Assessment
from jewelguard.core.forms import DATABASE_ID_MAX
from jewelguard.core.permissions import Action, Who, policy_register, restrict
from jewelguard.core.topics import topic_rule_register


class AssessmentPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        if not isinstance(user, User) or not user.is_active:
            return queryset.none()
        if user_is_admin(user=user):
            return queryset
        if action == Action.DELETE:
            return queryset.none()
        if action in (Action.VIEW, Action.CHANGE) and user.role == Role.ANALYST:
            return queryset.filter(store__member__in=members_granted_to(analyst=user))
        if action in (Action.VIEW, Action.ADD, Action.CHANGE):
            stores = restrict(Store.objects.all(), user=user, action=StoreAction.EDIT)
            return queryset.filter(store__in=stores)
        return queryset.none()


def assessment_analyst_may_work(*, user: Who, assessment: Assessment) -> bool:
    """Whether ``user`` may add observations and findings: an administrator, or an analyst
    with a current grant for the assessment's member."""
    if not isinstance(user, User) or not user.is_active:
        return False
    if user_is_admin(user=user):
        return True
    return (
        user.role == Role.ANALYST
        and members_granted_to(analyst=user).filter(member=assessment.store.member_id).exists()
    )


def assessment_topic_permitted(user: Any, ident: str) -> bool:
    """``assessment:<id>``: whoever may see that assessment (its member's people with the
    right to change the store, the analyst with a grant, administrators)."""
    if not ident.isascii() or not ident.isdigit() or not 0 < int(ident) <= DATABASE_ID_MAX:
        return False
    return restrict(
        Assessment.objects.filter(pk=int(ident)), user=user, action=Action.VIEW
    ).exists()


def assessment_policies_register() -> None:
    policy_register(kind=Assessment, policy=AssessmentPolicy())
    topic_rule_register(kind="assessment", check=assessment_topic_permitted)


def assessment_stores_visible(*, user: Who) -> QuerySet[Store]:
    """The stores whose assessments (reports, progress, history, peers) ``user`` may read.

    The same rule as ``AssessmentPolicy`` for viewing, so that a store's history is open to
    exactly those who may open each of its assessments.
    """
    if not isinstance(user, User) or not user.is_active:
        return Store.objects.none()
    if user_is_admin(user=user):
        return Store.objects.all()
    if user.role == Role.ANALYST:
        return Store.objects.filter(member__in=members_granted_to(analyst=user))
    return restrict(Store.objects.all(), user=user, action=StoreAction.EDIT)
