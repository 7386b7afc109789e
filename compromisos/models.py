"""Cartas compromiso: a body's signed, public commitment to produce new proactive-transparency
practices, addressed to its guarantor authority, and the follow-up of each committed practice until
it is published, submitted to a call and recognised.

Two state machines (core.estados): the letter's review (borrador → presentada → aceptada, or
devuelta with reasons and presented again) and each committed practice's progress. «Vencida» is
time-driven: read from the clock wherever it matters (``estado_efectivo``); the daily task only
records it. «Reconocida» is only ever set by the system, when the linked practice's recognition is
published."""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.estados import MaquinaDeEstados
from core.models import AutoridadGarante, DocumentoVerificable
from core.storage import private_storage
from practicas.models import Practica, SujetoObligado


def _carta_firmada_ruta(instance, filename):
    return f"cartas-compromiso/{instance.sujeto_id}/{uuid.uuid4().hex}.pdf"


class CartaCompromiso(MaquinaDeEstados, models.Model):
    class Estado(models.TextChoices):
        BORRADOR = "borrador", _("Borrador")
        PRESENTADA = "presentada", _("Presentada")
        ACEPTADA = "aceptada", _("Aceptada")
        DEVUELTA = "devuelta", _("Devuelta")

    TRANSICIONES = {
        Estado.BORRADOR: {Estado.PRESENTADA},
        Estado.PRESENTADA: {Estado.ACEPTADA, Estado.DEVUELTA},
        Estado.DEVUELTA: {Estado.PRESENTADA},
        Estado.ACEPTADA: set(),
    }
    MENSAJE_TRANSICION = _("Una carta compromiso en estado «%(origen)s» no puede pasar a «%(destino)s».")

    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.PROTECT, related_name="cartas_compromiso",
                                  verbose_name=_("autoridad garante"))
    sujeto = models.ForeignKey(SujetoObligado, on_delete=models.PROTECT, related_name="cartas_compromiso",
                               verbose_name=_("sujeto obligado"))
    firmante_nombre = models.CharField(_("nombre de quien firma"), max_length=200)
    firmante_cargo = models.CharField(_("cargo de quien firma"), max_length=200)
    fecha = models.DateField(_("fecha de la carta"))
    carta_firmada = models.FileField(_("carta firmada (PDF)"), upload_to=_carta_firmada_ruta,
                                     storage=private_storage, blank=True, max_length=300)
    carta_firmada_sha256 = models.CharField(max_length=64, blank=True)
    estado = models.CharField(_("estado"), max_length=20, choices=Estado.choices, default=Estado.BORRADOR)
    motivo_devolucion = models.TextField(_("motivos de la devolución"), blank=True)
    # The «Formato carta compromiso» the portal generates (a verifiable document, with code and QR).
    documento = models.OneToOneField(DocumentoVerificable, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="carta_compromiso")
    creada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creada_en = models.DateTimeField(auto_now_add=True)
    actualizada_en = models.DateTimeField(auto_now=True)
    presentada_en = models.DateTimeField(_("presentada el"), null=True, blank=True)
    revisada_en = models.DateTimeField(_("revisada el"), null=True, blank=True)
    revisada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    # What the generated format said (letter, practices, the authority's texts): a change while the
    # letter is still editable replaces the document.
    documento_huella = models.CharField(max_length=64, blank=True)
    # The authority's texts as they were when the format was generated: a rebuild of the PDF (the
    # sweep, after a lost file) says what the signed letter said, whatever the format says today.
    documento_textos = models.JSONField(default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("carta compromiso")
        verbose_name_plural = _("cartas compromiso")
        ordering = ["-fecha", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(estado="borrador") | models.Q(presentada_en__isnull=False),
                name="carta_presentada_con_fecha"),
            models.CheckConstraint(
                condition=~models.Q(estado__in=["aceptada", "devuelta"]) | models.Q(revisada_en__isnull=False),
                name="carta_revisada_con_fecha"),
            models.CheckConstraint(
                condition=~models.Q(estado="devuelta") | ~models.Q(motivo_devolucion=""),
                name="carta_devuelta_con_motivo"),
            models.CheckConstraint(
                condition=~models.Q(estado__in=["presentada", "aceptada"]) | ~models.Q(carta_firmada=""),
                name="carta_presentada_con_firma"),
        ]

    def __str__(self):
        return _("Carta compromiso de %(sujeto)s (%(fecha)s)") % {
            "sujeto": self.sujeto, "fecha": self.fecha.strftime("%d/%m/%Y")}

    def get_absolute_url(self):
        return reverse("compromisos:carta", kwargs={"pk": self.pk})

    @property
    def editable(self) -> bool:
        """The body may still change what it commits to: before it is presented, or once returned."""
        return self.estado in (self.Estado.BORRADOR, self.Estado.DEVUELTA)

    @property
    def es_publica(self) -> bool:
        return self.estado == self.Estado.ACEPTADA


class PracticaComprometida(MaquinaDeEstados, models.Model):
    class Estado(models.TextChoices):
        COMPROMETIDA = "comprometida", _("Comprometida")
        EN_ELABORACION = "en_elaboracion", _("En elaboración")
        PUBLICADA = "publicada", _("Publicada")
        POSTULADA = "postulada", _("Postulada")
        RECONOCIDA = "reconocida", _("Reconocida")
        VENCIDA = "vencida", _("Vencida")

    # What the enlace (or staff) may record; «reconocida» only the system, at the recognition's
    # publication; «vencida» the daily task, past the target date. A late practice can still be
    # published and submitted; a submission that comes to nothing goes back to «publicada».
    TRANSICIONES = {
        Estado.COMPROMETIDA: {Estado.EN_ELABORACION, Estado.PUBLICADA, Estado.POSTULADA, Estado.VENCIDA},
        Estado.EN_ELABORACION: {Estado.PUBLICADA, Estado.POSTULADA, Estado.VENCIDA},
        Estado.VENCIDA: {Estado.EN_ELABORACION, Estado.PUBLICADA, Estado.POSTULADA},
        Estado.PUBLICADA: {Estado.POSTULADA},
        Estado.POSTULADA: {Estado.RECONOCIDA, Estado.PUBLICADA},
        Estado.RECONOCIDA: set(),
    }
    MENSAJE_TRANSICION = _("Una práctica comprometida en estado «%(origen)s» no puede pasar a «%(destino)s».")
    # The states a person records from the follow-up form.
    ESTADOS_MANUALES = (Estado.EN_ELABORACION, Estado.PUBLICADA, Estado.POSTULADA)
    # Still to be delivered: what «vencida» and the reminders are about.
    ABIERTOS = (Estado.COMPROMETIDA, Estado.EN_ELABORACION)

    carta = models.ForeignKey(CartaCompromiso, on_delete=models.CASCADE, related_name="practicas")
    titulo = models.CharField(_("título o tema de la práctica"), max_length=300)
    necesidad = models.TextField(_("necesidad de información que atenderá"))
    area_responsable = models.CharField(_("área responsable"), max_length=300)
    fecha_meta = models.DateField(_("fecha compromiso"))
    estado = models.CharField(_("estado"), max_length=20, choices=Estado.choices, default=Estado.COMPROMETIDA)
    url_publicacion = models.URLField(_("dirección (URL) donde se publica"), max_length=500, blank=True)
    practica = models.ForeignKey(Practica, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="compromisos", verbose_name=_("práctica postulada"))
    actualizada_en = models.DateTimeField(auto_now=True)
    reconocida_en = models.DateTimeField(null=True, blank=True)
    # When the body was last reminded of the target date (each reminder sent is an AvisoCompromiso).
    recordatorio_en = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("práctica comprometida")
        verbose_name_plural = _("prácticas comprometidas")
        ordering = ["fecha_meta", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(estado="publicada") | ~models.Q(url_publicacion=""),
                name="comprometida_publicada_con_url"),
            models.CheckConstraint(
                condition=~models.Q(estado__in=["postulada", "reconocida"]) | models.Q(practica__isnull=False),
                name="comprometida_postulada_con_practica"),
            models.CheckConstraint(
                condition=~models.Q(estado="reconocida") | models.Q(reconocida_en__isnull=False),
                name="comprometida_reconocida_con_fecha"),
        ]

    def __str__(self):
        return self.titulo

    def estado_efectivo(self, hoy=None) -> "PracticaComprometida.Estado":
        """The state every page shows: past its target date and still undelivered, «vencida», even
        before the daily task records it."""
        if self.estado in self.ABIERTOS and (hoy or timezone.localdate()) > self.fecha_meta:
            return self.Estado.VENCIDA
        return self.Estado(self.estado)

    def get_estado_efectivo_display(self) -> str:
        return self.estado_efectivo().label

    @classmethod
    def q_estado_efectivo(cls, hoy) -> models.Case:
        """``estado_efectivo`` as an annotation, for counts per state."""
        return models.Case(
            models.When(models.Q(estado__in=cls.ABIERTOS, fecha_meta__lt=hoy), then=models.Value(cls.Estado.VENCIDA.value)),
            default=models.F("estado"), output_field=models.CharField(),
        )


class FormatoCarta(models.Model):
    """The authority's «Formato carta compromiso»: the texts around the body's data in the PDF the
    portal generates. Plain text (no template code from the database); a letter already generated
    keeps what it said."""

    autoridad = models.OneToOneField(AutoridadGarante, on_delete=models.CASCADE, related_name="formato_carta",
                                     verbose_name=_("autoridad garante"))
    encabezado = models.CharField(_("título del formato"), max_length=200, default="Carta compromiso")
    texto_compromiso = models.TextField(
        _("texto del compromiso"),
        default=(
            "Por medio de la presente, manifestamos de manera voluntaria nuestra voluntad de impulsar la "
            "transparencia proactiva al interior de nuestra institución. Esta carta es un instrumento simbólico: "
            "con ella asumimos el compromiso de generar y publicar las nuevas prácticas de transparencia "
            "proactiva que se enlistan a continuación, en las fechas señaladas, para atender necesidades de "
            "información de las personas."
        ),
    )
    pie = models.TextField(
        _("pie"), blank=True,
        default=("Daremos seguimiento a cada práctica en el portal y, cuando esté lista, la postularemos a las "
                 "convocatorias de reconocimiento del órgano garante."),
    )
    actualizado_en = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("formato de carta compromiso")
        verbose_name_plural = _("formatos de carta compromiso")

    def __str__(self):
        return f"{self.encabezado} ({self.autoridad.siglas})"


class AvisoCompromiso(models.Model):
    """One notice sent to a body about its letter: before a target date (per committed practice and
    threshold), at a call's opening (per letter and call), or the authority's review (per review).
    The unique constraints make each one go out once, whoever sends it first."""

    class Tipo(models.TextChoices):
        META_30 = "meta_30", _("30 días antes de la fecha compromiso")
        META_7 = "meta_7", _("7 días antes de la fecha compromiso")
        CONVOCATORIA = "convocatoria", _("Apertura de una convocatoria")
        ACEPTADA = "aceptada", _("Carta aceptada")
        DEVUELTA = "devuelta", _("Carta devuelta")

    METAS = (Tipo.META_30, Tipo.META_7)
    REVISIONES = (Tipo.ACEPTADA, Tipo.DEVUELTA)

    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    carta = models.ForeignKey(CartaCompromiso, on_delete=models.CASCADE, related_name="avisos")
    compromiso = models.ForeignKey(PracticaComprometida, on_delete=models.CASCADE, null=True, blank=True,
                                   related_name="avisos")
    convocatoria = models.ForeignKey("convocatorias.Convocatoria", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+")
    # The review it announces (the letter's revisada_en): a letter returned twice is told twice.
    revision_en = models.DateTimeField(null=True, blank=True)
    enviado_en = models.DateTimeField(_("enviado el"))

    class Meta:
        verbose_name = _("aviso de carta compromiso")
        verbose_name_plural = _("avisos de cartas compromiso")
        constraints = [
            models.UniqueConstraint(fields=["compromiso", "tipo"], condition=models.Q(compromiso__isnull=False),
                                    name="aviso_compromiso_unico"),
            models.UniqueConstraint(fields=["carta", "convocatoria"], condition=models.Q(convocatoria__isnull=False),
                                    name="aviso_convocatoria_unico"),
            models.UniqueConstraint(fields=["carta", "tipo", "revision_en"],
                                    condition=models.Q(revision_en__isnull=False), name="aviso_revision_unico"),
            models.CheckConstraint(
                condition=(models.Q(tipo__in=["meta_30", "meta_7"], compromiso__isnull=False,
                                    convocatoria__isnull=True, revision_en__isnull=True)
                           | models.Q(tipo="convocatoria", convocatoria__isnull=False, compromiso__isnull=True,
                                      revision_en__isnull=True)
                           | models.Q(tipo__in=["aceptada", "devuelta"], revision_en__isnull=False,
                                      compromiso__isnull=True, convocatoria__isnull=True)),
                name="aviso_con_su_objeto"),
        ]

    def __str__(self):
        return f"{self.get_tipo_display()} · {self.carta_id}"
