"""Logging filters for a console people can read (config/settings/base.py LOGGING)."""

import logging


class SinAvisoDeHost(logging.Filter):
    """kombu warns "No hostname was supplied" on every connection to a broker URL without a host,
    which is how the filesystem transport of `make run` is written (the transport has no host)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No hostname was supplied")


class SinTrazaEn4xx(logging.Filter):
    """django.request logs a refused request (403, 404, 400) with the exception's traceback: thirty
    lines for a person who opened a page they may not see. Below 500 the one line says it all (method,
    path, status); a 500 keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
