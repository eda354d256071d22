"""Pages of the playbook room: scenarios, controls, statistics, staff cards and inquiries.

Everything here is public: the playbook is the movement's open advice to every jeweler.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from jewelguard.core.charts import bar_chart
from jewelguard.playbook import cards, selectors, services
from jewelguard.playbook.forms import InquiryForm, MediaInquiryForm
from jewelguard.playbook.models import InquiryKind
from jewelguard.playbook.numbers import count_label as _count
from jewelguard.playbook.numbers import millions_label as _millions

# The session key that carries the sender's name from the form to the confirmation page.
SENT_SESSION_KEY = "playbook_inquiry_sent"


def _cost_label(cost_band: str) -> str:
    return {"low": _("Low"), "medium": _("Medium"), "high": _("High")}.get(cost_band, cost_band)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "playbook/index.html", {"scenarios": selectors.scenario_list()})


@require_GET
def scenario(request: HttpRequest, scenario_id: str) -> HttpResponse:
    try:
        view = selectors.scenario_get(scenario_id=scenario_id)
    except KeyError:
        raise Http404(scenario_id) from None
    neighbours = selectors.scenario_list()
    position = [s.id for s in neighbours].index(view.id)
    return render(
        request,
        "playbook/scenario.html",
        {
            "scenario": view,
            "controls": [(c, _cost_label(c.cost_band)) for c in view.controls],
            "previous": neighbours[position - 1] if position > 0 else None,
            "next": neighbours[position + 1] if position + 1 < len(neighbours) else None,
        },
    )


@require_GET
def controls(request: HttpRequest) -> HttpResponse:
    titles = {s.id: s.title for s in selectors.scenario_list()}
    rows = [
        {
            "control": control,
            "cost": _cost_label(control.cost_band),
            "scenarios": [
                (scenario_id, titles[scenario_id]) for scenario_id in control.scenario_ids
            ],
        }
        for control in selectors.control_list()
    ]
    return render(request, "playbook/controls.html", {"rows": rows})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    years = selectors.industry_figures()
    summary = selectors.industry_summary(years=years)
    labels = [str(y.year) for y in years]
    crimes_chart = bar_chart(
        [y.crimes for y in years],
        labels=labels,
        value_labels=[_count(y.crimes) for y in years],
        tick_format=_count,
        highlight=years.index(summary.peak),
    )
    losses_chart = bar_chart(
        [y.losses_cents / 100 / 1_000_000 for y in years],
        labels=labels,
        value_labels=[_millions(y.losses_cents) for y in years],
        tick_format=lambda millions: (
            _("$%(amount)sM") % {"amount": _count(millions)} if millions else "0"
        ),
        highlight=years.index(summary.costliest),
    )
    rows = [
        {
            "year": y.year,
            "crimes": _count(y.crimes),
            "losses": _millions(y.losses_cents),
            "notes": y.notes,
        }
        for y in years
    ]
    first, peak, last = summary.first, summary.peak, summary.last
    return render(
        request,
        "playbook/statistics.html",
        {
            "rows": rows,
            "crimes_chart": crimes_chart,
            "losses_chart": losses_chart,
            "first": {"year": first.year, "crimes": _count(first.crimes)},
            "peak": {"year": peak.year, "crimes": _count(peak.crimes)},
            "last": {"year": last.year, "crimes": _count(last.crimes)},
            "rise": summary.rise_percent,
            "sources": selectors.industry_sources(),
        },
    )


@require_GET
def staff_card(request: HttpRequest, scenario_id: str) -> HttpResponse:
    paper = request.GET.get("paper", "letter").lower()
    if paper not in cards.PAPERS:
        return HttpResponseBadRequest(_("Paper must be letter or a4."))
    try:
        pdf = cards.staff_card_pdf(scenario_id=scenario_id, paper=paper)
    except KeyError:
        raise Http404(scenario_id) from None
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"jewelguard-{scenario_id.replace('_', '-')}-{paper}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _client_address(request: HttpRequest) -> str:
    # The socket peer. Behind a reverse proxy, the proxy must set REMOTE_ADDR (e.g. uvicorn's
    # --proxy-headers with --forwarded-allow-ips); a client-sent X-Forwarded-For is not trusted.
    return str(request.META.get("REMOTE_ADDR", ""))


def _inquiry(request: HttpRequest, kind: InquiryKind) -> HttpResponse:
    form_class = MediaInquiryForm if kind == InquiryKind.MEDIA else InquiryForm
    form = form_class(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        sent_to = "playbook:media_sent" if kind == InquiryKind.MEDIA else "playbook:contact_sent"
        if form.is_robot():
            # Look exactly like success to the robot; store and send nothing.
            request.session[SENT_SESSION_KEY] = form.cleaned_data["name"]
            return redirect(sent_to)
        try:
            services.inquiry_submit(
                kind=kind,
                client_address=_client_address(request),
                language=get_language() or "en",
                **form.inquiry_fields(),
            )
        except ValidationError as error:
            # The form mirrors the model's rules; this is a backstop, shown on the fields.
            form.add_error(None, error)
        except services.InquiryRateLimitedError:
            form.add_error(
                None,
                _(
                    "You have sent %(count)s messages in the last hour, the most we accept. "
                    "Please try again later."
                )
                % {"count": services.INQUIRY_RATE_LIMIT},
            )
            status = 429
        else:
            request.session[SENT_SESSION_KEY] = form.cleaned_data["name"]
            return redirect(sent_to)
    return render(
        request,
        "playbook/inquiry_form.html",
        {"form": form, "kind": kind, "media": kind == InquiryKind.MEDIA},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    return _inquiry(request, InquiryKind.GENERAL)


@require_http_methods(["GET", "POST"])
def media(request: HttpRequest) -> HttpResponse:
    return _inquiry(request, InquiryKind.MEDIA)


@require_GET
def inquiry_sent(request: HttpRequest, kind: str) -> HttpResponse:
    name = request.session.pop(SENT_SESSION_KEY, "")
    return render(
        request,
        "playbook/inquiry_sent.html",
        {"name": name, "media": kind == InquiryKind.MEDIA},
    )
