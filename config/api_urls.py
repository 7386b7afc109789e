"""The read-only API, mounted at /api/v1/: resources, the OpenAPI document and its browsable page
(Swagger UI served from drf-spectacular-sidecar's static files, nothing from a CDN; no ReDoc page, whose
template loads web fonts from Google). The Swagger page is the split view: its start-up script is a
separate request (?script), so the Content-Security-Policy needs no inline script."""

from django.urls import NoReverseMatch, include, path, reverse
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from core import sitio
from evaluacion.api import PracticaReconocidaViewSet
from jornadas.api import AsistenciaSujetoViewSet, ResultadoEncuestaViewSet, SesionViewSet
from portal.api import ConvocatoriaViewSet, SujetoViewSet

app_name = "api"


class RaizApi(APIRootView):
    """The API's root: each resource's list, under SITE_URL (DRF's links use the request's host)."""

    def get(self, request, *args, **kwargs):
        espacio = request.resolver_match.namespace
        enlaces = {}
        for clave, nombre in self.api_root_dict.items():
            try:
                ruta = reverse(f"{espacio}:{nombre}" if espacio else nombre, args=args, kwargs=kwargs)
            except NoReverseMatch:  # as DRF's: a resource with no list route is left out
                continue
            enlaces[clave] = sitio.url_absoluta(ruta)
        return Response(enlaces)


class Enrutador(DefaultRouter):
    APIRootView = RaizApi


router = Enrutador()  # its root view lists the resources and is left out of the schema
router.register("convocatorias", ConvocatoriaViewSet, basename="convocatoria")
router.register("practicas-reconocidas", PracticaReconocidaViewSet, basename="practica-reconocida")
router.register("sujetos-obligados", SujetoViewSet, basename="sujeto")
router.register("jornadas/sesiones", SesionViewSet, basename="sesion")
router.register("jornadas/asistencia-por-sujeto", AsistenciaSujetoViewSet, basename="asistencia-sujeto")
router.register("jornadas/resultados-encuestas", ResultadoEncuestaViewSet, basename="resultado-encuesta")

urlpatterns = [
    path("", include(router.urls)),
    path("esquema/", SpectacularAPIView.as_view(), name="esquema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:esquema", template_name="api/swagger_ui.html"),
         name="docs"),
]
