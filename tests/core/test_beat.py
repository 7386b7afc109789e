from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler

from config.celery import app

CDMX = ZoneInfo("America/Mexico_City")


def test_cada_tarea_periodica_existe_cuando_celery_descubre_las_tareas():
    app.loader.import_default_modules()
    programadas = {entrada["task"] for entrada in settings.CELERY_BEAT_SCHEDULE.values()}
    assert programadas, "sin tareas periódicas"
    assert programadas <= set(app.tasks), programadas - set(app.tasks)


# transaction=True: the scheduler calls close_old_connections(), which drops a connection left inside
# a test's atomic block (PostgreSQL; SQLite's in-memory test database is never closed).
@pytest.mark.django_db(transaction=True)
def test_vigencias_diarias_a_las_00_05_de_la_ciudad_de_mexico_en_la_base_de_beat():
    # A database from before the crontab: the task ran every 86,400 s.
    cada_dia = IntervalSchedule.objects.create(every=86400, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.create(name="evaluacion-vigencias-diarias", task="evaluacion.tasks.vigencias_diarias",
                                interval=cada_dia)

    # What `celery beat --scheduler django_celery_beat...DatabaseScheduler` does when it starts.
    DatabaseScheduler(app=app, lazy=True).setup_schedule()

    tarea = PeriodicTask.objects.get(name="evaluacion-vigencias-diarias")
    assert tarea.interval is None
    cron = tarea.crontab
    assert (cron.minute, cron.hour, cron.day_of_month, cron.month_of_year, cron.day_of_week) == \
        ("5", "0", "*", "*", "*")
    assert str(cron.timezone) == "America/Mexico_City"

    # Whenever it last ran, the next run is the coming 00:05 in Mexico City (06:05 UTC).
    for ultima, siguiente in [
        (datetime(2026, 3, 1, 12, 0, tzinfo=CDMX), datetime(2026, 3, 2, 0, 5, tzinfo=CDMX)),
        (datetime(2026, 3, 2, 0, 5, tzinfo=CDMX), datetime(2026, 3, 3, 0, 5, tzinfo=CDMX)),
        (datetime(2026, 3, 2, 0, 4, tzinfo=CDMX), datetime(2026, 3, 2, 0, 5, tzinfo=CDMX)),
    ]:
        inicio, falta, _ahora = cron.schedule.remaining_delta(ultima)
        assert inicio + falta == siguiente, ultima
