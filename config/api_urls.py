"""The read-only API, mounted at /api/v1/: resources, the OpenAPI document (YAML, or JSON with
?format=json) and its documentation page, server-rendered from that document in the portal's frame
(core.api_documentacion: it replaced Swagger UI, whose script-drawn markup failed axe)."""

from django.urls import NoReverseMatch, include, path, reverse
from drf_spectacular.views import SpectacularAPIView
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.routers import APIRootView, DefaultRouter

from compromisos.api import CompromisoViewSet
from core import sitio
from core.api import PARAMETROS_ESTANDAR
from core.api_documentacion import DocumentacionApi
from core.filtros import parametros_desconocidos
from core.views_errores import respuesta_api
from evaluacion.api import PracticaReconocidaViewSet
from jornadas.api import AsistenciaSujetoViewSet, ResultadoEncuestaViewSet, SesionViewSet
from portal.api import ConvocatoriaViewSet, SujetoViewSet

app_name = "api"


class RaizApi(APIRootView):
    """The API's root: each resource's list, under SITE_URL (DRF's links use the request's host)."""

    def get(self, request, *args, **kwargs):
        if errores := parametros_desconocidos(request.query_params, [], PARAMETROS_ESTANDAR):
            raise ValidationError(errores)
        espacio = request.resolver_match.namespace
        enlaces = {}
        for clave, nombre in self.api_root_dict.items():
            try:
                ruta = reverse(f"{espacio}:{nombre}" if espacio else nombre, args=args, kwargs=kwargs)
            except NoReverseMatch:  # as DRF's: a resource with no list route is left out
                continue
            enlaces[clave] = sitio.url_absoluta(ruta)
        return Response(enlaces)


class Esquema(SpectacularAPIView):
    """The OpenAPI document, in YAML or (?format=json) JSON; its errors in JSON like every other under
    /api/, not in the YAML the document itself is written in."""

    def handle_exception(self, exc):
        respuesta = super().handle_exception(exc)
        return respuesta_api(respuesta.status_code, respuesta.data.get("detail", ""))


class Enrutador(DefaultRouter):
    APIRootView = RaizApi


router = Enrutador()  # its root view lists the resources and is left out of the schema
router.register("convocatorias", ConvocatoriaViewSet, basename="convocatoria")
router.register("practicas-reconocidas", PracticaReconocidaViewSet, basename="practica-reconocida")
router.register("sujetos-obligados", SujetoViewSet, basename="sujeto")
router.register("jornadas/sesiones", SesionViewSet, basename="sesion")
router.register("jornadas/asistencia-por-sujeto", AsistenciaSujetoViewSet, basename="asistencia-sujeto")
router.register("jornadas/resultados-encuestas", ResultadoEncuestaViewSet, basename="resultado-encuesta")
router.register("cartas-compromiso", CompromisoViewSet, basename="carta-compromiso")

urlpatterns = [
    path("", include(router.urls)),
    path("esquema/", Esquema.as_view(), name="esquema"),
    path("docs/", DocumentacionApi.as_view(), name="docs"),
]
