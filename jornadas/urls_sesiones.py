"""Panel routes for sessions, attendance, survey results and the report (namespace "panel")."""

from django.urls import path

from . import views_sesiones as v

urlpatterns = [
    path("jornadas/", v.jornadas, name="jornadas"),
    path("jornadas/ciclos/nuevo/", v.ciclo_form, name="jornadas_ciclo_nuevo"),
    path("jornadas/ciclos/<slug:slug>/editar/", v.ciclo_form, name="jornadas_ciclo_editar"),
    path("jornadas/ciclos/<slug:slug>/eliminar/", v.ciclo_eliminar, name="jornadas_ciclo_eliminar"),
    path("jornadas/ciclos/<slug:slug>/resultados/", v.resultados_ciclo, name="jornadas_resultados"),
    path("jornadas/ciclos/<slug:slug>/resultados.csv", v.resultados_csv, name="jornadas_resultados_csv"),
    path("jornadas/ciclos/<slug:slug>/respuestas.csv", v.respuestas_csv, name="jornadas_respuestas_csv"),
    path("jornadas/ciclos/<slug:slug>/informe/", v.informe_ciclo, name="jornadas_informe"),
    path("jornadas/ciclos/<slug:slug>/informe/pdf/", v.informe_solicitar, name="jornadas_informe_solicitar"),
    path("jornadas/ciclos/<slug:slug>/informe/<str:huella>/estado/", v.informe_estado,
         name="jornadas_informe_estado"),
    path("jornadas/ciclos/<slug:slug>/informe/<str:huella>.pdf", v.informe_pdf, name="jornadas_informe_pdf"),
    path("jornadas/nueva/", v.jornada_form, name="jornada_nueva"),
    path("jornadas/<slug:slug>/editar/", v.jornada_form, name="jornada_editar"),
    path("jornadas/<slug:slug>/eliminar/", v.jornada_eliminar, name="jornada_eliminar"),
    path("jornadas/<slug:slug>/asistencia/", v.asistencia, name="jornada_asistencia"),
    path("jornadas/<slug:slug>/asistencia/<int:pk>/", v.asistencia_marcar, name="jornada_asistencia_marcar"),
    path("jornadas/<slug:slug>/asistencia/agregar/", v.participante_agregar, name="jornada_participante_agregar"),
    path("jornadas/<slug:slug>/asistencia.csv", v.asistencia_exportar, {"formato": "csv"},
         name="jornada_asistencia_csv"),
    path("jornadas/<slug:slug>/asistencia.xlsx", v.asistencia_exportar, {"formato": "xlsx"},
         name="jornada_asistencia_xlsx"),
    path("jornadas/<slug:slug>/asistencia/importar/", v.importar, name="jornada_importar"),
    path("jornadas/<slug:slug>/asistencia/importar/confirmar/", v.importar_confirmar,
         name="jornada_importar_confirmar"),
    path("jornadas/<slug:slug>/conteos/", v.conteos, name="jornada_conteos"),
    path("jornadas/<slug:slug>/encuesta/invitar/", v.encuesta_invitar, name="jornada_encuesta_invitar"),
    path("jornadas/<slug:slug>/encuesta/reenviar/", v.encuesta_reenviar, name="jornada_encuesta_reenviar"),
    path("jornadas/<slug:slug>/resultados/", v.resultados_jornada, name="jornada_resultados"),
    path("jornadas/<slug:slug>/resultados.csv", v.resultados_csv, {"por": "jornada"},
         name="jornada_resultados_csv"),
    path("jornadas/<slug:slug>/respuestas.csv", v.respuestas_csv, {"por": "jornada"},
         name="jornada_respuestas_csv"),
]
