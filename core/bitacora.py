"""Logging filters for a console people can read (config/settings/base.py LOGGING)."""

import logging


class SinAvisoDeHost(logging.Filter):
    """kombu warns "No hostname was supplied" on every connection to a broker URL without a host,
    which is how the filesystem transport of `make run` is written (the transport has no host)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No hostname was supplied")
