"""The notice each body gets when staff close admissibility (evaluacion.services.admisibilidad_avisar):
one e-mail per practice after the commit, through the task path; admitted, or not admitted with the
reasons and each requirement not met; once, however often the task runs; nothing of the jury's work."""

import pytest
from django.core import mail

from core.errors import ErrorDominio
from evaluacion import services
from evaluacion.models import Admisibilidad
from evaluacion.tasks import admisibilidad_avisar_task
from tests.evaluacion import builders

pytestmark = pytest.mark.django_db

MOTIVOS = 'Los soportes no se pudieron abrir: archivo <ZIP> "dañado" & ilegible.'


class BackendQueFalla:
    """An SMTP server that refuses every message."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, mensajes):
        raise ConnectionRefusedError("sin servidor de correo")


def _avisos():
    return [m for m in mail.outbox if "admitida" in m.subject]


def _cerrar(esc, personal, capturar):
    builders.no_admitir(esc.practicas[0], personal, motivos=MOTIVOS)  # body A
    builders.admitir(esc.practicas[1], personal)  # body B
    builders.admitir(esc.practicas[2], personal)  # body A
    mail.outbox.clear()
    with capturar(execute=True) as llamadas:
        builders.turnar(esc.convocatoria, personal)
        assert _avisos() == []  # nothing before the commit
    assert llamadas


def test_al_cerrar_cada_practica_recibe_un_aviso_tras_el_commit(escena_cerrada, personal, enlace_a, enlace_b,
                                                               django_capture_on_commit_callbacks):
    esc = escena_cerrada
    _cerrar(esc, personal, django_capture_on_commit_callbacks)
    avisos = _avisos()
    assert len(avisos) == 3
    por_folio = {m.subject.split()[2]: m for m in avisos}
    no_admitida = por_folio[esc.practicas[0].folio]
    assert no_admitida.subject == f"Su práctica {esc.practicas[0].folio} no fue admitida"
    assert enlace_a.email in no_admitida.to and enlace_b.email not in no_admitida.to
    # The reasons, and the requirement that failed, in both parts; HTML-escaped in the HTML one.
    assert MOTIVOS in no_admitida.body and "Requisitos que no se cumplieron:" in no_admitida.body
    requisito = Admisibilidad.objects.get(practica=esc.practicas[0]).requisitos.get(clave="soportes").texto
    assert f"- {requisito}" in no_admitida.body
    ((html, tipo),) = no_admitida.alternatives
    assert tipo == "text/html"
    assert "archivo &lt;ZIP&gt; &quot;dañado&quot; &amp; ilegible." in html and "<ZIP>" not in html
    assert requisito in html
    # Under the authority's name, replies to its contact.
    assert esc.convocatoria.autoridad.siglas in no_admitida.from_email
    assert no_admitida.reply_to == [esc.convocatoria.autoridad.correo_contacto]

    admitida = por_folio[esc.practicas[1].folio]
    assert admitida.subject == f"Su práctica {esc.practicas[1].folio} fue admitida"
    assert enlace_b.email in admitida.to and enlace_a.email not in admitida.to
    assert "Admitida." in admitida.body and "pasa a la evaluación del Jurado Calificador" in admitida.body
    assert "Motivos" not in admitida.body and "Admitida." in admitida.alternatives[0][0]
    # Nothing of the jury's work, and no reasons of another practice.
    for m in avisos:
        for palabra in ("Procedente", "puntaje", "calificación", "Dictamen"):
            assert palabra not in m.body and palabra not in m.alternatives[0][0]
    assert MOTIVOS not in admitida.body


def test_el_aviso_sale_una_sola_vez_aunque_la_tarea_se_repita(escena_cerrada, personal,
                                                             django_capture_on_commit_callbacks):
    esc = escena_cerrada
    _cerrar(esc, personal, django_capture_on_commit_callbacks)
    assert len(_avisos()) == 3
    for adm in Admisibilidad.objects.all():
        assert adm.avisada_en is not None
        assert admisibilidad_avisar_task.delay(adm.pk).get() is False
    # Closing again is refused, and sends nothing.
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ErrorDominio):
        builders.turnar(esc.convocatoria, personal)
    assert len(_avisos()) == 3


def test_sin_cerrar_la_fase_no_se_avisa(escena_cerrada, personal):
    adm = builders.no_admitir(escena_cerrada.practicas[0], personal)
    mail.outbox.clear()
    assert services.admisibilidad_avisar(admisibilidad_id=adm.pk) is False
    assert _avisos() == [] and Admisibilidad.objects.get(pk=adm.pk).avisada_en is None


def test_un_envio_fallido_no_deja_marca_y_el_siguiente_intento_avisa(escena_cerrada, personal, settings):
    esc = escena_cerrada
    for p in esc.practicas:
        builders.admitir(p, personal)
    builders.turnar(esc.convocatoria, personal)  # the notices wait for a commit that never comes here
    adm = Admisibilidad.objects.get(practica=esc.practicas[0])
    settings.EMAIL_BACKEND = f"{__name__}.BackendQueFalla"
    with pytest.raises(ConnectionRefusedError):
        services.admisibilidad_avisar(admisibilidad_id=adm.pk)
    assert Admisibilidad.objects.get(pk=adm.pk).avisada_en is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    assert services.admisibilidad_avisar(admisibilidad_id=adm.pk) is True
    assert len(_avisos()) == 1
