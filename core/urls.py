from django.urls import path

from . import views, views_buzon

app_name = "core"

urlpatterns = [
    path("aviso-de-privacidad/", views.aviso_privacidad, name="aviso_privacidad"),
    path("autoridades/<slug:slug>/logo/", views.logo, name="logo"),
    path("salud/", views.salud, name="salud"),
    path("salud/listo/", views.ListoView.as_view(), name="salud_listo"),
    path("verificar/", views.verificar_inicio, name="verificar_inicio"),
    path("verificar/archivo/", views.verificar_archivo, name="verificar_archivo"),
    path("verificar/<slug:codigo>/", views.verificar, name="verificar"),
    path("documentos/<slug:codigo>.pdf", views.documento_descargar, name="documento"),
    path("buzon/", views_buzon.bandeja, name="buzon"),
    path("buzon/<str:id_mensaje>/", views_buzon.mensaje, name="buzon_mensaje"),
    path("buzon/<str:id_mensaje>/adjuntos/<int:numero>/", views_buzon.adjunto, name="buzon_adjunto"),
    path("buzon/<str:id_mensaje>/html/", views_buzon.html, name="buzon_html"),
]
