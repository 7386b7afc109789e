from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth.views import LoginView
from django.contrib.sitemaps import views as sitemaps_views
from django.urls import include, path

from core import sitio
from core.forms import EntrarForm
from core.views import RestablecerContrasenaView, favicon
from portal.sitemaps import SITEMAPS
from portal.views import robots_txt

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("core.urls")),
    # Django's password reset with rate limits, under the name and address of the one it replaces.
    path("cuentas/password_reset/", RestablecerContrasenaView.as_view(), name="password_reset"),
    # Django's sign-in, with its refusal in plain Spanish (core.forms.EntrarForm).
    path("cuentas/login/", LoginView.as_view(authentication_form=EntrarForm), name="login"),
    path("cuentas/", include("django.contrib.auth.urls")),
    path("convocatorias/", include("convocatorias.urls")),
    path("jornadas/", include("jornadas.urls")),
    path("cartas-compromiso/", include("compromisos.urls")),
    path("", include("practicas.urls")),
    path("", include("evaluacion.urls")),
    path("panel/", include("config.panel_urls")),
    path("datos/", include("core.urls_datos")),
    path("api/v1/", include("config.api_urls")),
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitio.indice_sitemaps, {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_seccion"},
         name="sitemap"),
    path("sitemap-<section>.xml", sitemaps_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap_seccion"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
]

# Spanish error pages in the portal's frame; JSON under /api/ (core.views_errores).
handler400 = "core.views_errores.solicitud_incorrecta"
handler403 = "core.views_errores.acceso_denegado"
handler404 = "core.views_errores.no_encontrada"
handler500 = "core.views_errores.error_servidor"

if settings.DEBUG:
    # Only public media (authority logos). Supports and PDFs are never under MEDIA_ROOT.
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
