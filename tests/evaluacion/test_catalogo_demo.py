"""`cargar_demo` ends with `cargar_demo_resultados`: the 2023 call published through the services,
twelve practices in the catalogue, two not recognised, and a second run that changes nothing."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from convocatorias.models import Convocatoria
from core.models import DocumentoVerificable
from evaluacion.catalogo import reconocimientos_publicos
from evaluacion.models import Calificacion, Dictamen, FirmaDictamen, IndiceBusqueda
from practicas.models import Practica

pytestmark = pytest.mark.django_db


def _huella():
    return {m.__name__: m.objects.count()
            for m in (Practica, Calificacion, Dictamen, FirmaDictamen, DocumentoVerificable, IndiceBusqueda)}


def test_demo_publica_la_convocatoria_2023_con_doce_reconocidas(client):
    call_command("cargar_demo", "--forzar", stdout=io.StringIO())
    conv = Convocatoria.objects.get(prefijo_folio="INFOEM-TP", anio=2023)
    assert conv.estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS
    dictamenes = Dictamen.objects.filter(practica__convocatoria=conv)
    assert dictamenes.count() == 14
    assert set(dictamenes.values_list("estado", flat=True)) == {Dictamen.Estado.FIRMADO}
    assert dictamenes.filter(decision=Dictamen.Decision.PROCEDENTE).count() == 12
    assert {d.fecha.isoformat() for d in dictamenes} == {"2023-08-24"}
    assert FirmaDictamen.objects.filter(dictamen__in=dictamenes).count() == 14 * 5
    assert reconocimientos_publicos().count() == 12
    # 14 dictámenes and 12 reconocimientos, their PDFs queued on commit (which a test never reaches).
    assert DocumentoVerificable.objects.filter(tipo__in=["dictamen", "reconocimiento"]).count() == 26

    response = client.get(reverse("evaluacion:catalogo"), {"q": "presupuestos ciudadanos"})
    assert [r.dictamen.practica.nombre for r in response.context["pagina"].object_list] == [
        "Presupuesto ciudadano 2023"]
    assert client.get(reverse("evaluacion:catalogo"), {"q": "directorio"}).context["total"] == 0  # not recognised
    assert "Compras públicas municipales en datos abiertos" in client.get("/").content.decode()  # the latest

    antes = _huella()
    salida = io.StringIO()
    call_command("cargar_demo_resultados", "--forzar", stdout=salida)
    assert _huella() == antes
    assert "12 prácticas reconocidas" in salida.getvalue()
