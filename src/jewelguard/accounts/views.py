"""Pages of the accounts room: the member's dashboard, stores, staff and API tokens."""

from __future__ import annotations

from typing import Any

from allauth.account.views import ConfirmEmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from jewelguard.accounts import selectors, services
from jewelguard.accounts.forms import ApiTokenForm, StaffInviteForm, StoreForm
from jewelguard.accounts.models import ApiToken, StaffGrant, Store, User
from jewelguard.accounts.permissions import StoreAction, member_of, store_allows, stores_visible_to


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _store_for(request: HttpRequest, pk: int, action: StoreAction) -> Store:
    """The store, if this user may take the action; 404 when they may not even see it."""
    store = get_object_or_404(Store.objects.select_related("member"), pk=pk)
    if not store_allows(user=request.user, store=store, action=StoreAction.VIEW):
        raise Http404
    if not store_allows(user=request.user, store=store, action=action):
        raise PermissionDenied
    return store


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
    form = StoreForm(request.POST or None, initial=StoreForm.initial_for(store))
    if request.method == "POST" and form.is_valid():
        kept = [
            services.HoursExceptionInput(date=e.date, label=e.label, opens=e.opens, closes=e.closes)
            for e in store.hours_exceptions.all()
        ]
        try:
            services.store_update(store=store, details=form.details(keep_exceptions=kept))
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
    services.store_delete(store=store)
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
            invitation, token = services.staff_invite(
                member=member,
                email=form.cleaned_data["email"],
                grants={store.pk: rights for store in form.cleaned_data["stores"]},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            invitation.refresh_from_db(fields=["email_failed_at"])
            if invitation.email_failed_at is None:
                messages.success(request, _("Invitation sent."))
            else:
                messages.warning(
                    request,
                    _(
                        "The invitation is saved, but the e-mail could not be sent. "
                        "Give them this link yourself: %(url)s"
                    )
                    % {"url": services.staff_invitation_url(token=token)},
                )
            return redirect("accounts:staff")
    grants = StaffGrant.objects.filter(store__member=member).select_related("user", "store")
    return render(
        request,
        "accounts/staff.html",
        {"form": form, "grants": grants, "invitations": member.invitations.all()[:50]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST removes this person's access to the store."""
    member = member_of(user=request.user)
    grant = (
        get_object_or_404(
            StaffGrant.objects.select_related("user", "store"), pk=pk, store__member=member
        )
        if member
        else None
    )
    if grant is None:
        raise Http404
    if request.method == "GET":
        return render(request, "accounts/staff_revoke.html", {"grant": grant})
    services.staff_grant_revoke(grant=grant)
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
        _created, new_token = services.api_token_create(user=user, name=form.cleaned_data["name"])
        form = ApiTokenForm()
    return render(
        request,
        "accounts/api_tokens.html",
        {"form": form, "tokens": user.api_tokens.all(), "new_token": new_token},
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks first; POST revokes the token at once."""
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    if request.method == "GET":
        return render(request, "accounts/api_token_revoke.html", {"token": token})
    services.api_token_revoke(api_token=token)
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
