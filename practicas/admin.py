"""Django admin for the practices' catalogues and records. What services own (folios, states,
analysed supports, acuse PDFs) is read-only here."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.errors import ErrorDominio

from . import services
from .models import Acuse, Enlace, Evidencia, Municipio, Practica, Soporte, SujetoObligado


@admin.register(Municipio)
class MunicipioAdmin(admin.ModelAdmin):
    list_display = ("cvegeo", "nombre", "entidad")
    list_filter = ("entidad",)
    search_fields = ("cvegeo", "nombre", "entidad")


@admin.register(SujetoObligado)
class SujetoObligadoAdmin(SimpleHistoryAdmin):
    list_display = ("nombre", "siglas", "orden", "tipo", "municipio", "activo")
    list_filter = ("orden", "tipo", "activo", "entidad_clave")
    search_fields = ("nombre", "siglas")
    list_select_related = ("municipio",)
    autocomplete_fields = ["municipio"]


@admin.register(Enlace)
class EnlaceAdmin(SimpleHistoryAdmin):
    list_display = ("usuario", "sujeto", "cargo", "estado", "solicitado_en", "resuelto_en")
    list_filter = ("estado",)
    search_fields = ("usuario__email", "usuario__first_name", "usuario__last_name", "sujeto__nombre")
    list_select_related = ("usuario", "sujeto")
    autocomplete_fields = ["usuario", "sujeto"]
    # The request is resolved in the panel (enlace_resolver follows Enlace.TRANSICIONES), never here.
    readonly_fields = ("estado", "motivo", "solicitado_en", "resuelto_en", "resuelto_por")


def _enlace_archivo(url, nombre):
    return format_html('<a href="{}">{}</a>', url, nombre)


class EvidenciaInline(admin.TabularInline):
    model = Evidencia
    extra = 0
    fields = ("criterio", "texto")
    readonly_fields = ("criterio", "texto")
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class SoporteInline(admin.TabularInline):
    model = Soporte
    extra = 0
    fields = ("criterio", "tipo", "descargar", "formato", "es_datos_abiertos", "tamano")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("soporte"))
    def descargar(self, obj):
        if obj.tipo == Soporte.Tipo.ENLACE:
            return _enlace_archivo(obj.url, obj.url)
        return _enlace_archivo(reverse("practicas:soporte", kwargs={"pk": obj.pk}), obj.nombre_original)


@admin.register(Practica)
class PracticaAdmin(SimpleHistoryAdmin):
    list_display = ("folio", "nombre", "sujeto", "convocatoria", "estado", "canal", "enviada_en")
    list_filter = ("estado", "canal", "convocatoria")
    search_fields = ("folio", "nombre", "sujeto__nombre")
    list_select_related = ("sujeto", "convocatoria")
    autocomplete_fields = ["sujeto", "creada_por"]
    readonly_fields = ("convocatoria", "estado", "canal", "folio", "consecutivo", "enviada_en", "capturada_en", "enviada_por",
                       "retirada_en", "creada_por", "creada_en", "actualizada_en")
    inlines = [EvidenciaInline, SoporteInline]

    def get_readonly_fields(self, request, obj=None):
        campos = list(super().get_readonly_fields(request, obj))
        if obj is not None and not obj.es_borrador:
            # A sent practice is frozen: its content is what the folio and the acuse certify.
            campos += [f.name for f in Practica._meta.fields if f.name not in campos and f.name != "id"]
        return campos

    def has_add_permission(self, request):
        # Practices are created through the portal (or the panel's intake), never here.
        return False


@admin.register(Soporte)
class SoporteAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "practica", "tipo", "formato", "es_datos_abiertos", "tamano", "subido_en")
    list_filter = ("tipo", "es_datos_abiertos", "formato")
    search_fields = ("nombre_original", "url", "practica__folio", "practica__nombre")
    list_select_related = ("practica",)
    fields = ("practica", "criterio", "tipo", "descargar", "nombre_original", "formato", "mime", "tamano",
              "sha256", "es_datos_abiertos", "nota_formato", "descripcion", "subido_en", "subido_por")
    readonly_fields = tuple(f for f in fields if f != "descripcion")

    def has_add_permission(self, request):
        # Files are analysed on upload by the service; the admin cannot add them.
        return False

    @admin.display(description=_("soporte"))
    def descargar(self, obj):
        if obj.tipo == Soporte.Tipo.ENLACE:
            return _enlace_archivo(obj.url, obj.url)
        return _enlace_archivo(reverse("practicas:soporte", kwargs={"pk": obj.pk}), obj.nombre_original)


@admin.register(Acuse)
class AcuseAdmin(admin.ModelAdmin):
    list_display = ("__str__", "estado_pdf", "intentos", "generado_en", "actualizado_en")
    list_filter = ("estado_pdf",)
    search_fields = ("practica__folio",)
    list_select_related = ("practica",)
    fields = ("practica", "estado_pdf", "descargar", "sha256", "intentos", "error", "generado_en", "actualizado_en")
    readonly_fields = fields
    actions = ["reintentar"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("archivo"))
    def descargar(self, obj):
        if obj.estado_pdf != Acuse.Estado.LISTA:
            return "—"
        return _enlace_archivo(reverse("practicas:acuse", kwargs={"pk": obj.practica_id}), _("Descargar PDF"))

    @admin.action(description=_("Volver a generar los acuses seleccionados"))
    def reintentar(self, request, queryset):
        hechos = 0
        for acuse in queryset.exclude(estado_pdf=Acuse.Estado.LISTA):
            try:
                services.acuse_reintentar(acuse=acuse)
            except ErrorDominio as exc:
                self.message_user(request, exc.mensaje, messages.WARNING)
            else:
                hechos += 1
        self.message_user(request, _("Se solicitaron de nuevo %(n)s acuses.") % {"n": hechos}, messages.SUCCESS)
