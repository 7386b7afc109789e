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


def test_destinatarios_son_enlaces_del_sujeto_y_contacto_cuando_captura_el_personal(
        convocatoria, sujeto_a, enlace_a, personal):
    from practicas.selectors import destinatarios_de
    from tests import factories

    factories.EnlaceFactory(sujeto=sujeto_a, estado="solicitado")  # pending: not told
    practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=personal,
                                         canal=Practica.Canal.PAPEL, contacto_correo="Area@Ejemplo.gob.mx")
    assert destinatarios_de(practica) == sorted({enlace_a.email, "area@ejemplo.gob.mx"})
    assert personal.email not in destinatarios_de(practica)
