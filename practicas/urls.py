from django.urls import path

from . import views

app_name = "practicas"

urlpatterns = [
    path("cuentas/registro/", views.registro, name="registro"),
    path("cuentas/registro/enviado/", views.registro_enviado, name="registro_enviado"),
    path("cuentas/activar/<str:uidb64>/<str:token>/", views.activar, name="activar"),
    path("cuentas/mi-cuenta/", views.cuenta, name="cuenta"),
    path("mis-practicas/", views.mis_practicas, name="mis_practicas"),
    path("convocatorias/<slug:slug>/nueva-practica/", views.nueva, name="nueva"),
    path("practicas/<int:pk>/", views.detalle, name="detalle"),
    path("practicas/<int:pk>/editar/", views.editar, name="editar"),
    path("practicas/<int:pk>/enviar/", views.enviar, name="enviar"),
    path("practicas/<int:pk>/retirar/", views.retirar, name="retirar"),
    path("practicas/<int:pk>/acuse.pdf", views.acuse_descargar, name="acuse"),
    path("practicas/<int:pk>/acuse/estado/", views.acuse_estado, name="acuse_estado"),
    path("soportes/<int:pk>/", views.soporte_descargar, name="soporte"),
    path("soportes/<int:pk>/eliminar/", views.soporte_eliminar, name="soporte_eliminar"),
]
