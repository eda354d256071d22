"""Pages of the report, progress, peers, sharing with an analyst, and the analysts' portfolio.

Every page asks the one assessment policy: another member, staff without the right to edit
the store, an analyst without the member's grant and any officer get a 404, as if the
assessment did not exist.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jewelguard.accounts import services as accounts_services
from jewelguard.accounts.models import AnalystGrant, Member, Role, User
from jewelguard.accounts.permissions import member_of
from jewelguard.assessment import peers, portfolio, progress, report
from jewelguard.assessment.models import Assessment
from jewelguard.assessment.permissions import assessment_stores_visible
from jewelguard.assessment.tasks import report_prepare
from jewelguard.core.brand import COLOURS
from jewelguard.core.content import content_language
from jewelguard.core.errors import ServiceError
from jewelguard.core.forms import database_id_fits
from jewelguard.core.permissions import Action, object_get_or_refuse
from jewelguard.core.tasks import enqueue_on_commit


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def assessment_for(request: HttpRequest, pk: int) -> Assessment:
    """The assessment if this user may read it; 404 otherwise."""
    if not database_id_fits(pk):
        raise Http404
    return object_get_or_refuse(
        Assessment.objects.select_related("store__member__owner"),
        pk=pk,
        user=request.user,
        action=Action.VIEW,
    )


def report_response(*, assessment: Assessment, file_format: str) -> HttpResponse:
    """The report as a download, PDF or standalone HTML, in the member's language."""
    built = report.report_build(assessment=assessment)
    if file_format == "pdf":
        response = HttpResponse(report.report_pdf(report=built), content_type="application/pdf")
    else:
        response = HttpResponse(
            report.report_html(report=built), content_type="text/html; charset=utf-8"
        )
    filename = report.report_filename(report=built, extension=file_format)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def report_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    built = report.report_build(
        assessment=assessment, language=content_language(request.LANGUAGE_CODE)
    )
    # The PDF takes WeasyPrint most of a second: set it now, in the worker, so that the
    # download link, clicked a moment later, reads a stored file.
    member_copy = (
        built
        if built.language == report.report_language(assessment=assessment)
        else report.report_build(assessment=assessment)
    )
    if not report.report_pdf_stored(report=member_copy):
        enqueue_on_commit(report_prepare, assessment_id=assessment.pk)
    return render(
        request,
        "assessment/report.html",
        {
            "report": built,
            "assessment": assessment,
            "colours": COLOURS,
            "is_owner": assessment.store.member.owner_id == request.user.pk,
        },
    )


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return report_response(assessment=assessment_for(request, pk), file_format="pdf")


@login_required
@require_GET
def report_html(request: HttpRequest, pk: int) -> HttpResponse:
    return report_response(assessment=assessment_for(request, pk), file_format="html")


@login_required
@require_GET
def progress_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    return render(
        request,
        "assessment/progress.html",
        {
            "assessment": assessment,
            "comparison": progress.assessment_progress(assessment=assessment),
        },
    )


@login_required
@require_GET
def history_page(request: HttpRequest, store_pk: int) -> HttpResponse:
    if not database_id_fits(store_pk):
        raise Http404
    store = (
        assessment_stores_visible(user=request.user)
        .select_related("member")
        .filter(pk=store_pk)
        .first()
    )
    if store is None:
        raise Http404
    return render(
        request,
        "assessment/history.html",
        {"store": store, "history": progress.store_history(store=store), "colours": COLOURS},
    )


@login_required
@require_GET
def peers_page(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = assessment_for(request, pk)
    view = peers.peer_view(assessment=assessment, language=content_language(request.LANGUAGE_CODE))
    return render(
        request,
        "assessment/peers.html",
        {
            "assessment": assessment,
            "view": view if isinstance(view, peers.PeerView) else None,
            "refusal": view if isinstance(view, peers.PeerRefusal) else None,
            "min_peers": peers.MIN_PEERS,
            "kind_label": ", ".join(view.kind) if isinstance(view, peers.PeerView) else "",
        },
    )


class ShareForm(forms.Form):
    analyst = forms.TypedChoiceField(label=gettext_lazy("Analyst"), coerce=int)
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        max_length=accounts_services.MAX_GRANT_REASON,
        required=False,
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        analysts = User.objects.filter(role=Role.ANALYST, is_active=True).order_by("full_name")
        field = self.fields["analyst"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(a.pk, a.full_name or a.email) for a in analysts]


def _owned_member(request: HttpRequest) -> Member:
    member = member_of(user=request.user)
    if member is None or member.owner_id != request.user.pk:
        raise Http404
    return member


@login_required
@require_http_methods(["GET", "POST"])
def sharing_page(request: HttpRequest) -> HttpResponse:
    """The member's grants to association analysts: give one, see them, take one back."""
    member = _owned_member(request)
    form = ShareForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            grant = accounts_services.analyst_grant_create(
                member=member,
                analyst_id=form.cleaned_data["analyst"],
                granted_by=_user(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ServiceError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            name = grant.analyst.full_name or grant.analyst.email
            messages.success(
                request,
                _("%(name)s may now read your stores' risk assessments.") % {"name": name},
            )
            return redirect("assessment:sharing")
    now = timezone.now()
    grants = [
        grant
        for grant in AnalystGrant.objects.filter(member=member).select_related("analyst")
        if grant.expires_at is None or grant.expires_at > now
    ]
    return render(
        request,
        "assessment/sharing.html",
        {"form": form, "grants": grants, "member": member},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def sharing_revoke(request: HttpRequest, grant_pk: int) -> HttpResponse:
    member = _owned_member(request)
    if not database_id_fits(grant_pk):
        raise Http404
    grant = AnalystGrant.objects.filter(pk=grant_pk, member=member).first()
    if grant is None:
        raise Http404
    accounts_services.analyst_grant_revoke(grant=grant, actor=_user(request), request=request)
    messages.success(request, _("Sharing stopped."))
    return redirect("assessment:sharing")


def _portfolio_user(request: HttpRequest) -> User:
    user = _user(request)
    if not portfolio.portfolio_allowed(user=user):
        raise Http404
    return user


@login_required
@require_GET
def portfolio_page(request: HttpRequest) -> HttpResponse:
    user = _portfolio_user(request)
    return render(
        request, "assessment/portfolio.html", {"portfolio": portfolio.portfolio_build(user=user)}
    )


@login_required
@require_GET
def portfolio_csv(request: HttpRequest, table: str) -> HttpResponse:
    user = _portfolio_user(request)
    if table not in ("stores", "gaps", "findings"):
        raise Http404
    built = portfolio.portfolio_build(user=user)
    if table == "stores":
        text = portfolio.csv_write(
            header=[
                _("Store"),
                _("Member"),
                _("City"),
                _("Assessed"),
                _("Highest risk"),
                _("Scenario"),
                _("Level"),
                _("Average risk"),
                _("Gaps"),
            ],
            rows=(
                [
                    s.store_name,
                    s.member_name,
                    s.city,
                    s.finished_at.date().isoformat(),
                    s.highest_risk,
                    s.highest_title,
                    s.highest_level,
                    s.average,
                    s.gaps,
                ]
                for s in built.stores
            ),
        )
    elif table == "gaps":
        text = portfolio.csv_write(
            header=[_("Control"), _("Stores"), _("Share of stores (%)")],
            rows=([g.name, g.stores, g.percent] for g in built.gaps),
        )
    else:
        text = portfolio.csv_write(
            header=[_("Store"), _("Finding"), _("Who does it"), _("Due"), _("Days late")],
            rows=(
                [f.store_name, f.title, f.owner, f.due.isoformat(), f.days_late]
                for f in built.findings
            ),
        )
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="jewelguard-{table}-{day}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
