"""Admissibility, jury scoring, rulings, publication and validity, one module per phase.
Keyword-only, one transaction each; illegal steps raise ErrorDominio with a Spanish message.
Callers keep using `from evaluacion import services` and `services.<name>(...)`."""

from .admisibilidad import (
    admisibilidad_avisar,
    admisibilidad_cerrar,
    admisibilidad_obtener,
    admisibilidad_registrar,
    preseleccion_cambiar,
    requisitos_de,
)
from .calificacion import (
    calificacion_cerrar,
    evaluacion_enviar,
    evaluacion_guardar,
    evaluacion_reabrir,
    recusa_declarar,
)
from .dictamenes import (
    dictamen_firmar,
    dictamen_guardar,
    fecha_resultados_bloqueada,
    firmantes_esperados,
    firmas_necesarias,
)
from .jurado import cuentas_fijas, jurado_sustituir
from .publicacion import resultado_notificar, resultados_publicar
from .reconocimientos import reconocimiento_avisar_revocacion, reconocimiento_revocar, vigencias_actualizar

__all__ = [
    "admisibilidad_avisar",
    "admisibilidad_cerrar",
    "admisibilidad_obtener",
    "admisibilidad_registrar",
    "calificacion_cerrar",
    "cuentas_fijas",
    "dictamen_firmar",
    "dictamen_guardar",
    "evaluacion_enviar",
    "evaluacion_guardar",
    "evaluacion_reabrir",
    "fecha_resultados_bloqueada",
    "firmantes_esperados",
    "firmas_necesarias",
    "jurado_sustituir",
    "preseleccion_cambiar",
    "reconocimiento_avisar_revocacion",
    "reconocimiento_revocar",
    "recusa_declarar",
    "requisitos_de",
    "resultado_notificar",
    "resultados_publicar",
    "vigencias_actualizar",
]
