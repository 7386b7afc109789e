"""/cartas-compromiso/: the public tracker, and a body's own letters (namespace compromisos)."""

from django.urls import include, path

app_name = "compromisos"

# The tracker last: its /<slug:autoridad>/ would otherwise take the fixed paths of the others.
urlpatterns = [
    path("", include("compromisos.urls_enlace")),
    path("", include("compromisos.urls_documentos")),
    path("", include("compromisos.urls_publico")),
]
