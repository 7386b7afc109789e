from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("cuentas/", include("django.contrib.auth.urls")),
    path("convocatorias/", include("convocatorias.urls")),
    path("jornadas/", include("jornadas.urls")),
    path("", include("practicas.urls")),
    path("", include("evaluacion.urls")),
    path("panel/", include("config.panel_urls")),
    path("datos/", include("core.urls_datos")),
    path("api/v1/", include("config.api_urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # Only public media (authority logos). Supports and PDFs are never under MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
