"""Admissibility, the jury's scoring and its dashboard; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_admisibilidad as a
from . import views_jurado as j
from . import views_tablero as t

urlpatterns = [
    path("convocatorias/<slug:slug>/admisibilidad/", a.admisibilidad, name="admisibilidad"),
    path("convocatorias/<slug:slug>/admisibilidad/cerrar/", a.admisibilidad_cerrar, name="admisibilidad_cerrar"),
    path("convocatorias/<slug:slug>/admisibilidad/<int:pk>/", a.admisibilidad_practica,
         name="admisibilidad_practica"),
    path("convocatorias/<slug:slug>/admisibilidad/<int:pk>/preseleccion/", a.preseleccion, name="preseleccion"),
    path("jurado/", j.jurado_inicio, name="jurado_inicio"),
    path("convocatorias/<slug:slug>/calificaciones/", j.jurado_calificaciones, name="jurado_calificaciones"),
    path("convocatorias/<slug:slug>/calificaciones/<int:pk>/", j.jurado_calificar, name="jurado_calificar"),
    path("convocatorias/<slug:slug>/calificaciones/<int:pk>/excusa/", j.jurado_excusa, name="jurado_excusa"),
    path("convocatorias/<slug:slug>/calificaciones/<int:pk>/reabrir/", j.jurado_reabrir, name="jurado_reabrir"),
    path("convocatorias/<slug:slug>/jurado/<int:pk>/sustituir/", j.jurado_sustituir, name="jurado_sustituir"),
    path("convocatorias/<slug:slug>/tablero/", t.tablero, name="tablero"),
    path("convocatorias/<slug:slug>/tablero/<int:pk>/historial/", t.historial, name="calificaciones_historial"),
    path("convocatorias/<slug:slug>/tablero.csv", t.tablero_csv, name="tablero_csv"),
    path("convocatorias/<slug:slug>/tablero/cerrar/", t.calificacion_cerrar, name="calificacion_cerrar"),
]
