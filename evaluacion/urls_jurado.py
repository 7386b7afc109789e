"""Admissibility, the jury's scoring and its dashboard; included into the "panel" namespace at /panel/."""

from django.urls import path

from . import views_jurado as v

urlpatterns = [
    path("convocatorias/<slug:slug>/admisibilidad/", v.admisibilidad, name="admisibilidad"),
    path("convocatorias/<slug:slug>/admisibilidad/cerrar/", v.admisibilidad_cerrar, name="admisibilidad_cerrar"),
    path("convocatorias/<slug:slug>/admisibilidad/<int:pk>/", v.admisibilidad_practica,
         name="admisibilidad_practica"),
    path("convocatorias/<slug:slug>/admisibilidad/<int:pk>/preseleccion/", v.preseleccion, name="preseleccion"),
    path("jurado/", v.jurado_inicio, name="jurado_inicio"),
    path("convocatorias/<slug:slug>/calificaciones/", v.jurado_calificaciones, name="jurado_calificaciones"),
    path("convocatorias/<slug:slug>/calificaciones/<int:pk>/", v.jurado_calificar, name="jurado_calificar"),
    path("convocatorias/<slug:slug>/calificaciones/<int:pk>/excusa/", v.jurado_excusa, name="jurado_excusa"),
    path("convocatorias/<slug:slug>/calificaciones/<int:pk>/reabrir/", v.jurado_reabrir, name="jurado_reabrir"),
    path("convocatorias/<slug:slug>/tablero/", v.tablero, name="tablero"),
    path("convocatorias/<slug:slug>/tablero.csv", v.tablero_csv, name="tablero_csv"),
    path("convocatorias/<slug:slug>/tablero/cerrar/", v.calificacion_cerrar, name="calificacion_cerrar"),
]
