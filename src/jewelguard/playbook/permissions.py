"""Who may handle inquiries: the association's analysts and administrators, nobody else."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.permissions import Action, Who, policy_register
from jewelguard.playbook.models import Inquiry


class InquiryPolicy:
    def restrict(self, queryset: QuerySet[Any], *, user: Who, action: str) -> QuerySet[Any]:
        # Inquiries come from the public forms only; deleting honours a request to erase.
        if action != Action.ADD and user_is_association_staff(user=user):
            return queryset
        return queryset.none()


def playbook_policies_register() -> None:
    policy_register(kind=Inquiry, policy=InquiryPolicy())
