"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from core import menu
from core.documentos import TipoDocumento, tipo_registrar

from . import selectors, services
from .models import Acuse, Enlace


def conectar() -> None:
    tipo_registrar(TipoDocumento(
        clave=Acuse.TIPO_DOCUMENTO, modelo=Acuse, plantilla="practicas/pdf/acuse.html",
        contexto=services.contexto_acuse, al_quedar_lista=services.avisar_recepcion,
        sellado=lambda acuse: acuse.practica.convocatoria.autoridad,
    ))
    selectors.conectar()  # the calls' panel list (convocatorias, below) shows practice counts
    menu.registrar_rol("es_enlace", lambda: Exists(Enlace.objects.filter(usuario=OuterRef("pk"))))
    menu.registrar_entrada(menu.Entrada(_("Mis prácticas"), "practicas:mis_practicas", orden=10,
                                        seccion=menu.CUENTA, rol="es_enlace"))
