"""What the fail-safe cache logs (settings: django-redis with IGNORE_EXCEPTIONS, its logger
"core.cache"). django-redis logs every ignored exception with its traceback; during an outage that is
one traceback per cache operation of every request. This filter turns them into one warning line
per process every INTERVALO seconds, naming the error and how many operations failed since."""

import logging
import threading
import time

INTERVALO = 30.0


class UnaVezCadaTanto(logging.Filter):
    def __init__(self, name: str = "", intervalo: float = INTERVALO):
        super().__init__(name)
        self.intervalo = intervalo
        self._ultimo = float("-inf")
        self._omitidos = 0
        self._candado = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        with self._candado:
            ahora = time.monotonic()
            if ahora - self._ultimo < self.intervalo:
                self._omitidos += 1
                return False
            omitidos, self._omitidos, self._ultimo = self._omitidos, 0, ahora
        error = record.exc_info[1] if record.exc_info else None
        detalle = f"{type(error).__name__}: {error}" if error else record.getMessage()
        record.msg = "El cache no responde (%s); las páginas se sirven desde la base de datos%s."
        record.args = (detalle, f" ({omitidos} operaciones fallidas más desde el aviso anterior)" if omitidos else "")
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True
