from django.apps import AppConfig


class PracticasConfig(AppConfig):
    name = "practicas"
    verbose_name = "Prácticas"

    def ready(self):
        # Imported here, not at the top: models may only be imported once the app registry is ready.
        from core.documentos import TipoDocumento, tipo_registrar

        from . import services
        from .models import Acuse

        tipo_registrar(TipoDocumento(
            clave=Acuse.TIPO_DOCUMENTO, modelo=Acuse, plantilla="practicas/pdf/acuse.html",
            contexto=services.contexto_acuse, al_quedar_lista=services.avisar_recepcion,
        ))
