"""The portal's URLs plus views that fail on purpose, for the error-page tests (ROOT_URLCONF in
tests/core/test_paginas_error.py). The error handlers are the portal's own (config.urls)."""

from django.core.exceptions import PermissionDenied
from django.urls import path
from rest_framework.decorators import api_view

from config.urls import handler400, handler403, handler404, handler500  # noqa: F401 - read by Django
from config.urls import urlpatterns as urlpatterns_portal


class FallaDePrueba(Exception):
    pass


def falla(request):
    raise FallaDePrueba("una falla de prueba")


def prohibida(request):
    raise PermissionDenied("Motivo técnico en inglés que nadie debe leer")


@api_view(["GET"])
def falla_api(request):
    raise FallaDePrueba("una falla de prueba en la API")


urlpatterns = [
    path("falla/", falla),
    path("prohibida/", prohibida),
    path("api/v1/falla/", falla_api),
    path("api/v1/falla-django/", falla),
    path("api/v1/prohibida/", prohibida),
    *urlpatterns_portal,
]
