"""Pages of the accounts room: the member's dashboard, stores, staff and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from allauth.account.views import ConfirmEmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from jewelguard.accounts import selectors, services
from jewelguard.accounts.forms import ApiTokenForm, StaffInviteForm, StoreForm
from jewelguard.accounts.models import ApiToken, StaffGrant, StaffInvitation, Store, User
from jewelguard.accounts.permissions import StoreAction, member_of, store_allows, stores_visible_to
from jewelguard.core.models import EmailDelivery, EmailStatus
from jewelguard.core.permissions import Action, object_get_or_refuse
from jewelguard.core.selectors import email_deliveries_latest


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _store_for(request: HttpRequest, pk: int, action: StoreAction) -> Store:
    """The store, if this user may take the action; 404 when they may not even see it."""
    return object_get_or_refuse(
        Store.objects.select_related("member"), pk=pk, user=request.user, action=action
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    member = member_of(user=request.user)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "member": member,
            "stores": stores_visible_to(user=request.user),
            "overview": selectors.member_overview(member=member) if member else None,
        },
    )


@login_required
def store_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/store_list.html",
        {"member": member_of(user=request.user), "stores": stores_visible_to(user=request.user)},
    )


@login_required
def store_create(request: HttpRequest) -> HttpResponse:
    member = member_of(user=request.user)
    if member is None:
        raise PermissionDenied
    form = StoreForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            store = services.store_create(member=member, details=form.details())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Store added: %(name)s") % {"name": store.name})
            return redirect("accounts:store_detail", pk=store.pk)
    return render(request, "accounts/store_form.html", {"form": form, "store": None})


@login_required
def store_detail(request: HttpRequest, pk: int) -> HttpResponse:
    store = _store_for(request, pk, StoreAction.VIEW)
    return render(
        request,
        "accounts/store_detail.html",
        {
            "store": store,
            "can_edit": store_allows(user=request.user, store=store, action=StoreAction.EDIT),
            "can_delete": store_allows(user=request.user, store=store, action=StoreAction.DELETE),
        },
    )


@login_required
def store_edit(request: HttpRequest, pk: int) -> HttpResponse:
    store = _store_for(request, pk, StoreAction.EDIT)
    form = StoreForm(
        request.POST or None,
        initial=StoreForm.initial_for(store),
        special_days=StoreForm.special_days_for(store),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.store_update(
                store=store,
                details=form.details(),
                # A form sent without its special days (an older page) keeps the saved ones.
                keep_special_days=not form.special_days_sent,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Store saved."))
            return redirect("accounts:store_detail", pk=store.pk)
    return render(request, "accounts/store_form.html", {"form": form, "store": store})


@login_required
@require_http_methods(["GET", "POST"])
def store_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first, saying what goes with the store; POST removes it."""
    store = _store_for(request, pk, StoreAction.DELETE)
    if request.method == "GET":
        return render(
            request,
            "accounts/store_delete.html",
            {"removal": selectors.store_removal_summary(store=store)},
        )
    name = store.name
    services.store_delete(store=store, actor=_user(request), request=request)
    messages.success(request, _("Store removed: %(name)s") % {"name": name})
    return redirect("accounts:store_list")


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    member = member_of(user=request.user)
    if member is None:
        raise PermissionDenied
    form = StaffInviteForm(request.POST or None, member_stores=member.stores.all())
    if request.method == "POST" and form.is_valid():
        rights = form.cleaned_data["rights"]
        try:
            services.staff_invite(
                member=member,
                email=form.cleaned_data["email"],
                grants={store.pk: rights for store in form.cleaned_data["stores"]},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, _("Invitation saved. Its e-mail is on its way: see below how it went.")
            )
            return redirect("accounts:staff")
    grants = StaffGrant.objects.filter(store__member=member).select_related("user", "store")
    invitations = list(member.invitations.all()[:50])
    deliveries = email_deliveries_latest(objects=invitations)
    rows = [_invitation_row(i, deliveries.get(i.pk), timezone.now()) for i in invitations]
    return render(
        request, "accounts/staff.html", {"form": form, "grants": grants, "invitations": rows}
    )


@dataclass(frozen=True)
class StaffInvitationRow:
    """An invitation on the staff page, with its e-mail's state from the delivery log."""

    invitation: StaffInvitation
    delivery: EmailDelivery | None
    waiting: bool
    # A link to pass on by hand, while the e-mail has failed.
    url: str


def _invitation_row(
    invitation: StaffInvitation, delivery: EmailDelivery | None, now: datetime
) -> StaffInvitationRow:
    waiting = invitation.accepted_at is None and invitation.expires_at >= now
    failed = delivery is not None and delivery.status == EmailStatus.FAILED
    url = ""
    if waiting and failed and invitation.link_nonce:
        url = services.staff_invitation_url(invitation=invitation)
    return StaffInvitationRow(invitation=invitation, delivery=delivery, waiting=waiting, url=url)


@login_required
@require_POST
def staff_invitation_resend(request: HttpRequest, pk: int) -> HttpResponse:
    """The member sends an invitation whose e-mail failed again; only its own invitations."""
    invitation = object_get_or_refuse(
        StaffInvitation.objects.all(), pk=pk, user=request.user, action=Action.CHANGE
    )
    try:
        services.staff_invitation_resend(invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The invitation e-mail is queued again."))
    return redirect("accounts:staff")


@login_required
@require_http_methods(["GET", "POST"])
def staff_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST removes this person's access to the store."""
    grant = object_get_or_refuse(
        StaffGrant.objects.select_related("user", "store"),
        pk=pk,
        user=request.user,
        action=Action.DELETE,
    )
    if request.method == "GET":
        return render(request, "accounts/staff_revoke.html", {"grant": grant})
    services.staff_grant_revoke(grant=grant, actor=_user(request), request=request)
    messages.success(request, _("Access removed."))
    return redirect("accounts:staff")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The page an invitation e-mail links to: sign up or log in, then accept.

    Open to visitors, so that an invitee without an account learns what to do; accepting
    needs a signed-in user with the invited address.
    """
    invitation = selectors.staff_invitation_pending(token=token)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.staff_invitation_accept(token=token, user=_user(request))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("You now have access to the stores you were invited to."))
            return redirect("accounts:store_list")
    stores = (
        selectors.staff_invitation_stores(invitation=invitation)
        if invitation
        else Store.objects.none()
    )
    return render(
        request,
        "accounts/invitation_accept.html",
        {"token": token, "invitation": invitation, "stores": stores},
        status=200 if invitation else 404,
    )


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _created, new_token = services.api_token_create(
            user=user, name=form.cleaned_data["name"], request=request
        )
        form = ApiTokenForm()
    response = render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": user.api_tokens.all(), "new_token": new_token},
    )
    # The page may hold a token shown once: no browser or proxy may keep a copy.
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST revokes the token at once."""
    token = object_get_or_refuse(
        ApiToken.objects.all(), pk=pk, user=request.user, action=Action.DELETE
    )
    if request.method == "GET":
        return render(request, "accounts/api_token_revoke.html", {"token": token})
    services.api_token_revoke(api_token=token, actor=_user(request), request=request)
    messages.success(request, _("Token revoked."))
    return redirect("accounts:api_tokens")


class EmailConfirmView(ConfirmEmailView):  # type: ignore[misc]
    """allauth's confirmation link, without logging out whoever is signed in here.

    A jeweler often opens the link on another device or browser, where someone else (a
    colleague, an administrator) may be signed in; the key alone proves the address, so
    confirming it need not end that other session.
    """

    def logout_other_user(self, confirmation: Any) -> None:
        return None

    def get_redirect_url(self) -> str:
        user = self.request.user
        if user.is_authenticated and user.pk != self.object.email_address.user_id:
            messages.info(
                self.request,
                _("%(email)s is confirmed; you are still logged in as %(current)s.")
                % {"email": self.object.email_address.email, "current": user.email},
            )
            return str(resolve_url("accounts:dashboard"))
        return str(super().get_redirect_url())
