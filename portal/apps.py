from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: pages that combine the apps below (home, the staff panel's home, sitemaps,
    where a person lands after signing in) and the demo data of the whole process."""

    name = "portal"
    verbose_name = "Portal"
