"""Pages of the pledge room: the pledge, the toolkit, badge verification, the analysts' list."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jewelguard.accounts.models import Member, Role, Store, User
from jewelguard.accounts.permissions import (
    member_of,
    user_is_association_staff,
)
from jewelguard.core.documents import document_storage
from jewelguard.core.permissions import Action, object_allows, object_get_or_refuse
from jewelguard.pledge import selectors, services
from jewelguard.pledge.forms import PledgeForm, SignageForm, ToolkitLanguageForm, WithdrawForm
from jewelguard.pledge.languages import language_or_default, supported_languages
from jewelguard.pledge.models import Pledge
from jewelguard.pledge.permissions import STAFF_BRIEFING, TOOLKIT
from jewelguard.pledge.texts import current_pledge_version
from jewelguard.pledge.toolkit.build import (
    BRIEFING_FILES,
    CONTENT_TYPES,
    FILES,
    ZIP_NAME,
    BuiltToolkit,
    ToolkitFile,
    toolkit_ready,
)
from jewelguard.pledge.toolkit.spec import ToolkitSpec
from jewelguard.pledge.verification import BadgeStatus, badge_check

# How often the "being built" page looks again.
BUILDING_REFRESH_SECONDS = 3


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _index(
    request: HttpRequest,
    *,
    form: PledgeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    language = language_or_default(get_language())
    version = current_pledge_version()
    member = member_of(user=request.user)
    pledge = selectors.pledge_active_for(member=member) if member else None
    stores = list(member.stores.all()) if member else []
    counts = selectors.pledged_store_counts()
    chart = selectors.pledged_store_chart(counts=counts)
    context = {
        "wording": version.wording(language),
        "member": member,
        "pledge": pledge,
        "stores": stores,
        "form": form or PledgeForm(initial={"version": version.version}),
        "counts": counts,
        "bars": chart.bars,
        "chart": chart,
    }
    return render(request, "pledge/index.html", context, status=status)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """What the pledge is, how many stores took it where, and, for a member, taking it."""
    return _index(request)


def _member_or_403(request: HttpRequest) -> Member:
    member = member_of(user=request.user)
    if member is None:
        raise PermissionDenied
    return member


@login_required
@require_POST
def take(request: HttpRequest) -> HttpResponse:
    member = _member_or_403(request)
    form = PledgeForm(request.POST)
    if form.is_valid():
        try:
            services.pledge_take(
                member=member,
                text_version=form.cleaned_data["version"],
                language=language_or_default(get_language()),
                taken_by=_user(request),
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Thank you: you are now a Partner for Protection member."))
            return redirect("pledge:toolkit")
    return _index(request, form=form)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest) -> HttpResponse:
    member = _member_or_403(request)
    pledge = selectors.pledge_active_for(member=member)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_withdraw(
                member=member,
                reason=form.cleaned_data["reason"],
                actor=_user(request),
                request=request,
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("You have withdrawn from the pledge."))
            return redirect("pledge:index")
    return render(request, "pledge/withdraw.html", {"form": form, "pledge": pledge})


@login_required
@require_GET
def toolkit_stores(request: HttpRequest) -> HttpResponse:
    """The member's stores, each with a link to its toolkit; an invitation if not pledged.

    Staff see the staff briefings of the pledged stores they work at; officers, analysts and
    administrators, who cannot pledge, are told what the toolkit is to them.
    """
    user = _user(request)
    member = member_of(user=user)
    if member is None and user.role != Role.MEMBER:
        return _toolkit_for_role(request, user)
    pledge = selectors.pledge_active_for(member=member) if member else None
    stores = list(member.stores.all()) if member else []
    if pledge and len(stores) == 1:
        return redirect("pledge:toolkit_store", store_id=stores[0].pk)
    return render(
        request,
        "pledge/toolkit_stores.html",
        {"member": member, "pledge": pledge, "stores": stores},
    )


def _toolkit_for_role(request: HttpRequest, user: User) -> HttpResponse:
    briefings = []
    if user.role == Role.STAFF:
        language = language_or_default(get_language())
        for store in selectors.pledged_stores_of_staff(user=user):
            pledge = selectors.pledge_active_for(member=store.member)
            assert pledge is not None
            spec = selectors.toolkit_spec_for(store=store, pledge=pledge, language=language)
            links = [
                ToolkitLink(
                    file=f,
                    url=_file_url(spec, f.name, download=True),
                    download=_file_url(spec, f.name, download=True),
                )
                for f in BRIEFING_FILES
            ]
            briefings.append({"store": store, "links": links})
    return render(request, "pledge/toolkit_role.html", {"role": user.role, "briefings": briefings})


def _toolkit_store(
    request: HttpRequest, store_id: int, action: Action = Action.VIEW, kind: str = TOOLKIT
) -> tuple[Store, Pledge | None]:
    """The store if this user may take ``action`` on its toolkit (pledge.permissions); 404
    for anyone who may not see it, so that nobody learns another member's stores exist."""
    store = object_get_or_refuse(
        Store.objects.select_related("member", "member__owner"),
        pk=store_id,
        user=request.user,
        action=action,
        kind=kind,
    )
    return store, selectors.pledge_active_for(member=store.member)


@dataclass(frozen=True)
class ToolkitLink:
    file: ToolkitFile
    url: str
    download: str


def _file_url(spec: ToolkitSpec, name: str, *, download: bool = False) -> str:
    url = reverse("pledge:toolkit_file", args=[spec.store_id, spec.language, name])
    return f"{url}?{'download=1&' if download else ''}v={spec.key()[:12]}"


def _toolkit_page(
    request: HttpRequest,
    store: Store,
    pledge: Pledge,
    *,
    signage_form: SignageForm | None = None,
) -> HttpResponse:
    default = language_or_default(store.member.owner.language)
    language_form = ToolkitLanguageForm(request.GET or None, initial={"language": default})
    language = language_form.cleaned_data["language"] if language_form.is_valid() else default
    spec = selectors.toolkit_spec_for(store=store, pledge=pledge, language=language)
    # Never built here: the worker makes it; meanwhile the page says so and looks again.
    ready = services.toolkit_request(spec=spec)
    files = [
        ToolkitLink(
            file=f, url=_file_url(spec, f.name), download=_file_url(spec, f.name, download=True)
        )
        for f in FILES
    ]
    response = render(
        request,
        "pledge/toolkit.html",
        {
            "store": store,
            "pledge": pledge,
            "spec": spec,
            "files": files,
            "previews": [link for link in files if link.file.preview],
            "zip_url": _file_url(spec, ZIP_NAME, download=True),
            "language_form": language_form,
            "can_change_signage": object_allows(
                obj=store, user=request.user, action=Action.CHANGE, kind=TOOLKIT
            ),
            "signage_form": signage_form
            or SignageForm(initial={"statements": list(spec.statements)}),
            "ready": ready,
            # A refresh would lose what the member is correcting in the form.
            "refresh_seconds": BUILDING_REFRESH_SECONDS if not ready and not signage_form else 0,
        },
    )
    if not ready:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def toolkit_store(request: HttpRequest, store_id: int) -> HttpResponse:
    """One store's toolkit: previews, downloads, and what its signs may claim."""
    store, pledge = _toolkit_store(request, store_id)
    if pledge is None:
        return render(request, "pledge/toolkit_invitation.html", {"store": store})
    return _toolkit_page(request, store, pledge)


@login_required
@require_POST
def toolkit_signage(request: HttpRequest, store_id: int) -> HttpResponse:
    store, pledge = _toolkit_store(request, store_id, Action.CHANGE)
    if pledge is None:
        return render(request, "pledge/toolkit_invitation.html", {"store": store})
    form = SignageForm(request.POST)
    if form.is_valid():
        try:
            services.store_signage_set(
                store=store, statements=form.cleaned_data["statements"], updated_by=_user(request)
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Saved. Your signs now show what you ticked."))
            return redirect("pledge:toolkit_store", store_id=store.pk)
    return _toolkit_page(request, store, pledge, signage_form=form)


def _toolkit_building(
    request: HttpRequest, *, store: Store, spec: ToolkitSpec, status: int
) -> HttpResponse:
    """The toolkit is being made by the worker: say so, and look again in a few seconds."""
    response = render(
        request,
        "pledge/toolkit_building.html",
        {"store": store, "spec": spec, "refresh_seconds": BUILDING_REFRESH_SECONDS},
        status=status,
    )
    response["Cache-Control"] = "no-store"
    response["Retry-After"] = str(BUILDING_REFRESH_SECONDS)
    return response


@login_required
@require_GET
def toolkit_file(request: HttpRequest, store_id: int, language: str, name: str) -> HttpResponseBase:
    # The staff briefing is made for the store's staff, who may fetch it and nothing else.
    kind = STAFF_BRIEFING if name in {f.name for f in BRIEFING_FILES} else TOOLKIT
    store, pledge = _toolkit_store(request, store_id, kind=kind)
    if pledge is None or name not in CONTENT_TYPES or language not in supported_languages():
        raise Http404
    spec = selectors.toolkit_spec_for(store=store, pledge=pledge, language=language)
    built: BuiltToolkit | None = toolkit_ready(spec)
    if built is None:
        # Never built here: ask the worker, and show the same state as the toolkit page.
        services.toolkit_request(spec=spec)
        return _toolkit_building(request, store=store, spec=spec, status=202)
    slug = slugify(store.name)[:60] or "store"
    download_name = (
        f"{slug}-partner-for-protection-toolkit.zip" if name == ZIP_NAME else f"{slug}-{name}"
    )
    # Previews are shown inline; everything else, SVG included, is only ever downloaded.
    inline = name.endswith(".png") and not request.GET.get("download")
    response = FileResponse(
        document_storage().open(built.name_of(name), "rb"),
        content_type=CONTENT_TYPES[name],
        as_attachment=not inline,
        filename=download_name,
    )
    fresh = request.GET.get("v") == spec.key()[:12]
    response["Cache-Control"] = "private, max-age=86400" if fresh else "private, no-cache"
    return response


@require_GET
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """The public page a badge's QR code opens: valid, no longer a member, or not a badge."""
    check = badge_check(token=token)
    status = 404 if check.status == BadgeStatus.INVALID else 200
    response = render(request, "pledge/verify.html", {"check": check}, status=status)
    # The answer must be today's, and the page has no business in search engines.
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_GET
def members(request: HttpRequest) -> HttpResponse:
    """For the association's analysts: who has pledged, and who withdrew."""
    if not user_is_association_staff(user=request.user):
        raise PermissionDenied
    return render(
        request,
        "pledge/members.html",
        {
            "pledges": selectors.pledged_members(),
            "withdrawn": selectors.withdrawn_pledges(),
            "counts": selectors.pledged_store_counts(),
        },
    )
