from django.conf import settings

from config.celery import app


def test_cada_tarea_periodica_existe_cuando_celery_descubre_las_tareas():
    app.loader.import_default_modules()
    programadas = {entrada["task"] for entrada in settings.CELERY_BEAT_SCHEDULE.values()}
    assert programadas, "sin tareas periódicas"
    assert programadas <= set(app.tasks), programadas - set(app.tasks)
