import operator
from datetime import datetime, timedelta
from decimal import Decimal
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.estados import MaquinaDeEstados
from core.models import AutoridadGarante, OrdenGobierno, TipoSujeto
from core.storage import private_storage

# The six criteria of numeral trigésimo primero of the Lineamientos: the default rubric of a new call.
CRITERIOS_LINEAMIENTOS = [
    "Procedimientos utilizados para la identificación de información útil",
    "Calidad de la información publicada",
    "La diversificación y el uso de medios alternativos para la difusión de la información",
    "Consulta y/o reutilización de la información publicada",
    "Participación ciudadana efectiva e informada durante el proceso de construcción de información",
    "Los efectos positivos generados a partir de la información difundida",
]


def _ordenes_por_defecto():
    # What the 2023 call says: "los Sujetos Obligados estatales y municipales" of the entity.
    return [OrdenGobierno.ESTATAL.value, OrdenGobierno.MUNICIPAL.value]


class Convocatoria(MaquinaDeEstados, models.Model):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        ABIERTA = "abierta", _("Abierta")
        CERRADA = "cerrada", _("Cerrada")
        EN_EVALUACION = "en_evaluacion", _("En evaluación")
        RESULTADOS_PUBLICADOS = "resultados_publicados", _("Resultados publicados")

    # The only steps a call may take; services take them through MaquinaDeEstados.transicionar.
    TRANSICIONES = {
        Estado.BORRADOR: {Estado.ABIERTA},
        Estado.ABIERTA: {Estado.CERRADA},
        Estado.CERRADA: {Estado.EN_EVALUACION},
        Estado.EN_EVALUACION: {Estado.RESULTADOS_PUBLICADOS},
        Estado.RESULTADOS_PUBLICADOS: set(),
    }
    MENSAJE_TRANSICION = _("Una convocatoria en estado «%(origen)s» no puede pasar a «%(destino)s».")

    class Fase(models.TextChoices):
        """Where the process stands, in order. Derived by ``fase`` from the state and the
        timestamps that split «en evaluación» (scoring, then rulings); never stored."""

        PREPARACION = "preparacion", _("Preparación")
        RECEPCION = "recepcion", _("Recepción de propuestas")
        ADMISIBILIDAD = "admisibilidad", _("Verificación de requisitos")
        CALIFICACION = "calificacion", _("Calificación del jurado")
        DICTAMENES = "dictamenes", _("Dictámenes")
        RESULTADOS = "resultados", _("Resultados publicados")

    autoridad = models.ForeignKey(
        AutoridadGarante, on_delete=models.PROTECT, related_name="convocatorias", verbose_name=_("autoridad")
    )
    titulo = models.CharField(_("título"), max_length=300)
    slug = models.SlugField(_("identificador en la URL"), max_length=120, unique=True)
    anio = models.PositiveSmallIntegerField(_("año"))
    prefijo_folio = models.CharField(
        _("prefijo de folio"), max_length=30,
        help_text=_("Las siglas de la autoridad y del programa, p. ej. GARANTE-TP: los folios serán "
                    "GARANTE-TP-2023-0007."),
    )
    objetivo = models.TextField(_("objetivo"))
    fundamento_legal = models.TextField(_("fundamento legal"))
    participantes = models.TextField(_("quiénes pueden participar"))
    # Who may enter, as data the server enforces (Convocatoria.admite): the bodies of the
    # authority's entity of these orders of government (and, if any are given, of these types).
    ordenes_elegibles = models.JSONField(
        _("órdenes de gobierno que pueden participar"), default=_ordenes_por_defecto,
        help_text=_("Sujetos obligados de la entidad de la autoridad que pueden postular prácticas."),
    )
    tipos_elegibles = models.JSONField(
        _("tipos de sujeto obligado que pueden participar"), default=list, blank=True,
        help_text=_("Ninguno marcado: todos los tipos."),
    )
    unidad_verificadora = models.CharField(
        _("unidad que verifica los requisitos"), max_length=300, blank=True,
        help_text=_("Una de las unidades administrativas de la autoridad; si se deja vacía, la primera de ellas."),
    )
    requisitos = models.TextField(
        _("requisitos adicionales"), blank=True,
        help_text=_("Uno por línea; cada uno se verifica como un punto de la revisión de requisitos."),
    )
    modalidades_entrega = models.TextField(
        _("cómo entregar"),
        help_text=_("En línea en este portal; en papel o por correo electrónico, que el personal registra."),
    )
    domicilio_entrega = models.TextField(_("domicilio para entrega física"), blank=True)
    correos_entrega = models.CharField(_("correos para entrega electrónica"), max_length=300, blank=True)
    correo_contacto = models.EmailField(_("correo de contacto"))
    fecha_apertura = models.DateTimeField(_("apertura"))
    fecha_cierre = models.DateTimeField(_("cierre"), help_text=_("Último segundo en que se reciben propuestas."))
    fecha_resultados = models.DateTimeField(
        _("publicación de resultados"), help_text=_("Los resultados quedan bajo reserva hasta este momento.")
    )
    vigencia_meses = models.PositiveSmallIntegerField(
        _("vigencia del reconocimiento (meses)"), default=12, validators=[MinValueValidator(1)]
    )
    escala_min = models.PositiveSmallIntegerField(_("calificación mínima"), default=0)
    escala_max = models.PositiveSmallIntegerField(_("calificación máxima"), default=10)
    umbral = models.DecimalField(
        _("umbral para proponer «procedente»"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Opcional. Una práctica con calificación igual o mayor se propone como procedente."),
    )
    # The rule by which a ruling becomes signed, as data: every juror who did not recuse (None) or at
    # least this many of them (never more than those who may sign).
    quorum_firmas = models.PositiveSmallIntegerField(
        _("firmas necesarias para emitir un dictamen"), null=True, blank=True, validators=[MinValueValidator(1)],
        help_text=_("Vacío: firman todos los integrantes del jurado que no se excusaron. Un número: el dictamen "
                    "se emite al reunir esas firmas."),
    )
    # How jurors sign: each with their own e.firma (PAdES signatures in the ruling's PDF), or with their
    # account and password (the PDF prints their typed names and says so).
    firma_electronica = models.BooleanField(
        _("los integrantes del jurado firman los dictámenes con su e.firma"), default=False,
        help_text=_("Cada integrante firma el PDF del dictamen con su certificado .cer, su clave privada .key y su "
                    "contraseña (firma electrónica avanzada). Sin marcar: firman con su cuenta y contraseña del "
                    "portal y el dictamen lo dice."),
    )
    estado = models.CharField(_("estado"), max_length=30, choices=Estado.choices, default=Estado.BORRADOR)
    admisibilidad_liberada_en = models.DateTimeField(_("resultados de admisibilidad comunicados"), null=True,
                                                     blank=True)
    calificacion_cerrada_en = models.DateTimeField(_("calificación cerrada"), null=True, blank=True)
    resultados_notificados_en = models.DateTimeField(_("resultados publicados y notificados"), null=True,
                                                     blank=True)
    publicada_en = models.DateTimeField(_("publicada en"), null=True, blank=True)
    # When the authority's staff were told the call closed (services.convocatoria_avisar_cierre): once.
    cierre_avisado_en = models.DateTimeField(_("cierre avisado al personal"), null=True, blank=True,
                                             editable=False)
    ultimo_consecutivo = models.PositiveIntegerField(default=0, editable=False)
    creada_en = models.DateTimeField(auto_now_add=True)
    actualizada_en = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("convocatoria")
        verbose_name_plural = _("convocatorias")
        ordering = ["-fecha_cierre"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fecha_apertura__lt=models.F("fecha_cierre")),
                name="convocatoria_apertura_antes_de_cierre",
            ),
            models.CheckConstraint(
                condition=models.Q(fecha_cierre__lt=models.F("fecha_resultados")),
                name="convocatoria_cierre_antes_de_resultados",
            ),
            models.CheckConstraint(
                condition=models.Q(escala_min__lt=models.F("escala_max")), name="convocatoria_escala_valida"
            ),
            models.UniqueConstraint(fields=["prefijo_folio", "anio"], name="convocatoria_prefijo_anio_unico"),
            # The timestamps that mark the phases exist only in the states those phases belong to.
            models.CheckConstraint(
                condition=models.Q(admisibilidad_liberada_en__isnull=True)
                | models.Q(estado__in=["en_evaluacion", "resultados_publicados"]),
                name="convocatoria_admisibilidad_liberada_tras_cierre",
            ),
            models.CheckConstraint(
                condition=models.Q(calificacion_cerrada_en__isnull=True)
                | models.Q(estado__in=["en_evaluacion", "resultados_publicados"]),
                name="convocatoria_calificacion_cerrada_en_evaluacion",
            ),
            models.CheckConstraint(
                condition=models.Q(resultados_notificados_en__isnull=True) | models.Q(estado="resultados_publicados"),
                name="convocatoria_notificada_con_resultados",
            ),
            models.CheckConstraint(
                condition=models.Q(cierre_avisado_en__isnull=True)
                | models.Q(estado__in=["cerrada", "en_evaluacion", "resultados_publicados"]),
                name="convocatoria_cierre_avisado_tras_cierre",
            ),
        ]

    def __str__(self):
        return self.titulo

    def get_absolute_url(self):
        return reverse("convocatorias:detalle", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.fecha_apertura and self.fecha_cierre and self.fecha_apertura >= self.fecha_cierre:
            errors["fecha_cierre"] = _("El cierre debe ser posterior a la apertura.")
        if self.fecha_cierre and self.fecha_resultados and self.fecha_cierre >= self.fecha_resultados:
            errors["fecha_resultados"] = _("La publicación de resultados debe ser posterior al cierre.")
        if self.escala_min is not None and self.escala_max is not None and self.escala_min >= self.escala_max:
            errors["escala_max"] = _("La calificación máxima debe ser mayor que la mínima.")
        if self.umbral is not None and self.escala_min is not None and self.escala_max is not None and not (
                self.escala_min <= self.umbral <= self.escala_max):
            errors["umbral"] = _("El umbral debe estar dentro de la escala de calificación.")
        ordenes = self.ordenes_elegibles if isinstance(self.ordenes_elegibles, list) else None
        if not ordenes or not set(ordenes) <= set(OrdenGobierno.values):
            errors["ordenes_elegibles"] = _("Elija al menos un orden de gobierno que pueda participar.")
        tipos = self.tipos_elegibles if isinstance(self.tipos_elegibles, list) else None
        if tipos is None or not set(tipos) <= set(TipoSujeto.values):
            errors["tipos_elegibles"] = _("Elija tipos de sujeto obligado de la lista.")
        if errors:
            raise ValidationError(errors)

    # --- eligibility ------------------------------------------------------------------------------
    def q_sujetos_elegibles(self) -> models.Q:
        """The bodies that may enter, as a Q over practicas.SujetoObligado (an app above this one)."""
        q = models.Q(activo=True, entidad_clave=self.autoridad.entidad_clave, orden__in=self.ordenes_elegibles or [])
        if self.tipos_elegibles:
            q &= models.Q(tipo__in=self.tipos_elegibles)
        return q

    def admite(self, sujeto) -> bool:
        """Whether this body may submit to this call (the same rule as q_sujetos_elegibles)."""
        return bool(
            sujeto.activo and sujeto.entidad_clave == self.autoridad.entidad_clave
            and sujeto.orden in (self.ordenes_elegibles or [])
            and (not self.tipos_elegibles or sujeto.tipo in self.tipos_elegibles)
        )

    @property
    def descripcion_elegibilidad(self) -> str:
        """E.g. «Sujetos obligados estatales y municipales de Nuevo León»."""
        plurales = {OrdenGobierno.ESTATAL: gettext("estatales"), OrdenGobierno.MUNICIPAL: gettext("municipales")}
        ordenes = [plurales[o] for o in OrdenGobierno if o in (self.ordenes_elegibles or [])]
        entidad = self.autoridad.entidad_nombre or self.autoridad.nombre
        # «del Estado de México», «de la Ciudad de México», «de Nuevo León».
        if entidad.startswith("Estado de "):
            entidad = "del " + entidad
        elif entidad.startswith("Ciudad de "):
            entidad = "de la " + entidad
        else:
            entidad = "de " + entidad
        texto = gettext("Sujetos obligados %(ordenes)s %(entidad)s") % {
            "ordenes": gettext(" y ").join(ordenes) if ordenes else gettext("(ningún orden de gobierno)"),
            "entidad": entidad,
        }
        if self.tipos_elegibles:
            tipos = [str(TipoSujeto(t).label) for t in TipoSujeto.values if t in self.tipos_elegibles]
            texto += gettext(", solo de estos tipos: %(tipos)s") % {"tipos": ", ".join(tipos)}
        return texto + "."

    @property
    def unidad_que_verifica(self) -> str:
        """Who verifies the requirements, as the acuse and the jury's page say it."""
        if self.unidad_verificadora:
            return self.unidad_verificadora
        unidades = self.autoridad.unidades_lista
        return unidades[0] if unidades else self.autoridad.nombre

    # --- the deadline --------------------------------------------------------------------------
    # The one rule for the closing second: `fecha_cierre` names the last second that is received
    # (e.g. 23:59:59), and that second is received whole, through 23:59:59.999999. Every
    # comparison with the deadline goes through these members.
    @property
    def fin_de_plazo(self) -> datetime:
        """The first instant no longer received (exclusive): the declared second plus one."""
        return self.fecha_cierre.replace(microsecond=0) + timedelta(seconds=1)

    def en_plazo(self, momento: datetime) -> bool:
        """Whether a moment falls inside the call's window, its last second included whole."""
        return self.fecha_apertura <= momento < self.fin_de_plazo

    def plazo_vencido(self, ahora: datetime | None = None) -> bool:
        """Whether the declared last second is over."""
        return (ahora or timezone.now()) >= self.fin_de_plazo

    @staticmethod
    def q_plazo_vigente(ahora: datetime, prefijo: str = "") -> models.Q:
        """`not plazo_vencido(ahora)` as a filter: ahora < trunc(fecha_cierre) + 1 s holds exactly
        when trunc(ahora) <= fecha_cierre."""
        return models.Q(**{f"{prefijo}fecha_cierre__gte": ahora.replace(microsecond=0)})

    # --- derived state -------------------------------------------------------------------------
    # Time-driven state is read from the clock: the stored `estado` says «abierta» until something
    # records the closing (the periodic task, staff's «Cerrar convocatoria» or the first admissibility
    # write, all through services.convocatoria_cerrar), but past its last second the call IS closed for
    # every page, service and rule. Only the steps that record a state (MaquinaDeEstados) read `estado`.
    def recibe_propuestas(self, ahora=None):
        """Whether the server accepts submissions at this moment."""
        ahora = ahora or timezone.now()
        return self.estado == self.Estado.ABIERTA and self.en_plazo(ahora)

    def estado_efectivo(self, ahora=None) -> "Convocatoria.Estado":
        """The state at this moment: a published call past its deadline is closed, even before the
        closing is recorded."""
        if self.cierre_pendiente(ahora):
            return self.Estado.CERRADA
        return self.Estado(self.estado)

    def get_estado_efectivo_display(self):
        return self.estado_efectivo().label

    def cierre_pendiente(self, ahora=None) -> bool:
        """Past its deadline and still stored as abierta: the closing is due to be recorded (what the
        panel's «Cerrar convocatoria» offers)."""
        return self.estado == self.Estado.ABIERTA and self.plazo_vencido(ahora)

    def resultados_visibles(self, ahora=None) -> bool:
        """The embargo: nothing about a decision is visible before the publication second (the
        periodic publication only records it and sends the notices)."""
        return self.estado in self.ESTADOS_CON_RESULTADOS and (ahora or timezone.now()) >= self.fecha_resultados

    @classmethod
    def q_resultados_visibles(cls, ahora: datetime, prefijo: str = "") -> models.Q:
        """``resultados_visibles`` as a filter; ``prefijo`` reaches the call from another model."""
        return models.Q(**{f"{prefijo}estado__in": cls.ESTADOS_CON_RESULTADOS, f"{prefijo}fecha_resultados__lte": ahora})

    @property
    def es_publica(self):
        return self.estado != self.Estado.BORRADOR

    @property
    def criterios_congelados(self):
        return self.estado != self.Estado.BORRADOR

    # The one place that reads the state with its timestamps: the phase of each state, without
    # and with the jury's closing of scoring (which splits «en evaluación» in two).
    ORDEN_FASES = tuple(Fase)
    FASE_POR_ESTADO = {
        Estado.BORRADOR: (Fase.PREPARACION, Fase.PREPARACION),
        Estado.ABIERTA: (Fase.RECEPCION, Fase.RECEPCION),
        Estado.CERRADA: (Fase.ADMISIBILIDAD, Fase.ADMISIBILIDAD),
        Estado.EN_EVALUACION: (Fase.CALIFICACION, Fase.DICTAMENES),
        Estado.RESULTADOS_PUBLICADOS: (Fase.RESULTADOS, Fase.RESULTADOS),
    }

    # The states whose results are visible from the results second on (the jury's rulings exist).
    ESTADOS_CON_RESULTADOS = (Estado.EN_EVALUACION, Estado.RESULTADOS_PUBLICADOS)

    def fase_en(self, ahora=None) -> "Convocatoria.Fase":
        """The phase at this moment, from the effective state (a call past its deadline is in
        admissibility whether or not its closing was recorded)."""
        return self.FASE_POR_ESTADO[self.estado_efectivo(ahora)][self.calificacion_cerrada_en is not None]

    @property
    def fase(self) -> "Convocatoria.Fase":
        return self.fase_en()

    def alcanzo_fase(self, fase, ahora=None) -> bool:
        """Whether the process is in ``fase`` or past it."""
        return self.ORDEN_FASES.index(self.fase_en(ahora)) >= self.ORDEN_FASES.index(self.Fase(fase))

    @classmethod
    def q_alcanzo_fase(cls, fase, prefijo: str = "", ahora: datetime | None = None) -> models.Q:
        """``alcanzo_fase`` as a filter; ``prefijo`` reaches the call from another model
        ("convocatoria__"). A stored «abierta» past its deadline counts as «cerrada», as in Python."""
        minimo = cls.ORDEN_FASES.index(cls.Fase(fase))
        vigente = cls.q_plazo_vigente(ahora or timezone.now(), prefijo)
        partes = []
        for estado, fases in cls.FASE_POR_ESTADO.items():
            condicion = models.Q(**{f"{prefijo}estado": estado})
            if estado == cls.Estado.ABIERTA:
                partes.append(cls._q_fases(condicion & ~vigente, cls.FASE_POR_ESTADO[cls.Estado.CERRADA], minimo,
                                           prefijo))
                condicion &= vigente
            partes.append(cls._q_fases(condicion, fases, minimo, prefijo))
        return reduce(operator.or_, [q for q in partes if q is not None])

    @classmethod
    def _q_fases(cls, condicion: models.Q, fases, minimo: int, prefijo: str) -> models.Q | None:
        """The rows under ``condicion`` whose phase (without, with the closing of scoring) reaches ``minimo``."""
        cumple = [cls.ORDEN_FASES.index(f) >= minimo for f in fases]
        if all(cumple):
            return condicion
        if any(cumple):
            return condicion & models.Q(**{f"{prefijo}calificacion_cerrada_en__isnull": not cumple[1]})
        return None

    @property
    def calificacion_abierta(self) -> bool:
        return self.fase == self.Fase.CALIFICACION

    @property
    def calificacion_cerrada(self) -> bool:
        """The jury closed scoring: rulings are prepared (and, later, published)."""
        return self.alcanzo_fase(self.Fase.DICTAMENES)

    @property
    def admisibilidad_comunicada(self) -> bool:
        """Staff closed admissibility: bodies read their result, the jury has the practices."""
        return self.alcanzo_fase(self.Fase.CALIFICACION)


class Criterio(models.Model):
    convocatoria = models.ForeignKey(Convocatoria, on_delete=models.CASCADE, related_name="criterios")
    numero = models.PositiveSmallIntegerField(_("número"))
    nombre = models.CharField(_("criterio"), max_length=300)
    descripcion = models.TextField(_("qué se espera"), blank=True)
    peso = models.DecimalField(
        _("ponderación"), max_digits=5, decimal_places=2, default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("criterio")
        verbose_name_plural = _("criterios")
        ordering = ["convocatoria", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["convocatoria", "numero"], name="criterio_numero_unico"),
            models.CheckConstraint(condition=models.Q(peso__gt=0), name="criterio_peso_positivo"),
        ]

    def __str__(self):
        return f"{self.numero}. {self.nombre}"

    def save(self, *args, **kwargs):
        # Guard every path (forms, admin, shell): the rubric is frozen once the call opens.
        self._verificar_no_congelado()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._verificar_no_congelado()
        return super().delete(*args, **kwargs)

    def _verificar_no_congelado(self):
        conv = Convocatoria.objects.only("estado").get(pk=self.convocatoria_id)
        if conv.criterios_congelados:
            raise ValidationError(_("Los criterios no pueden cambiar una vez abierta la convocatoria."))


# Later apps say why a seat's account may no longer change (evaluacion: the seat has scores, drafts,
# recusals or signatures). Each takes a list of seats and returns {seat id: Spanish reason}; filled in
# AppConfig.ready(). The one way past it is evaluacion's recorded replacement of a juror.
_BLOQUEOS_CUENTA: list = []


def registrar_bloqueo_cuenta(bloqueo) -> None:
    if bloqueo not in _BLOQUEOS_CUENTA:
        _BLOQUEOS_CUENTA.append(bloqueo)


def bloqueos_de_cuenta(miembros) -> dict:
    """{seat id: reason} for the seats (with an id) whose account may not change."""
    miembros = [m for m in miembros if m.pk]
    motivos = {}
    if not miembros:
        return motivos
    for bloqueo in _BLOQUEOS_CUENTA:
        for pk, motivo in bloqueo(miembros).items():
            motivos.setdefault(pk, motivo)
    return motivos


class MiembroJurado(models.Model):
    """A seat on the call's jury: the position is known first, the person may be assigned later.

    Once the seat has acted (scores, drafts, recusals, signatures) its account is fixed: clean() and
    save() refuse a change by any path (service, admin, shell), except the recorded replacement
    (``save(_sustituyendo=True)``, evaluacion.services.jurado_sustituir)."""

    convocatoria = models.ForeignKey(Convocatoria, on_delete=models.CASCADE, related_name="jurado")
    cargo = models.CharField(_("cargo"), max_length=300)
    nombre = models.CharField(_("nombre de la persona titular"), max_length=200, blank=True)
    usuario = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="jurados", verbose_name=_("cuenta"),
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("integrante del jurado")
        verbose_name_plural = _("jurado calificador")
        ordering = ["convocatoria", "orden", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["convocatoria", "usuario"], condition=models.Q(usuario__isnull=False),
                name="jurado_usuario_unico_por_convocatoria",
            )
        ]

    def __str__(self):
        return f"{self.cargo}" + (f" ({self.nombre})" if self.nombre else "")

    def save(self, *args, _sustituyendo=False, **kwargs):
        if not _sustituyendo:
            motivo = self.motivo_cuenta_fija()
            if motivo:
                raise ValidationError({"usuario": motivo})
        return super().save(*args, **kwargs)

    def clean(self):
        motivo = self.motivo_cuenta_fija()
        if motivo:
            raise ValidationError({"usuario": motivo})

    def motivo_cuenta_fija(self) -> str | None:
        """Why this seat's account may not change now (None: it may). Only asks when it would change."""
        if not self.pk:
            return None
        anterior = MiembroJurado.objects.filter(pk=self.pk).values_list("usuario_id", flat=True).first()
        if anterior == self.usuario_id:
            return None
        return bloqueos_de_cuenta([self]).get(self.pk)


def _documento_ruta(instance, filename):
    return f"convocatorias/{instance.convocatoria_id}/{filename}"


class DocumentoConvocatoria(models.Model):
    """Bases, formulario and other annexes. Public once the call is published; served by a view."""

    convocatoria = models.ForeignKey(Convocatoria, on_delete=models.CASCADE, related_name="documentos")
    titulo = models.CharField(_("título"), max_length=200)
    archivo = models.FileField(_("archivo"), upload_to=_documento_ruta, storage=private_storage)
    orden = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("documento de la convocatoria")
        verbose_name_plural = _("documentos de la convocatoria")
        ordering = ["orden", "pk"]

    def __str__(self):
        return self.titulo
