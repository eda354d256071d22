"""The sentinel pages: live events and camera status (both updating live), cameras, zones."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jewelguard.accounts.models import User
from jewelguard.core.errors import ServiceError
from jewelguard.core.permissions import Action, object_get_or_refuse, restrict
from jewelguard.sentinel import selectors, services
from jewelguard.sentinel.forms import CameraForm, armed_windows_text
from jewelguard.sentinel.models import Camera, LiveEvent, LiveEventSnapshot
from jewelguard.sentinel.permissions import LiveEventAction
from jewelguard.sentinel.pipeline.types import ZONE_KINDS

ZONES_BODY_MAX = 64 * 1024


def _person(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _stream_context(request: HttpRequest) -> dict[str, Any]:
    topics = selectors.sentinel_topics_for(user=request.user)
    return {
        "stream_topics": json.dumps(topics),
        "stream_after": selectors.topics_latest_event_id(topics=topics),
    }


@login_required
def live_events(request: HttpRequest) -> HttpResponse:
    events = list(selectors.live_events_for(user=request.user)[: selectors.RECENT_EVENTS])
    # The newest snapshot of each (prefetched, so no query per row).
    snapshots: dict[int, LiveEventSnapshot | None] = {}
    for event in events:
        kept = list(event.snapshots.all())
        snapshots[event.pk] = kept[-1] if kept else None
    respond_ids = set(
        restrict(
            LiveEvent.objects.filter(pk__in=[e.pk for e in events]),
            user=request.user,
            action=LiveEventAction.RESPOND,
        ).values_list("pk", flat=True)
    )
    return render(
        request,
        "sentinel/live_events.html",
        {
            "rows": [(event, snapshots[event.pk]) for event in events],
            "respond_ids": respond_ids,
            **_stream_context(request),
        },
    )


def _event_for(request: HttpRequest, pk: int, action: str) -> LiveEvent:
    return object_get_or_refuse(LiveEvent.objects.all(), pk=pk, user=request.user, action=action)


@login_required
@require_POST
def live_event_decide(request: HttpRequest, pk: int, decision: str) -> HttpResponse:
    event = _event_for(request, pk, LiveEventAction.RESPOND)
    user = _person(request)
    try:
        if decision == "confirm":
            services.live_event_confirm(event=event, user=user)
        elif decision == "dismiss":
            services.live_event_dismiss(event=event, user=user)
        elif decision == "end":
            services.live_event_end(event=event, user=user)
        else:
            raise Http404
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("sentinel:live_events")


@login_required
def snapshot_image(request: HttpRequest, pk: int) -> FileResponse:
    snapshot = object_get_or_refuse(
        LiveEventSnapshot.objects.all(), pk=pk, user=request.user, action=Action.VIEW
    )
    response = FileResponse(snapshot.image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
def camera_status(request: HttpRequest) -> HttpResponse:
    cameras = list(selectors.cameras_for(user=request.user))
    manageable = set(
        selectors.cameras_for(user=request.user, action=Action.CHANGE).values_list("pk", flat=True)
    )
    can_add = selectors.stores_with_cameras_for(user=request.user).exists()
    return render(
        request,
        "sentinel/cameras.html",
        {
            "cameras": cameras,
            "manageable": manageable,
            "can_add": can_add,
            **_stream_context(request),
        },
    )


def _store_choices(request: HttpRequest) -> list[tuple[int, str]]:
    return [(s.pk, s.name) for s in selectors.stores_with_cameras_for(user=request.user)]


def _service_error(form: CameraForm, error: ServiceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@login_required
def camera_create(request: HttpRequest) -> HttpResponse:
    stores = _store_choices(request)
    if not stores:
        raise PermissionDenied
    form = CameraForm(
        request.POST or None, stores=stores, initial={"detect_fps": 5, "enabled": True}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        store = selectors.stores_with_cameras_for(user=request.user).get(pk=data["store"])
        try:
            camera = services.camera_create(
                store=store,
                actor=_person(request),
                name=data["name"],
                source_kind=data["source_kind"],
                url=data["url"],
                username=data["username"],
                password=data["password"],
                arming=data["arming"],
                armed_windows=data["armed_windows"],
                detect_fps=data["detect_fps"],
                enabled=data["enabled"],
            )
        except ServiceError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Camera added: %(name)s") % {"name": camera.name})
            return redirect("sentinel:camera_zones", pk=camera.pk)
    return render(request, "sentinel/camera_form.html", {"form": form, "camera": None})


def _camera_for(request: HttpRequest, pk: int, action: str) -> Camera:
    return object_get_or_refuse(
        Camera.objects.select_related("store"), pk=pk, user=request.user, action=action
    )


@login_required
def camera_edit(request: HttpRequest, pk: int) -> HttpResponse:
    camera = _camera_for(request, pk, Action.CHANGE)
    stores = [(camera.store_id, camera.store.name)]
    initial = {
        "store": camera.store_id,
        "name": camera.name,
        "source_kind": camera.source_kind,
        "url": camera.url,
        "username": camera.username,
        "arming": camera.arming,
        "armed_windows": armed_windows_text(camera.armed_windows),
        "detect_fps": camera.detect_fps,
        "enabled": camera.enabled,
    }
    form = CameraForm(request.POST or None, stores=stores, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        password = "" if data["clear_password"] else (data["password"] or None)
        try:
            services.camera_update(
                camera=camera,
                actor=_person(request),
                name=data["name"],
                source_kind=data["source_kind"],
                url=data["url"],
                username=data["username"],
                password=password,
                arming=data["arming"],
                armed_windows=data["armed_windows"],
                detect_fps=data["detect_fps"],
                enabled=data["enabled"],
            )
        except ServiceError as error:
            _service_error(form, error)
        else:
            messages.success(request, _("Camera saved: %(name)s") % {"name": camera.name})
            return redirect("sentinel:camera_status")
    return render(
        request,
        "sentinel/camera_form.html",
        {"form": form, "camera": camera, "has_password": bool(camera.password_encrypted)},
    )


@login_required
@require_POST
def camera_delete(request: HttpRequest, pk: int) -> HttpResponse:
    camera = _camera_for(request, pk, Action.DELETE)
    services.camera_delete(camera=camera, actor=_person(request))
    messages.success(request, _("Camera removed."))
    return redirect("sentinel:camera_status")


@login_required
def camera_zones(request: HttpRequest, pk: int) -> HttpResponse:
    """The zone editor: polygons drawn on the camera's latest snapshot, saved as JSON."""
    camera = _camera_for(request, pk, Action.CHANGE)
    if request.method == "POST":
        if len(request.body) > ZONES_BODY_MAX:
            return JsonResponse({"errors": {"zones": [_("Too many zones or points.")]}}, status=400)
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return JsonResponse({"errors": {"zones": [_("Send the zones as JSON.")]}}, status=400)
        if not isinstance(body, dict):
            return JsonResponse({"errors": {"zones": [_("Send the zones as JSON.")]}}, status=400)
        try:
            services.camera_zones_set(
                camera=camera,
                actor=_person(request),
                zones=body.get("zones", []),
                masks=body.get("masks", []),
            )
        except ServiceError as error:
            return JsonResponse({"errors": error.message_dict}, status=400)
        return JsonResponse({"saved": True})
    return render(
        request,
        "sentinel/camera_zones.html",
        {
            "camera": camera,
            "drawing": {"zones": camera.zones, "masks": camera.masks},
            "zone_kinds": [(kind, _zone_kind_label(kind)) for kind in ZONE_KINDS],
            "has_preview": storages["documents"].exists(
                services.camera_preview_name(camera_id=camera.pk)
            ),
        },
    )


def _zone_kind_label(kind: str) -> str:
    labels = {
        "door": _("Door"),
        "showcase": _("Showcase"),
        "safe": _("Safe"),
        "staff_only": _("Staff only"),
        "outside": _("Outside"),
    }
    return labels[kind]


@login_required
def camera_preview(request: HttpRequest, pk: int) -> FileResponse:
    camera = _camera_for(request, pk, Action.VIEW)
    storage = storages["documents"]
    name = services.camera_preview_name(camera_id=camera.pk)
    if not storage.exists(name):
        raise Http404
    response = FileResponse(storage.open(name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-cache"
    return response
