"""The project's URLs unchanged, plus /bench/bare: the least a Django response can cost here."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from jewelguard.urls import urlpatterns as jewelguard_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("bench/bare", bare), *jewelguard_urlpatterns]
