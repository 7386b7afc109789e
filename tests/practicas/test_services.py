import pytest

from core.errors import ErrorDominio
from practicas import services
from practicas.models import Acuse, Practica


def test_practica_enviar_asigna_folio_y_acuse_cuando_esta_completa(practica_a, enlace_a):
    practica = services.practica_enviar(practica=practica_a, usuario=enlace_a)
    conv = practica.convocatoria
    assert practica.estado == Practica.Estado.ENVIADA
    assert practica.folio == f"{conv.prefijo_folio}-{conv.anio}-0001"
    assert Acuse.objects.filter(practica=practica).exists()


def test_practica_enviar_rechaza_cuando_faltan_datos(practica_a, enlace_a):
    Practica.objects.filter(pk=practica_a.pk).update(descripcion="")
    with pytest.raises(ErrorDominio, match="Descripción"):
        services.practica_enviar(practica=practica_a, usuario=enlace_a)
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.BORRADOR and practica_a.folio is None
