from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.module_loading import module_has_submodule


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Núcleo"

    def ready(self):
        # core.cuentas connects its user_logged_in receiver (which sessions expire when idle) on import;
        # it reads models, so it is imported once the app registry is ready.
        import_module("core.cuentas")
        # The outbox's worker side: tasks mark their row started and delete it when they end, and
        # every worker runs the relay (core.relevo).
        import_module("core.relevo").conectar()
        # Each app's registro.py plugs it into core's registries (menu, open data, documents) through
        # its conectar(), the way admin.py plugs an app into the admin: core never names an app.
        # All models are loaded by now, whatever the order of INSTALLED_APPS.
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "registro"):
                import_module(f"{config.name}.registro").conectar()
