"""Awareness sessions (jornadas de sensibilización): sessions, people and attendance, surveys
whose answers are stored apart from who answered, and certificates (constancias)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.errors import ErrorDominio
from core.estados import MaquinaDeEstados
from core.models import ArchivoGenerado, AutoridadGarante, DocumentoVerificable
from core.storage import private_storage
from core.templatetags.reconoce import fecha_hora
from practicas.models import SujetoObligado


class Ciclo(models.Model):
    """A series of sessions, e.g. "Jornadas de sensibilización 2023"."""

    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.PROTECT, related_name="ciclos")
    nombre = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    anio = models.PositiveSmallIntegerField(_("año"))
    descripcion = models.TextField(_("descripción"), blank=True)

    class Meta:
        verbose_name = _("ciclo de jornadas")
        verbose_name_plural = _("ciclos de jornadas")
        ordering = ["-anio", "nombre"]

    def __str__(self):
        return self.nombre


class Jornada(models.Model):
    class Modalidad(models.TextChoices):
        PRESENCIAL = "presencial", _("Presencial")
        VIRTUAL = "virtual", _("Virtual")
        MIXTA = "mixta", _("Mixta")

    class Fase(models.TextChoices):
        TEORICA = "teorica", _("Teórico-introductoria")
        PRACTICA = "practica", _("Práctico-operativa")

    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.PROTECT, related_name="jornadas")
    ciclo = models.ForeignKey(Ciclo, on_delete=models.PROTECT, null=True, blank=True, related_name="jornadas")
    numero = models.PositiveSmallIntegerField(_("número"), null=True, blank=True)
    titulo = models.CharField(_("título"), max_length=300)
    slug = models.SlugField(_("identificador"), max_length=120, unique=True)
    inicio = models.DateTimeField(_("fecha y hora de inicio"))
    fin = models.DateTimeField(_("fecha y hora de término"), null=True, blank=True)
    coordinador = models.CharField(_("coordinación"), max_length=200)
    cargo_coordinador = models.CharField(_("cargo de quien coordina"), max_length=200, blank=True)
    temas = models.TextField(_("temas"), blank=True, help_text=_("Uno por línea."))
    modalidad = models.CharField(_("modalidad"), max_length=20, choices=Modalidad.choices)
    sede = models.CharField(_("sede"), max_length=300, blank=True)
    enlace_virtual = models.URLField(_("enlace de la sesión virtual"), blank=True)
    cupo = models.PositiveIntegerField(_("cupo"), null=True, blank=True, help_text=_("Vacío: sin límite."))
    registro_abre = models.DateTimeField(_("abre el registro"), null=True, blank=True)
    registro_cierra = models.DateTimeField(_("cierra el registro"), null=True, blank=True)
    fase = models.CharField(_("fase"), max_length=20, choices=Fase.choices, blank=True)
    publicada = models.BooleanField(_("publicada"), default=False)
    constancia_requiere_encuesta = models.BooleanField(
        _("la constancia requiere responder la encuesta"), default=False
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jornada")
        verbose_name_plural = _("jornadas")
        ordering = ["inicio"]
        constraints = [
            models.CheckConstraint(condition=models.Q(fin__isnull=True) | models.Q(fin__gt=models.F("inicio")),
                                   name="jornada_fin_despues_de_inicio"),
        ]

    def __str__(self):
        return self.titulo

    def get_absolute_url(self):
        return reverse("jornadas:detalle", kwargs={"slug": self.slug})

    @property
    def temas_lista(self):
        return [t.strip() for t in self.temas.splitlines() if t.strip()]

    # What happens at the session (attendance, then the survey and the constancias) opens at its start.
    def ha_comenzado(self, ahora=None) -> bool:
        return (ahora or timezone.now()) >= self.inicio

    def verificar_comenzada(self, que: str, ahora=None) -> None:
        """Refuse, in Spanish, an act that needs the session to have started; `que` names it
        («la asistencia se registra»)."""
        if not self.ha_comenzado(ahora):
            raise ErrorDominio(gettext("La jornada aún no comienza (inicia el %(f)s): %(que)s a partir de su inicio.")
                               % {"f": fecha_hora(self.inicio), "que": que})


class Participante(models.Model):
    """A public servant, identified by e-mail across sessions."""

    nombre = models.CharField(_("nombre completo"), max_length=200)
    correo = models.EmailField(_("correo electrónico"))
    sujeto = models.ForeignKey(SujetoObligado, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="participantes", verbose_name=_("sujeto obligado"))
    cargo = models.CharField(_("cargo"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("participante")
        verbose_name_plural = _("participantes")
        ordering = ["nombre"]
        constraints = [models.UniqueConstraint(Lower("correo"), name="participante_correo_unico")]

    def __str__(self):
        return self.nombre


def _token():
    import secrets

    return secrets.token_urlsafe(24)


class Registro(models.Model):
    """One person in one session: registration, attendance, whether they were invited to the survey
    and whether they answered it (only *that* they answered; what they answered is kept apart and
    unlinked: see Encuesta)."""

    class Canal(models.TextChoices):
        EN_LINEA = "en_linea", _("Registro en línea")
        IMPORTACION = "importacion", _("Importación de lista")
        PERSONAL = "personal", _("Captura del personal")

    jornada = models.ForeignKey(Jornada, on_delete=models.PROTECT, related_name="registros")
    participante = models.ForeignKey(Participante, on_delete=models.PROTECT, related_name="registros")
    canal = models.CharField(max_length=20, choices=Canal.choices, default=Canal.EN_LINEA)
    registrado_en = models.DateTimeField(auto_now_add=True)
    asistio = models.BooleanField(_("asistió"), default=False)
    asistencia_marcada_en = models.DateTimeField(null=True, blank=True)
    token_encuesta = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    encuesta_respondida_en = models.DateField(null=True, blank=True)
    # First invitation e-mailed (once per person); resends are InvitacionEncuesta rows.
    encuesta_invitada_en = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["encuesta_respondida_en", "encuesta_invitada_en"])

    class Meta:
        verbose_name = _("registro")
        verbose_name_plural = _("registros")
        ordering = ["jornada", "participante__nombre"]
        constraints = [models.UniqueConstraint(fields=["jornada", "participante"], name="registro_unico")]
        indexes = [models.Index(fields=["jornada", "asistio"])]

    def __str__(self):
        return f"{self.participante} · {self.jornada}"


class Encuesta(models.Model):
    """A satisfaction survey for one session or a whole cycle; questions are data.

    Anonymity by construction: *that* someone answered (Registro.encuesta_respondida_en) is kept
    apart from *what* they answered, and nothing stored (field, id, date or physical row order)
    joins the two, even for someone holding the database and the access log:

    - The personal link /jornadas/encuesta/<token>/ only trades the token for a session value and
      redirects; the form is answered at one token-free URL, the same for everyone, and the access
      logger (config/gunicorn_registro.py) masks the token of the link too.
    - An answer is not written when it is submitted. It waits, sealed (jornadas.sobres, a key kept
      in the settings), in EnvioPendiente. When a session has JORNADAS_ENCUESTA_MINIMO (5) pending
      answers they are written together as RespuestaEncuesta/Respuesta rows in shuffled order and the
      envelopes deleted: each written row is one of at least five people, and its physical position
      (rowid, ctid) or random key says nothing about which.
    - Answers carry no date at all (the survey's period is the date); the survey's results day
      (`resultados_actualizados`) is the only time stamp, per survey.
    - Once a session's survey has closed, its answers still pending (fewer than the minimum) are
      written, when together they reach the minimum, as one group without session (jornada empty);
      until then they stay sealed and are counted as withheld.
    - Results and comments of any group smaller than the minimum are withheld wherever they are
      shown (selectors.resultados_encuesta is the one reader)."""

    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.PROTECT, related_name="encuestas")
    jornada = models.ForeignKey(Jornada, on_delete=models.PROTECT, null=True, blank=True, related_name="encuestas")
    ciclo = models.ForeignKey(Ciclo, on_delete=models.PROTECT, null=True, blank=True, related_name="encuestas")
    titulo = models.CharField(_("título"), max_length=200)
    activa = models.BooleanField(_("recibe respuestas"), default=True)
    cierre = models.DateTimeField(
        _("cierre de la encuesta"), null=True, blank=True,
        help_text=_("Después de esta fecha y hora no se reciben respuestas. Vacío: cada jornada cierra su encuesta "
                    "30 días después de terminar (JORNADAS_ENCUESTA_DIAS)."),
    )
    resultados_actualizados = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("encuesta")
        verbose_name_plural = _("encuestas")
        constraints = [
            models.CheckConstraint(condition=models.Q(jornada__isnull=False) | models.Q(ciclo__isnull=False),
                                   name="encuesta_de_jornada_o_ciclo"),
        ]

    def __str__(self):
        return self.titulo


class Pregunta(models.Model):
    class Tipo(models.TextChoices):
        UNICA = "unica", _("Opción única")
        MULTIPLE = "multiple", _("Opción múltiple")
        ESCALA = "escala", _("Escala de satisfacción 1 a 5")
        TEXTO = "texto", _("Texto libre")

    encuesta = models.ForeignKey(Encuesta, on_delete=models.CASCADE, related_name="preguntas")
    orden = models.PositiveSmallIntegerField(default=0)
    texto = models.CharField(_("pregunta"), max_length=500)
    tipo = models.CharField(_("tipo"), max_length=20, choices=Tipo.choices)
    opciones = models.JSONField(_("opciones"), default=list, blank=True, help_text=_("Para opción única o múltiple."))
    obligatoria = models.BooleanField(_("obligatoria"), default=True)

    class Meta:
        ordering = ["encuesta", "orden", "pk"]

    def __str__(self):
        return self.texto


class RespuestaEncuesta(models.Model):
    """One anonymous submission, written in a shuffled group of at least JORNADAS_ENCUESTA_MINIMO
    (see Encuesta). No link to a person, no date: a random key, the survey and the session (empty for
    the answers of sessions that closed with fewer than the minimum, grouped together)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    encuesta = models.ForeignKey(Encuesta, on_delete=models.PROTECT, related_name="respuestas")
    jornada = models.ForeignKey(Jornada, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="respuestas_encuesta")

    class Meta:
        verbose_name = _("respuesta a la encuesta")
        verbose_name_plural = _("respuestas a la encuesta")

    def __str__(self):
        return f"{self.encuesta} · {self.jornada or _('otras jornadas')}"


class EnvioPendiente(models.Model):
    """A submitted answer waiting for its group: sealed (jornadas.sobres), so the database alone
    cannot read it; the session and the answers are inside the envelope."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    encuesta = models.ForeignKey(Encuesta, on_delete=models.PROTECT, related_name="pendientes")
    sobre = models.TextField()

    class Meta:
        verbose_name = _("respuesta pendiente de agruparse")
        verbose_name_plural = _("respuestas pendientes de agruparse")

    def __str__(self):
        return str(self.id)


class Respuesta(models.Model):
    """An answer to one question: the chosen option (one row per option for multiple choice),
    the 1–5 value, or the free text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    envio = models.ForeignKey(RespuestaEncuesta, on_delete=models.CASCADE, related_name="respuestas")
    pregunta = models.ForeignKey(Pregunta, on_delete=models.PROTECT, related_name="respuestas")
    opcion = models.CharField(max_length=300, blank=True)
    valor = models.PositiveSmallIntegerField(null=True, blank=True)
    texto = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(valor__isnull=True) | models.Q(valor__gte=1, valor__lte=5),
                                   name="respuesta_valor_1_a_5"),
        ]

    def __str__(self):
        return self.opcion or self.texto[:40] or str(self.valor)


class InvitacionEncuesta(models.Model):
    """One sending of the survey link for a session: the first invitation or an explicit resend,
    who sent it, when and to how many."""

    jornada = models.ForeignKey(Jornada, on_delete=models.PROTECT, related_name="invitaciones_encuesta")
    enviada_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enviada_en = models.DateTimeField(auto_now_add=True)
    destinatarios = models.PositiveIntegerField(default=0)
    reenvio = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("envío de la invitación a la encuesta")
        verbose_name_plural = _("envíos de la invitación a la encuesta")
        ordering = ["-enviada_en", "-pk"]

    def __str__(self):
        return f"{self.jornada} · {self.enviada_en:%Y-%m-%d %H:%M} · {self.destinatarios}"


class PlantillaConstancia(models.Model):
    """What a constancia says, edited by staff. Texts may use {nombre}, {sujeto}, {del_sujeto} («del
    Ayuntamiento de Metepec», core.articulos), {jornada}, {fecha}, {horario} («de las 10:00 a las
    12:00 h (2 horas)»), {duracion} («2 horas»), {coordinador}; nothing else is evaluated (no template code from
    the database)."""

    autoridad = models.OneToOneField(AutoridadGarante, on_delete=models.CASCADE, related_name="plantilla_constancia")
    titulo = models.CharField(_("título"), max_length=200, default="Constancia de participación")
    cuerpo = models.TextField(
        _("texto"),
        default="Se otorga la presente constancia a {nombre}, {del_sujeto}, por su participación en la "
                "{jornada}, celebrada el {fecha}, {horario}, bajo la coordinación de {coordinador}.",
    )
    pie = models.TextField(_("pie"), blank=True)
    firmantes = models.JSONField(_("firmantes"), default=list, blank=True,
                                 help_text=_("Lista de {\"nombre\": …, \"cargo\": …}."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plantilla de constancia")
        verbose_name_plural = _("plantillas de constancia")

    def __str__(self):
        return f"{self.titulo} ({self.autoridad.siglas})"


def _lote_ruta(instance, filename):
    return f"lotes/{instance.pk}/{uuid.uuid4().hex}-{filename}"


class LoteConstancias(MaquinaDeEstados, models.Model):
    """One issuing action over a session or a cycle; workers fill it chunk by chunk."""

    class Estado(models.TextChoices):
        EN_PROCESO = "en_proceso", _("En proceso")
        TERMINADO = "terminado", _("Terminado")
        CON_ERRORES = "con_errores", _("Con errores")

    # Closed when nothing is pending; reopened when staff retry its failed documents.
    TRANSICIONES = {
        Estado.EN_PROCESO: {Estado.TERMINADO, Estado.CON_ERRORES},
        Estado.TERMINADO: {Estado.EN_PROCESO},
        Estado.CON_ERRORES: {Estado.EN_PROCESO},
    }
    MENSAJE_TRANSICION = _("Un lote de constancias en estado «%(origen)s» no puede pasar a «%(destino)s».")

    autoridad = models.ForeignKey(AutoridadGarante, on_delete=models.PROTECT, related_name="lotes_constancias")
    jornada = models.ForeignKey(Jornada, on_delete=models.PROTECT, null=True, blank=True, related_name="lotes")
    ciclo = models.ForeignKey(Ciclo, on_delete=models.PROTECT, null=True, blank=True, related_name="lotes")
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creado_en = models.DateTimeField(auto_now_add=True)
    total = models.PositiveIntegerField(default=0)
    estado = models.CharField(max_length=20, choices=Estado.choices, default=Estado.EN_PROCESO)
    terminado_en = models.DateTimeField(null=True, blank=True)
    # When staff last asked to resume it: the clock of "detenido" starts again from here.
    reanudado_en = models.DateTimeField(null=True, blank=True)
    zip = models.FileField(upload_to=_lote_ruta, storage=private_storage, blank=True)
    pdf_unido = models.FileField(upload_to=_lote_ruta, storage=private_storage, blank=True)

    class Meta:
        verbose_name = _("lote de constancias")
        verbose_name_plural = _("lotes de constancias")
        ordering = ["-creado_en"]

    def __str__(self):
        return f"Lote {self.pk} ({self.total})"


class Constancia(models.Model):
    registro = models.OneToOneField(Registro, on_delete=models.PROTECT, related_name="constancia")
    documento = models.OneToOneField(DocumentoVerificable, on_delete=models.PROTECT, related_name="constancia")
    lote = models.ForeignKey(LoteConstancias, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="constancias")
    avisada_en = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("constancia de participación")
        verbose_name_plural = _("constancias de participación")

    def __str__(self):
        return self.documento.folio


class InformeCiclo(ArchivoGenerado):
    """The PDF of a cycle's report for one version of its content (``huella``, a hash of what it
    says): when the numbers change the hash changes, so a stale PDF is never offered."""

    TIPO_DOCUMENTO = "informe_ciclo"

    ciclo = models.ForeignKey(Ciclo, on_delete=models.CASCADE, related_name="informes")
    huella = models.CharField(_("huella del contenido"), max_length=32)

    class Meta(ArchivoGenerado.Meta):
        verbose_name = _("informe del ciclo (PDF)")
        verbose_name_plural = _("informes de ciclo (PDF)")
        constraints = [
            *ArchivoGenerado.Meta.constraints,
            models.UniqueConstraint(fields=["ciclo", "huella"], name="informe_ciclo_huella_unico"),
        ]

    def __str__(self):
        return f"Informe {self.ciclo_id}/{self.huella}"

    def ruta_archivo(self) -> str:
        # The download view finds the file by cycle and hash.
        return f"jornadas/informes/{self.ciclo_id}/{self.huella}.pdf"
