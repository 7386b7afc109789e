"""Permission matrix: every persona against every route of jornadas/urls.py (public) and
jornadas/urls_sesiones.py (panel), with the status each one must get.

Conventions (as in tests/practicas/test_permisos.py):
- public pages of a published session: everyone; an unpublished one: 404 except its authority's staff;
- the survey is reached by its token only: anyone holding the link, nobody without it (404);
- panel: anonymous 302 to the login page, people who are not staff 403, staff of another authority 404;
- a refused POST changes nothing in the database.
"""

import itertools
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, reverse

from jornadas import informe, services, urls_sesiones
from jornadas import urls as jornadas_urls
from jornadas.models import Ciclo, EnvioPendiente, InformeCiclo, Jornada, Registro
from tests.jornadas import builders as b
from tests.matriz import LOGIN, PERSONAS, Ruta, casos, comprobar

_serie = itertools.count(1)


def E(anonimo, enlace_a, enlace_b, personal, otro_personal, jurado, su=None, *, eo=None, jo=None):  # noqa: N802
    """Expected status per persona (a table row); the superuser gets what the authority's staff get unless
    `su` says otherwise; the enlace of a body of authority 2's entity (`eo`) and the juror of authority 2's
    call (`jo`) get what enlace_b gets unless told."""
    return dict(zip(PERSONAS, (anonimo, enlace_a, enlace_b, personal, otro_personal, jurado,
                               personal if su is None else su, enlace_b if eo is None else eo,
                               enlace_b if jo is None else jo), strict=True))


PUBLICO = E(200, 200, 200, 200, 200, 200)
PANEL = E(LOGIN, 403, 403, 200, 404, 403)
PANEL_LISTA = E(LOGIN, 403, 403, 200, 200, 403)  # each staff member sees their own authority's list
PANEL_POST = E(LOGIN, 403, 403, 302, 404, 403)


class Escenario:
    def __init__(self, autoridad, sujeto):
        self.autoridad = autoridad
        self.sujeto = sujeto

    @cached_property
    def ciclo(self) -> Ciclo:
        return b.ciclo(autoridad_=self.autoridad)

    @cached_property
    def ciclo_vacio(self) -> Ciclo:
        from jornadas import services

        ciclo = b.ciclo(autoridad_=self.autoridad)
        services.encuesta_predeterminada_crear(ciclo=ciclo)
        return ciclo

    @cached_property
    def pasada(self) -> Jornada:
        """A past session of the cycle: 4 attendees (3 answered the survey), 1 absent."""
        return b.jornada_con_asistentes(4, respondieron=3, ausentes=1, ciclo_=self.ciclo, sujetos_=[self.sujeto])

    @cached_property
    def proxima(self) -> Jornada:
        return b.jornada(ciclo_=self.ciclo, titulo="Jornada próxima de la matriz")

    @cached_property
    def inscrito(self) -> Registro:
        """A registration to the coming session, as the confirmation e-mail's cancellation link names it."""
        return b.registrar(self.proxima, 1)[0]

    @cached_property
    def oculta(self) -> Jornada:
        return b.jornada(ciclo_=self.ciclo, publicada=False, titulo="Jornada sin publicar")

    @cached_property
    def sin_responder(self) -> Registro:
        return self.pasada.registros.filter(asistio=True, encuesta_respondida_en__isnull=True).first()

    @cached_property
    def ausente(self) -> Registro:
        return self.pasada.registros.get(asistio=False)

    @cached_property
    def huella(self) -> str:
        return informe.contexto(self.ciclo)["huella"]

    @cached_property
    def huella_lista(self) -> str:
        """A stored PDF for the cycle's current content (bytes are enough for the download view)."""
        informe._escribir(informe.ruta(self.ciclo.pk, self.huella, "pdf"), b"%PDF-1.4\n%%EOF\n")
        return self.huella


@pytest.fixture
def esc(autoridad, sujeto_a):
    return Escenario(autoridad, sujeto_a)


def _registro_publico(e):
    return {"nombre": "Persona de la matriz", "correo": f"matriz{next(_serie)}@ejemplo.gob.mx",
            "sujeto": e.sujeto.pk, "cargo": "Analista", "acepta_aviso": "on"}


def _encuesta(e):
    enc = b.encuesta(e.pasada)
    datos = {}
    for p in enc.preguntas.all():
        if p.tipo == "multiple":
            datos[f"p{p.pk}"] = [p.opciones[1]]
        elif p.tipo == "escala":
            datos[f"p{p.pk}"] = "4"
        else:
            datos[f"p{p.pk}"] = "Comentario de la matriz"
    return datos


def _abrir_enlace(e, registro):
    """Open the e-mailed survey link in the persona's client (its session keeps the token)."""
    assert e.client.get(reverse("jornadas:encuesta", args=[registro.token_encuesta])).status_code == 302


def _jornada_post(e, titulo="Editada desde la matriz"):
    j = e.proxima
    return {"autoridad": j.autoridad_id, "ciclo": j.ciclo_id, "numero": 9, "titulo": titulo, "slug": j.slug,
            "inicio": "2030-05-10T10:00", "fin": "2030-05-10T12:00", "coordinador": "Comisionada de prueba",
            "cargo_coordinador": "Comisionada", "temas": "Tema", "modalidad": "virtual",
            "enlace_virtual": "https://videollamada.ejemplo.gob.mx/x", "sede": "", "cupo": "",
            "registro_abre": "", "registro_cierra": "", "fase": "", "publicada": "on"}


def _csv_asistencia():
    texto = "nombre,correo,sujeto obligado,cargo\nPersona Importada,importada@ejemplo.gob.mx,,Analista\n"
    return SimpleUploadedFile("lista.csv", texto.encode(), content_type="text/csv")


def _url_cancelar(registro):
    return reverse("jornadas:registro_cancelar", args=[services.token_cancelacion(registro)])


def _todos_cambian():
    return frozenset(PERSONAS)


RUTAS = [
    # --- public ---------------------------------------------------------------------------------
    Ruta("lista", "jornadas:lista", lambda e: (e.proxima, reverse("jornadas:lista"))[1], PUBLICO),
    Ruta("detalle", "jornadas:detalle", lambda e: reverse("jornadas:detalle", args=[e.proxima.slug]), PUBLICO),
    Ruta("detalle-oculta", "jornadas:detalle", lambda e: reverse("jornadas:detalle", args=[e.oculta.slug]),
         E(404, 404, 404, 200, 404, 404)),
    Ruta("registro", "jornadas:registro", lambda e: reverse("jornadas:registro", args=[e.proxima.slug]), PUBLICO),
    Ruta("registro-oculta", "jornadas:registro", lambda e: reverse("jornadas:registro", args=[e.oculta.slug]),
         E(404, 404, 404, 200, 404, 404)),
    Ruta("registro-post", "jornadas:registro", lambda e: reverse("jornadas:registro", args=[e.proxima.slug]),
         E(302, 302, 302, 302, 302, 302), metodo="post", datos=_registro_publico, cambian=_todos_cambian(),
         efecto=lambda e: e.proxima.registros.count() == 1),
    Ruta("registro-post-oculta", "jornadas:registro", lambda e: reverse("jornadas:registro", args=[e.oculta.slug]),
         E(404, 404, 404, 400, 404, 404), metodo="post", datos=_registro_publico),
    Ruta("registro_listo", "jornadas:registro_listo",
         lambda e: reverse("jornadas:registro_listo", args=[e.proxima.slug]), PUBLICO),
    Ruta("sujetos_opciones", "jornadas:sujetos_opciones",
         lambda e: reverse("jornadas:sujetos_opciones", args=[e.proxima.slug]) + "?q=Finanzas", PUBLICO),
    Ruta("sujetos_opciones-oculta", "jornadas:sujetos_opciones",
         lambda e: reverse("jornadas:sujetos_opciones", args=[e.oculta.slug]), E(404, 404, 404, 200, 404, 404)),
    # The e-mailed link trades the token for a session value and redirects to the token-free form.
    Ruta("encuesta", "jornadas:encuesta",
         lambda e: reverse("jornadas:encuesta", args=[e.sin_responder.token_encuesta]),
         E(302, 302, 302, 302, 302, 302)),
    Ruta("encuesta-token-falso", "jornadas:encuesta", lambda e: reverse("jornadas:encuesta", args=["no-existe"]),
         E(404, 404, 404, 404, 404, 404)),
    Ruta("encuesta_responder-sin-enlace", "jornadas:encuesta_responder",
         lambda e: reverse("jornadas:encuesta_responder"), PUBLICO),
    Ruta("encuesta_responder", "jornadas:encuesta_responder", lambda e: reverse("jornadas:encuesta_responder"),
         PUBLICO, preparar=lambda e: _abrir_enlace(e, e.sin_responder)),
    Ruta("encuesta_responder-post", "jornadas:encuesta_responder", lambda e: reverse("jornadas:encuesta_responder"),
         E(302, 302, 302, 302, 302, 302), metodo="post", datos=_encuesta, cambian=_todos_cambian(),
         preparar=lambda e: _abrir_enlace(e, e.sin_responder),
         efecto=lambda e: Registro.objects.get(pk=e.sin_responder.pk).encuesta_respondida_en is not None
         and EnvioPendiente.objects.count() == 1),
    Ruta("encuesta_responder-post-sin-enlace", "jornadas:encuesta_responder",
         lambda e: reverse("jornadas:encuesta_responder"), E(403, 403, 403, 403, 403, 403), metodo="post",
         datos=_encuesta),
    Ruta("encuesta_responder-post-ausente", "jornadas:encuesta_responder",
         lambda e: reverse("jornadas:encuesta_responder"), E(403, 403, 403, 403, 403, 403), metodo="post",
         datos=_encuesta, preparar=lambda e: _abrir_enlace(e, e.ausente)),
    Ruta("encuesta_gracias", "jornadas:encuesta_gracias", lambda e: reverse("jornadas:encuesta_gracias"), PUBLICO),
    # The confirmation's cancellation link: whoever holds it (like the survey's), nobody without it.
    Ruta("registro_cancelar", "jornadas:registro_cancelar", lambda e: _url_cancelar(e.inscrito), PUBLICO),
    Ruta("registro_cancelar-token-falso", "jornadas:registro_cancelar",
         lambda e: reverse("jornadas:registro_cancelar", args=["no-existe"]), E(404, 404, 404, 404, 404, 404)),
    Ruta("registro_cancelar-post", "jornadas:registro_cancelar", lambda e: _url_cancelar(e.inscrito),
         E(302, 302, 302, 302, 302, 302), metodo="post", datos=lambda e: {}, cambian=_todos_cambian(),
         efecto=lambda e: not Registro.objects.filter(pk=e.inscrito.pk).exists()),
    Ruta("registro_cancelar-post-token-falso", "jornadas:registro_cancelar",
         lambda e: (e.inscrito, reverse("jornadas:registro_cancelar", args=["no-existe"]))[1],
         E(404, 404, 404, 404, 404, 404), metodo="post", datos=lambda e: {}),
    # --- panel: cycles and sessions (staff of another authority cannot choose this one: 400) -----------------------------------------------------------------
    Ruta("panel-lista", "panel:jornadas", lambda e: (e.pasada, reverse("panel:jornadas"))[1], PANEL_LISTA),
    Ruta("ciclo_nuevo", "panel:jornadas_ciclo_nuevo", lambda e: reverse("panel:jornadas_ciclo_nuevo"), PANEL_LISTA),
    Ruta("ciclo_nuevo-post", "panel:jornadas_ciclo_nuevo", lambda e: reverse("panel:jornadas_ciclo_nuevo"),
         E(LOGIN, 403, 403, 302, 400, 403), metodo="post",
         datos=lambda e: {"autoridad": e.autoridad.pk, "nombre": "Ciclo de la matriz", "slug": "", "anio": 2030},
         cambian=frozenset({"personal"}),
         efecto=lambda e: Ciclo.objects.filter(nombre="Ciclo de la matriz").exists()),
    Ruta("ciclo_editar", "panel:jornadas_ciclo_editar",
         lambda e: reverse("panel:jornadas_ciclo_editar", args=[e.ciclo.slug]), PANEL),
    Ruta("ciclo_editar-post", "panel:jornadas_ciclo_editar",
         lambda e: reverse("panel:jornadas_ciclo_editar", args=[e.ciclo.slug]), PANEL_POST, metodo="post",
         datos=lambda e: {"nombre": "Renombrado", "slug": e.ciclo.slug, "anio": 2031},
         cambian=frozenset({"personal"}), efecto=lambda e: Ciclo.objects.get(pk=e.ciclo.pk).nombre == "Renombrado"),
    Ruta("jornada_nueva", "panel:jornada_nueva", lambda e: reverse("panel:jornada_nueva"), PANEL_LISTA),
    Ruta("jornada_nueva-post", "panel:jornada_nueva", lambda e: reverse("panel:jornada_nueva"),
         E(LOGIN, 403, 403, 302, 400, 403), metodo="post",
         datos=lambda e: {**_jornada_post(e, "Nueva desde la matriz"), "slug": ""},
         cambian=frozenset({"personal"}),
         efecto=lambda e: Jornada.objects.filter(titulo="Nueva desde la matriz").exists()),
    Ruta("jornada_editar", "panel:jornada_editar",
         lambda e: reverse("panel:jornada_editar", args=[e.proxima.slug]), PANEL),
    Ruta("jornada_editar-post", "panel:jornada_editar",
         lambda e: reverse("panel:jornada_editar", args=[e.proxima.slug]), PANEL_POST, metodo="post",
         datos=_jornada_post, cambian=frozenset({"personal"}),
         efecto=lambda e: Jornada.objects.get(pk=e.proxima.pk).titulo == "Editada desde la matriz"),
    Ruta("jornada_eliminar", "panel:jornada_eliminar",
         lambda e: reverse("panel:jornada_eliminar", args=[e.proxima.slug]), PANEL),
    Ruta("jornada_eliminar-post", "panel:jornada_eliminar",
         lambda e: reverse("panel:jornada_eliminar", args=[e.proxima.slug]), PANEL_POST, metodo="post",
         cambian=frozenset({"personal"}), efecto=lambda e: not Jornada.objects.filter(pk=e.proxima.pk).exists()),
    Ruta("jornada_eliminar-con-registros", "panel:jornada_eliminar",
         lambda e: reverse("panel:jornada_eliminar", args=[e.pasada.slug]), PANEL_POST, metodo="post",
         cambian=frozenset({"personal"}), efecto=lambda e: Jornada.objects.filter(pk=e.pasada.pk).exists()),
    Ruta("ciclo_eliminar", "panel:jornadas_ciclo_eliminar",
         lambda e: reverse("panel:jornadas_ciclo_eliminar", args=[e.ciclo.slug]), PANEL),
    Ruta("ciclo_eliminar-post", "panel:jornadas_ciclo_eliminar",
         lambda e: reverse("panel:jornadas_ciclo_eliminar", args=[e.ciclo_vacio.slug]), PANEL_POST, metodo="post",
         cambian=frozenset({"personal"}), efecto=lambda e: not Ciclo.objects.filter(pk=e.ciclo_vacio.pk).exists()),
    Ruta("ciclo_eliminar-con-jornadas", "panel:jornadas_ciclo_eliminar",
         lambda e: reverse("panel:jornadas_ciclo_eliminar", args=[(e.proxima, e.ciclo)[1].slug]), PANEL_POST,
         metodo="post", cambian=frozenset({"personal"}), efecto=lambda e: Ciclo.objects.filter(pk=e.ciclo.pk).exists()),
    # --- attendance ---------------------------------------------------------------------------------
    Ruta("asistencia", "panel:jornada_asistencia",
         lambda e: reverse("panel:jornada_asistencia", args=[e.pasada.slug]), PANEL),
    Ruta("asistencia_csv", "panel:jornada_asistencia_csv",
         lambda e: reverse("panel:jornada_asistencia_csv", args=[e.pasada.slug]), PANEL),
    Ruta("asistencia_xlsx", "panel:jornada_asistencia_xlsx",
         lambda e: reverse("panel:jornada_asistencia_xlsx", args=[e.pasada.slug]), PANEL),
    Ruta("asistencia-post", "panel:jornada_asistencia",
         lambda e: reverse("panel:jornada_asistencia", args=[e.pasada.slug]), PANEL_POST, metodo="post",
         datos=lambda e: {"mostrados": [e.ausente.pk], "asistio": [e.ausente.pk]}, cambian=frozenset({"personal"}),
         efecto=lambda e: Registro.objects.get(pk=e.ausente.pk).asistio),
    Ruta("asistencia_marcar", "panel:jornada_asistencia_marcar",
         lambda e: reverse("panel:jornada_asistencia_marcar", args=[e.pasada.slug, e.ausente.pk]), PANEL_POST,
         metodo="post", datos=lambda e: {"asistio": [e.ausente.pk]}, cambian=frozenset({"personal"}),
         efecto=lambda e: Registro.objects.get(pk=e.ausente.pk).asistio),
    Ruta("participante_agregar", "panel:jornada_participante_agregar",
         lambda e: reverse("panel:jornada_participante_agregar", args=[e.pasada.slug]), PANEL_POST, metodo="post",
         datos=lambda e: {"nombre": "Agregada", "correo": "agregada@ejemplo.gob.mx", "sujeto": "", "cargo": ""},
         cambian=frozenset({"personal"}),
         efecto=lambda e: e.pasada.registros.filter(participante__correo="agregada@ejemplo.gob.mx").exists()),
    Ruta("importar", "panel:jornada_importar", lambda e: reverse("panel:jornada_importar", args=[e.pasada.slug]),
         PANEL),
    Ruta("importar-post", "panel:jornada_importar",
         lambda e: reverse("panel:jornada_importar", args=[e.pasada.slug]), PANEL, metodo="post",
         datos=lambda e: {"archivo": _csv_asistencia()}),
    Ruta("importar_confirmar", "panel:jornada_importar_confirmar",
         lambda e: reverse("panel:jornada_importar_confirmar", args=[e.pasada.slug]), PANEL_POST, metodo="post",
         datos=lambda e: {"huella": "x"}),
    Ruta("conteos", "panel:jornada_conteos", lambda e: reverse("panel:jornada_conteos", args=[e.pasada.slug]),
         PANEL),
    Ruta("encuesta_invitar", "panel:jornada_encuesta_invitar",
         lambda e: reverse("panel:jornada_encuesta_invitar", args=[e.pasada.slug]), PANEL_POST, metodo="post",
         cambian=frozenset({"personal"}), efecto=lambda e: e.pasada.invitaciones_encuesta.filter(reenvio=False).exists()),
    Ruta("encuesta_reenviar", "panel:jornada_encuesta_reenviar",
         lambda e: reverse("panel:jornada_encuesta_reenviar", args=[e.pasada.slug]), PANEL_POST, metodo="post",
         cambian=frozenset({"personal"}), efecto=lambda e: e.pasada.invitaciones_encuesta.filter(reenvio=True).exists()),
    # --- survey results and exports -------------------------------------------------------------------
    Ruta("resultados-ciclo", "panel:jornadas_resultados",
         lambda e: reverse("panel:jornadas_resultados", args=[(e.pasada, e.ciclo)[1].slug]), PANEL),
    Ruta("resultados_csv-ciclo", "panel:jornadas_resultados_csv",
         lambda e: reverse("panel:jornadas_resultados_csv", args=[(e.pasada, e.ciclo)[1].slug]), PANEL),
    Ruta("respuestas_csv-ciclo", "panel:jornadas_respuestas_csv",
         lambda e: reverse("panel:jornadas_respuestas_csv", args=[(e.pasada, e.ciclo)[1].slug]), PANEL),
    Ruta("resultados-jornada", "panel:jornada_resultados",
         lambda e: reverse("panel:jornada_resultados", args=[e.pasada.slug]), PANEL),
    Ruta("resultados_csv-jornada", "panel:jornada_resultados_csv",
         lambda e: reverse("panel:jornada_resultados_csv", args=[e.pasada.slug]), PANEL),
    Ruta("respuestas_csv-jornada", "panel:jornada_respuestas_csv",
         lambda e: reverse("panel:jornada_respuestas_csv", args=[e.pasada.slug]), PANEL),
    # --- report -------------------------------------------------------------------------------------------
    Ruta("informe", "panel:jornadas_informe",
         lambda e: reverse("panel:jornadas_informe", args=[(e.pasada, e.ciclo)[1].slug]), PANEL),
    Ruta("informe_sujetos_csv", "panel:jornadas_informe_sujetos_csv",
         lambda e: reverse("panel:jornadas_informe_sujetos_csv", args=[e.ciclo.slug]), PANEL),
    Ruta("informe_sujetos_xlsx", "panel:jornadas_informe_sujetos_xlsx",
         lambda e: reverse("panel:jornadas_informe_sujetos_xlsx", args=[e.ciclo.slug]), PANEL),
    # Asking for the report's PDF files a generated-file row (core.documentos' lifecycle) for staff.
    Ruta("informe_solicitar", "panel:jornadas_informe_solicitar",
         lambda e: reverse("panel:jornadas_informe_solicitar", args=[e.ciclo.slug]), PANEL_POST, metodo="post",
         cambian=frozenset({"personal"}), efecto=lambda e: InformeCiclo.objects.filter(ciclo=e.ciclo).exists()),
    Ruta("informe_estado", "panel:jornadas_informe_estado",
         lambda e: reverse("panel:jornadas_informe_estado", args=[e.ciclo.slug, e.huella]), PANEL),
    Ruta("informe_pdf", "panel:jornadas_informe_pdf",
         lambda e: reverse("panel:jornadas_informe_pdf", args=[e.ciclo.slug, e.huella_lista]), PANEL),
]


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS)))
def test_permiso_por_ruta_y_persona(client, esc, personas, ruta, persona, django_capture_on_commit_callbacks):
    esc.client = client  # for the survey rows: opening the e-mailed link puts the token in this client's session
    comprobar(client, ruta, esc, personas[persona], persona, capturar=django_capture_on_commit_callbacks)


def _nombres(patrones, prefijo):
    for p in patrones:
        if isinstance(p, URLResolver):
            yield from _nombres(p.url_patterns, prefijo)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefijo}:{p.name}"


def test_la_matriz_cubre_todas_las_rutas():
    rutas = {*_nombres(jornadas_urls.urlpatterns, "jornadas"), *_nombres(urls_sesiones.urlpatterns, "panel")}
    faltan = rutas - {r.nombre for r in RUTAS}
    assert not faltan, f"Rutas sin fila en la matriz de permisos: {sorted(faltan)}"
