"""The report page: a scenario, then its few fields; a draft kept on the server as one types.

Who reports: the member jeweler (for any of their stores) and staff holding the "report"
right at a store (for that store). Everyone else is refused.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jewelguard.accounts.models import Role, Store, User
from jewelguard.accounts.permissions import StoreAction, member_of
from jewelguard.core.errors import ServiceError
from jewelguard.core.permissions import restrict
from jewelguard.intel import services
from jewelguard.intel.forms import (
    LOCAL_TIME,
    MAX_ROWS,
    WITH_OFFENDERS,
    WITH_VEHICLES,
    OffenderForm,
    ReportForm,
    VehicleForm,
    report_initial,
    report_rows,
    row_numbers,
)
from jewelguard.intel.models import IncidentDraft
from jewelguard.intel.photos import PreparedPhoto, photo_prepare
from jewelguard.intel.selectors import incident_draft_open
from jewelguard.playbook.content import SCENARIO_IDS
from jewelguard.playbook.selectors import scenario_list

# Form fields that are not the report's (never kept in a draft).
NOT_KEPT = frozenset({"csrfmiddlewaretoken", "add", "remove", "photos", "submit"})


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _reporting_stores(user: User) -> QuerySet[Store]:
    return restrict(Store.objects.order_by("name", "pk"), user=user, action=StoreAction.REPORT)


def _stores_or_refuse(request: HttpRequest) -> QuerySet[Store]:
    stores = _reporting_stores(_user(request))
    if not stores.exists() and member_of(user=request.user) is None:
        raise PermissionDenied
    return stores


def _draft_fields(data: QueryDict) -> dict[str, list[str]]:
    return {name: data.getlist(name) for name in data if name not in NOT_KEPT}


def _flat(fields: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[-1] for name, values in fields.items() if values}


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """Choose a scenario, then fill in its form; a saved draft is reopened where it was left."""
    user = _user(request)
    stores = _stores_or_refuse(request)
    if not stores.exists():
        return render(request, "intel/report_no_store.html", status=200)
    draft = incident_draft_open(user=user)
    kept: dict[str, list[str]] = draft.fields if draft else {}
    if request.method == "POST":
        scenario_id = request.POST.get("scenario_id", "")
    elif "scenario" in request.GET:
        scenario_id = request.GET["scenario"]  # empty: "choose another kind of crime"
    else:
        scenario_id = (kept.get("scenario_id") or [""])[-1]
    if scenario_id not in SCENARIO_IDS:
        return render(
            request,
            "intel/report_scenario.html",
            {"scenarios": scenario_list(), "draft": draft},
        )
    if request.method == "POST":
        return _report_sent(request, user=user, stores=stores, scenario_id=scenario_id)
    if draft and (kept.get("scenario_id") or [""])[-1] != scenario_id:
        kept = {**kept, "scenario_id": [scenario_id]}
        services.incident_draft_save(user=user, fields=kept)
    flat = _flat(kept)
    initial = report_initial(draft=kept, form_class=ReportForm)
    form = ReportForm(initial=initial, scenario_id=scenario_id, stores=stores)
    if "occurred_from" not in initial:
        form.initial["occurred_from"] = _now_on_clock(stores.first())
    rows = report_rows(scenario_id=scenario_id, data=None, initial=flat)
    return _render(request, form=form, rows=rows, scenario_id=scenario_id, draft=draft)


def _now_on_clock(store: Store | None) -> str:
    zone = ZoneInfo(store.time_zone) if store else timezone.get_current_timezone()
    return datetime.now(tz=zone).strftime(LOCAL_TIME)


def _report_sent(
    request: HttpRequest, *, user: User, stores: QuerySet[Store], scenario_id: str
) -> HttpResponse:
    fields = _draft_fields(request.POST)
    # Without scripts, "add another" and "remove" send the whole form: keep it, show it again.
    adding, removing = request.POST.get("add", ""), request.POST.get("remove", "")
    if adding or removing:
        fields = _rows_changed(fields, adding=adding, removing=removing)
        draft = _draft_keep(user, fields)
        form = ReportForm(
            initial=report_initial(draft=fields, form_class=ReportForm),
            scenario_id=scenario_id,
            stores=stores,
        )
        rows = report_rows(scenario_id=scenario_id, data=None, initial=_flat(fields))
        return _render(request, form=form, rows=rows, scenario_id=scenario_id, draft=draft)
    form = ReportForm(request.POST, request.FILES, scenario_id=scenario_id, stores=stores)
    rows = report_rows(scenario_id=scenario_id, data=request.POST)
    form_valid, rows_valid = form.is_valid(), rows.is_valid()
    photos: list[tuple[PreparedPhoto, str]] = []
    if form_valid:
        for upload in form.cleaned_data.get("photos") or []:
            try:
                photos.append((photo_prepare(upload=upload, size=upload.size), ""))
            except ServiceError as error:
                form.add_error("photos", f"{upload.name[:80]}: {error.message}")
                form_valid = False
                break
    if form_valid and rows_valid:
        try:
            incident = services.incident_report(
                reporter=user,
                store=form.cleaned_data["store"],
                details=form.details(
                    offenders=rows.offender_details(), vehicles=rows.vehicle_details()
                ),
                photos=tuple(photos),
                draft_token=request.POST.get(services.DRAFT_TOKEN, ""),
            )
        except ServiceError as error:
            _service_error_show(form, error)
        else:
            messages.success(
                request,
                _("Thank you. Your report #%(pk)d is saved and the association will review it.")
                % {"pk": incident.pk},
            )
            return redirect("intel:incident_detail", pk=incident.pk)
    # Keep what was typed, so that a refusal loses nothing even if the page is closed now.
    draft = _draft_keep(user, fields)
    return _render(request, form=form, rows=rows, scenario_id=scenario_id, draft=draft, status=400)


def _service_error_show(form: ReportForm, error: ServiceError) -> None:
    if error.field in form.fields:
        form.add_error(error.field, error.message)
    else:
        form.add_error(None, error.message)


def _draft_keep(user: User, fields: dict[str, list[str]]) -> IncidentDraft | None:
    # Too large to keep: the page still shows what was sent.
    with contextlib.suppress(ServiceError):
        services.incident_draft_save(user=user, fields=fields)
    return incident_draft_open(user=user)


def _rows_changed(
    fields: dict[str, list[str]], *, adding: str, removing: str
) -> dict[str, list[str]]:
    if removing:
        prefix = removing[:20] + "-"
        fields = {name: values for name, values in fields.items() if not name.startswith(prefix)}
    if adding in ("offender", "vehicle"):
        numbers = row_numbers(fields, adding)
        if len(numbers) < MAX_ROWS:
            number = (max(numbers) + 1) if numbers else 0
            placeholder = "sex" if adding == "offender" else "make"
            fields = {**fields, f"{adding}-{number}-{placeholder}": [""]}
    return fields


def _render(
    request: HttpRequest,
    *,
    form: ReportForm,
    rows: Any,
    scenario_id: str,
    draft: IncidentDraft | None,
    status: int = 200,
) -> HttpResponse:
    scenario = next(s for s in scenario_list() if s.id == scenario_id)
    return render(
        request,
        "intel/report.html",
        {
            "form": form,
            "rows": rows,
            "scenario": scenario,
            "with_offenders": scenario_id in WITH_OFFENDERS,
            "with_vehicles": scenario_id in WITH_VEHICLES,
            "draft": draft,
            "draft_token": _token_of(draft, form),
            "max_rows": MAX_ROWS,
        },
        status=status,
    )


def _token_of(draft: IncidentDraft | None, form: ReportForm) -> str:
    """The page's draft token: the draft's, the one just sent, or a new one."""
    for values in (
        (draft.fields.get(services.DRAFT_TOKEN) if draft else None),
        form.data.getlist(services.DRAFT_TOKEN) if hasattr(form.data, "getlist") else None,
    ):
        if values and values[-1] and len(values[-1]) <= 64:
            return str(values[-1])
    return uuid.uuid4().hex


@login_required
@require_POST
def report_draft(request: HttpRequest) -> HttpResponse:
    """Keep the form as it is now (htmx, as one types); add or remove a row on the way.

    Answers the new row for "add", nothing for "remove" (the page drops the row), else the
    line saying when the draft was saved.
    """
    user = _user(request)
    _stores_or_refuse(request)
    adding, removing = request.POST.get("add", ""), request.POST.get("remove", "")
    fields = _draft_fields(request.POST)
    before = {kind: row_numbers(fields, kind) for kind in ("offender", "vehicle")}
    fields = _rows_changed(fields, adding=adding, removing=removing)
    try:
        draft = services.incident_draft_save(user=user, fields=fields)
    except ServiceError as error:
        return HttpResponse(
            render_to_string("intel/_report_draft_status.html", {"error": error.message}),
            status=413,
        )
    if draft is None:
        return HttpResponse(status=204)  # this page's report is sent already
    if adding in ("offender", "vehicle"):
        added = [n for n in row_numbers(fields, adding) if n not in before[adding]]
        if not added:
            return HttpResponse(
                render_to_string(
                    "intel/_report_draft_status.html",
                    {"error": _("At most %(count)d of these.") % {"count": MAX_ROWS}},
                ),
                status=200,
            )
        form_class = OffenderForm if adding == "offender" else VehicleForm
        row = form_class(prefix=f"{adding}-{added[0]}")
        return render(
            request,
            f"intel/_report_{adding}.html",
            {"row": row, "number": added[0], "draft": draft},
        )
    if removing:
        return HttpResponse("")
    return render(request, "intel/_report_draft_status.html", {"draft": draft})


@login_required
@require_POST
def report_draft_discard(request: HttpRequest) -> HttpResponse:
    services.incident_draft_discard(
        user=_user(request), draft_token=request.POST.get(services.DRAFT_TOKEN, "")
    )
    messages.success(request, _("Draft discarded."))
    return redirect("intel:report")


def user_may_report(*, user: Any) -> bool:
    """Whether the report link is shown: members, and staff with the right somewhere."""
    if not isinstance(user, User) or not user.is_authenticated:
        return False
    if user.role == Role.MEMBER:
        return True
    return user.role == Role.STAFF and _reporting_stores(user).exists()
