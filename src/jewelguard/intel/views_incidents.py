"""My incidents: the list of what a user may see one by one, and each incident's page.

Members see their own incidents in any state and the verified ones shared with members;
staff those of their stores and the shared ones; officers those shared with law enforcement
for their agency or naming none (agencies have no mapped jurisdiction yet, so "their area"
is the agency named on the incident); analysts everything. Any other incident is a 404.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jewelguard.accounts.permissions import user_is_association_staff
from jewelguard.core.forms import database_id_fits
from jewelguard.core.permissions import Action, object_allows, object_get_or_refuse
from jewelguard.intel.forms import MergeForm, RejectForm
from jewelguard.intel.models import EvidencePhoto, Incident, ModusOperandi
from jewelguard.intel.selectors import incident_possible_duplicates, incidents_visible
from jewelguard.playbook.selectors import scenario_list

PER_PAGE = 50


def scenario_titles() -> dict[str, str]:
    return {scenario.id: scenario.title for scenario in scenario_list()}


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(incidents_visible(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    titled(page.object_list)
    return render(request, "intel/incident_list.html", {"page": page})


def titled(incidents: Iterable[Incident]) -> list[Incident]:
    """Give each incident its scenario's title in the page's language, for the templates."""
    titles = scenario_titles()
    for incident in incidents:
        incident.scenario_title = titles.get(  # type: ignore[attr-defined]
            incident.scenario_id, incident.scenario_id
        )
    return list(incidents)


@login_required
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not database_id_fits(pk):
        raise Http404
    incident = object_get_or_refuse(
        Incident.objects.select_related("store", "merged_into", "agency"),
        pk=pk,
        user=request.user,
        action=Action.VIEW,
    )
    moderating = user_is_association_staff(user=request.user)
    return render(
        request,
        "intel/incident_detail.html",
        {
            "incident": incident,
            "title": scenario_titles().get(incident.scenario_id, incident.scenario_id),
            "offenders": incident.offenders.all(),
            "vehicles": incident.vehicles.all(),
            "photos": incident.photos.all(),
            "can_change": object_allows(obj=incident, user=request.user, action=Action.CHANGE),
            "moderating": moderating,
            "duplicates": incident_possible_duplicates(incident=incident) if moderating else [],
            "lost": f"{incident.property_lost_cents / 100:,.2f}",
            "mo": [
                ModusOperandi(tag).label
                for tag in incident.modus_operandi
                if tag in ModusOperandi.values
            ],
            "reject_form": RejectForm(),
            "merge_form": MergeForm(),
        },
    )


@login_required
def incident_photo(request: HttpRequest, pk: int, photo_pk: int) -> FileResponse:
    """One evidence photo, to those who may see its incident; the file's name says nothing."""
    if not (database_id_fits(pk) and database_id_fits(photo_pk)):
        raise Http404
    photo = object_get_or_refuse(
        EvidencePhoto.objects.filter(incident_id=pk),
        pk=photo_pk,
        user=request.user,
        action=Action.VIEW,
    )
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle)
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = "inline"
    return response
