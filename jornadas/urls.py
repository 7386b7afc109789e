from django.urls import path

from . import views

app_name = "jornadas"

urlpatterns = [
    path("", views.lista, name="lista"),
    path("encuesta/gracias/", views.encuesta_gracias, name="encuesta_gracias"),
    path("encuesta/responder/", views.encuesta_responder, name="encuesta_responder"),
    path("encuesta/<str:token>/", views.encuesta, name="encuesta"),
    path("registro/cancelar/<str:token>/", views.registro_cancelar, name="registro_cancelar"),
    path("<slug:slug>/", views.detalle, name="detalle"),
    path("<slug:slug>/registro/", views.registro, name="registro"),
    path("<slug:slug>/registro/listo/", views.registro_listo, name="registro_listo"),
    path("<slug:slug>/sujetos/", views.sujetos_opciones, name="sujetos_opciones"),
]
