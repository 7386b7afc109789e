"""Admin for superusers' catalogue upkeep. Survey answers are not shown here on purpose: results are
read in the panel, aggregated, so nobody browses single submissions next to the list of people."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Ciclo, Encuesta, Jornada, Participante, Pregunta, Registro


@admin.register(Ciclo)
class CicloAdmin(admin.ModelAdmin):
    list_display = ["nombre", "anio", "autoridad"]
    list_filter = ["autoridad", "anio"]
    search_fields = ["nombre"]
    prepopulated_fields = {"slug": ["nombre"]}


@admin.register(Jornada)
class JornadaAdmin(SimpleHistoryAdmin):
    list_display = ["titulo", "inicio", "coordinador", "modalidad", "publicada", "ciclo"]
    list_filter = ["autoridad", "ciclo", "modalidad", "publicada"]
    search_fields = ["titulo", "coordinador"]
    date_hierarchy = "inicio"
    prepopulated_fields = {"slug": ["titulo"]}


@admin.register(Participante)
class ParticipanteAdmin(admin.ModelAdmin):
    list_display = ["nombre", "correo", "sujeto", "cargo"]
    search_fields = ["nombre", "correo"]
    autocomplete_fields = ["sujeto"]


@admin.register(Registro)
class RegistroAdmin(SimpleHistoryAdmin):
    list_display = ["participante", "jornada", "canal", "asistio", "encuesta_respondida_en", "encuesta_invitada_en"]
    list_filter = ["jornada", "canal", "asistio"]
    search_fields = ["participante__nombre", "participante__correo"]
    raw_id_fields = ["participante"]
    exclude = ["token_encuesta"]
    readonly_fields = ["encuesta_respondida_en", "encuesta_invitada_en", "asistencia_marcada_en"]


class PreguntaInline(admin.TabularInline):
    model = Pregunta
    extra = 0


@admin.register(Encuesta)
class EncuestaAdmin(admin.ModelAdmin):
    list_display = ["titulo", "ciclo", "jornada", "activa", "cierre"]
    list_filter = ["autoridad", "activa"]
    inlines = [PreguntaInline]
