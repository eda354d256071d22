"""Every write of the pledge room: taking and withdrawing the pledge, and a store's signage."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from jewelguard.accounts.models import Member, Store, User
from jewelguard.core.audit import audit_record
from jewelguard.core.tasks import enqueue_on_commit
from jewelguard.pledge.deterrents import DETERRENT_IDS, deterrents_in_order
from jewelguard.pledge.languages import language_or_default, supported_languages
from jewelguard.pledge.models import Pledge, StoreSignage
from jewelguard.pledge.tasks import toolkit_prepare
from jewelguard.pledge.texts import current_pledge_version, pledge_version
from jewelguard.pledge.toolkit.build import toolkit_discard, toolkit_ready
from jewelguard.pledge.toolkit.spec import ToolkitSpec

MAX_REASON_LENGTH = 500


# How long a queued toolkit build holds off another request for the same one.
TOOLKIT_QUEUED_SECONDS = 120


def _toolkit_queued_key(*, store_id: int, language: str) -> str:
    return f"pledge:toolkit-queued:{store_id}:{language}"


def _toolkit_enqueue(*, store_id: int, language: str, unless_queued: bool) -> None:
    """Queue the toolkit build (on commit), noting it so requests do not queue it again."""
    key = _toolkit_queued_key(store_id=store_id, language=language)
    if unless_queued:
        if not cache.add(key, 1, timeout=TOOLKIT_QUEUED_SECONDS):
            return
    else:
        cache.set(key, 1, timeout=TOOLKIT_QUEUED_SECONDS)
    enqueue_on_commit(toolkit_prepare, store_id=store_id, language=language)


def _prepare_toolkits(*, stores: Sequence[Store], language: str) -> None:
    """After commit, have the worker make the toolkits so they are ready when asked for."""
    for store in stores:
        _toolkit_enqueue(store_id=store.pk, language=language, unless_queued=False)


def toolkit_request(*, spec: ToolkitSpec) -> bool:
    """Have the worker build this toolkit unless it is stored or already queued.

    Returns whether it is stored (ready to serve). Never builds it here: a page or a
    download only asks, so a request costs milliseconds, whatever the toolkit weighs.
    """
    if toolkit_ready(spec) is not None:
        return True
    _toolkit_enqueue(store_id=spec.store_id, language=spec.language, unless_queued=True)
    return False


@transaction.atomic
def pledge_take(
    *,
    member: Member,
    text_version: int,
    language: str,
    statements: Sequence[str] | None = None,
    taken_by: User | None = None,
    request: HttpRequest | None = None,
) -> Pledge:
    """The member takes the pledge, for all its stores, in the version it read.

    ``statements`` are the commitments the member accepted; all of the version's are needed
    (None means all). Raises ValidationError naming the field: an outdated or unknown
    version, an unknown language, a missing commitment, no store yet, or already pledged.
    """
    version = pledge_version(text_version)
    if version is None or version.version != current_pledge_version().version:
        raise ValidationError(
            {
                "version": _(
                    "The pledge has changed since you opened it. Read it again, then take it."
                )
            }
        )
    if language not in supported_languages():
        raise ValidationError({"language": _("Choose English or French.")})
    wording = version.wording(language)
    accepted = tuple(wording.statement_ids if statements is None else statements)
    unknown = sorted(set(accepted) - set(wording.statement_ids))
    if unknown:
        raise ValidationError(
            {"statements": _("Unknown commitment: %(ids)s.") % {"ids": ", ".join(unknown)}}
        )
    if set(accepted) != set(wording.statement_ids):
        raise ValidationError(
            {"statements": _("The pledge is taken whole: accept every commitment.")}
        )
    # Lock the member so two submissions cannot both find no pledge in force.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    stores = list(member.stores.all())
    if not stores:
        raise ValidationError(
            _("Add your store before you take the pledge: it covers your stores.")
        )
    if Pledge.objects.active().filter(member=member).exists():
        raise ValidationError(_("You have already taken the pledge."))
    try:
        with transaction.atomic():
            pledge = Pledge.objects.create(
                member=member,
                taken_by=taken_by,
                text_version=version.version,
                text_sha256=wording.sha256,
                language=language,
                statements=list(wording.statement_ids),
            )
    except IntegrityError:
        raise ValidationError(_("You have already taken the pledge.")) from None
    audit_record(
        actor=taken_by,
        action="pledge.taken",
        target=pledge,
        target_repr=f"{member.name} (v{version.version})",
        request=request,
        details={"text_version": version.version, "language": language},
    )
    _prepare_toolkits(stores=stores, language=language_or_default(member.owner.language))
    return pledge


@transaction.atomic
def pledge_withdraw(
    *,
    member: Member,
    reason: str = "",
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> Pledge:
    """The member withdraws; its badges then say "no longer a member". History is kept."""
    reason = reason.strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)s characters.") % {"max": MAX_REASON_LENGTH}}
        )
    pledge = Pledge.objects.select_for_update().active().filter(member=member).first()
    if pledge is None:
        raise ValidationError(_("You have not taken the pledge, so there is nothing to withdraw."))
    pledge.withdrawn_at = timezone.now()
    pledge.withdrawal_reason = reason
    pledge.save(update_fields=["withdrawn_at", "withdrawal_reason"])
    # The reason is the member's own words: it stays on the pledge, not in the log.
    audit_record(
        actor=actor,
        action="pledge.withdrawn",
        target=pledge,
        target_repr=f"{member.name} (v{pledge.text_version})",
        request=request,
    )
    store_ids = list(member.stores.values_list("pk", flat=True))
    # The files show a membership that has ended: remove them once that is committed.
    for store_id in store_ids:
        transaction.on_commit(partial(toolkit_discard, store_id=store_id))
    return pledge


@transaction.atomic
def store_signage_set(
    *, store: Store, statements: Sequence[str], updated_by: User | None = None
) -> StoreSignage:
    """Record which deterrent statements the member confirmed are true of this store."""
    unknown = sorted(set(statements) - set(DETERRENT_IDS))
    if unknown:
        raise ValidationError(
            {"statements": _("Unknown statement: %(ids)s.") % {"ids": ", ".join(unknown)}}
        )
    chosen = [d.id for d in deterrents_in_order(statements)]
    signage, _created = StoreSignage.objects.update_or_create(
        store=store,
        defaults={"statements": chosen, "updated_at": timezone.now(), "updated_by": updated_by},
    )
    if Pledge.objects.active().filter(member_id=store.member_id).exists():
        _prepare_toolkits(stores=[store], language=language_or_default(store.member.owner.language))
    return signage
