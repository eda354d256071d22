"""The public front page, the health check and the live-updates stream."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from jewelguard.core.events import topic_check
from jewelguard.core.home import home_leads
from jewelguard.core.sse import sse_response
from jewelguard.core.topics import topic_permitted

# A page follows a handful of topics; more is a mistake or an attempt to load the server.
MAX_TOPICS_PER_STREAM = 10


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"leads": home_leads()})


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "core/privacy.html")


def terms(request: HttpRequest) -> HttpResponse:
    return render(request, "core/terms.html")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _plain(response_class: type[HttpResponse], text: str) -> HttpResponse:
    return response_class(text, content_type="text/plain; charset=utf-8")


@require_GET
async def events_stream(request: HttpRequest) -> HttpResponseBase:
    """``/events/stream?topic=user:42[&topic=...]``: Server-Sent Events of the given topics.

    Every topic must be one the signed-in user may follow (``jewelguard.core.topics``);
    otherwise 403, for anonymous visitors too. 400 names the field for a missing or malformed
    topic or Last-Event-ID.
    """
    topics = request.GET.getlist("topic")
    if not topics:
        return _plain(HttpResponseBadRequest, _("topic: say which topic to follow."))
    if len(topics) > MAX_TOPICS_PER_STREAM:
        return _plain(
            HttpResponseBadRequest,
            _("topic: at most %(count)d topics per stream.") % {"count": MAX_TOPICS_PER_STREAM},
        )
    try:
        for topic in topics:
            topic_check(topic=topic)
    except ValidationError:
        return _plain(
            HttpResponseBadRequest, _("topic: a topic is a kind and an id, such as user:42.")
        )
    user = await request.auser()
    for topic in topics:
        if not await sync_to_async(topic_permitted)(user=user, topic=topic):
            return _plain(HttpResponseForbidden, _("topic: you may not follow this topic."))
    return await sse_response(request, topics=topics)
