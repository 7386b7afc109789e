"""The embargo: one second before the results second nothing reveals a decision (pages, files,
verification, the enlace's own page, e-mails); one second after, everything does."""

import re
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from convocatorias.models import Convocatoria
from core import tasks as core_tasks
from core.models import DocumentoVerificable
from evaluacion import tasks
from evaluacion.models import Dictamen, Notificacion, Reconocimiento
from practicas.models import Enlace
from tests import factories
from tests.evaluacion import builders
from tests.evaluacion import builders_dictamen as bd
from tests.evaluacion.builders_dictamen import antes_y_despues, fixture_ciclo, fixture_firmado  # noqa: F401

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    """The page's own content, without the frame (whose CSRF token changes on every request)."""
    return re.search(r"<main.*?</main>", response.content.decode(), flags=re.S).group(0)


@pytest.fixture
def momentos(firmado):
    antes, despues = antes_y_despues(firmado)
    return {"antes": antes, "despues": despues}


def _docs(ciclo):
    procedente, no_procedente = (Dictamen.objects.select_related("documento", "reconocimiento__documento").get(pk=d.pk)
                                 for d in ciclo.dictamenes)
    return {
        "reconocimiento": procedente.reconocimiento.documento,
        "dictamen_procedente": procedente.documento,
        "dictamen_no_procedente": no_procedente.documento,
    }


def test_documentos_listos_para_la_prueba(firmado):
    """The fixture's PDFs really rendered: otherwise every download below would 404 for that reason."""
    assert DocumentoVerificable.objects.count() == 3
    assert set(DocumentoVerificable.objects.values_list("estado_pdf", flat=True)) == {"lista"}


def test_pagina_de_resultados_un_segundo_antes_no_revela_nada(client, firmado, momentos):
    conv = firmado.convocatoria
    with time_machine.travel(momentos["antes"], tick=False):
        response = client.get(reverse("evaluacion:resultados", args=[conv.slug]))
    assert response.status_code == 200
    texto = _main(response)
    assert "Los resultados se publicarán el" in texto
    for practica in firmado.practicas:
        assert practica.nombre not in texto and practica.sujeto.nombre not in texto
    assert "<table" not in texto  # not even an empty list or a count


def test_pagina_de_resultados_un_segundo_despues_lista_las_reconocidas(client, firmado, momentos):
    conv = firmado.convocatoria
    with time_machine.travel(momentos["despues"], tick=False):
        response = client.get(reverse("evaluacion:resultados", args=[conv.slug]))
    texto = _main(response)
    assert "Los resultados se publicarán el" not in texto
    procedente, no_procedente = firmado.practicas
    assert procedente.nombre in texto
    assert no_procedente.nombre not in texto  # only recognised practices are listed


@pytest.mark.parametrize("momento, esperado", [("antes", 404), ("despues", 200)])
def test_pagina_publica_de_la_practica(client, firmado, momentos, momento, esperado):
    conv = firmado.convocatoria
    procedente, no_procedente = firmado.practicas
    with time_machine.travel(momentos[momento], tick=False):
        response = client.get(reverse("evaluacion:practica_reconocida", args=[conv.slug, procedente.pk]))
        assert client.get(reverse("evaluacion:practica_reconocida", args=[conv.slug, no_procedente.pk])) \
            .status_code == 404
    assert response.status_code == esperado
    if esperado == 200:
        assert "Vigente" in response.content.decode()


def test_enlace_del_detalle_de_convocatoria_solo_tras_la_reserva(client, firmado, momentos):
    conv = firmado.convocatoria
    url = reverse("evaluacion:resultados", args=[conv.slug])
    with time_machine.travel(momentos["antes"], tick=False):
        assert url not in client.get(conv.get_absolute_url()).content.decode()
    with time_machine.travel(momentos["despues"], tick=False):
        assert url in client.get(conv.get_absolute_url()).content.decode()


# Who downloads which PDF, before and after: anonymous, the recognised body (A), the other body (B).
DESCARGAS = [
    # documento, persona, antes, después
    ("reconocimiento", None, 404, 200),
    ("dictamen_procedente", None, 404, 200),
    ("dictamen_no_procedente", None, 404, 404),
    ("dictamen_no_procedente", "enlace_b", 404, 200),
    ("dictamen_no_procedente", "enlace_a", 404, 404),
    ("dictamen_no_procedente", "personal", 200, 200),
]


def _get(client, usuario, url, momento):
    """GET at that moment; logging in there too, since a session opened today would have expired."""
    with time_machine.travel(momento, tick=False):
        if usuario is not None:
            client.force_login(usuario)
        return client.get(url)


@pytest.mark.parametrize("documento, persona, antes, despues", DESCARGAS)
def test_descarga_de_documentos(client, firmado, momentos, personas, documento, persona, antes, despues):
    doc = _docs(firmado)[documento]
    usuario = personas[persona] if persona else None
    url = reverse("core:documento", args=[doc.codigo])
    r_antes = _get(client, usuario, url, momentos["antes"])
    r_despues = _get(client, usuario, url, momentos["despues"])
    assert (r_antes.status_code, r_despues.status_code) == (antes, despues)
    if despues == 200:
        contenido = b"".join(r_despues.streaming_content)
        assert contenido.startswith(b"%PDF") and r_despues["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("documento", ["reconocimiento", "dictamen_procedente", "dictamen_no_procedente"])
def test_verificacion_antes_es_igual_a_un_codigo_desconocido(client, firmado, momentos, documento):
    doc = _docs(firmado)[documento]
    with time_machine.travel(momentos["antes"], tick=False):
        embargado = client.get(reverse("core:verificar", args=[doc.codigo]))
        desconocido = client.get(reverse("core:verificar", args=["codigoQueNoExiste123"]))
    assert embargado.status_code == desconocido.status_code == 404
    assert "No encontramos un documento con ese código" in _main(embargado)
    assert _main(embargado) == _main(desconocido)
    with time_machine.travel(momentos["despues"], tick=False):
        publicado = client.get(reverse("core:verificar", args=[doc.codigo]))
    assert publicado.status_code == 200
    assert doc.folio in _main(publicado)


def test_pagina_del_enlace_muestra_el_dictamen_solo_tras_la_reserva(client, firmado, momentos, enlace_a):
    procedente = firmado.practicas[0]
    dictamen = Dictamen.objects.get(practica=procedente)
    motivo = dictamen.motivos.first().texto.splitlines()[0]
    url = reverse("practicas:detalle", args=[procedente.pk])
    antes = _main(_get(client, enlace_a, url, momentos["antes"]))
    despues = _main(_get(client, enlace_a, url, momentos["despues"]))
    for revelador in ("Dictamen del Jurado Calificador", dictamen.folio, "Procedente", motivo[:40],
                      dictamen.documento.codigo):
        assert revelador not in antes
        assert revelador in despues
    # The admissibility result was released when the practices went to the jury: shown both times.
    assert "Verificación de requisitos" in antes and "Admitida" in antes


def test_ningun_correo_antes_y_uno_por_dictamen_despues(firmado, momentos, django_capture_on_commit_callbacks):
    conv = firmado.convocatoria
    # The notice goes to the body's approved enlaces and the practice's contact.
    for p in firmado.practicas:
        factories.EnlaceFactory(sujeto=p.sujeto, estado=Enlace.Estado.SOLICITADO)  # not approved: not told
    enlaces = {p.pk: set(Enlace.objects.filter(sujeto=p.sujeto, estado=Enlace.Estado.APROBADO)
                         .values_list("usuario__email", flat=True)) for p in firmado.practicas}
    assert all(enlaces.values())
    mail.outbox.clear()
    with time_machine.travel(momentos["antes"], tick=False), django_capture_on_commit_callbacks(execute=True):
        resultado = tasks.resultados_publicar_pendientes()
        for d in firmado.dictamenes:  # even a stray notice task sends nothing before the second: it asks
            # to run again just after it (eager tasks propagate, so the retry reaches the caller)
            with pytest.raises(Retry) as reintento:
                tasks.resultado_notificar_task.delay(d.pk)
            assert reintento.value.when == int((conv.fecha_resultados - momentos["antes"]).total_seconds()) + 1
    assert resultado["publicadas"] == []
    assert mail.outbox == []
    conv.refresh_from_db()
    assert conv.estado == Convocatoria.Estado.EN_EVALUACION and conv.resultados_notificados_en is None

    with time_machine.travel(conv.fecha_resultados, tick=False), django_capture_on_commit_callbacks(execute=True):
        resultado = tasks.resultados_publicar_pendientes()
    assert resultado["publicadas"] == [conv.pk]
    conv.refresh_from_db()
    assert conv.estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS
    assert conv.resultados_notificados_en == conv.fecha_resultados
    assert len(mail.outbox) == 2
    por_practica = {m.subject: set(m.to) for m in mail.outbox}
    for practica in firmado.practicas:
        assert por_practica[f"Resultado de su práctica {practica.folio}"] == enlaces[practica.pk] | {
            practica.contacto_correo}
    decisiones = sorted(m.body.split("Resultado: ")[1].split(".")[0] for m in mail.outbox)
    assert decisiones == ["No procedente", "Procedente"]


def test_publicar_dos_veces_envia_cada_correo_una_vez_y_no_crea_nada_doble(firmado, momentos,
                                                                          django_capture_on_commit_callbacks):
    conv = firmado.convocatoria
    mail.outbox.clear()
    documentos = list(DocumentoVerificable.objects.values_list("pk", "sha256"))
    with time_machine.travel(momentos["despues"], tick=False):
        for _ in range(2):
            with django_capture_on_commit_callbacks(execute=True):
                tasks.resultados_publicar_pendientes()
        # A notice task delivered twice (a worker died before acknowledging it) sends nothing more.
        for d in firmado.dictamenes:
            assert tasks.resultado_notificar_task.apply(args=[d.pk]).get() is False
    assert len(mail.outbox) == 2
    assert Notificacion.objects.filter(dictamen__practica__convocatoria=conv).count() == 2
    assert list(DocumentoVerificable.objects.values_list("pk", "sha256")) == documentos
    assert conv.history.filter(estado=Convocatoria.Estado.RESULTADOS_PUBLICADOS).count() == 1


@pytest.mark.parametrize("n", [1, 3])
def test_pagina_de_resultados_con_consultas_constantes(client, autoridad, personal, django_assert_num_queries, n):
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=[9, 8, 10][:n] + [5], n_jurado=2)
    bd.firmar_todos(ciclo)
    url = reverse("evaluacion:resultados", args=[ciclo.convocatoria.slug])
    with time_machine.travel(antes_y_despues(ciclo)[1], tick=False):
        client.get(url)
        # The call with its authority (the page's face), the rulings with what they show.
        with django_assert_num_queries(2):
            response = client.get(url)
    assert response.content.decode().count(f"/convocatorias/{ciclo.convocatoria.slug}/resultados/") == n


def test_admisibilidad_visible_al_enlace_solo_cuando_se_comunica(client, autoridad, personal, sujeto_a, sujeto_b,
                                                                  enlace_a, enlace_b):
    esc = builders.convocatoria_cerrada(autoridad=autoridad, personal=personal, n_practicas=2,
                                        sujetos=[sujeto_a, sujeto_b])
    rechazada, admitida = esc.practicas
    builders.no_admitir(rechazada, personal, motivos="El soporte del criterio 4 no abre.")
    builders.admitir(admitida, personal)
    url = reverse("practicas:detalle", args=[rechazada.pk])
    client.force_login(enlace_a)
    antes = _main(client.get(url))
    assert "Verificación de requisitos" not in antes and "El soporte del criterio 4 no abre." not in antes
    client.force_login(personal)
    assert "El soporte del criterio 4 no abre." in _main(client.get(url))  # staff see it at once

    builders.turnar(esc.convocatoria, personal)
    client.force_login(enlace_a)
    despues = _main(client.get(url))
    assert "Verificación de requisitos" in despues and "No admitida" in despues
    assert "El soporte del criterio 4 no abre." in despues
    assert "no cumple" in despues  # the checklist line that failed


def _siguiente_barrido(desde):
    """The first quarter hour at least ten minutes after `desde`, when the sweep re-queues lost messages."""
    t = timezone.localtime(desde + tasks.REENCOLAR_TRAS).replace(second=0, microsecond=0) + timedelta(minutes=1)
    while t.minute % tasks.REENCOLAR_CADA_MIN:
        t += timedelta(minutes=1)
    return t


def test_avisos_perdidos_se_reencolan_una_vez(firmado, django_capture_on_commit_callbacks):
    """Publication committed but its notice messages never reached the broker (callbacks not run)."""
    conv = firmado.convocatoria
    mail.outbox.clear()
    with time_machine.travel(conv.fecha_resultados, tick=False):
        assert tasks.resultados_publicar_pendientes()["publicadas"] == [conv.pk]
    assert mail.outbox == []
    barrido = _siguiente_barrido(conv.fecha_resultados)
    with time_machine.travel(barrido - timedelta(minutes=1), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assert tasks.resultados_publicar_pendientes()["reencoladas"] == 0  # not a sweep minute
    assert mail.outbox == []
    # Each sweep runs in autocommit (a periodic task): its notices leave the outbox when it ends.
    with time_machine.travel(barrido, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.resultados_publicar_pendientes()["reencoladas"] == 2
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.resultados_publicar_pendientes()["reencoladas"] == 0
    assert len(mail.outbox) == 2


def test_pdf_perdido_se_reencola(firmado, django_capture_on_commit_callbacks):
    doc = Dictamen.objects.get(pk=firmado.dictamenes[1].pk).documento
    DocumentoVerificable.objects.filter(pk=doc.pk).update(estado_pdf="pendiente", archivo="", sha256="")
    # Lost PDFs are core's one sweep (every generated file), no longer this task's.
    with time_machine.travel(_siguiente_barrido(doc.creado_en), tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        por_tipo = core_tasks.documentos_barrer_task()["por_tipo"]
        assert por_tipo.get("dictamen", 0) + por_tipo.get("reconocimiento", 0) == 1
    doc.refresh_from_db()
    assert doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA and doc.sha256


def test_catalogo_publico_respeta_el_embargo_al_segundo(firmado, momentos):
    from evaluacion.catalogo import reconocimientos_publicos

    conv = firmado.convocatoria
    assert not reconocimientos_publicos(conv.fecha_resultados - timedelta(seconds=1)).exists()
    despues = reconocimientos_publicos(conv.fecha_resultados)
    assert despues.count() == Reconocimiento.objects.filter(dictamen__practica__convocatoria=conv).count() > 0
    assert {r.estado_vigencia for r in despues} == {"vigente"}
