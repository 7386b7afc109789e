"""PDF rendering with WeasyPrint. Only local files (static, media) and data: URIs may be fetched."""

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _roots():
    roots = [Path(settings.MEDIA_ROOT).resolve(), Path(settings.STATIC_ROOT).resolve()]
    roots += [Path(d).resolve() for d in settings.STATICFILES_DIRS]
    return roots


def _permitido(url) -> bool:
    if url.startswith("data:"):
        return True
    parsed = urlparse(url)
    if parsed.scheme == "file":
        path = Path(unquote(parsed.path)).resolve()
        return any(path.is_relative_to(root) for root in _roots()) and path.is_file()
    return False


def url_fetcher(url, timeout=10, ssl_context=None):
    """WeasyPrint < 68: a function returning a dict."""
    import weasyprint

    if not _permitido(url):
        raise ValueError(f"Recurso no permitido en PDF: {url}")
    if url.startswith("data:"):
        return weasyprint.default_url_fetcher(url)
    path = Path(unquote(urlparse(url).path)).resolve()
    return {"string": path.read_bytes(), "filename": path.name}


def _fetcher():
    """WeasyPrint >= 68 wants a URLFetcher instance (a bare function breaks on the first image)."""
    from weasyprint import urls

    if not hasattr(urls, "URLFetcher"):
        return url_fetcher

    class FetcherLocal(urls.URLFetcher):
        def fetch(self, url, headers=None):
            if not _permitido(url):
                raise ValueError(f"Recurso no permitido en PDF: {url}")
            return super().fetch(url, headers)

    return FetcherLocal(allowed_protocols={"data", "file"})


def static_file_url(relative):
    """file:// URL of a static asset, for templates rendered to PDF."""
    found = finders.find(relative)
    return Path(found).resolve().as_uri() if found else ""


def render_pdf(template_name, context):
    """Render a template to PDF bytes."""
    import weasyprint

    html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_fetcher()).write_pdf()


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(fileobj, chunk=1024 * 1024):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for block in iter(lambda: fileobj.read(chunk), b""):
        digest.update(block)
    fileobj.seek(0)
    return digest.hexdigest()
