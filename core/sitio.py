"""The portal's public address (settings.SITE_URL) and the one way to make a path absolute.

Every absolute link the portal writes starts here: canonical and og:url tags, robots.txt, the
sitemap, data.json and the datasets, the API's links and pages, PDFs' QR codes and e-mails. Never
from the request's Host header: a portal reached under several names (a proxy, an internal address,
`make run HOST=…`) links under one, and a Host a client sends never ends up in a link or a mail.
Templates have `{% url_absoluta %}` (core.templatetags.reconoce); the sitemap, `Sitemap` and
`indice_sitemaps` below."""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap as SitemapDjango
from django.contrib.sitemaps import views as sitemaps_views
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def base() -> str:
    """SITE_URL without its trailing slash: scheme://host[:port]. No path: a portal served under a
    prefix has it in every path already (reverse() adds the script name)."""
    url = settings.SITE_URL.rstrip("/")
    partes = urlsplit(url)
    if partes.scheme not in ("http", "https") or not partes.netloc or url != f"{partes.scheme}://{partes.netloc}":
        raise ImproperlyConfigured(f"SITE_URL debe ser http(s)://dominio[:puerto], sin ruta; es {url!r}.")
    return url


def url_absoluta(ruta: str) -> str:
    """A path of the portal (as reverse(), get_absolute_url() or request.get_full_path() give it,
    query string included) under SITE_URL."""
    if not ruta.startswith("/"):
        raise ValueError(f"Se esperaba una ruta que empiece con «/»: {ruta!r}.")
    return f"{base()}{ruta}"


def url_de(nombre: str, *args, **kwargs) -> str:
    """reverse(nombre, args, kwargs) under SITE_URL."""
    return url_absoluta(reverse(nombre, args=args or None, kwargs=kwargs or None))


def ruta_propia(url: str, request) -> str:
    """The path (and query) of `url` when it points into this portal — under SITE_URL's host or the
    host this request came in on (a browser under `make run HOST=…` or behind a proxy sends its own
    in the Referer) — or "" when it points elsewhere. A path is returned, never the URL: a way back
    built from it is relative, so it cannot lead off the portal whatever the Referer said."""
    if not url or not url_has_allowed_host_and_scheme(
            url, allowed_hosts={urlsplit(base()).netloc, request.get_host()}, require_https=request.is_secure()):
        return ""
    partes = urlsplit(url)
    ruta = urlunsplit(("", "", partes.path or "/", partes.query, ""))
    return ruta if ruta.startswith("/") and not ruta.startswith("//") else ""


class Sitemap(SitemapDjango):
    """A sitemap whose locations use SITE_URL's scheme and host, not the request's (Django's view
    passes it the request's; without django.contrib.sites that is the Host header)."""

    @property
    def protocol(self):  # also read by the sitemap index view
        return urlsplit(base()).scheme

    def get_protocol(self, protocol=None):
        return self.protocol

    def get_domain(self, site=None):
        return urlsplit(base()).netloc


def indice_sitemaps(request, sitemaps, **opciones):
    """Django's sitemap index with its entries under SITE_URL. Django writes each section's address
    with the sitemap's protocol (ours, above) but the request's host, and has no hook for it; the
    entries are rewritten before the response renders."""
    respuesta = sitemaps_views.index(request, sitemaps, **opciones)
    for entrada in respuesta.context_data["sitemaps"]:
        partes = urlsplit(entrada.location)
        entrada.location = url_absoluta(urlunsplit(("", "", partes.path, partes.query, "")))
    return respuesta
