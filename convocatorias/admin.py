"""Django admin for calls. States change only through the panel's services (the transition
table), so ``estado`` is read-only here; criteria are read-only once the call has opened."""

from django import forms
from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Convocatoria, Criterio, DocumentoConvocatoria, MiembroJurado


class CriterioInline(admin.TabularInline):
    model = Criterio
    extra = 0
    fields = ("numero", "nombre", "descripcion", "peso")

    def _congelado(self, obj):
        return obj is not None and obj.criterios_congelados

    def has_add_permission(self, request, obj=None):
        return not self._congelado(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._congelado(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._congelado(obj) and super().has_delete_permission(request, obj)


class MiembroJuradoInline(admin.TabularInline):
    model = MiembroJurado
    extra = 0
    fields = ("orden", "cargo", "nombre", "usuario")
    autocomplete_fields = ["usuario"]


class DocumentoInline(admin.TabularInline):
    model = DocumentoConvocatoria
    extra = 0
    fields = ("orden", "titulo", "archivo", "descargar")
    readonly_fields = ("descargar",)
    # Private storage has no URL: a plain file input never asks the file for one.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}

    @admin.display(description=_("archivo actual"))
    def descargar(self, obj):
        if not obj.pk or not obj.archivo:
            return "—"
        url = reverse("convocatorias:documento", kwargs={"slug": obj.convocatoria.slug, "pk": obj.pk})
        return format_html('<a href="{}">{}</a>', url, obj.archivo.name.rsplit("/", 1)[-1])


@admin.register(Convocatoria)
class ConvocatoriaAdmin(SimpleHistoryAdmin):
    list_display = ("titulo", "autoridad", "anio", "estado", "fecha_cierre")
    list_filter = ("estado", "autoridad", "anio")
    search_fields = ("titulo", "slug", "prefijo_folio")
    list_select_related = ("autoridad",)
    readonly_fields = ("estado", "publicada_en", "ultimo_consecutivo", "admisibilidad_liberada_en",
                       "calificacion_cerrada_en", "resultados_notificados_en", "creada_en", "actualizada_en")
    inlines = [CriterioInline, MiembroJuradoInline, DocumentoInline]
    fieldsets = (
        (None, {"fields": ("autoridad", "titulo", "slug", "anio", "prefijo_folio", "estado", "publicada_en")}),
        (_("Fechas"), {"fields": ("fecha_apertura", "fecha_cierre", "fecha_resultados")}),
        (_("Contenido"), {"fields": ("objetivo", "fundamento_legal", "participantes", "requisitos")}),
        (_("Entrega"), {"fields": ("modalidades_entrega", "domicilio_entrega", "correos_entrega",
                                   "correo_contacto")}),
        (_("Calificación y vigencia"), {"fields": ("escala_min", "escala_max", "umbral", "vigencia_meses")}),
        (_("Control"), {"fields": ("ultimo_consecutivo", "admisibilidad_liberada_en", "calificacion_cerrada_en",
                                   "resultados_notificados_en", "creada_en", "actualizada_en")}),
    )

    def get_readonly_fields(self, request, obj=None):
        campos = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The same table the services follow: what the call's state no longer lets change.
            editables = services.campos_editables(obj)
            campos += [c for c in services.CAMPOS_CONVOCATORIA if c not in editables]
            if obj.calificacion_cerrada:
                campos.append("fecha_resultados")
        return list(dict.fromkeys(campos))

    def get_prepopulated_fields(self, request, obj=None):
        if obj is not None and obj.criterios_congelados:
            return {}
        return {"slug": ("titulo",)}
