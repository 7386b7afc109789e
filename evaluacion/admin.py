"""Judging records are read in the admin, never written there: every change goes through the
services (state machines, signatures, history). Signed rulings also refuse saves in the model; the
admin never tries (core.admin.SoloLecturaAdmin answers a save with a message)."""

from django.contrib import admin
from django.utils.translation import gettext as _

from core.admin import SoloConsulta, SoloLecturaAdmin

from .models import (
    Admisibilidad,
    Calificacion,
    Dictamen,
    Evaluacion,
    Reconocimiento,
    Recusa,
    SustitucionJurado,
)


@admin.register(Admisibilidad)
class AdmisibilidadAdmin(SoloLecturaAdmin):
    list_display = ("practica", "resultado", "preseleccionada", "verificada_en")
    list_filter = ("resultado", "preseleccionada")
    list_select_related = ("practica",)


@admin.register(Recusa)
class RecusaAdmin(SoloLecturaAdmin):
    list_display = ("miembro", "practica", "declarada_en")


@admin.register(Evaluacion)
class EvaluacionAdmin(SoloLecturaAdmin):
    list_display = ("miembro", "practica", "estado", "total", "enviada_en")
    list_filter = ("estado",)
    list_select_related = ("miembro", "practica")


@admin.register(Calificacion)
class CalificacionAdmin(SoloLecturaAdmin):
    list_display = ("evaluacion", "criterio", "puntaje")


@admin.register(Dictamen)
class DictamenAdmin(SoloLecturaAdmin):
    list_display = ("folio", "practica", "estado", "decision", "fecha")
    list_filter = ("estado", "decision")
    list_select_related = ("practica",)

    def mensaje_solo_lectura(self, obj) -> str:
        if obj is not None and obj.estado == Dictamen.Estado.FIRMADO:
            return _("El dictamen está firmado: es definitivo e inapelable. No admite cambios.")
        return super().mensaje_solo_lectura(obj)


@admin.register(Reconocimiento)
class ReconocimientoAdmin(SoloLecturaAdmin):
    list_display = ("documento", "estado", "vigente_desde", "vigente_hasta")
    list_filter = ("estado",)
    list_select_related = ("documento",)


@admin.register(SustitucionJurado)
class SustitucionJuradoAdmin(SoloConsulta, admin.ModelAdmin):
    """Recorded in the panel (Sustituir a un integrante); read here, never written (no history of its
    own: the act is the record)."""

    list_display = ("miembro", "cuenta_anterior", "cuenta_nueva", "por", "en")
    list_select_related = ("miembro", "cuenta_anterior", "cuenta_nueva", "por")
