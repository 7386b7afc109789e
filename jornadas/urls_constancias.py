"""Panel routes for constancias (namespace "panel", under /panel/)."""

from django.urls import path

from . import views_constancias as v

urlpatterns = [
    path("constancias/", v.inicio, name="constancias"),
    path("constancias/plantilla/<slug:slug>/", v.plantilla, name="constancias_plantilla"),
    path("constancias/plantilla/<slug:slug>/vista-previa.pdf", v.vista_previa, name="constancias_vista_previa"),
    path("constancias/lotes/<int:pk>/", v.lote, name="constancias_lote"),
    path("constancias/lotes/<int:pk>/progreso/", v.lote_progreso, name="constancias_lote_progreso"),
    path("constancias/lotes/<int:pk>/constancias.zip", v.lote_zip, name="constancias_lote_zip"),
    path("constancias/lotes/<int:pk>/constancias.pdf", v.lote_pdf, name="constancias_lote_pdf"),
    path("constancias/lotes/<int:pk>/reintentar/", v.lote_reintentar, name="constancias_lote_reintentar"),
    path("constancias/lotes/<int:pk>/reanudar/", v.lote_reanudar, name="constancias_lote_reanudar"),
    path("constancias/<int:pk>/revocar/", v.revocar, name="constancias_revocar"),
    path("jornadas/<slug:slug>/constancias/", v.jornada, name="constancias_jornada"),
    path("jornadas/<slug:slug>/constancias.csv", v.jornada_exportar, {"formato": "csv"},
         name="constancias_jornada_csv"),
    path("jornadas/<slug:slug>/constancias.xlsx", v.jornada_exportar, {"formato": "xlsx"},
         name="constancias_jornada_xlsx"),
    path("jornadas/<slug:slug>/constancias/emitir/", v.jornada_emitir, name="constancias_jornada_emitir"),
    path("jornadas/ciclos/<slug:slug>/constancias/", v.ciclo, name="constancias_ciclo"),
    path("jornadas/ciclos/<slug:slug>/constancias/emitir/", v.ciclo_emitir, name="constancias_ciclo_emitir"),
]
