from celery import shared_task

from . import documentos

MAX_REINTENTOS = 3


def generar_con_reintentos(tarea, generar, marcar_fallo, pk: int) -> None:
    """The shared shape of every PDF task: render; on failure record the error on the row (so staff
    see it), retry with backoff, and after the last try leave the row marked failed."""
    try:
        generar(pk)
    except Exception as exc:
        definitivo = tarea.request.retries >= tarea.max_retries
        marcar_fallo(pk, f"{type(exc).__name__}: {exc}", definitivo)
        if definitivo:
            return
        raise tarea.retry(exc=exc, countdown=5 * 2**tarea.request.retries) from exc


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True)
def documento_generar_task(self, documento_id: int):
    generar_con_reintentos(
        self, lambda pk: documentos.documento_generar(documento_id=pk),
        lambda pk, error, definitivo: documentos.documento_marcar_fallo(documento_id=pk, error=error,
                                                                        definitivo=definitivo),
        documento_id,
    )
