"""What this app plugs into core's registries (called from its AppConfig.ready())."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
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
        # Its code and QR find it on the verification page; downloading it again is for who may see the practice.
        con_codigo=True, url_descarga=lambda acuse: reverse("practicas:acuse", args=[acuse.practica_id]),
        descargable=lambda user, acuse, ahora: user.has_perm("practicas.ver_acuse", acuse.practica),
        relacionados=("practica__convocatoria__autoridad", "practica__sujeto"),
    ))
    selectors.conectar()  # the calls' panel list (convocatorias, below) shows practice counts
    menu.registrar_rol("es_enlace", lambda: Exists(Enlace.objects.filter(usuario=OuterRef("pk"))))
    menu.registrar_entrada(menu.Entrada(_("Mis prácticas"), "practicas:mis_practicas", orden=10,
                                        seccion=menu.CUENTA, rol="es_enlace"))
