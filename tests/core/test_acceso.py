"""core.acceso: the one 403/404 rule. Unrelated or nonexistent -> 404, related but not allowed ->
403, allowed -> the object; outsiders (no `puerta`) -> 403 whatever the id. Checked on real rows
and real `rules` permissions, and through the class-view and DRF mixins."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django.views.generic import DetailView
from rest_framework import serializers, viewsets
from rest_framework.test import APIRequestFactory, force_authenticate

from convocatorias.models import Convocatoria
from convocatorias.selectors import convocatorias_de_personal
from core.acceso import AccesoApiMixin, AccesoVistaMixin, obtener_o_rechazar
from evaluacion.selectors import convocatorias_relacionadas
from practicas.models import Soporte
from practicas.selectors import practicas_relacionadas
from tests import factories

GESTIONAR = "convocatorias.gestionar_convocatoria"


@pytest.fixture
def otro_personal(db):
    otra = factories.AutoridadFactory(siglas="OTRO", nombre="Otro garante")
    return factories.PersonalFactory(autoridad=otra, usuario__email="dgt@otro-garante.org.mx").usuario


# --- the function ----------------------------------------------------------------------------------

def test_devuelve_el_objeto_cuando_se_permite(convocatoria, personal):
    obtenida = obtener_o_rechazar(personal, convocatorias_de_personal(personal), GESTIONAR, slug=convocatoria.slug)
    assert obtenida == convocatoria
    assert obtenida.autoridad == convocatoria.autoridad  # the scope's select_related travels with it


def test_404_cuando_no_se_relaciona(convocatoria, otro_personal):
    with pytest.raises(Http404):
        obtener_o_rechazar(otro_personal, convocatorias_de_personal(otro_personal), GESTIONAR, slug=convocatoria.slug)


def test_403_cuando_se_relaciona_sin_el_permiso(convocatoria, personal, jurado):
    # Staff of the call's authority are related to it in the judging panel, but only jurors score.
    with pytest.raises(PermissionDenied):
        obtener_o_rechazar(personal, convocatorias_relacionadas(personal), "evaluacion.calificar",
                           slug=convocatoria.slug)
    assert obtener_o_rechazar(jurado, convocatorias_relacionadas(jurado), "evaluacion.calificar",
                              slug=convocatoria.slug) == convocatoria


@pytest.mark.parametrize("lookup", [{"slug": "no-existe"}, {"pk": 987654}, {"pk": "abc"}])
def test_404_cuando_no_existe_o_el_id_no_es_valido(convocatoria, personal, lookup):
    with pytest.raises(Http404, match="No Convocatoria matches the given query."):
        obtener_o_rechazar(personal, convocatorias_de_personal(personal), GESTIONAR, **lookup)


def test_sin_permiso_basta_con_relacionarse(convocatoria, otro_personal):
    assert obtener_o_rechazar(otro_personal, Convocatoria, slug=convocatoria.slug) == convocatoria
    with pytest.raises(Http404):
        obtener_o_rechazar(otro_personal, convocatorias_de_personal(otro_personal), slug=convocatoria.slug)


def test_puerta_da_403_a_quien_no_tiene_nada_que_hacer_ahi(convocatoria, enlace_a, otro_personal):
    """Someone outside the panel gets the same 403 for an existing id and a missing one (nothing to
    probe); someone inside it, the 404 of an unrelated object."""
    for slug in (convocatoria.slug, "no-existe"):
        with pytest.raises(PermissionDenied):
            obtener_o_rechazar(enlace_a, convocatorias_de_personal(enlace_a), GESTIONAR, puerta="core.acceder_panel",
                               slug=slug)
        with pytest.raises(Http404):
            obtener_o_rechazar(otro_personal, convocatorias_de_personal(otro_personal), GESTIONAR,
                               puerta="core.acceder_panel", slug=slug)


def test_sobre_comprueba_el_permiso_en_otro_objeto(practica_a, enlace_a, personal, enlace_b):
    """A support is looked up among the readable practices' and the permission is about its practice:
    the body edits its online draft (allowed), staff may read it but not type into it (403), another
    body cannot see it (404)."""
    soporte = practica_a.soportes.get()

    def obtener(usuario):
        soportes = Soporte.objects.filter(practica__in=practicas_relacionadas(usuario))
        return obtener_o_rechazar(usuario, soportes, "practicas.editar_practica", sobre=lambda s: s.practica,
                                  pk=soporte.pk)

    assert obtener(enlace_a) == soporte
    with pytest.raises(PermissionDenied):
        obtener(personal)
    with pytest.raises(Http404):
        obtener(enlace_b)


def test_el_superusuario_se_relaciona_con_todo(convocatoria, otro_personal):
    admin = factories.UsuarioFactory(is_superuser=True, is_staff=True)
    assert obtener_o_rechazar(admin, convocatorias_de_personal(admin), GESTIONAR, slug=convocatoria.slug) == convocatoria


# --- class-based views -----------------------------------------------------------------------------

class VistaConvocatoria(AccesoVistaMixin, DetailView):
    permiso = GESTIONAR
    puerta = "core.acceder_panel"

    def get_queryset(self):
        return convocatorias_de_personal(self.request.user)


def _objeto_de_vista(usuario, **kwargs):
    request = RequestFactory().get("/")
    request.user = usuario
    vista = VistaConvocatoria()
    vista.setup(request, **kwargs)
    return vista.get_object()


def test_vista_de_clase_sigue_la_misma_regla(convocatoria, personal, otro_personal, enlace_a):
    assert _objeto_de_vista(personal, slug=convocatoria.slug) == convocatoria
    assert _objeto_de_vista(personal, pk=convocatoria.pk) == convocatoria
    with pytest.raises(Http404):
        _objeto_de_vista(otro_personal, slug=convocatoria.slug)
    with pytest.raises(PermissionDenied):
        _objeto_de_vista(enlace_a, slug=convocatoria.slug)


# --- DRF -------------------------------------------------------------------------------------------

class ConvocatoriaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Convocatoria
        fields = ["slug", "titulo"]


class ConvocatoriaViewSet(AccesoApiMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ConvocatoriaSerializer
    lookup_field = "slug"
    permiso_objeto = "evaluacion.calificar"

    def get_queryset(self):
        return convocatorias_relacionadas(self.request.user)


def _api(usuario, slug):
    request = APIRequestFactory().get(f"/x/{slug}/")
    force_authenticate(request, user=usuario)
    return ConvocatoriaViewSet.as_view({"get": "retrieve"})(request, slug=slug)


def test_viewset_sigue_la_misma_regla(convocatoria, jurado, personal, otro_personal):
    respuesta = _api(jurado, convocatoria.slug)
    assert respuesta.status_code == 200 and respuesta.data["slug"] == convocatoria.slug
    assert _api(personal, convocatoria.slug).status_code == 403  # related (staff), does not score
    respuesta = _api(otro_personal, convocatoria.slug)
    assert respuesta.status_code == 404
    assert respuesta.data["detail"] == "No se encontró el recurso solicitado."  # not Django's English
    assert _api(jurado, "no-existe").status_code == 404
