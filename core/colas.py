"""Queueing a Celery task from a service by the task's registered name.

Tasks call services (tasks.py imports services.py), so a service that imported its tasks module
back would close an import circle. A task's name is the contract between producer and worker
anyway; every app's registro.py (loaded by CoreConfig.ready()) imports its tasks module, so the name is registered."""

from celery import current_app


def encolar(nombre: str, *args, **kwargs) -> None:
    """Queue the task once the current transaction commits (at once outside one)."""
    current_app.tasks[nombre].delay_on_commit(*args, **kwargs)


def encolar_ya(nombre: str, *args, **kwargs) -> None:
    """Queue the task now: for callers outside a transaction (sweeps, chunk fan-out)."""
    current_app.tasks[nombre].delay(*args, **kwargs)


def firma(nombre: str, *args, **kwargs):
    """An immutable signature of the task, for a Celery group or chain."""
    return current_app.tasks[nombre].si(*args, **kwargs)
