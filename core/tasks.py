from celery import shared_task

from . import documentos

MAX_REINTENTOS = 3


@shared_task(bind=True, max_retries=MAX_REINTENTOS, acks_late=True)
def documento_generar_task(self, documento_id: int):
    try:
        documentos.documento_generar(documento_id=documento_id)
    except Exception as exc:
        definitivo = self.request.retries >= self.max_retries
        documentos.documento_marcar_fallo(documento_id=documento_id, error=f"{type(exc).__name__}: {exc}",
                                          definitivo=definitivo)
        if definitivo:
            return
        raise self.retry(exc=exc, countdown=5 * 2**self.request.retries) from exc
