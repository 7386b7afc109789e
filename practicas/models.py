import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convocatorias.models import Convocatoria, Criterio
from core.estados import MaquinaDeEstados
from core.models import ArchivoGenerado, OrdenGobierno, TipoSujeto, codigo_verificacion
from core.storage import private_storage
from core.templatetags.reconoce import fecha_hora_segundos


class Municipio(models.Model):
    """INEGI geostatistical catalogue (cvegeo = entity + municipality key)."""

    cvegeo = models.CharField(_("clave geoestadística"), max_length=5, primary_key=True)
    entidad_clave = models.CharField(_("clave de entidad"), max_length=2)
    entidad = models.CharField(_("entidad"), max_length=100)
    nombre = models.CharField(_("municipio"), max_length=200)

    class Meta:
        verbose_name = _("municipio")
        verbose_name_plural = _("municipios")
        ordering = ["entidad_clave", "nombre"]

    def __str__(self):
        return self.rotulo(self.nombre, self.entidad)

    @staticmethod
    def rotulo(nombre: str, entidad: str) -> str:
        """How a municipality is named on screen (also from a values() row, without an instance)."""
        return f"{nombre}, {entidad}"


class SujetoObligado(models.Model):
    # The choices live in core: a call's eligibility (convocatorias) speaks of them too.
    Orden = OrdenGobierno
    Tipo = TipoSujeto

    nombre = models.CharField(_("nombre"), max_length=300)
    siglas = models.CharField(_("siglas"), max_length=40, blank=True)
    orden = models.CharField(_("orden de gobierno"), max_length=20, choices=Orden.choices)
    tipo = models.CharField(_("tipo"), max_length=30, choices=Tipo.choices)
    entidad_clave = models.CharField(_("clave de entidad"), max_length=2)
    municipio = models.ForeignKey(
        Municipio, on_delete=models.PROTECT, null=True, blank=True, related_name="sujetos",
        verbose_name=_("municipio"),
    )
    activo = models.BooleanField(_("activo"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sujeto obligado")
        verbose_name_plural = _("sujetos obligados")
        ordering = ["nombre"]
        constraints = [
            models.UniqueConstraint(fields=["nombre", "entidad_clave"], name="sujeto_nombre_entidad_unico"),
            models.CheckConstraint(
                condition=~models.Q(orden="municipal") | models.Q(municipio__isnull=False),
                name="sujeto_municipal_con_municipio",
            ),
        ]

    def __str__(self):
        return self.nombre


class Enlace(MaquinaDeEstados, models.Model):
    """A person's request to act for a body; staff approve it before anything is visible."""

    class Estado(models.TextChoices):
        SOLICITADO = "solicitado", _("Solicitud en revisión")
        APROBADO = "aprobado", _("Aprobado")
        RECHAZADO = "rechazado", _("Rechazado")

    # Resolved once, by staff (enlace_resolver); a new request is a new row.
    TRANSICIONES = {
        Estado.SOLICITADO: {Estado.APROBADO, Estado.RECHAZADO},
        Estado.APROBADO: set(),
        Estado.RECHAZADO: set(),
    }
    MENSAJE_TRANSICION = _("Una solicitud de enlace en estado «%(origen)s» no puede pasar a «%(destino)s».")

    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enlaces")
    sujeto = models.ForeignKey(SujetoObligado, on_delete=models.CASCADE, related_name="enlaces")
    cargo = models.CharField(_("cargo"), max_length=200)
    area = models.CharField(_("área de adscripción"), max_length=200, blank=True)
    estado = models.CharField(_("estado"), max_length=20, choices=Estado.choices, default=Estado.SOLICITADO)
    motivo = models.TextField(_("motivo del rechazo"), blank=True)
    solicitado_en = models.DateTimeField(auto_now_add=True)
    resuelto_en = models.DateTimeField(null=True, blank=True)
    resuelto_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("enlace del sujeto obligado")
        verbose_name_plural = _("enlaces de sujetos obligados")
        ordering = ["-solicitado_en"]
        constraints = [models.UniqueConstraint(fields=["usuario", "sujeto"], name="enlace_usuario_sujeto_unico")]

    def __str__(self):
        return f"{self.usuario} → {self.sujeto}"


class Practica(MaquinaDeEstados, models.Model):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        ENVIADA = "enviada", _("Enviada")
        RETIRADA = "retirada", _("Retirada")

    TRANSICIONES = {
        Estado.BORRADOR: {Estado.ENVIADA},
        Estado.ENVIADA: {Estado.RETIRADA},
        Estado.RETIRADA: set(),
    }
    MENSAJE_TRANSICION = _("Una práctica en estado «%(origen)s» no puede pasar a «%(destino)s».")

    class Canal(models.TextChoices):
        EN_LINEA = "en_linea", _("En línea")
        PAPEL = "papel", _("Entrega física")
        CORREO = "correo", _("Correo electrónico")

    convocatoria = models.ForeignKey(Convocatoria, on_delete=models.PROTECT, related_name="practicas")
    sujeto = models.ForeignKey(SujetoObligado, on_delete=models.PROTECT, related_name="practicas")
    nombre = models.CharField(_("nombre de la práctica"), max_length=300)
    area_responsable = models.CharField(_("área responsable"), max_length=300, blank=True)
    contacto_nombre = models.CharField(_("nombre de la persona de contacto"), max_length=200, blank=True)
    contacto_cargo = models.CharField(_("cargo de la persona de contacto"), max_length=200, blank=True)
    contacto_correo = models.EmailField(_("correo de contacto"), blank=True)
    contacto_telefono = models.CharField(_("teléfono de contacto"), max_length=40, blank=True)
    descripcion = models.TextField(_("descripción de la práctica"), blank=True)
    necesidad_informacion = models.TextField(_("necesidad de información que atiende"), blank=True)
    identificacion_necesidad = models.TextField(_("cómo se identificó la necesidad"), blank=True)
    poblacion_objetivo = models.TextField(_("población a la que se dirige"), blank=True)
    url_publicacion = models.URLField(_("dirección (URL) donde se publica"), max_length=500, blank=True)
    fecha_inicio = models.DateField(_("fecha de inicio de la práctica"), null=True, blank=True)

    estado = models.CharField(_("estado"), max_length=20, choices=Estado.choices, default=Estado.BORRADOR)
    canal = models.CharField(_("canal de recepción"), max_length=20, choices=Canal.choices, default=Canal.EN_LINEA)
    consecutivo = models.PositiveIntegerField(null=True, blank=True, editable=False)
    folio = models.CharField(_("folio"), max_length=60, null=True, blank=True, editable=False)
    enviada_en = models.DateTimeField(_("recibida el"), null=True, blank=True)
    # A paper or e-mail submission: enviada_en is the receipt time staff declared; this is when
    # they recorded it (and enviada_por who). Online submissions are received when recorded.
    capturada_en = models.DateTimeField(_("registrada en el sistema el"), null=True, blank=True)
    retirada_en = models.DateTimeField(_("retirada el"), null=True, blank=True)
    creada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="practicas_creadas"
    )
    enviada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    creada_en = models.DateTimeField(auto_now_add=True)
    actualizada_en = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    # Fields that must be filled before sending (the formulario's required items).
    CAMPOS_REQUERIDOS = (
        "nombre", "area_responsable", "contacto_nombre", "contacto_correo", "descripcion",
        "necesidad_informacion", "identificacion_necesidad", "poblacion_objetivo", "url_publicacion",
        "fecha_inicio",
    )

    class Meta:
        verbose_name = _("práctica")
        verbose_name_plural = _("prácticas")
        ordering = ["-actualizada_en"]
        constraints = [
            models.UniqueConstraint(fields=["convocatoria", "consecutivo"], name="practica_consecutivo_unico"),
            models.UniqueConstraint(fields=["folio"], name="practica_folio_unico"),
            models.CheckConstraint(
                condition=models.Q(estado="borrador", folio__isnull=True, enviada_en__isnull=True)
                | (~models.Q(estado="borrador") & models.Q(folio__isnull=False, enviada_en__isnull=False)),
                name="practica_folio_si_enviada",
            ),
            models.CheckConstraint(
                condition=models.Q(capturada_en__isnull=True) | ~models.Q(canal="en_linea"),
                name="practica_captura_solo_fuera_de_linea",
            ),
        ]
        indexes = [
            models.Index(fields=["sujeto", "convocatoria"]),
            # The public catalogue counts its recognitions through practice → call for every row:
            # with the call beside the id (PostgreSQL's INCLUDE), that join reads this small index,
            # not the wide table with its long texts (evaluacion.catalogo, a third of the count).
            models.Index(fields=["id"], include=["convocatoria"], name="practica_id_convocatoria"),
        ]

    def __str__(self):
        return self.folio or self.nombre

    def get_absolute_url(self):
        return reverse("practicas:detalle", kwargs={"pk": self.pk})

    @property
    def es_borrador(self):
        return self.estado == self.Estado.BORRADOR

    @property
    def es_captura(self):
        """Received on paper or by e-mail and recorded by staff."""
        return self.canal != self.Canal.EN_LINEA


class Evidencia(models.Model):
    """The practice's written evidence for one criterion of its call."""

    practica = models.ForeignKey(Practica, on_delete=models.CASCADE, related_name="evidencias")
    criterio = models.ForeignKey(Criterio, on_delete=models.PROTECT, related_name="evidencias")
    texto = models.TextField(_("evidencia"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidencia por criterio")
        verbose_name_plural = _("evidencias por criterio")
        ordering = ["criterio__numero"]
        constraints = [models.UniqueConstraint(fields=["practica", "criterio"], name="evidencia_unica")]

    def __str__(self):
        return f"{self.practica} · criterio {self.criterio_id}"


def _soporte_ruta(instance, filename):
    # The stored name is random: the original name is kept in a field, never in the path.
    return f"soportes/{instance.practica_id}/{uuid.uuid4().hex}"


class Soporte(models.Model):
    """A documentary support: an uploaded file (private) or a link."""

    class Tipo(models.TextChoices):
        ARCHIVO = "archivo", _("Archivo")
        ENLACE = "enlace", _("Enlace")

    practica = models.ForeignKey(Practica, on_delete=models.CASCADE, related_name="soportes")
    criterio = models.ForeignKey(
        Criterio, on_delete=models.PROTECT, null=True, blank=True, related_name="soportes",
        help_text=_("Vacío si el soporte es general de la práctica."),
    )
    tipo = models.CharField(max_length=10, choices=Tipo.choices)
    archivo = models.FileField(upload_to=_soporte_ruta, storage=private_storage, blank=True, max_length=300)
    nombre_original = models.CharField(_("nombre del archivo"), max_length=255, blank=True)
    formato = models.CharField(_("formato"), max_length=20, blank=True)
    mime = models.CharField(max_length=120, blank=True)
    tamano = models.PositiveBigIntegerField(_("tamaño (bytes)"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    es_datos_abiertos = models.BooleanField(_("datos abiertos"), default=False)
    nota_formato = models.CharField(_("observación del formato"), max_length=500, blank=True)
    url = models.URLField(_("enlace"), max_length=500, blank=True)
    descripcion = models.CharField(_("descripción"), max_length=300, blank=True)
    subido_en = models.DateTimeField(auto_now_add=True)
    subido_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("soporte documental")
        verbose_name_plural = _("soportes documentales")
        ordering = ["criterio__numero", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(tipo="archivo") & ~models.Q(archivo="") & ~models.Q(sha256=""))
                | (models.Q(tipo="enlace") & ~models.Q(url="")),
                name="soporte_archivo_o_enlace",
            )
        ]

    def __str__(self):
        return self.nombre_original or self.url


def _acuse_ruta(instance, filename):
    return f"acuses/{instance.practica_id}/{uuid.uuid4().hex}.pdf"


class Acuse(ArchivoGenerado):
    """The acuse de recibo PDF, a generated file (core's ArchivoGenerado lifecycle)."""

    Estado = ArchivoGenerado.EstadoPDF  # the name the acuse's callers have always used
    TIPO_DOCUMENTO = "acuse"

    practica = models.OneToOneField(Practica, on_delete=models.CASCADE, related_name="acuse")
    archivo = models.FileField(upload_to=_acuse_ruta, storage=private_storage, blank=True)
    # Printed under the acuse's QR: the verification page finds it by this code (or by its file's
    # hash) as it finds a DocumentoVerificable (core.documentos.Verificable).
    codigo = models.CharField(_("código de verificación"), max_length=40, unique=True, default=codigo_verificacion)
    actualizado_en = models.DateTimeField(auto_now=True)

    class Meta(ArchivoGenerado.Meta):
        verbose_name = _("acuse de recibo")
        verbose_name_plural = _("acuses de recibo")
        indexes = [models.Index(fields=["sha256"], name="acuse_sha256")]  # the verification page's upload

    def __str__(self):
        return f"Acuse {self.practica.folio}"

    def nombre_archivo(self) -> str:
        return f"acuse-{self.practica.folio}.pdf"

    # --- what the verification page reads (core.documentos.Verificable) ---------------------------
    # An acuse says what was received and when; it has no term and is never revoked. Whoever holds it
    # (its code or its file) may check it; downloading it again stays with whoever may see the practice.

    tipo = TIPO_DOCUMENTO
    vigente_hasta = None
    revocado_en = None
    motivo_revocacion = ""
    sha256_original = ""

    def get_tipo_display(self) -> str:
        return str(_("Acuse de recibo"))

    @property
    def folio(self) -> str:
        return self.practica.folio

    @property
    def titulo(self) -> str:
        return str(_("Acuse de recibo de la práctica «%(p)s»") % {"p": self.practica.nombre})

    @property
    def autoridad(self):
        return self.practica.convocatoria.autoridad

    @property
    def visible_desde(self):
        # Checkable once it exists as a file: before that, nobody holds its code.
        return self.generado_en

    @property
    def resumen(self) -> dict:
        practica = self.practica
        datos = {
            "sujeto_obligado": practica.sujeto.nombre, "practica": practica.nombre,
            "convocatoria": practica.convocatoria.titulo, "recibida_en": fecha_hora_segundos(practica.enviada_en),
            "canal": practica.get_canal_display(),
        }
        if practica.es_captura and practica.capturada_en:
            datos["capturada_en"] = fecha_hora_segundos(practica.capturada_en)
        return datos

    def estado_vigencia(self, hoy=None) -> str:
        return "vigente"
