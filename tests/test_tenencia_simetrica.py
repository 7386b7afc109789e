"""Tenancy seen from the other side. The permission matrices build authority A's objects (INFOEM,
entidad 15) and check that staff of authority B (`otro_personal`) get 404 on them; here authority B
(COTAI, entidad 19) owns the objects: a call with practices of a body of its entity (one submitted with
a file support and its acuse, rulings drafted and one signed), a draft call with a document, a cycle
with a past session (attendance, survey answers, constancias issued) and a hidden one.

Staff of A (`personal`) get 404 on every panel page, file and export of those objects, and a refused
POST changes nothing (tests/matriz.py's snapshot); A's juror and A's enlace get what someone unrelated
gets; B's own staff, B's juror and the enlace of B's body are the control: they get in, so each 404 is
about the tenant and not a broken address. Their POSTs that write run in a savepoint rolled back after
the check, so one scene serves every row."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse

from convocatorias import services as conv_services
from convocatorias.models import Convocatoria
from core.models import PersonalGarante
from evaluacion.models import Reconocimiento
from jornadas import constancias
from jornadas.models import Constancia
from practicas import services as prac_services
from practicas.models import Acuse, Practica, Soporte
from tests import factories
from tests.evaluacion import builders_dictamen as bd
from tests.jornadas import builders as bj
from tests.matriz import LOGIN, Ruta, comprobar

# Who walks B's objects: A's staff, A's juror and A's enlace; B's staff, a juror of B's judged call
# ("jurado_otra" here) and the enlace of the body whose practices these are.
PERSONAS = ("anonimo", "personal", "jurado", "enlace_a", "otro_personal", "jurado_otra", "enlace_otra_entidad")

# The staff panel: A's staff 404, whoever is not staff 403, B's staff in.
PANEL = {"anonimo": LOGIN, "personal": 404, "jurado": 403, "enlace_a": 403, "otro_personal": 200,
         "jurado_otra": 403, "enlace_otra_entidad": 403}
# The judging screens staff and jurors share (admissibility for staff, dashboard and rulings for both):
# A's juror judges another call, 404; B's juror is related to this one.
JUICIO = {**PANEL, "jurado": 404}
# The jury's own screens: staff of the call are related but may not score (403), staff of A are not (404).
JURADO = {**JUICIO, "otro_personal": 403, "jurado_otra": 200}
# A practice of B's body: its enlace and B's staff read it; nobody else can tell it exists.
PRACTICA = {"anonimo": LOGIN, "personal": 404, "jurado": 404, "enlace_a": 404, "otro_personal": 200,
            "jurado_otra": 404, "enlace_otra_entidad": 200}
# A session not published: B's staff only.
OCULTA = {**dict.fromkeys(PERSONAS, 404), "otro_personal": 200}


def R(id_, nombre, url, base, metodo="get", datos=None, **cambios):  # noqa: N802 - reads as a table row
    """A row: `base` with `cambios` per persona; in a POST, whoever gets a 302 may write."""
    esperado = {**base, **cambios}
    cambian = frozenset(p for p, e in esperado.items() if e == 302) if metodo == "post" else frozenset()
    return Ruta(id_, nombre, url, esperado, metodo=metodo, datos=datos, cambian=cambian)


def _pdf():
    return SimpleUploadedFile("bases.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def _csv():
    return SimpleUploadedFile("datos.csv", b"municipio,monto\nMonterrey,1200\n", content_type="text/csv")


@pytest.fixture
def escena(otra_autoridad, otro_personal, convocatoria_otra, sujeto_otra_entidad, enlace_otra_entidad,
           django_capture_on_commit_callbacks):
    capturar = django_capture_on_commit_callbacks
    e = SimpleNamespace(autoridad=otra_autoridad, abierta=convocatoria_otra, sujeto=sujeto_otra_entidad,
                        personal_b=PersonalGarante.objects.get(autoridad=otra_autoridad, usuario=otro_personal))
    # B's open call: a practice submitted online with a file support (its acuse rendered), and one
    # whose acuse failed for good.
    practica = factories.PracticaFactory(convocatoria=convocatoria_otra, sujeto=sujeto_otra_entidad,
                                         creada_por=enlace_otra_entidad, nombre="Datos abiertos de Monterrey")
    e.soporte = prac_services.soporte_agregar_archivo(practica=practica, usuario=enlace_otra_entidad, archivo=_csv())
    with capturar(execute=True):
        e.enviada = prac_services.practica_enviar(practica=practica, usuario=enlace_otra_entidad)
    assert Acuse.objects.get(practica=e.enviada).estado_pdf == Acuse.Estado.LISTA
    fallida = factories.PracticaFactory(convocatoria=convocatoria_otra, sujeto=sujeto_otra_entidad,
                                        creada_por=enlace_otra_entidad, nombre="Con acuse fallido")
    Soporte.objects.create(practica=fallida, tipo=Soporte.Tipo.ENLACE, url="https://datos.nl.gob.mx/f",
                           subido_por=enlace_otra_entidad)
    prac_services.practica_enviar(practica=fallida, usuario=enlace_otra_entidad)
    Acuse.objects.filter(practica=fallida).update(estado_pdf=Acuse.Estado.FALLIDA, intentos=4, error="prueba")
    e.acuse_fallido = Acuse.objects.get(practica=fallida)
    # A draft call with a document.
    e.borrador = factories.ConvocatoriaFactory(autoridad=otra_autoridad, estado=Convocatoria.Estado.BORRADOR,
                                               titulo="Convocatoria de Nuevo León en preparación")
    e.documento = conv_services.documento_agregar(convocatoria=e.borrador, usuario=otro_personal, titulo="Bases",
                                                  archivo=_pdf())
    # A judged call: scoring closed, the first ruling (procedente) signed, the second still a draft.
    e.ciclo = bd.con_dictamenes(autoridad=otra_autoridad, personal=otro_personal, sujetos=[sujeto_otra_entidad],
                                enlace=enlace_otra_entidad, n_jurado=3)
    with capturar(execute=True):
        firmado = bd.firmar(e.ciclo.dictamenes[0], otro_personal)
    e.reconocimiento = Reconocimiento.objects.get(dictamen=firmado)
    e.juzgada = e.ciclo.convocatoria
    e.jurado_b = e.ciclo.miembros[0].usuario
    # Sessions: a past one with attendees (one answered the survey, constancias issued) and a hidden one.
    e.ciclo_jornadas = bj.ciclo(autoridad_=otra_autoridad)
    e.pasada = bj.jornada_con_asistentes(2, respondieron=1, ausentes=1, ciclo_=e.ciclo_jornadas,
                                         sujetos_=[sujeto_otra_entidad])
    e.oculta = bj.jornada(ciclo_=e.ciclo_jornadas, publicada=False, titulo="Jornada de Nuevo León sin publicar")
    e.ausente = e.pasada.registros.get(asistio=False)
    with capturar(execute=True):
        e.lote = constancias.constancias_emitir(usuario=otro_personal, jornada=e.pasada)
    e.constancia = Constancia.objects.filter(registro__jornada=e.pasada).first()
    return e


def _conv(nombre, cual="abierta"):
    return lambda e: reverse(nombre, args=[getattr(e, cual).slug])


def _datos_jornada(e):
    j = e.oculta
    return {"autoridad": j.autoridad_id, "ciclo": j.ciclo_id, "numero": 9, "titulo": "Cambiada por otro garante",
            "slug": j.slug, "inicio": "2030-05-10T10:00", "fin": "2030-05-10T12:00", "coordinador": "Coordinación",
            "cargo_coordinador": "Comisionada", "temas": "Tema", "modalidad": "virtual",
            "enlace_virtual": "https://videollamada.ejemplo.gob.mx/x", "sede": "", "cupo": "", "registro_abre": "",
            "registro_cierra": "", "fase": "", "publicada": "on"}


def _plantilla(e):
    return {"titulo": "Constancia", "cuerpo": "Para {nombre}", "pie": "",
            "firmantes-TOTAL_FORMS": "0", "firmantes-INITIAL_FORMS": "0"}


def _dictamen(e):
    """The draft ruling's form as it stands, with a change and the signing confirmation."""
    d = e.ciclo.dictamenes[1]
    d.refresh_from_db()
    return {"decision": d.decision, "consideraciones": "Cambio de otro garante", "motivo_desviacion": "",
            "confirmar": "on", **{f"motivo_{m.criterio_id}": m.texto for m in d.motivos.all()}}


def _firma(e):
    """A juror's signing form: the confirmation and their password (the factories' one)."""
    return {"confirmar": "on", "contrasena": "clave-de-prueba-123"}


def _practica(nombre, cual="enviada"):
    return lambda e: reverse(nombre, args=[getattr(e, cual).pk])


def _juzgada(nombre, i=0):
    return lambda e: reverse(nombre, args=[e.juzgada.slug, e.ciclo.practicas[i].pk])


RUTAS = [
    # --- B's own record in the panel (core/urls_panel.py) --------------------------------------------------
    R("autoridad_editar", "panel:autoridad_editar", _conv("panel:autoridad_editar", "autoridad"), PANEL),
    R("autoridad_editar-post", "panel:autoridad_editar", _conv("panel:autoridad_editar", "autoridad"), PANEL,
      "post", lambda e: {"nombre": "Cambiada por otro garante"}, otro_personal=400),  # B's staff: invalid form
    R("autoridad_firmantes", "panel:autoridad_firmantes", _conv("panel:autoridad_firmantes", "autoridad"), PANEL),
    R("autoridad_personal", "panel:autoridad_personal", _conv("panel:autoridad_personal", "autoridad"), PANEL),
    R("autoridad_personal_retirar-post", "panel:autoridad_personal_retirar",
      lambda e: reverse("panel:autoridad_personal_retirar", args=[e.autoridad.slug, e.personal_b.pk]), PANEL,
      "post", otro_personal=302),  # B's last staff member: refused with a message, nothing written
    R("autoridad_historial", "panel:autoridad_historial", _conv("panel:autoridad_historial", "autoridad"), PANEL),
    # --- calls in the panel (B's draft call) ------------------------------------------------------------
    R("convocatoria_editar", "panel:convocatoria_editar", _conv("panel:convocatoria_editar", "borrador"), PANEL),
    R("convocatoria_criterios", "panel:convocatoria_criterios", _conv("panel:convocatoria_criterios", "borrador"),
      PANEL),
    R("convocatoria_jurado", "panel:convocatoria_jurado", _conv("panel:convocatoria_jurado", "borrador"), PANEL),
    R("convocatoria_documentos", "panel:convocatoria_documentos",
      _conv("panel:convocatoria_documentos", "borrador"), PANEL),
    R("convocatoria_publicar", "panel:convocatoria_publicar", _conv("panel:convocatoria_publicar", "borrador"),
      PANEL),
    R("convocatoria_editar-post", "panel:convocatoria_editar", _conv("panel:convocatoria_editar", "borrador"),
      PANEL, "post", lambda e: {"titulo": "Cambiada por otro garante"}),  # B's staff: the form, invalid
    R("convocatoria_documento_eliminar-post", "panel:convocatoria_documento_eliminar",
      lambda e: reverse("panel:convocatoria_documento_eliminar", args=[e.borrador.slug, e.documento.pk]),
      PANEL, "post", otro_personal=302),
    # --- practices in the panel (B's open call) -----------------------------------------------------------
    R("practicas", "panel:practicas", _conv("panel:practicas"), PANEL),
    R("practicas_csv", "panel:practicas_csv", _conv("panel:practicas_csv"), PANEL),
    R("practicas_xlsx", "panel:practicas_xlsx", _conv("panel:practicas_xlsx"), PANEL),
    R("registrar_recibida", "panel:registrar_recibida", _conv("panel:registrar_recibida"), PANEL),
    R("registrar_recibida-post", "panel:registrar_recibida", _conv("panel:registrar_recibida"), PANEL, "post",
      lambda e: {"sujeto": e.sujeto.pk, "canal": Practica.Canal.PAPEL, "nombre": "Recibida por otro garante"},
      otro_personal=302),
    R("acuse_reintentar-post", "panel:acuse_reintentar",
      lambda e: reverse("panel:acuse_reintentar", args=[e.acuse_fallido.pk]), PANEL, "post", otro_personal=302),
    # --- the practice, its acuse and its file ---------------------------------------------------------------
    R("detalle", "practicas:detalle", _practica("practicas:detalle"), PRACTICA),
    R("acuse", "practicas:acuse", _practica("practicas:acuse"), PRACTICA),
    R("acuse_estado", "practicas:acuse_estado", _practica("practicas:acuse_estado"), PRACTICA),
    R("soporte", "practicas:soporte", _practica("practicas:soporte", "soporte"), PRACTICA),
    R("editar", "practicas:editar", _practica("practicas:editar"), PRACTICA, otro_personal=302,
      enlace_otra_entidad=302),  # submitted: back to its page
    R("retirar-post", "practicas:retirar", _practica("practicas:retirar"), PRACTICA, "post", otro_personal=403,
      enlace_otra_entidad=302),
    # --- judging (B's judged call) ------------------------------------------------------------------------------
    R("admisibilidad", "panel:admisibilidad", _conv("panel:admisibilidad", "juzgada"), JUICIO),
    R("admisibilidad_practica", "panel:admisibilidad_practica", _juzgada("panel:admisibilidad_practica"), JUICIO),
    R("tablero", "panel:tablero", _conv("panel:tablero", "juzgada"), JUICIO, jurado_otra=200),
    R("tablero_csv", "panel:tablero_csv", _conv("panel:tablero_csv", "juzgada"), JUICIO, jurado_otra=200),
    R("jurado_calificaciones", "panel:jurado_calificaciones", _conv("panel:jurado_calificaciones", "juzgada"),
      JURADO),
    R("jurado_calificar", "panel:jurado_calificar", _juzgada("panel:jurado_calificar"), JURADO),
    R("dictamenes", "panel:dictamenes", _conv("panel:dictamenes", "juzgada"), JUICIO, jurado_otra=200),
    R("dictamen", "panel:dictamen", lambda e: reverse("panel:dictamen", args=[e.ciclo.dictamenes[1].pk]), JUICIO,
      jurado_otra=200),
    R("dictamen-post", "panel:dictamen", lambda e: reverse("panel:dictamen", args=[e.ciclo.dictamenes[1].pk]),
      JUICIO, "post", _dictamen, otro_personal=302, jurado_otra=302),
    # Each juror signs with their own account and password: B's staff are related but may not (403).
    R("dictamen_firmar-post", "panel:dictamen_firmar",
      lambda e: reverse("panel:dictamen_firmar", args=[e.ciclo.dictamenes[1].pk]), JUICIO, "post", _firma,
      otro_personal=403, jurado_otra=302),
    # Replacing a juror and the scores' history: B's staff only (B's juror is related, 403).
    R("jurado_sustituir", "panel:jurado_sustituir",
      lambda e: reverse("panel:jurado_sustituir", args=[e.juzgada.slug, e.ciclo.miembros[1].pk]), JUICIO,
      otro_personal=200),
    R("calificaciones_historial", "panel:calificaciones_historial",
      lambda e: reverse("panel:calificaciones_historial", args=[e.juzgada.slug, e.ciclo.practicas[0].pk]), JUICIO,
      otro_personal=200),
    R("reconocimiento_revocar-post", "panel:reconocimiento_revocar",
      lambda e: reverse("panel:reconocimiento_revocar", args=[e.reconocimiento.pk]), JUICIO, "post",
      lambda e: {"motivo": "Revocado por otro garante."}, otro_personal=302),
    R("documento_reintentar-post", "panel:documento_reintentar",
      lambda e: reverse("panel:documento_reintentar", args=[e.reconocimiento.documento_id]), JUICIO, "post",
      otro_personal=302),  # a ready PDF: back to the ruling, nothing queued
    R("resultados_publicar-post", "panel:resultados_publicar", _conv("panel:resultados_publicar", "juzgada"),
      JUICIO, "post", otro_personal=302),
    R("calificacion_cerrar-post", "panel:calificacion_cerrar", _conv("panel:calificacion_cerrar", "juzgada"),
      JUICIO, "post", otro_personal=302),
    R("admisibilidad_cerrar-post", "panel:admisibilidad_cerrar", _conv("panel:admisibilidad_cerrar", "juzgada"),
      JUICIO, "post", otro_personal=302),
    R("preseleccion-post", "panel:preseleccion", _juzgada("panel:preseleccion"), JUICIO, "post",
      lambda e: {"preseleccionada": "0"}, otro_personal=302),
    R("jurado_excusa-post", "panel:jurado_excusa", _juzgada("panel:jurado_excusa"), JURADO, "post",
      lambda e: {"excusa-motivo": "Colaboré en esta práctica."}, jurado_otra=400),  # scoring is closed
    R("jurado_reabrir-post", "panel:jurado_reabrir", _juzgada("panel:jurado_reabrir"), JURADO, "post",
      lambda e: {"reabrir-motivo": "Me equivoqué."}, jurado_otra=400),
    # The recognition's PDF under embargo: B's staff and the call's jury only (evaluacion.pdf).
    R("documento-reconocimiento", "core:documento",
      lambda e: reverse("core:documento", args=[e.reconocimiento.documento.codigo]),
      {**dict.fromkeys(PERSONAS, 404), "otro_personal": 200, "jurado_otra": 200}),
    # --- sessions (B's cycle) -----------------------------------------------------------------------------------
    R("jornada-oculta", "jornadas:detalle", lambda e: reverse("jornadas:detalle", args=[e.oculta.slug]), OCULTA),
    R("ciclo_editar", "panel:jornadas_ciclo_editar", _conv("panel:jornadas_ciclo_editar", "ciclo_jornadas"), PANEL),
    R("ciclo_editar-post", "panel:jornadas_ciclo_editar", _conv("panel:jornadas_ciclo_editar", "ciclo_jornadas"),
      PANEL, "post", lambda e: {"nombre": "Renombrado por otro garante", "slug": e.ciclo_jornadas.slug,
                                "anio": 2031}, otro_personal=302),
    R("jornada_editar", "panel:jornada_editar", _conv("panel:jornada_editar", "oculta"), PANEL),
    R("jornada_editar-post", "panel:jornada_editar", _conv("panel:jornada_editar", "oculta"), PANEL, "post",
      _datos_jornada, otro_personal=302),
    R("jornada_eliminar-post", "panel:jornada_eliminar", _conv("panel:jornada_eliminar", "oculta"), PANEL, "post",
      otro_personal=302),
    R("asistencia", "panel:jornada_asistencia", _conv("panel:jornada_asistencia", "pasada"), PANEL),
    R("asistencia_csv", "panel:jornada_asistencia_csv", _conv("panel:jornada_asistencia_csv", "pasada"), PANEL),
    R("asistencia_xlsx", "panel:jornada_asistencia_xlsx", _conv("panel:jornada_asistencia_xlsx", "pasada"), PANEL),
    R("asistencia_marcar-post", "panel:jornada_asistencia_marcar",
      lambda e: reverse("panel:jornada_asistencia_marcar", args=[e.pasada.slug, e.ausente.pk]), PANEL, "post",
      lambda e: {"asistio": [e.ausente.pk]}, otro_personal=302),
    R("importar", "panel:jornada_importar", _conv("panel:jornada_importar", "pasada"), PANEL),
    R("conteos", "panel:jornada_conteos", _conv("panel:jornada_conteos", "pasada"), PANEL),
    R("resultados-jornada", "panel:jornada_resultados", _conv("panel:jornada_resultados", "pasada"), PANEL),
    R("resultados_csv-jornada", "panel:jornada_resultados_csv", _conv("panel:jornada_resultados_csv", "pasada"),
      PANEL),
    R("respuestas_csv-jornada", "panel:jornada_respuestas_csv", _conv("panel:jornada_respuestas_csv", "pasada"),
      PANEL),
    R("resultados-ciclo", "panel:jornadas_resultados", _conv("panel:jornadas_resultados", "ciclo_jornadas"), PANEL),
    R("resultados_csv-ciclo", "panel:jornadas_resultados_csv",
      _conv("panel:jornadas_resultados_csv", "ciclo_jornadas"), PANEL),
    R("respuestas_csv-ciclo", "panel:jornadas_respuestas_csv",
      _conv("panel:jornadas_respuestas_csv", "ciclo_jornadas"), PANEL),
    R("informe", "panel:jornadas_informe", _conv("panel:jornadas_informe", "ciclo_jornadas"), PANEL),
    R("informe_sujetos_csv", "panel:jornadas_informe_sujetos_csv",
      _conv("panel:jornadas_informe_sujetos_csv", "ciclo_jornadas"), PANEL),
    R("informe_sujetos_xlsx", "panel:jornadas_informe_sujetos_xlsx",
      _conv("panel:jornadas_informe_sujetos_xlsx", "ciclo_jornadas"), PANEL),
    R("informe_solicitar-post", "panel:jornadas_informe_solicitar",
      _conv("panel:jornadas_informe_solicitar", "ciclo_jornadas"), PANEL, "post", otro_personal=302),
    # --- constancias ----------------------------------------------------------------------------------------------
    R("plantilla", "panel:constancias_plantilla", _conv("panel:constancias_plantilla", "autoridad"), PANEL),
    R("plantilla-post", "panel:constancias_plantilla", _conv("panel:constancias_plantilla", "autoridad"), PANEL,
      "post", _plantilla, otro_personal=302),
    R("constancias_jornada", "panel:constancias_jornada", _conv("panel:constancias_jornada", "pasada"), PANEL),
    R("constancias_jornada_csv", "panel:constancias_jornada_csv", _conv("panel:constancias_jornada_csv", "pasada"),
      PANEL),
    R("constancias_jornada_xlsx", "panel:constancias_jornada_xlsx",
      _conv("panel:constancias_jornada_xlsx", "pasada"), PANEL),
    R("constancias_ciclo", "panel:constancias_ciclo", _conv("panel:constancias_ciclo", "ciclo_jornadas"), PANEL),
    R("constancias_jornada_emitir-post", "panel:constancias_jornada_emitir",
      _conv("panel:constancias_jornada_emitir", "pasada"), PANEL, "post", otro_personal=302),
    R("lote", "panel:constancias_lote", _practica("panel:constancias_lote", "lote"), PANEL),
    R("lote_zip", "panel:constancias_lote_zip", _practica("panel:constancias_lote_zip", "lote"), PANEL),
    R("lote_pdf", "panel:constancias_lote_pdf", _practica("panel:constancias_lote_pdf", "lote"), PANEL),
    R("revocar", "panel:constancias_revocar", _practica("panel:constancias_revocar", "constancia"), PANEL),
    R("revocar-post", "panel:constancias_revocar", _practica("panel:constancias_revocar", "constancia"), PANEL,
      "post", lambda e: {"motivo": "Revocada por otro garante"}, otro_personal=302),
]


def _usuarios(personas, escena):
    return {**{p: personas[p] for p in PERSONAS}, "jurado_otra": escena.jurado_b}


@pytest.mark.parametrize("persona", PERSONAS)
def test_los_objetos_de_la_autoridad_b_vistos_por_cada_persona(client, personas, escena, persona):
    """Every row for one persona on one scene; every cell that does not hold is reported."""
    usuario = _usuarios(personas, escena)[persona]
    if usuario is not None:
        client.force_login(usuario)
    fallas = []
    for ruta in RUTAS:
        try:
            with transaction.atomic():
                comprobar(client, ruta, escena, usuario, persona, entrar=False)
                transaction.set_rollback(True)  # what B's own people wrote: undone for the next row
        except AssertionError as exc:
            fallas.append(f"{ruta.metodo}-{ruta.id}: {exc}")
    assert not fallas, "\n".join(fallas)


def test_las_listas_de_cada_quien_no_nombran_lo_de_la_otra_autoridad(client, personas, convocatoria,
                                                                      convocatoria_otra, escena):
    """Lists and invitations stay within each person's tenant, both ways."""
    a, b = convocatoria, convocatoria_otra

    def pagina(persona, nombre):
        client.force_login(personas[persona])
        respuesta = client.get(reverse(nombre))
        assert respuesta.status_code == 200, (persona, nombre)
        return respuesta.content.decode()

    for nombre in ("panel:convocatorias", "panel:inicio"):
        assert a.titulo in pagina("personal", nombre) and b.titulo not in pagina("personal", nombre), nombre
        assert b.titulo in pagina("otro_personal", nombre) and a.titulo not in pagina("otro_personal", nombre), nombre
    for nombre in ("panel:jornadas", "panel:constancias"):
        assert escena.pasada.titulo not in pagina("personal", nombre), nombre
        assert escena.pasada.titulo in pagina("otro_personal", nombre), nombre
    assert escena.enviada.nombre not in pagina("enlace_a", "practicas:mis_practicas")
    # Each enlace is invited only to the call their body may enter.
    html = pagina("enlace_a", "practicas:mis_practicas")
    assert reverse("practicas:nueva", args=[a.slug]) in html and reverse("practicas:nueva", args=[b.slug]) not in html
    html = pagina("enlace_otra_entidad", "practicas:mis_practicas")
    assert reverse("practicas:nueva", args=[b.slug]) in html and reverse("practicas:nueva", args=[a.slug]) not in html
    assert escena.enviada.nombre in html
    # Each juror's home lists their own call only.
    assert a.titulo in pagina("jurado", "panel:jurado_inicio") and b.titulo not in pagina("jurado", "panel:jurado_inicio")
    html = pagina("jurado_otra", "panel:jurado_inicio")
    assert b.titulo in html and a.titulo not in html
