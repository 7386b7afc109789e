"""Judging and rulings: admissibility, recusals, scores, rulings, recognitions.

Signed rulings are final: services refuse to touch them, models refuse to save them, and on
PostgreSQL triggers (see migrations) refuse UPDATE and DELETE of a signed ruling and of the
scores behind it."""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from convocatorias.models import Criterio, MiembroJurado
from core.estados import MaquinaDeEstados
from core.models import DocumentoVerificable
from practicas.models import Practica

# Default admissibility checklist (DG de Transparencia). Calls add their own lines in `requisitos`.
REQUISITOS_BASE = [
    ("sujeto_elegible", _("El sujeto obligado es elegible conforme a la convocatoria")),
    ("en_plazo", _("La propuesta se recibió dentro del plazo")),
    ("formulario_completo", _("El formulario está completo")),
    ("soportes", _("Los soportes documentales están presentes y se pueden leer")),
]


class DictamenFirmadoError(ValidationError):
    """Raised by any attempt to write a signed ruling or the scores behind it."""


def _practica_con_dictamen_firmado(practica_id) -> bool:
    return Dictamen.objects.filter(practica_id=practica_id, estado=Dictamen.Estado.FIRMADO).exists()


class CongeladoPorDictamenMixin:
    """Rows that freeze once a ruling is signed: save() and delete() refuse (models and admin
    alike; PostgreSQL triggers say the same in the database). Subclasses say when."""

    mensaje_congelado = _("El dictamen de esta práctica está firmado: no admite cambios.")

    def _congelado(self) -> bool:
        raise TypeError(f"{type(self).__name__} debe decir cuándo queda congelado (_congelado).")

    def _verificar_no_firmado(self):
        if self._congelado():
            raise DictamenFirmadoError(self.mensaje_congelado)

    def save(self, *args, **kwargs):
        self._verificar_no_firmado()
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._verificar_no_firmado()
        return super().delete(*args, **kwargs)


class ProtegidoPorDictamenMixin(CongeladoPorDictamenMixin):
    """Scores and recusals: frozen once their practice's ruling is signed."""

    def _practica_id(self):
        raise TypeError(f"{type(self).__name__} debe indicar su práctica (_practica_id).")

    def _congelado(self):
        return bool(self.pk) and _practica_con_dictamen_firmado(self._practica_id())


class Admisibilidad(models.Model):
    class Resultado(models.TextChoices):
        PENDIENTE = "pendiente", _("Pendiente de verificación")
        ADMITIDA = "admitida", _("Admitida")
        NO_ADMITIDA = "no_admitida", _("No admitida")

    practica = models.OneToOneField(Practica, on_delete=models.CASCADE, related_name="admisibilidad")
    resultado = models.CharField(_("resultado"), max_length=20, choices=Resultado.choices,
                                 default=Resultado.PENDIENTE)
    motivos = models.TextField(_("motivos"), blank=True)
    preseleccionada = models.BooleanField(_("preseleccionada para el jurado"), default=False)
    verificada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    verificada_en = models.DateTimeField(null=True, blank=True)
    # When the body was e-mailed its result, once the phase closed (services.admisibilidad_avisar).
    avisada_en = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["avisada_en"])

    class Meta:
        verbose_name = _("verificación de requisitos")
        verbose_name_plural = _("verificaciones de requisitos")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(resultado="no_admitida") | ~models.Q(motivos=""),
                name="admisibilidad_no_admitida_con_motivos",
            ),
            models.CheckConstraint(
                condition=~models.Q(preseleccionada=True) | models.Q(resultado="admitida"),
                name="admisibilidad_preseleccion_solo_admitidas",
            ),
        ]

    def __str__(self):
        return f"{self.practica} — {self.get_resultado_display()}"


class RequisitoVerificado(models.Model):
    admisibilidad = models.ForeignKey(Admisibilidad, on_delete=models.CASCADE, related_name="requisitos")
    clave = models.CharField(max_length=60)
    texto = models.CharField(_("requisito"), max_length=500)
    cumple = models.BooleanField(_("cumple"), null=True)
    observacion = models.CharField(_("observación"), max_length=500, blank=True)
    orden = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["orden"]
        constraints = [models.UniqueConstraint(fields=["admisibilidad", "clave"], name="requisito_unico")]

    def __str__(self):
        return f"{self.texto}: {self.cumple}"


class Recusa(ProtegidoPorDictamenMixin, models.Model):
    """A juror's declared conflict of interest: they are left out of that practice."""

    miembro = models.ForeignKey(MiembroJurado, on_delete=models.PROTECT, related_name="recusas")
    practica = models.ForeignKey(Practica, on_delete=models.PROTECT, related_name="recusas")
    motivo = models.TextField(_("motivo del conflicto de interés"))
    declarada_en = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("excusa por conflicto de interés")
        verbose_name_plural = _("excusas por conflicto de interés")
        constraints = [models.UniqueConstraint(fields=["miembro", "practica"], name="recusa_unica")]

    def __str__(self):
        return f"{self.miembro} se excusa de {self.practica}"

    def _practica_id(self):
        return self.practica_id


class Evaluacion(ProtegidoPorDictamenMixin, MaquinaDeEstados, models.Model):
    """One juror's scoring of one practice."""

    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("En captura")
        ENVIADA = "enviada", _("Enviada")

    # Sent, and back to capture when staff reopen it with a reason (Reapertura).
    TRANSICIONES = {Estado.BORRADOR: {Estado.ENVIADA}, Estado.ENVIADA: {Estado.BORRADOR}}
    MENSAJE_TRANSICION = _("Una calificación en estado «%(origen)s» no puede pasar a «%(destino)s».")

    miembro = models.ForeignKey(MiembroJurado, on_delete=models.PROTECT, related_name="evaluaciones")
    practica = models.ForeignKey(Practica, on_delete=models.PROTECT, related_name="evaluaciones")
    estado = models.CharField(max_length=20, choices=Estado.choices, default=Estado.BORRADOR)
    total = models.DecimalField(_("total ponderado"), max_digits=7, decimal_places=3, null=True, blank=True)
    enviada_en = models.DateTimeField(null=True, blank=True)
    actualizada_en = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluación")
        verbose_name_plural = _("evaluaciones")
        constraints = [
            models.UniqueConstraint(fields=["miembro", "practica"], name="evaluacion_unica"),
            models.CheckConstraint(
                condition=models.Q(estado="borrador") | models.Q(total__isnull=False, enviada_en__isnull=False),
                name="evaluacion_enviada_con_total",
            ),
        ]

    def __str__(self):
        return f"{self.miembro} · {self.practica} ({self.get_estado_display()})"

    def _practica_id(self):
        return self.practica_id


class Calificacion(ProtegidoPorDictamenMixin, models.Model):
    evaluacion = models.ForeignKey(Evaluacion, on_delete=models.PROTECT, related_name="calificaciones")
    criterio = models.ForeignKey(Criterio, on_delete=models.PROTECT, related_name="calificaciones")
    puntaje = models.DecimalField(_("calificación"), max_digits=5, decimal_places=2, null=True, blank=True)
    motivo = models.TextField(_("motivación"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calificación")
        verbose_name_plural = _("calificaciones")
        constraints = [models.UniqueConstraint(fields=["evaluacion", "criterio"], name="calificacion_unica")]

    def __str__(self):
        return f"{self.criterio_id}: {self.puntaje}"

    def _practica_id(self):
        return Evaluacion.objects.filter(pk=self.evaluacion_id).values_list("practica_id", flat=True).first()


class Reapertura(models.Model):
    """A reopened evaluation and its reason. The reason is also the change reason of the
    evaluation's history row for the reopening, so history alone tells it."""

    evaluacion = models.ForeignKey(Evaluacion, on_delete=models.PROTECT, related_name="reaperturas")
    motivo = models.TextField(_("motivo de la reapertura"))
    por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    en = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-en"]

    def __str__(self):
        return f"Reapertura de {self.evaluacion_id}: {self.motivo[:40]}"


class SustitucionJurado(models.Model):
    """The recorded replacement of the person in a jury seat while the jury scores: the seat's
    scores, drafts and recusals are voided (deleted with this act as their history's reason) and the
    new account starts afresh."""

    miembro = models.ForeignKey(MiembroJurado, on_delete=models.PROTECT, related_name="sustituciones",
                                verbose_name=_("lugar del jurado"))
    cuenta_anterior = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("cuenta anterior"))
    cuenta_nueva = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("cuenta nueva"))
    motivo = models.TextField(_("motivo de la sustitución"))
    por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("registrada por"))
    en = models.DateTimeField(_("registrada en"), auto_now_add=True)
    evaluaciones_anuladas = models.PositiveIntegerField(_("calificaciones anuladas"), default=0)
    excusas_anuladas = models.PositiveIntegerField(_("excusas anuladas"), default=0)

    class Meta:
        verbose_name = _("sustitución de un integrante del jurado")
        verbose_name_plural = _("sustituciones de integrantes del jurado")
        ordering = ["-en", "-pk"]

    def __str__(self):
        return f"Sustitución en {self.miembro}: {self.motivo[:40]}"


class Dictamen(MaquinaDeEstados, models.Model):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        FIRMADO = "firmado", _("Firmado")

    TRANSICIONES = {Estado.BORRADOR: {Estado.FIRMADO}, Estado.FIRMADO: set()}
    MENSAJE_TRANSICION = _("Un dictamen en estado «%(origen)s» no puede pasar a «%(destino)s».")

    class Decision(models.TextChoices):
        PROCEDENTE = "procedente", _("Procedente")
        NO_PROCEDENTE = "no_procedente", _("No procedente")

    practica = models.OneToOneField(Practica, on_delete=models.PROTECT, related_name="dictamen")
    estado = models.CharField(max_length=20, choices=Estado.choices, default=Estado.BORRADOR)
    decision = models.CharField(_("decisión"), max_length=20, choices=Decision.choices, blank=True)
    propuesta = models.CharField(_("propuesta según la calificación"), max_length=20, choices=Decision.choices,
                                 blank=True)
    motivo_desviacion = models.TextField(_("razón para apartarse de la propuesta"), blank=True)
    consideraciones = models.TextField(_("consideraciones generales"), blank=True)
    puntaje = models.DecimalField(max_digits=7, decimal_places=3, null=True, blank=True)
    folio = models.CharField(_("folio"), max_length=80, unique=True, null=True, blank=True)
    fecha = models.DateField(_("fecha del dictamen"), null=True, blank=True)
    firmado_en = models.DateTimeField(null=True, blank=True)
    firmado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    documento = models.OneToOneField(DocumentoVerificable, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="dictamen")
    notificado_en = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dictamen")
        verbose_name_plural = _("dictámenes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estado="borrador")
                | models.Q(folio__isnull=False, fecha__isnull=False, firmado_en__isnull=False) & ~models.Q(decision=""),
                name="dictamen_firmado_completo",
            ),
        ]
        # The public catalogue's count filters every ruling by state and decision and joins it to
        # its practice: all of that is in this index (PostgreSQL's INCLUDE), read without the table.
        indexes = [models.Index(fields=["id"], include=["practica", "estado", "decision"],
                                name="dictamen_practica_estado")]

    def __str__(self):
        return self.folio or f"Dictamen de {self.practica}"

    def save(self, *args, _firmando=False, **kwargs):
        # Once signed, no path (service, form, admin, shell) writes the row again.
        if self._firmado_en_bd() or (self.estado == self.Estado.FIRMADO and not _firmando):
            raise DictamenFirmadoError(_("El dictamen está firmado: es definitivo e inapelable."))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._firmado_en_bd():
            raise DictamenFirmadoError(_("El dictamen está firmado: es definitivo e inapelable."))
        return super().delete(*args, **kwargs)

    def _firmado_en_bd(self):
        return self.pk and Dictamen.objects.filter(pk=self.pk, estado=self.Estado.FIRMADO).exists()


class ParteDeDictamenMixin(CongeladoPorDictamenMixin):
    """Reasons and signatures: frozen with their ruling."""

    mensaje_congelado = _("El dictamen está firmado: es definitivo e inapelable.")

    def _congelado(self):
        return Dictamen.objects.filter(pk=self.dictamen_id, estado=Dictamen.Estado.FIRMADO).exists()


class MotivoDictamen(ParteDeDictamenMixin, models.Model):
    """The reasons per criterion the body is entitled to know (Anexo 2 of the Lineamientos)."""

    dictamen = models.ForeignKey(Dictamen, on_delete=models.PROTECT, related_name="motivos")
    criterio = models.ForeignKey(Criterio, on_delete=models.PROTECT, related_name="+")
    texto = models.TextField(_("motivos"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["criterio__numero"]
        constraints = [models.UniqueConstraint(fields=["dictamen", "criterio"], name="motivo_dictamen_unico")]

    def __str__(self):
        return f"Motivos del criterio {self.criterio_id}"


class FirmaDictamen(ParteDeDictamenMixin, models.Model):
    """One juror's own signing act on a draft ruling (re-authenticated in the panel): the account
    that signs is the seat's, the one that scored; the printed name is that account's, the position
    the seat's. A change to the draft withdraws the signatures gathered (history keeps them); the
    ruling is issued when the call's rule (Convocatoria.quorum_firmas) is met."""

    dictamen = models.ForeignKey(Dictamen, on_delete=models.PROTECT, related_name="firmas")
    miembro = models.ForeignKey(MiembroJurado, on_delete=models.PROTECT, related_name="firmas")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("cuenta que firmó"))
    cargo = models.CharField(max_length=300)
    nombre = models.CharField(max_length=200)
    firmada_en = models.DateTimeField(_("firmada en"), null=True, blank=True)
    # With e.firma: what the juror's certificate says (core.firma_digital.DatosCertificado), never the key.
    certificado = models.JSONField(_("certificado de la e.firma"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["miembro__orden", "pk"]
        constraints = [models.UniqueConstraint(fields=["dictamen", "miembro"], name="firma_unica")]

    def __str__(self):
        return f"{self.cargo} ({self.nombre})"


class Reconocimiento(MaquinaDeEstados, models.Model):
    """A recognition's validity. Expiry is read from the clock wherever it matters (the daily task
    only records it, as ``vencido``); revocation is a step of the table whose date and reason are
    stored once, on the verifiable document the public verification page reads."""

    class Estado(models.TextChoices):
        VIGENTE = "vigente", _("Vigente")
        VENCIDO = "vencido", _("Vencido")
        REVOCADO = "revocado", _("Revocado")

    TRANSICIONES = {
        Estado.VIGENTE: {Estado.VENCIDO, Estado.REVOCADO},
        Estado.VENCIDO: {Estado.REVOCADO},
        Estado.REVOCADO: set(),
    }
    MENSAJE_TRANSICION = _("Un reconocimiento en estado «%(origen)s» no puede pasar a «%(destino)s».")

    dictamen = models.OneToOneField(Dictamen, on_delete=models.PROTECT, related_name="reconocimiento")
    documento = models.OneToOneField(DocumentoVerificable, on_delete=models.PROTECT, related_name="reconocimiento")
    vigente_desde = models.DateField(_("vigente desde"))
    vigente_hasta = models.DateField(_("vigente hasta"))
    estado = models.CharField(max_length=20, choices=Estado.choices, default=Estado.VIGENTE)
    aviso_vencimiento_en = models.DateTimeField(null=True, blank=True)
    # When the body was e-mailed the revocation (services.reconocimiento_avisar_revocacion), once.
    aviso_revocacion_en = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reconocimiento")
        verbose_name_plural = _("reconocimientos")
        constraints = [
            models.CheckConstraint(condition=models.Q(vigente_desde__lt=models.F("vigente_hasta")),
                                   name="reconocimiento_vigencia_valida"),
        ]
        # The catalogue's default order (most recent first): a page is read off the index.
        indexes = [models.Index(models.F("vigente_desde").desc(), models.F("id").desc(),
                                name="reconocimiento_recientes")]

    def __str__(self):
        return self.documento.folio

    def estado_efectivo(self, hoy=None) -> "Reconocimiento.Estado":
        """vigente, vencido or revocado as of today (local date), even before the daily task
        records an expiry: what every page says. The SQL twin is ``q_estado_efectivo``."""
        if self.estado == self.Estado.REVOCADO:
            return self.Estado.REVOCADO
        if self.estado == self.Estado.VENCIDO or (hoy or timezone.localdate()) > self.vigente_hasta:
            return self.Estado.VENCIDO
        return self.Estado.VIGENTE

    def get_estado_efectivo_display(self):
        return self.estado_efectivo().label

    @classmethod
    def q_estado_efectivo(cls, hoy) -> models.Case:
        """``estado_efectivo`` as an annotation (the catalogue's `estado_vigencia`)."""
        return models.Case(
            models.When(estado=cls.Estado.REVOCADO, then=models.Value(cls.Estado.REVOCADO.value)),
            models.When(models.Q(estado=cls.Estado.VENCIDO) | models.Q(vigente_hasta__lt=hoy),
                        then=models.Value(cls.Estado.VENCIDO.value)),
            default=models.Value(cls.Estado.VIGENTE.value), output_field=models.CharField(),
        )

    # Revocation lives on the document (one copy); these read it there.
    @property
    def revocado_en(self):
        return self.documento.revocado_en

    @property
    def motivo_revocacion(self):
        return self.documento.motivo_revocacion


class Notificacion(models.Model):
    """That a body was told its result: at most one per ruling."""

    dictamen = models.OneToOneField(Dictamen, on_delete=models.PROTECT, related_name="notificacion")
    destinatarios = models.TextField()
    enviada_en = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Aviso de {self.dictamen_id} a {self.destinatarios}"


class IndiceBusqueda(models.Model):
    """A recognised practice's full-text search document (see evaluacion/busqueda.py): written when
    its ruling is signed and by `reindexar_busqueda`. Never read on its own: searches always go
    through `catalogo.reconocimientos_publicos`, which applies the embargo."""

    practica = models.OneToOneField(Practica, on_delete=models.CASCADE, primary_key=True,
                                    related_name="indice_busqueda")
    # Lowercased, unaccented words (SQLite fallback); PostgreSQL searches `vector` (GIN, migration 0003).
    texto = models.TextField(blank=True)
    vector = SearchVectorField(null=True, editable=False)
    actualizado_en = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("índice de búsqueda")
        verbose_name_plural = _("índice de búsqueda")

    def __str__(self):
        return f"Índice de la práctica {self.practica_id}"
