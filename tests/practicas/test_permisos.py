"""Permission matrix: every persona against every route of practicas/urls.py, practicas/urls_panel.py
and convocatorias/urls.py (public), with the status each one must get.

Conventions checked here:
- anonymous on a login-required view: 302 to the login page;
- whoever may not see a practice (another body, another authority, a juror) gets 404 on it, on its
  supports and on its acuse, so ids cannot be probed;
- someone who may see a practice but not do this to it gets 403;
- panel views: 403 for people who are not staff, 404 for staff of another authority;
- a refused POST changes nothing in the database.
"""

from functools import cached_property
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, reverse

from convocatorias.models import Convocatoria, DocumentoConvocatoria
from practicas import services
from practicas.models import Acuse, Enlace, Evidencia, Practica, Soporte, SujetoObligado
from tests import factories
from tests.matriz import LOGIN, PERSONAS, Ruta, casos, comprobar, consumir

CSV = b"municipio,monto\nMetepec,1200\nToluca,3400\n"
PDF_MINIMO = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"



def E(anonimo, enlace_a, enlace_b, personal, otro_personal, jurado, su=None, me=None, *,  # noqa: N802 - a table row
      eo=None, jo=None):
    """Expected status per persona; the superuser gets what the call's staff get unless `su` says otherwise;
    staff of a third authority of authority 1's entity (`personal_misma_entidad`) get what
    authority 2's staff get unless `me` says otherwise; the enlace of a body of authority 2's entity
    (`eo`) and a juror of authority 2's call (`jo`) get what enlace_b (unrelated to body A) gets unless told."""
    return {**dict(zip(PERSONAS, (anonimo, enlace_a, enlace_b, personal, otro_personal, jurado,
                                  personal if su is None else su, enlace_b if eo is None else eo,
                                  enlace_b if jo is None else jo), strict=True)),
            "personal_misma_entidad": otro_personal if me is None else me}




def _csv(nombre="datos.csv"):
    return SimpleUploadedFile(nombre, CSV, content_type="text/csv")


def _documento(convocatoria, titulo):
    doc = DocumentoConvocatoria(convocatoria=convocatoria, titulo=titulo)
    doc.archivo.save(f"{titulo.lower()}.pdf", ContentFile(PDF_MINIMO), save=True)
    return doc


class Escenario:
    """Objects of body A and of the authority, built only when a route needs them."""

    def __init__(self, *, autoridad, convocatoria, sujeto_a, enlace_a, practica_a, capturar, convocatoria_otra,
                 sujeto_otra_entidad):
        self.autoridad = autoridad
        self.convocatoria = convocatoria
        self.convocatoria_otra = convocatoria_otra  # authority 2's open call (entidad 19)
        self.sujeto_otra_entidad = sujeto_otra_entidad  # a state body of entidad 19
        self.sujeto_a = sujeto_a
        self.enlace_a = enlace_a
        self.practica_a = practica_a
        self._capturar = capturar

    # --- practices of body A ---------------------------------------------------------------------
    @cached_property
    def borrador(self):
        """A complete draft of body A with an uploaded CSV support."""
        practica = factories.PracticaFactory(convocatoria=self.convocatoria, sujeto=self.sujeto_a,
                                             creada_por=self.enlace_a, nombre="Borrador de la matriz")
        self.soporte_borrador = services.soporte_agregar_archivo(practica=practica, usuario=self.enlace_a,
                                                                 archivo=_csv())
        return practica

    @cached_property
    def enviada(self):
        """practica_a with an uploaded CSV support, submitted; the eager task renders its acuse."""
        self.soporte_enviada = services.soporte_agregar_archivo(practica=self.practica_a, usuario=self.enlace_a,
                                                                archivo=_csv("enviada.csv"))
        with self._capturar(execute=True):
            practica = services.practica_enviar(practica=self.practica_a, usuario=self.enlace_a)
        acuse = Acuse.objects.get(practica=practica)
        assert acuse.estado_pdf == Acuse.Estado.LISTA, acuse.error
        return practica

    @cached_property
    def soporte_archivo_borrador(self):
        return self.borrador.soportes.get(tipo=Soporte.Tipo.ARCHIVO)

    @cached_property
    def soporte_archivo_enviada(self):
        return self.enviada.soportes.get(tipo=Soporte.Tipo.ARCHIVO)

    @cached_property
    def soporte_enlace(self):
        return self.practica_a.soportes.get(tipo=Soporte.Tipo.ENLACE)

    @cached_property
    def acuse_fallido(self):
        """A submitted practice of body A whose acuse failed for good (on_commit never ran)."""
        practica = factories.PracticaFactory(convocatoria=self.convocatoria, sujeto=self.sujeto_a,
                                             creada_por=self.enlace_a, nombre="Con acuse fallido")
        Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/f",
                               subido_por=self.enlace_a)
        services.practica_enviar(practica=practica, usuario=self.enlace_a)
        Acuse.objects.filter(practica=practica).update(estado_pdf=Acuse.Estado.FALLIDA, intentos=4, error="prueba")
        return Acuse.objects.get(practica=practica)

    @cached_property
    def por_activar(self):
        """An account created by registration whose address is not confirmed yet: its activation URL."""
        usuario = factories.UsuarioFactory(email="por.activar@finanzas.gob.mx", is_active=False)
        usuario = type(usuario).objects.get(pk=usuario.pk)  # the token is made from the stored row
        return reverse("practicas:activar", args=services.url_activacion(usuario).rstrip("/").split("/")[-2:])

    @cached_property
    def enlace_pendiente(self):
        return factories.EnlaceFactory(sujeto=self.sujeto_a, estado=Enlace.Estado.SOLICITADO,
                                       usuario__email="solicitante@finanzas.gob.mx")

    # --- calls -------------------------------------------------------------------------------------
    @cached_property
    def documento(self):
        return _documento(self.convocatoria, "Bases")

    @cached_property
    def convocatoria_borrador(self):
        return factories.ConvocatoriaFactory(autoridad=self.autoridad, estado=Convocatoria.Estado.BORRADOR,
                                             titulo="Convocatoria en preparación")

    @cached_property
    def documento_borrador(self):
        return _documento(self.convocatoria_borrador, "Borrador")


@pytest.fixture
def esc(autoridad, convocatoria, sujeto_a, enlace_a, practica_a, django_capture_on_commit_callbacks,
        convocatoria_otra, sujeto_otra_entidad):
    return Escenario(autoridad=autoridad, convocatoria=convocatoria, sujeto_a=sujeto_a, enlace_a=enlace_a,
                     practica_a=practica_a, capturar=django_capture_on_commit_callbacks,
                     convocatoria_otra=convocatoria_otra, sujeto_otra_entidad=sujeto_otra_entidad)


def _foto():
    """What a refused POST must leave untouched."""
    return {
        "practicas": sorted(Practica.objects.values_list(
            "pk", "estado", "folio", "nombre", "descripcion", "retirada_en", "enviada_por_id", "canal")),
        "evidencias": sorted(Evidencia.objects.values_list("pk", "practica_id", "texto")),
        "soportes": sorted(Soporte.objects.values_list("pk", "practica_id", "tipo", "archivo", "url")),
        "acuses": sorted(Acuse.objects.values_list("pk", "practica_id", "estado_pdf", "intentos")),
        "sujetos": sorted(SujetoObligado.objects.values_list("pk", "nombre", "siglas", "activo")),
        "enlaces": sorted(Enlace.objects.values_list("pk", "usuario_id", "sujeto_id", "estado")),
    }


def _datos_editar(practica):
    datos = {
        "nombre": practica.nombre, "area_responsable": "Unidad de Transparencia", "contacto_nombre": "Ana Pérez",
        "contacto_cargo": "Titular", "contacto_correo": "ana@ejemplo.gob.mx", "contacto_telefono": "7221234567",
        "descripcion": "Descripción cambiada desde la matriz", "necesidad_informacion": "Necesidad",
        "identificacion_necesidad": "Encuesta", "poblacion_objetivo": "Población", "accion": "guardar",
        "url_publicacion": "https://ejemplo.gob.mx/practica", "fecha_inicio": "2024-01-15",
    }
    for criterio in practica.convocatoria.criterios.all():
        datos[f"evidencia-{criterio.pk}"] = f"Texto nuevo del criterio {criterio.numero}"
    return datos


def _datos_sujeto(nombre):
    return {"nombre": nombre, "siglas": "SF", "orden": SujetoObligado.Orden.ESTATAL,
            "tipo": SujetoObligado.Tipo.DEPENDENCIA, "entidad_clave": "15", "municipio": "", "activo": "on"}


def _csv_sujetos():
    texto = "nombre,siglas,orden,tipo\nSecretaría de Movilidad,SEMOV,estatal,dependencia\n"
    return SimpleUploadedFile("sujetos.csv", texto.encode(), content_type="text/csv")


def _estado(practica):
    return Practica.objects.values_list("estado", flat=True).get(pk=practica.pk)


RUTAS = [
    # --- practicas/urls.py: accounts ------------------------------------------------------------
    Ruta("registro", "practicas:registro", lambda e: reverse("practicas:registro"),
         E(200, 302, 302, 302, 302, 302)),
    Ruta("registro_enviado", "practicas:registro_enviado", lambda e: reverse("practicas:registro_enviado"),
         E(200, 200, 200, 200, 200, 200)),
    # The activation link is the credential: whoever holds a good one sees the button (its POST, which
    # activates and signs in, is tested in tests/core/test_cuentas_bordes.py); a bad one is 400 for all.
    Ruta("activar", "practicas:activar", lambda e: e.por_activar, E(200, 200, 200, 200, 200, 200)),
    Ruta("activar-invalido", "practicas:activar", lambda e: reverse("practicas:activar", args=["MQ", "no-vale"]),
         E(400, 400, 400, 400, 400, 400)),
    Ruta("activar-invalido-post", "practicas:activar",
         lambda e: reverse("practicas:activar", args=["MQ", "no-vale"]), E(400, 400, 400, 400, 400, 400),
         metodo="post"),
    Ruta("cuenta", "practicas:cuenta", lambda e: reverse("practicas:cuenta"),
         E(LOGIN, 200, 200, 200, 200, 200)),
    Ruta("mis_practicas", "practicas:mis_practicas", lambda e: reverse("practicas:mis_practicas"),
         E(LOGIN, 200, 200, 200, 200, 200)),
    # --- drafts ------------------------------------------------------------------------------------
    Ruta("nueva-abierta", "practicas:nueva", lambda e: reverse("practicas:nueva", args=[e.convocatoria.slug]),
         # A superuser represents no body, nor does a juror; none of the bodies of an enlace of entidad 19
         # may enter authority 1's call: 403 and a page saying who may.
         E(LOGIN, 200, 200, 403, 403, 403, eo=403, jo=403)),
    # Authority 2's open call: only the enlace of a body of its entity (19) may enter.
    Ruta("nueva-otra-autoridad", "practicas:nueva",
         lambda e: reverse("practicas:nueva", args=[e.convocatoria_otra.slug]),
         E(LOGIN, 403, 403, 403, 403, 403, eo=200, jo=403)),
    Ruta("nueva-otra-autoridad-post", "practicas:nueva",
         lambda e: reverse("practicas:nueva", args=[e.convocatoria_otra.slug]),
         E(LOGIN, 403, 403, 403, 403, 403, eo=302, jo=403), metodo="post",
         datos=lambda e: {"sujeto": e.sujeto_otra_entidad.pk, "nombre": "Creada en Nuevo León"},
         cambian=frozenset({"enlace_otra_entidad"}),
         efecto=lambda e: Practica.objects.filter(nombre="Creada en Nuevo León",
                                                  convocatoria=e.convocatoria_otra).exists()),
    Ruta("nueva-conv-borrador", "practicas:nueva",
         lambda e: reverse("practicas:nueva", args=[e.convocatoria_borrador.slug]),
         E(LOGIN, 404, 404, 404, 404, 404)),
    Ruta("nueva-post", "practicas:nueva", lambda e: reverse("practicas:nueva", args=[e.convocatoria.slug]),
         E(LOGIN, 302, 200, 403, 403, 403, eo=403, jo=403), metodo="post",
         datos=lambda e: {"sujeto": e.sujeto_a.pk, "nombre": "Creada desde la matriz"},
         cambian=frozenset({"enlace_a"}),
         efecto=lambda e: Practica.objects.filter(nombre="Creada desde la matriz", sujeto=e.sujeto_a).exists()),
    Ruta("detalle-borrador", "practicas:detalle", lambda e: reverse("practicas:detalle", args=[e.borrador.pk]),
         E(LOGIN, 200, 404, 200, 404, 404)),
    Ruta("detalle-enviada", "practicas:detalle", lambda e: reverse("practicas:detalle", args=[e.enviada.pk]),
         E(LOGIN, 200, 404, 200, 404, 404)),
    # An online draft belongs to its body: staff read it but do not type into it.
    # The superuser passes every permission check (Django's has_perm): the form opens even for a
    # submitted practice, and the service refuses the change (409).
    Ruta("editar-borrador", "practicas:editar", lambda e: reverse("practicas:editar", args=[e.borrador.pk]),
         E(LOGIN, 200, 404, 302, 404, 404, su=200)),
    Ruta("editar-enviada", "practicas:editar", lambda e: reverse("practicas:editar", args=[e.enviada.pk]),
         E(LOGIN, 302, 404, 302, 404, 404, su=200)),
    Ruta("editar-post-borrador", "practicas:editar", lambda e: reverse("practicas:editar", args=[e.borrador.pk]),
         E(LOGIN, 302, 404, 302, 404, 404, su=302), metodo="post", datos=lambda e: _datos_editar(e.borrador),
         cambian=frozenset({"enlace_a", "superusuario"}),
         efecto=lambda e: Practica.objects.get(pk=e.borrador.pk).descripcion == "Descripción cambiada desde la matriz"),
    Ruta("editar-post-enviada", "practicas:editar", lambda e: reverse("practicas:editar", args=[e.enviada.pk]),
         E(LOGIN, 302, 404, 302, 404, 404, su=409), metodo="post", datos=lambda e: _datos_editar(e.enviada)),
    # --- submission and withdrawal -----------------------------------------------------------------
    Ruta("enviar-borrador", "practicas:enviar", lambda e: reverse("practicas:enviar", args=[e.borrador.pk]),
         E(LOGIN, 302, 404, 403, 404, 404, su=302), metodo="post",
         cambian=frozenset({"enlace_a", "superusuario"}),
         efecto=lambda e: _estado(e.borrador) == Practica.Estado.ENVIADA),
    Ruta("enviar-enviada", "practicas:enviar", lambda e: reverse("practicas:enviar", args=[e.enviada.pk]),
         E(LOGIN, 403, 404, 403, 404, 404, su=302), metodo="post"),
    Ruta("retirar-enviada", "practicas:retirar", lambda e: reverse("practicas:retirar", args=[e.enviada.pk]),
         E(LOGIN, 302, 404, 403, 404, 404, su=302), metodo="post",
         cambian=frozenset({"enlace_a", "superusuario"}),
         efecto=lambda e: _estado(e.enviada) == Practica.Estado.RETIRADA),
    Ruta("retirar-borrador", "practicas:retirar", lambda e: reverse("practicas:retirar", args=[e.borrador.pk]),
         E(LOGIN, 403, 404, 403, 404, 404, su=302), metodo="post"),
    # --- acuse ---------------------------------------------------------------------------------------
    Ruta("acuse-enviada", "practicas:acuse", lambda e: reverse("practicas:acuse", args=[e.enviada.pk]),
         E(LOGIN, 200, 404, 200, 404, 404)),
    Ruta("acuse-borrador", "practicas:acuse", lambda e: reverse("practicas:acuse", args=[e.borrador.pk]),
         E(LOGIN, 404, 404, 404, 404, 404)),
    Ruta("acuse_estado-enviada", "practicas:acuse_estado",
         lambda e: reverse("practicas:acuse_estado", args=[e.enviada.pk]),
         E(LOGIN, 200, 404, 200, 404, 404)),
    # --- supports --------------------------------------------------------------------------------------
    Ruta("soporte-borrador", "practicas:soporte",
         lambda e: reverse("practicas:soporte", args=[e.soporte_archivo_borrador.pk]),
         E(LOGIN, 200, 404, 200, 404, 404)),
    Ruta("soporte-enviada", "practicas:soporte",
         lambda e: reverse("practicas:soporte", args=[e.soporte_archivo_enviada.pk]),
         E(LOGIN, 200, 404, 200, 404, 404)),
    Ruta("soporte-de-enlace", "practicas:soporte",
         lambda e: reverse("practicas:soporte", args=[e.soporte_enlace.pk]),
         E(LOGIN, 404, 404, 404, 404, 404)),
    Ruta("soporte_eliminar-borrador", "practicas:soporte_eliminar",
         lambda e: reverse("practicas:soporte_eliminar", args=[e.soporte_archivo_borrador.pk]),
         E(LOGIN, 302, 404, 403, 404, 404, su=302), metodo="post",
         cambian=frozenset({"enlace_a", "superusuario"}),
         efecto=lambda e: not Soporte.objects.filter(pk=e.soporte_archivo_borrador.pk).exists()),
    Ruta("soporte_eliminar-enviada", "practicas:soporte_eliminar",
         lambda e: reverse("practicas:soporte_eliminar", args=[e.soporte_archivo_enviada.pk]),
         E(LOGIN, 403, 404, 403, 404, 404, su=302), metodo="post"),
    # --- practicas/urls_panel.py (and the panel's home) ------------------------------------------------
    Ruta("panel-inicio", "panel:inicio", lambda e: reverse("panel:inicio"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-practicas", "panel:practicas", lambda e: reverse("panel:practicas", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 200, 404, 403)),
    Ruta("panel-practicas-filtro", "panel:practicas",
         lambda e: reverse("panel:practicas", args=[e.enviada.convocatoria.slug]) + "?estado=enviada",
         E(LOGIN, 403, 403, 200, 404, 403)),
    Ruta("panel-practicas_csv", "panel:practicas_csv",
         lambda e: reverse("panel:practicas_csv", args=[e.convocatoria.slug]) + "?q=a",
         E(LOGIN, 403, 403, 200, 404, 403)),
    Ruta("panel-practicas_xlsx", "panel:practicas_xlsx",
         lambda e: reverse("panel:practicas_xlsx", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 200, 404, 403)),
    Ruta("panel-registrar_recibida", "panel:registrar_recibida",
         lambda e: reverse("panel:registrar_recibida", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 200, 404, 403)),
    Ruta("panel-registrar_recibida-post", "panel:registrar_recibida",
         lambda e: reverse("panel:registrar_recibida", args=[e.convocatoria.slug]),
         E(LOGIN, 403, 403, 302, 404, 403), metodo="post",
         datos=lambda e: {"sujeto": e.sujeto_a.pk, "canal": Practica.Canal.PAPEL, "nombre": "Recibida en papel"},
         cambian=frozenset({"personal"}),
         efecto=lambda e: Practica.objects.filter(nombre="Recibida en papel", canal=Practica.Canal.PAPEL).exists()),
    Ruta("panel-acuse_reintentar", "panel:acuse_reintentar",
         lambda e: reverse("panel:acuse_reintentar", args=[e.acuse_fallido.pk]),
         E(LOGIN, 403, 403, 302, 404, 403), metodo="post",
         cambian=frozenset({"personal"}),
         efecto=lambda e: Acuse.objects.get(pk=e.acuse_fallido.pk).estado_pdf == Acuse.Estado.PENDIENTE),
    # --- catalogues (practicas/urls_catalogos.py, included by urls_panel): staff, each the bodies of
    # their authorities' entities; authority 2's staff (entidad 19) get 404 on an entidad-15 body, and
    # their form offers no entidad 15, so a POST for one is refused as typed (200, nothing written).
    Ruta("panel-sujetos", "panel:sujetos", lambda e: reverse("panel:sujetos"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-sujetos_csv", "panel:sujetos_csv", lambda e: reverse("panel:sujetos_csv") + "?q=a",
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-sujetos_xlsx", "panel:sujetos_xlsx", lambda e: reverse("panel:sujetos_xlsx"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-sujeto_nuevo", "panel:sujeto_nuevo", lambda e: reverse("panel:sujeto_nuevo"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-sujeto_nuevo-post", "panel:sujeto_nuevo", lambda e: reverse("panel:sujeto_nuevo"),
         E(LOGIN, 403, 403, 302, 200, 403, me=302), metodo="post", datos=lambda e: _datos_sujeto("Secretaría Nueva"),
         cambian=frozenset({"personal", "personal_misma_entidad"}),
         efecto=lambda e: SujetoObligado.objects.filter(nombre="Secretaría Nueva").exists()),
    Ruta("panel-sujeto_editar", "panel:sujeto_editar", lambda e: reverse("panel:sujeto_editar", args=[e.sujeto_a.pk]),
         E(LOGIN, 403, 403, 200, 404, 403, me=200)),
    Ruta("panel-sujeto_editar-post", "panel:sujeto_editar",
         lambda e: reverse("panel:sujeto_editar", args=[e.sujeto_a.pk]),
         E(LOGIN, 403, 403, 302, 404, 403, me=302), metodo="post", datos=lambda e: _datos_sujeto("Finanzas renombrada"),
         cambian=frozenset({"personal", "personal_misma_entidad"}),
         efecto=lambda e: SujetoObligado.objects.get(pk=e.sujeto_a.pk).nombre == "Finanzas renombrada"),
    Ruta("panel-sujetos_importar", "panel:sujetos_importar", lambda e: reverse("panel:sujetos_importar"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-sujetos_importar-post", "panel:sujetos_importar", lambda e: reverse("panel:sujetos_importar"),
         E(LOGIN, 403, 403, 200, 200, 403), metodo="post",  # a preview: writes nothing, even for staff
         datos=lambda e: {"archivo": _csv_sujetos(), "entidad_clave": "15"}),
    Ruta("panel-sujetos_importar_confirmar", "panel:sujetos_importar_confirmar",
         lambda e: reverse("panel:sujetos_importar_confirmar"),
         E(LOGIN, 403, 403, 302, 302, 403), metodo="post", datos=lambda e: {"huella": "x"}),
    Ruta("panel-enlaces", "panel:enlaces", lambda e: reverse("panel:enlaces"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-enlaces-todas", "panel:enlaces", lambda e: reverse("panel:enlaces") + "?estado=todas&q=a",
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-enlaces_csv", "panel:enlaces_csv", lambda e: reverse("panel:enlaces_csv") + "?estado=todas",
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-enlaces_xlsx", "panel:enlaces_xlsx", lambda e: reverse("panel:enlaces_xlsx"),
         E(LOGIN, 403, 403, 200, 200, 403)),
    Ruta("panel-enlace_resolver", "panel:enlace_resolver",
         lambda e: reverse("panel:enlace_resolver", args=[e.enlace_pendiente.pk]),
         # Requests are resolved by staff of the body's entity: 404 to authority 2 (another entity).
         E(LOGIN, 403, 403, 302, 404, 403, me=302), metodo="post", datos=lambda e: {"accion": "aprobar", "motivo": ""},
         cambian=frozenset({"personal", "personal_misma_entidad"}),
         efecto=lambda e: Enlace.objects.get(pk=e.enlace_pendiente.pk).estado == Enlace.Estado.APROBADO),
    # --- convocatorias/urls.py (public) ---------------------------------------------------------------
    Ruta("convocatorias-lista", "convocatorias:lista", lambda e: reverse("convocatorias:lista"),
         E(200, 200, 200, 200, 200, 200)),
    Ruta("convocatoria-abierta", "convocatorias:detalle",
         lambda e: reverse("convocatorias:detalle", args=[e.convocatoria.slug]),
         E(200, 200, 200, 200, 200, 200)),
    Ruta("documento-abierta", "convocatorias:documento",
         lambda e: reverse("convocatorias:documento", args=[e.convocatoria.slug, e.documento.pk]),
         E(200, 200, 200, 200, 200, 200)),
    Ruta("convocatoria-borrador", "convocatorias:detalle",
         lambda e: reverse("convocatorias:detalle", args=[e.convocatoria_borrador.slug]),
         E(404, 404, 404, 200, 404, 404)),
    Ruta("documento-borrador", "convocatorias:documento",
         lambda e: reverse("convocatorias:documento", args=[e.convocatoria_borrador.slug, e.documento_borrador.pk]),
         E(404, 404, 404, 200, 404, 404)),
    Ruta("documento-de-otra-convocatoria", "convocatorias:documento",
         lambda e: reverse("convocatorias:documento", args=[e.convocatoria.slug, e.documento_borrador.pk]),
         E(404, 404, 404, 404, 404, 404)),
]


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS)))
def test_matriz_de_permisos(client, esc, personas, ruta, persona):
    comprobar(client, ruta, esc, personas[persona], persona)


@pytest.fixture
def personal_misma_entidad(db):
    """Staff of a third authority in authority 1's entity (15): catalogue and enlace rules go by entity."""
    otra = factories.AutoridadFactory(siglas="OTRO", nombre="Otro garante")
    return factories.PersonalFactory(autoridad=otra, usuario__email="dgt@otro-garante.org.mx").usuario


@pytest.mark.parametrize(("ruta", "persona"), list(casos(RUTAS, personas=("personal_misma_entidad",))))
def test_matriz_de_permisos_del_personal_de_la_misma_entidad(client, esc, personal_misma_entidad, ruta, persona):
    comprobar(client, ruta, esc, personal_misma_entidad, persona)


def _nombres(patrones, espacio):
    for patron in patrones:
        if isinstance(patron, URLResolver):
            yield from _nombres(patron.url_patterns, patron.namespace or espacio)
        elif isinstance(patron, URLPattern) and patron.name:
            yield f"{espacio}:{patron.name}"


def test_la_matriz_cubre_todas_las_rutas():
    from convocatorias import urls as conv_urls
    from practicas import urls as prac_urls
    from practicas import urls_panel as prac_urls_panel

    rutas = {
        *_nombres(prac_urls.urlpatterns, "practicas"),
        *_nombres(prac_urls_panel.urlpatterns, "panel"),
        *_nombres(conv_urls.urlpatterns, "convocatorias"),
    }
    faltan = rutas - {r.nombre for r in RUTAS}
    assert not faltan, f"Rutas sin fila en la matriz de permisos: {sorted(faltan)}"


# --- beyond the matrix -------------------------------------------------------------------------------

@pytest.mark.parametrize("estado", [Enlace.Estado.SOLICITADO, Enlace.Estado.RECHAZADO])
def test_enlace_no_aprobado_no_ve_nada_del_sujeto(client, esc, sujeto_a, estado):
    pendiente = factories.EnlaceFactory(sujeto=sujeto_a, estado=estado, usuario__email="nuevo@finanzas.gob.mx").usuario
    borrador, enviada = esc.borrador, esc.enviada
    client.force_login(pendiente)

    resp = client.get(reverse("practicas:mis_practicas"))
    assert resp.status_code == 200
    html = resp.content.decode()
    assert borrador.nombre not in html and enviada.nombre not in html and enviada.folio not in html
    assert "Proponer una práctica" not in html

    for url in [
        reverse("practicas:detalle", args=[borrador.pk]),
        reverse("practicas:editar", args=[borrador.pk]),
        reverse("practicas:detalle", args=[enviada.pk]),
        reverse("practicas:acuse", args=[enviada.pk]),
        reverse("practicas:acuse_estado", args=[enviada.pk]),
        reverse("practicas:soporte", args=[esc.soporte_archivo_borrador.pk]),
        reverse("practicas:soporte", args=[esc.soporte_archivo_enviada.pk]),
    ]:
        resp = client.get(url)
        consumir(resp)
        assert resp.status_code == 404, url
    assert client.get(reverse("practicas:nueva", args=[esc.convocatoria.slug])).status_code == 403

    antes = _foto()
    assert client.post(reverse("practicas:enviar", args=[borrador.pk])).status_code == 404
    assert client.post(reverse("practicas:retirar", args=[enviada.pk])).status_code == 404
    assert client.post(reverse("practicas:soporte_eliminar", args=[esc.soporte_archivo_borrador.pk])).status_code == 404
    assert client.post(reverse("practicas:editar", args=[borrador.pk]), _datos_editar(borrador)).status_code == 404
    assert client.post(reverse("practicas:nueva", args=[esc.convocatoria.slug]),
                       {"sujeto": sujeto_a.pk, "nombre": "No debe existir"}).status_code == 403
    assert _foto() == antes


def test_convocatoria_borrador_no_aparece_en_la_lista_publica(client, esc, personal):
    titulo = esc.convocatoria_borrador.titulo
    assert titulo not in client.get(reverse("convocatorias:lista")).content.decode()
    client.force_login(personal)
    assert titulo not in client.get(reverse("convocatorias:lista")).content.decode()


def _bajo(ruta, raiz):
    return Path(ruta).resolve().is_relative_to(Path(raiz).resolve())


def test_soportes_y_acuses_nunca_se_sirven_desde_media_url(client, esc, enlace_a):
    soporte = esc.soporte_archivo_borrador
    acuse = Acuse.objects.get(practica=esc.enviada)
    for archivo in (soporte.archivo, esc.soporte_archivo_enviada.archivo, acuse.archivo,
                    esc.documento_borrador.archivo):
        assert Path(archivo.path).is_file()
        assert _bajo(archivo.path, settings.PRIVATE_MEDIA_ROOT), archivo.path
        assert not _bajo(archivo.path, settings.MEDIA_ROOT), archivo.path
        with pytest.raises(ValueError):
            archivo.url  # noqa: B018 - private storage refuses to build a public URL
        # Nothing answers at MEDIA_URL for the stored name.
        assert client.get(settings.MEDIA_URL + archivo.name).status_code == 404
    # The stored name reveals neither the original file name nor its extension.
    assert "datos" not in soporte.archivo.name and not soporte.archivo.name.endswith(".csv")

    client.force_login(enlace_a)
    for practica in (esc.borrador, esc.enviada):
        html = client.get(reverse("practicas:detalle", args=[practica.pk])).content.decode()
        assert settings.MEDIA_URL not in html
    html = client.get(reverse("practicas:detalle", args=[esc.borrador.pk])).content.decode()
    assert reverse("practicas:soporte", args=[soporte.pk]) in html

    resp = client.get(reverse("practicas:soporte", args=[soporte.pk]))
    assert b"".join(resp.streaming_content) == CSV
    assert resp["Cache-Control"] == "private, no-store"
    assert resp["X-Content-Type-Options"] == "nosniff"
    assert resp["Content-Disposition"].startswith("attachment")
