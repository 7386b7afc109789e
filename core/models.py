import secrets
import uuid

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .estados import MaquinaDeEstados
from .storage import private_storage


class UsuarioManager(UserManager):
    """E-mail is the login; username is kept equal to it for Django's admin."""

    def _create_user(self, username, email, password, **extra_fields):
        email = self.normalize_email(email or username).lower()
        return super()._create_user(email, email, password, **extra_fields)

    def create_user(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_user(email, email, password, **extra_fields)

    def create_superuser(self, email=None, password=None, **extra_fields):
        extra_fields.pop("username", None)
        return super().create_superuser(email, email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class Usuario(AbstractUser):
    email = models.EmailField(_("correo electrónico"), unique=True)
    telefono = models.CharField(_("teléfono"), max_length=40, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UsuarioManager()

    class Meta:
        verbose_name = _("usuario")
        verbose_name_plural = _("usuarios")
        constraints = [models.UniqueConstraint(Lower("email"), name="usuario_email_ci_unico")]

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.username = self.email
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.email


class OrdenGobierno(models.TextChoices):
    """Order of government of a public body (and of a call's eligibility)."""

    ESTATAL = "estatal", _("Estatal")
    MUNICIPAL = "municipal", _("Municipal")


class TipoSujeto(models.TextChoices):
    DEPENDENCIA = "dependencia", _("Dependencia del Poder Ejecutivo")
    ORGANISMO_DESCENTRALIZADO = "descentralizado", _("Organismo descentralizado")
    ORGANISMO_AUTONOMO = "autonomo", _("Organismo autónomo")
    PODER_LEGISLATIVO = "legislativo", _("Poder Legislativo")
    PODER_JUDICIAL = "judicial", _("Poder Judicial")
    AYUNTAMIENTO = "ayuntamiento", _("Ayuntamiento")
    ORGANISMO_MUNICIPAL = "organismo_municipal", _("Organismo municipal")
    FIDEICOMISO = "fideicomiso", _("Fideicomiso o fondo público")
    PARTIDO = "partido", _("Partido político")
    SINDICATO = "sindicato", _("Sindicato")
    OTRO = "otro", _("Otro")


def _luminancia(hexadecimal: str) -> float:
    canales = [int(hexadecimal[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lineales = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in canales]
    return 0.2126 * lineales[0] + 0.7152 * lineales[1] + 0.0722 * lineales[2]


def contraste_con_blanco(hexadecimal: str) -> float:
    """WCAG contrast ratio of white text on this colour."""
    return 1.05 / (_luminancia(hexadecimal) + 0.05)


def validar_color_con_texto_blanco(valor: str) -> None:
    """The header and buttons print white text on the authority's colour: AA needs 4.5:1."""
    if contraste_con_blanco(valor) < 4.5:
        raise ValidationError(
            _("Con este color el texto blanco no se lee bien (contraste %(c).1f:1; se requiere al menos 4.5:1). "
              "Elija un tono más oscuro."), params={"c": contraste_con_blanco(valor)}, code="contraste")


COLOR_HEX = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Escriba el color en hexadecimal, p. ej. #1f4e79."))


class AutoridadGarante(models.Model):
    """An issuing authority (órgano garante). Everything about it is data, never code: one
    instance hosts the calls and sessions of several, each with its own face."""

    nombre = models.CharField(_("nombre"), max_length=300)
    siglas = models.CharField(_("siglas"), max_length=30, unique=True)
    slug = models.SlugField(_("identificador"), unique=True,
                            help_text=_("Se usa en las direcciones y en los filtros de datos, p. ej. «cotai»."))
    entidad_clave = models.CharField(
        _("clave INEGI de la entidad"), max_length=2, blank=True,
        validators=[RegexValidator(r"^\d{2}$", _("Escriba la clave INEGI de dos dígitos."))],
        help_text=_("Entidad federativa cuyos sujetos obligados atiende (clave INEGI de dos dígitos)."),
    )
    logo = models.ImageField(_("logotipo"), upload_to="autoridades/", blank=True)
    domicilio = models.TextField(_("domicilio"), blank=True)
    unidades = models.TextField(
        _("unidades administrativas"), blank=True,
        help_text=_("Una por línea; la primera es la que verifica los requisitos si la convocatoria no dice otra."),
    )
    correo_contacto = models.EmailField(_("correo de contacto"), blank=True)
    # The From of its e-mails (core.correo.remitente); replies go to correo_contacto. The relay must be
    # allowed to send as this address (SPF/DKIM of its domain), so only an administrator sets it.
    remitente_correo = models.EmailField(
        _("correo remitente"), blank=True,
        help_text=_("Dirección desde la que salen sus correos; el servidor de correo debe estar autorizado a "
                    "enviar desde ella. Si la deja vacía, salen desde la dirección general del portal."),
    )
    remitente_nombre = models.CharField(
        _("nombre del remitente"), max_length=150, blank=True,
        help_text=_("Cómo aparece el remitente en el buzón de quien lo recibe; si lo deja vacío, el nombre de la "
                    "autoridad."),
    )
    telefono = models.CharField(_("teléfono"), max_length=60, blank=True)
    sitio_web = models.URLField(_("sitio web"), blank=True)
    aviso_privacidad = models.TextField(_("aviso de privacidad"), blank=True)
    color_primario = models.CharField(
        _("color institucional"), max_length=7, default="#1f4e79",
        validators=[COLOR_HEX, validar_color_con_texto_blanco],
        help_text=_("Encabezado y botones de sus páginas; el texto blanco debe leerse sobre él (contraste AA)."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("autoridad garante")
        verbose_name_plural = _("autoridades garantes")
        ordering = ["nombre"]

    def __str__(self):
        return f"{self.siglas} — {self.nombre}"

    @property
    def unidades_lista(self):
        return [u.strip() for u in self.unidades.splitlines() if u.strip()]

    @property
    def entidad_nombre(self) -> str:
        return NOMBRES_ENTIDADES.get(self.entidad_clave, "")


# INEGI's 32 entity keys (Marco Geoestadístico), for labels where no municipality row is at hand.
NOMBRES_ENTIDADES = {
    "01": "Aguascalientes", "02": "Baja California", "03": "Baja California Sur", "04": "Campeche",
    "05": "Coahuila de Zaragoza", "06": "Colima", "07": "Chiapas", "08": "Chihuahua", "09": "Ciudad de México",
    "10": "Durango", "11": "Guanajuato", "12": "Guerrero", "13": "Hidalgo", "14": "Jalisco", "15": "Estado de México",
    "16": "Michoacán de Ocampo", "17": "Morelos", "18": "Nayarit", "19": "Nuevo León", "20": "Oaxaca",
    "21": "Puebla", "22": "Querétaro", "23": "Quintana Roo", "24": "San Luis Potosí", "25": "Sinaloa",
    "26": "Sonora", "27": "Tabasco", "28": "Tamaulipas", "29": "Tlaxcala", "30": "Veracruz de Ignacio de la Llave",
    "31": "Yucatán", "32": "Zacatecas",
}


class FirmanteAutoridad(models.Model):
    """Who signs what the authority issues (constancias, reconocimientos' institutional block)."""

    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.CASCADE, related_name="firmantes")
    nombre = models.CharField(_("nombre"), max_length=200)
    cargo = models.CharField(_("cargo"), max_length=300)
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("firmante de la autoridad")
        verbose_name_plural = _("firmantes de la autoridad")
        ordering = ["autoridad", "orden", "pk"]

    def __str__(self):
        return f"{self.nombre}, {self.cargo}"


class PersonalGarante(models.Model):
    """A staff member of an authority: everything they do in the panel is scoped to it."""

    usuario = models.ForeignKey(Usuario, on_delete=models.CASCADE, related_name="personal")
    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.CASCADE, related_name="personal")
    cargo = models.CharField(_("cargo"), max_length=200, blank=True)
    unidad = models.CharField(_("unidad"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personal del garante")
        verbose_name_plural = _("personal del garante")
        constraints = [
            models.UniqueConstraint(fields=["usuario", "autoridad"], name="personal_usuario_autoridad_unico")
        ]

    def __str__(self):
        return f"{self.usuario} ({self.autoridad.siglas})"


def codigo_verificacion():
    """A verification code: 128 random bits, URL-safe, unrelated to any folio, so it cannot be
    guessed from one. Every document the verification page finds by code gets one."""
    return secrets.token_urlsafe(16)


_codigo_verificacion = codigo_verificacion  # the name core's migrations refer to


def _documento_ruta(instance, filename):
    return f"documentos/{instance.tipo}/{uuid.uuid4().hex}.pdf"


def _ruta_archivo_generado(instance, filename):
    return instance.ruta_archivo()


class ArchivoGenerado(MaquinaDeEstados, models.Model):
    """A generated file as a cache: pending, ready (with its file and hash) or failed, with the
    tries and the last error staff see. One state table for every kind (acuse, dictamen,
    reconocimiento, constancia, cycle report); core.documentos is the one service that moves it."""

    class EstadoPDF(models.TextChoices):
        PENDIENTE = "pendiente", _("Pendiente")
        LISTA = "lista", _("Lista")
        FALLIDA = "fallida", _("Fallida")

    # A ready file stays ready (a missing one is rebuilt in place); a failed one is retried.
    TRANSICIONES = {
        EstadoPDF.PENDIENTE: {EstadoPDF.LISTA, EstadoPDF.FALLIDA},
        EstadoPDF.FALLIDA: {EstadoPDF.PENDIENTE},
        EstadoPDF.LISTA: set(),
    }
    CAMPO_ESTADO = "estado_pdf"
    MENSAJE_TRANSICION = _("El archivo en estado «%(origen)s» no puede pasar a «%(destino)s».")
    # The document type (core.documentos registry) of every row of a model with one type.
    TIPO_DOCUMENTO = ""

    estado_pdf = models.CharField(_("estado del PDF"), max_length=20, choices=EstadoPDF.choices,
                                  default=EstadoPDF.PENDIENTE)
    archivo = models.FileField(upload_to=_ruta_archivo_generado, storage=private_storage, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    intentos = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    generado_en = models.DateTimeField(null=True, blank=True)
    # When it last became pending: the sweep queues again what waited too long.
    pendiente_desde = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(estado_pdf="lista") | (~models.Q(archivo="") & ~models.Q(sha256="")),
                name="%(app_label)s_%(class)s_lista_con_archivo",
            ),
        ]

    @property
    def tipo_documento(self) -> str:
        return self.TIPO_DOCUMENTO

    def ruta_archivo(self) -> str:
        return f"{self._meta.app_label}/{self._meta.model_name}/{uuid.uuid4().hex}.pdf"

    def nombre_archivo(self) -> str:
        return f"{self._meta.model_name}-{self.pk}.pdf"


class DocumentoVerificable(ArchivoGenerado):
    """A PDF the portal issues (dictamen, reconocimiento, constancia): its lifecycle as a
    cache (ArchivoGenerado), its hash, and what the public verification page shows.
    Nothing about it is visible before ``visible_desde``."""

    class Tipo(models.TextChoices):
        DICTAMEN = "dictamen", _("Dictamen")
        RECONOCIMIENTO = "reconocimiento", _("Reconocimiento")
        CONSTANCIA = "constancia", _("Constancia de participación")
        CARTA_COMPROMISO = "carta_compromiso", _("Carta compromiso")

    autoridad = models.ForeignKey(
        AutoridadGarante, on_delete=models.PROTECT, null=True, blank=True, related_name="documentos",
        verbose_name=_("autoridad que lo emite"),
    )
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    folio = models.CharField(_("folio"), max_length=80, unique=True)
    codigo = models.CharField(_("código de verificación"), max_length=40, unique=True, default=_codigo_verificacion)
    titulo = models.CharField(_("título"), max_length=300)
    resumen = models.JSONField(_("lo que el documento dice"), default=dict, blank=True)
    visible_desde = models.DateTimeField(_("público desde"))
    vigente_hasta = models.DateField(_("vigente hasta"), null=True, blank=True)
    revocado_en = models.DateTimeField(_("revocado el"), null=True, blank=True)
    motivo_revocacion = models.TextField(_("motivo de la revocación"), blank=True)
    # A revoked document is served again with a «REVOCADO» stamp (a new file, a new hash); the hash of
    # the version it replaced still verifies, as revoked.
    sha256_original = models.CharField(_("huella de la versión anterior"), max_length=64, blank=True,
                                       db_index=True)
    # People signed the file itself (jurors' e.firma): it can never be rendered again.
    firmado_por_personas = models.BooleanField(_("firmado electrónicamente por personas"), default=False)

    archivo = models.FileField(upload_to=_documento_ruta, storage=private_storage, blank=True)
    creado_en = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("documento verificable")
        verbose_name_plural = _("documentos verificables")
        # The verification page finds an uploaded file by its hash.
        indexes = [models.Index(fields=["sha256"], name="documento_sha256")]
        constraints = [
            *ArchivoGenerado.Meta.constraints,
            models.CheckConstraint(
                condition=models.Q(revocado_en__isnull=True) | ~models.Q(motivo_revocacion=""),
                name="documento_revocado_con_motivo",
            ),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} {self.folio}"

    @property
    def tipo_documento(self) -> str:
        return self.tipo

    def nombre_archivo(self) -> str:
        return f"{self.folio}.pdf"

    def estado_vigencia(self, hoy=None):
        """revocado, vencido or vigente, as the verification page says it."""
        if self.revocado_en:
            return "revocado"
        hoy = hoy or timezone.localdate()
        if self.vigente_hasta and hoy > self.vigente_hasta:
            return "vencido"
        return "vigente"


class UsoDataset(models.Model):
    """How often an open dataset is reused: one counter per dataset, format, channel and day.
    Nothing about who asked (no address, no agent, no account)."""

    class Canal(models.TextChoices):
        DESCARGA = "descarga", _("Descarga")
        API = "api", _("API")

    dataset = models.CharField(_("conjunto de datos"), max_length=60)
    formato = models.CharField(_("formato"), max_length=10)
    canal = models.CharField(_("canal"), max_length=10, choices=Canal.choices)
    dia = models.DateField(_("día"))
    conteo = models.PositiveIntegerField(_("usos"), default=0)

    class Meta:
        verbose_name = _("uso de datos abiertos")
        verbose_name_plural = _("usos de datos abiertos")
        ordering = ["-dia", "dataset", "canal", "formato"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "formato", "canal", "dia"], name="uso_dataset_unico"),
        ]

    def __str__(self):
        return f"{self.dataset} · {self.canal}/{self.formato} · {self.dia}: {self.conteo}"


class TareaPendiente(models.Model):
    """The outbox: one row per piece of background work, written in the same transaction as the
    write that needs it (core.colas.encolar), so work is never promised without being recorded nor
    recorded without its write. core.relevo sends it to the broker after the commit and again
    whenever the broker comes back; the worker marks it started and deletes it when the task ends.
    A row started long ago (its worker died) or sent long ago and never started (its message was
    lost) is sent again: every task is safe to run twice."""

    nombre = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    kwargs = models.JSONField(default=dict)
    creada = models.DateTimeField(default=timezone.now)
    disponible_desde = models.DateTimeField(default=timezone.now)
    enviada_en = models.DateTimeField(null=True, blank=True)
    iniciada_en = models.DateTimeField(null=True, blank=True)
    envios = models.PositiveIntegerField(default=0)
    ultimo_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("tarea pendiente")
        verbose_name_plural = _("tareas pendientes")
        indexes = [
            models.Index(fields=["creada"], condition=models.Q(enviada_en__isnull=True), name="tarea_por_enviar"),
            models.Index(fields=["iniciada_en"], name="tarea_iniciada"),
        ]

    def __str__(self):
        return f"{self.nombre} #{self.pk}"


class Latido(models.Model):
    """The last time a periodic process proved it runs: the worker writes `worker` each time it runs the
    heartbeat task that beat sends through the broker (core.salud, every 30 s), so a recent row proves
    beat → broker → worker. The readiness check (/salud/listo/) reads it."""

    nombre = models.CharField(_("proceso"), max_length=40, unique=True)
    ultimo = models.DateTimeField(_("último latido"))

    class Meta:
        verbose_name = _("latido")
        verbose_name_plural = _("latidos")

    def __str__(self):
        return f"{self.nombre}: {self.ultimo:%Y-%m-%d %H:%M:%S}"
