"""The public verification page: what a document says, its folio, SHA-256 and status; an unknown
code says so plainly; codes are random, unrelated to folios."""

import hashlib
import re

import pytest
import time_machine
from django.urls import reverse

from core.models import DocumentoVerificable
from evaluacion import services
from evaluacion.models import Dictamen, Reconocimiento
from tests.evaluacion.builders_dictamen import antes_y_despues, fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def despues(firmado):
    """Inside the time right after the embargo."""
    with time_machine.travel(antes_y_despues(firmado)[1], tick=False):
        yield firmado


def _docs(ciclo):
    procedente, no_procedente = (Dictamen.objects.select_related("documento", "reconocimiento__documento").get(pk=d.pk)
                                 for d in ciclo.dictamenes)
    return procedente.reconocimiento.documento, procedente.documento, no_procedente.documento


def test_codigo_desconocido_dice_no_encontrado(client, db):
    response = client.get(reverse("core:verificar", args=["AbCdEf0123456789xyzXYZ"]))
    assert response.status_code == 404
    assert "No encontramos un documento con ese código" in response.content.decode()


def test_verificacion_del_reconocimiento_muestra_lo_que_dice(client, despues):
    rec_doc, _dic, _no = _docs(despues)
    practica = despues.practicas[0]
    response = client.get(reverse("core:verificar", args=[rec_doc.codigo]))
    assert response.status_code == 200
    texto = response.content.decode()
    for esperado in (rec_doc.folio, practica.nombre, practica.sujeto.nombre, despues.convocatoria.titulo,
                     rec_doc.resumen["vigente_desde"], rec_doc.resumen["vigente_hasta"], "Vigente"):
        assert esperado in texto
    # The SHA-256 shown is the one of the very bytes served for download.
    descarga = client.get(reverse("core:documento", args=[rec_doc.codigo]))
    contenido = b"".join(descarga.streaming_content)
    assert hashlib.sha256(contenido).hexdigest() == rec_doc.sha256
    assert rec_doc.sha256 in texto
    assert reverse("core:documento", args=[rec_doc.codigo]) in texto
    assert 'name="robots" content="noindex"' in texto


def test_verificacion_del_dictamen_no_procedente_sin_descarga_publica(client, despues):
    _rec, _dic, no_doc = _docs(despues)
    texto = client.get(reverse("core:verificar", args=[no_doc.codigo])).content.decode()
    assert "No procedente" in texto and no_doc.folio in texto
    assert reverse("core:documento", args=[no_doc.codigo]) not in texto


def test_revocacion_se_ve_en_la_verificacion(client, despues, personal):
    rec_doc, _dic, _no = _docs(despues)
    rec = Reconocimiento.objects.get(documento=rec_doc)
    services.reconocimiento_revocar(reconocimiento=rec, usuario=personal,
                                    motivo="La práctica dejó de publicarse en el portal del sujeto obligado.")
    texto = client.get(reverse("core:verificar", args=[rec_doc.codigo])).content.decode()
    assert "Revocado" in texto
    assert "Revocado el" in texto
    assert "La práctica dejó de publicarse en el portal del sujeto obligado." in texto
    assert ">Vigente<" not in texto
    # The public page of the practice says it as well.
    conv = despues.convocatoria
    publica = client.get(reverse("evaluacion:practica_reconocida", args=[conv.slug, despues.practicas[0].pk]))
    assert "Revocado" in publica.content.decode()


def test_codigos_sin_relacion_con_los_folios(client, despues):
    docs = list(DocumentoVerificable.objects.all())
    codigos = {d.codigo for d in docs}
    assert len(codigos) == len(docs) == 3
    for d in docs:
        assert len(d.codigo) >= 22  # 128 random bits, URL-safe
        assert re.fullmatch(r"[-\w]+", d.codigo)
        assert d.folio not in d.codigo and d.folio.split("-")[-2] not in d.codigo
        assert d.codigo not in hashlib.sha256(d.folio.encode()).hexdigest()
        # The folio is not a way in either.
        response = client.get(reverse("core:verificar_inicio"), {"codigo": d.folio})
        if response.status_code == 302:
            response = client.get(response["Location"])
        assert response.status_code == 404
    # Consecutive folios, codes with nothing in common beyond chance.
    a, b = sorted(docs, key=lambda d: d.folio)[:2]
    assert a.codigo[:6] != b.codigo[:6]


def test_formulario_de_codigo_redirige_a_la_verificacion(client, despues):
    rec_doc, _dic, _no = _docs(despues)
    response = client.get(reverse("core:verificar_inicio"), {"codigo": f"  {rec_doc.codigo} "})
    assert response.status_code == 302 and response["Location"] == reverse("core:verificar", args=[rec_doc.codigo])
    assert client.get(reverse("core:verificar_inicio"), {"codigo": "no válido/../x"}).status_code == 404
    assert client.get(reverse("core:verificar_inicio")).status_code == 200


def test_documento_pendiente_se_verifica_sin_huella(client, despues):
    _rec, dic_doc, _no = _docs(despues)
    DocumentoVerificable.objects.filter(pk=dic_doc.pk).update(estado_pdf="pendiente", archivo="", sha256="")
    texto = client.get(reverse("core:verificar", args=[dic_doc.codigo])).content.decode()
    assert "El PDF se está generando." in texto
    assert client.get(reverse("core:documento", args=[dic_doc.codigo])).status_code == 404


def test_la_reserva_se_respeta_aunque_la_fecha_de_resultados_cambie(client, firmado, personal):
    """Once rulings are signed the service refuses to move the results date; if it moved anyway
    (admin, SQL), the documents' own visible_desde is stale and the call's embargo still rules."""
    from datetime import timedelta

    from convocatorias.models import Convocatoria
    from convocatorias.services import convocatoria_actualizar
    from core.errors import ErrorDominio

    conv = firmado.convocatoria
    original = conv.fecha_resultados
    with pytest.raises(ErrorDominio, match="dictámenes firmados"):
        convocatoria_actualizar(convocatoria=conv, usuario=personal,
                                datos={"fecha_resultados": original + timedelta(days=5)})
    Convocatoria.objects.filter(pk=conv.pk).update(fecha_resultados=original + timedelta(days=5))
    rec_doc, _dic, _no = _docs(firmado)
    assert rec_doc.visible_desde == original
    with time_machine.travel(original + timedelta(days=1), tick=False):
        assert client.get(reverse("core:verificar", args=[rec_doc.codigo])).status_code == 404
        assert client.get(reverse("core:documento", args=[rec_doc.codigo])).status_code == 404
    with time_machine.travel(original + timedelta(days=5, seconds=1), tick=False):
        assert client.get(reverse("core:verificar", args=[rec_doc.codigo])).status_code == 200
