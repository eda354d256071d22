"""The analysts' moderation queue: take up, verify, reject with a reason, merge duplicates.

Every action goes through the room's services, which audit it and queue the alert when an
incident starts to reach members or law enforcement.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jewelguard.accounts.models import User
from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.errors import ServiceError
from jewelguard.core.forms import database_id_fits
from jewelguard.core.permissions import Action, object_get_or_refuse
from jewelguard.intel import services
from jewelguard.intel.forms import MergeForm, RejectForm
from jewelguard.intel.models import Incident
from jewelguard.intel.selectors import moderation_queue
from jewelguard.intel.views_incidents import titled


def _analyst(request: HttpRequest) -> User:
    if not isinstance(request.user, User) or not user_is_association_staff(user=request.user):
        raise PermissionDenied
    return request.user


def _incident(request: HttpRequest, pk: int) -> Incident:
    if not database_id_fits(pk):
        raise Http404
    return object_get_or_refuse(
        Incident.objects.all(), pk=pk, user=request.user, action=Action.CHANGE
    )


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    _analyst(request)
    return render(
        request,
        "intel/moderation.html",
        {"incidents": titled(list(moderation_queue()[:200]))},
    )


def _done(request: HttpRequest, incident: Incident, message: str) -> HttpResponse:
    messages.success(request, message)
    if request.POST.get("next") == "queue":
        return redirect("intel:moderation")
    return redirect("intel:incident_detail", pk=incident.pk)


def _refused(request: HttpRequest, incident: Incident, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("intel:incident_detail", pk=incident.pk)


@login_required
@require_POST
def review(request: HttpRequest, pk: int) -> HttpResponse:
    analyst = _analyst(request)
    incident = services.incident_review_start(
        incident=_incident(request, pk), analyst=analyst, request=request
    )
    return _done(request, incident, _("Incident #%(pk)d is under review.") % {"pk": pk})


@login_required
@require_POST
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    analyst = _analyst(request)
    incident = _incident(request, pk)
    try:
        services.incident_verify(incident=incident, analyst=analyst, request=request)
    except ServiceError as error:
        return _refused(request, incident, error.message)
    return _done(request, incident, _("Incident #%(pk)d is verified.") % {"pk": pk})


@login_required
@require_POST
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    analyst = _analyst(request)
    incident = _incident(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        errors = form.errors.get("reason") or [_("Say why the incident is rejected.")]
        return _refused(request, incident, _("Reason: %(error)s") % {"error": errors[0]})
    try:
        services.incident_reject(
            incident=incident,
            analyst=analyst,
            reason=form.cleaned_data["reason"],
            request=request,
        )
    except ServiceError as error:
        return _refused(request, incident, error.message)
    return _done(request, incident, _("Incident #%(pk)d is rejected.") % {"pk": pk})


@login_required
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    analyst = _analyst(request)
    duplicate = _incident(request, pk)
    form = MergeForm(request.POST)
    kept_pk = request.POST.get("kept", "")
    if not form.is_valid() or not database_id_fits(kept_pk):
        return _refused(request, duplicate, _("Give the number of the incident to keep."))
    kept = Incident.objects.filter(pk=form.cleaned_data["kept"]).first()
    if kept is None:
        return _refused(request, duplicate, _("There is no incident with that number."))
    try:
        services.incident_merge(duplicate=duplicate, kept=kept, analyst=analyst, request=request)
    except ServiceError as error:
        return _refused(request, duplicate, error.message)
    return _done(
        request,
        duplicate,
        _("Incident #%(pk)d is merged into #%(kept)d.") % {"pk": pk, "kept": kept.pk},
    )
