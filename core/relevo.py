"""The outbox's relay: from core.models.TareaPendiente to the broker, and back out of the table.

- After the commit that wrote a row, ``enviar`` tries the broker at once (the fast path). In eager
  mode (no broker: the embedded default) it runs the task instead.
- Every worker runs ``relevar`` every RELEVO_INTERVALO seconds in a thread of its own: rows that
  were never sent (the broker was down, the web process died after its commit), rows started
  longer ago than their task's hard time limit (their worker died: the limit would have ended a
  live one) and rows sent long ago and never started (the broker lost the message) go to the
  broker again. Every task is safe to run twice, so a duplicate costs time, never a second PDF.
- The worker marks a row started when the task starts and deletes it when the task ends (success,
  or a failure its own retry policy gave up on); a retry keeps it, as sent.
"""

import logging
import threading
from datetime import timedelta

from celery import current_app, signals
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import TareaPendiente

logger = logging.getLogger(__name__)

CABECERA = "tarea_pendiente"
# A fresh row belongs to the fast path of the process that wrote it for this long.
GRACIA = timedelta(seconds=3)
# Past its hard time limit a started task is dead (the limit would have killed a live one); this
# much more (RELEVO_MARGEN) covers the clocks of two machines.


def _margen() -> timedelta:
    return timedelta(seconds=settings.RELEVO_MARGEN)

# A message sent this long ago whose task never started was lost with the broker's data.
PERDIDA_TRAS = timedelta(minutes=10)
# After this many sends the row stays for staff and the logs, not for the broker.
MAX_ENVIOS = 10
LOTE = 500


def _eager() -> bool:
    return bool(current_app.conf.task_always_eager)


def limite_duro(nombre: str) -> int:
    tarea = current_app.tasks.get(nombre)
    return int(getattr(tarea, "time_limit", None) or current_app.conf.task_time_limit or 300)


def _publicar(fila: TareaPendiente, ahora) -> None:
    opciones = {"headers": {CABECERA: fila.pk}}
    if fila.disponible_desde > ahora:
        opciones["eta"] = fila.disponible_desde
    if not _eager():
        opciones["retry"] = False  # the outbox is the retry: fail fast, the row stays
    current_app.tasks[fila.nombre].apply_async(fila.args, fila.kwargs, **opciones)


def _enviadas(pks: list[int], ahora) -> None:
    # iniciada_en is left alone: the worker may have started the task already.
    TareaPendiente.objects.filter(pk__in=pks).update(enviada_en=ahora, envios=F("envios") + 1, ultimo_error="")


def _fallo(fila: TareaPendiente, exc: Exception) -> None:
    texto = f"{type(exc).__name__}: {exc}"[:1000]
    TareaPendiente.objects.filter(pk=fila.pk).update(ultimo_error=texto)
    logger.warning("El broker no recibió %s (%s); queda en la bandeja de salida y se reenviará.", fila, texto)


def enviar(filas: list[TareaPendiente]) -> int:
    """The fast path, after the commit that wrote these rows. Never raises for the broker: the write
    is done and the relay will send what could not be sent now."""
    ahora = timezone.now()
    if _eager():
        for fila in filas:  # run it here and now: nobody else would
            TareaPendiente.objects.filter(pk=fila.pk).delete()
            _publicar(fila, ahora)
        return len(filas)
    enviadas = []
    for fila in filas:
        try:
            _publicar(fila, ahora)
        except Exception as exc:  # noqa: BLE001 - any broker failure leaves the row for the relay
            _fallo(fila, exc)
            break
        enviadas.append(fila.pk)
    _enviadas(enviadas, ahora)
    return len(enviadas)


def _candidatas(ahora):
    sin_enviar = Q(enviada_en__isnull=True, creada__lte=ahora - GRACIA)
    perdidas = Q(enviada_en__lte=ahora - PERDIDA_TRAS, iniciada_en__isnull=True,
                 disponible_desde__lte=ahora - PERDIDA_TRAS)
    # Started before the shortest hard limit could have passed: filtered per task below.
    iniciadas = Q(iniciada_en__lte=ahora - _margen() - timedelta(seconds=1))
    consulta = TareaPendiente.objects.filter(sin_enviar | perdidas | iniciadas, envios__lt=MAX_ENVIOS).order_by("pk")
    if connection.features.has_select_for_update_skip_locked:
        consulta = consulta.select_for_update(skip_locked=True)
    return consulta


def relevar(*, ahora=None) -> dict:
    """One pass of the relay. Stops at the first broker failure (the rest waits for the next pass)."""
    ahora = ahora or timezone.now()
    enviadas, muertas, error = [], 0, ""
    with transaction.atomic():
        for fila in _candidatas(ahora)[:LOTE]:
            if fila.iniciada_en is not None:
                if fila.iniciada_en > ahora - timedelta(seconds=limite_duro(fila.nombre)) - _margen():
                    continue  # still within its time limit: its worker may be alive
                muertas += 1
                # Not started any more; under this row's lock, so the new run's start waits for the commit.
                TareaPendiente.objects.filter(pk=fila.pk).update(iniciada_en=None)
                logger.warning("%s empezó el %s y su worker ya no responde: se envía de nuevo.", fila,
                               fila.iniciada_en.isoformat())
            try:
                _publicar(fila, ahora)
            except Exception as exc:  # noqa: BLE001
                _fallo(fila, exc)
                error = str(exc)
                break
            enviadas.append(fila.pk)
        _enviadas(enviadas, ahora)
    return {"enviadas": len(enviadas), "reanudadas": muertas, "error": error}


def reenviar(filas: list[TareaPendiente]) -> int:
    """Send these rows again now, whatever their state (staff's "Reanudar")."""
    with transaction.atomic():
        TareaPendiente.objects.filter(pk__in=[f.pk for f in filas]).update(enviada_en=None, iniciada_en=None)
    return enviar(filas)


# --- in the worker ---------------------------------------------------------------------------


def _fila_de(tarea) -> int | None:
    peticion = getattr(tarea, "request", None)
    if peticion is None or peticion.is_eager:
        return None
    valor = getattr(peticion, CABECERA, None) or (getattr(peticion, "headers", None) or {}).get(CABECERA)
    return int(valor) if valor else None


def _al_empezar(sender=None, task=None, **kwargs):
    if (pk := _fila_de(task)) is not None:
        TareaPendiente.objects.filter(pk=pk).update(iniciada_en=timezone.now())


def _al_terminar(sender=None, task=None, state=None, **kwargs):
    if (pk := _fila_de(task)) is None:
        return
    if state == "RETRY":  # Celery sent the retry itself, with the same header
        TareaPendiente.objects.filter(pk=pk).update(iniciada_en=None, enviada_en=timezone.now())
    else:
        TareaPendiente.objects.filter(pk=pk).delete()


class Relevo(threading.Thread):
    """The relay loop of one worker process."""

    def __init__(self, intervalo: float):
        super().__init__(name="relevo", daemon=True)
        self.intervalo = intervalo
        self.detener = threading.Event()

    def run(self):
        while not self.detener.wait(self.intervalo):
            close_old_connections()
            try:
                resultado = relevar()
                if resultado["enviadas"]:
                    logger.info("Relevo: %(enviadas)s tareas enviadas al broker (%(reanudadas)s reanudadas).",
                                resultado)
            except Exception:
                logger.exception("El relevo de la bandeja de salida falló; se intentará de nuevo.")
        close_old_connections()


_relevo: Relevo | None = None


def _arrancar(sender=None, **kwargs):
    global _relevo
    if _relevo is None or not _relevo.is_alive():
        _relevo = Relevo(settings.RELEVO_INTERVALO)
        _relevo.start()
        logger.info("Worker listo para las tareas en segundo plano (%s); la bandeja de salida se revisa cada %s s.",
                    getattr(sender, "hostname", "worker"), settings.RELEVO_INTERVALO)


def _detener(sender=None, **kwargs):
    if _relevo is not None:
        _relevo.detener.set()


def conectar() -> None:
    """Called from CoreConfig.ready(): the worker's signals."""
    signals.task_prerun.connect(_al_empezar, dispatch_uid="relevo_al_empezar", weak=False)
    signals.task_postrun.connect(_al_terminar, dispatch_uid="relevo_al_terminar", weak=False)
    signals.worker_ready.connect(_arrancar, dispatch_uid="relevo_arrancar", weak=False)
    signals.worker_shutting_down.connect(_detener, dispatch_uid="relevo_detener", weak=False)
