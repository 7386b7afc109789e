"""Private storage: files bodies upload and PDFs not yet public. It has no URL; views serve it."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        # Guard against accidental public links to private files.
        raise ValueError("Los archivos privados se sirven solo mediante vistas con permisos.")


def private_storage():
    """Callable so migrations do not freeze the path and tests can move it."""
    return PrivateStorage(location=settings.PRIVATE_MEDIA_ROOT)
