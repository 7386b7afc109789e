from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CartaCompromiso, PracticaComprometida


class PracticaComprometidaInline(admin.TabularInline):
    model = PracticaComprometida
    extra = 0
    fields = ("titulo", "area_responsable", "fecha_meta", "estado", "url_publicacion", "practica")
    readonly_fields = ("estado",)  # steps only through the services' state table
    raw_id_fields = ("practica",)


@admin.register(CartaCompromiso)
class CartaCompromisoAdmin(SimpleHistoryAdmin):
    list_display = ("sujeto", "autoridad", "fecha", "estado")
    list_filter = ("estado", "autoridad")
    search_fields = ("sujeto__nombre", "firmante_nombre")
    raw_id_fields = ("sujeto", "documento")
    readonly_fields = ("estado", "presentada_en", "revisada_en", "revisada_por", "motivo_devolucion")
    inlines = [PracticaComprometidaInline]
