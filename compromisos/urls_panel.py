"""The staff's pages for cartas compromiso, in the panel's namespace (config/panel_urls.py)."""

from django.urls import include, path

urlpatterns = [
    path("", include("compromisos.urls_panel_gestion")),
    path("", include("compromisos.urls_panel_documentos")),
]
