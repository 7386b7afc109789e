"""Queueing background work: every task goes through the outbox (core.models.TareaPendiente).

``encolar`` writes the task's row in the current transaction (at once outside one), and once that
commits core.relevo hands it to the broker. If the broker is down the row waits, the write that
needed the work stands, and the relay in every worker sends it as soon as the broker answers again.

Tasks call services (tasks.py imports services.py), so a service that imported its tasks module
back would close an import circle. A task's name is the contract between producer and worker
anyway; every app's registro.py (loaded by CoreConfig.ready()) imports its tasks module, so the name is registered."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from . import relevo
from .models import TareaPendiente


def encolar(nombre: str, *args, **kwargs) -> TareaPendiente:
    """Record the task with the current transaction; it reaches the broker once that commits."""
    return encolar_tras(0, nombre, *args, **kwargs)


def encolar_tras(segundos: float, nombre: str, *args, **kwargs) -> TareaPendiente:
    """The same, for a task that should not run before `segundos` from now."""
    ahora = timezone.now()
    fila = TareaPendiente.objects.create(nombre=nombre, args=list(args), kwargs=kwargs, creada=ahora,
                                         disponible_desde=ahora + timedelta(seconds=segundos))
    transaction.on_commit(lambda: relevo.enviar([fila]))
    return fila
