"""PDF rendering with WeasyPrint. Only local files (static, media) and data: URIs may be fetched."""

import hashlib
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.template.loader import render_to_string

# WeasyPrint is imported where a PDF is made, not here: loading it (Pango, fonts) takes seconds, and
# every process importing the services (web workers, manage.py commands) would pay it at start-up.


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


def _fetcher():
    """A URLFetcher that refuses anything but data: URIs and files under the media and static roots."""
    from weasyprint import urls  # see the note at the top

    class FetcherLocal(urls.URLFetcher):
        def fetch(self, url, headers=None):
            if not _permitido(url):
                raise ValueError(f"Recurso no permitido en PDF: {url}")
            return super().fetch(url, headers)

    return FetcherLocal(allowed_protocols={"data", "file"})


def render_pdf(template_name, context):
    """Render a template to PDF bytes."""
    import weasyprint  # see the note at the top

    html = render_to_string(template_name, context)
    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR), url_fetcher=_fetcher()).write_pdf()


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()
