"""Published recognitions in bulk, for the query-count tests of the API and the downloads (the
services' path, with five jurors and PDFs per practice, is what tests/evaluacion/builders_dictamen.py
is for; here only the rows the public catalogue reads)."""

import itertools
from datetime import timedelta

from django.utils import timezone

from convocatorias.models import Convocatoria
from core.models import DocumentoVerificable
from evaluacion.models import Dictamen, Reconocimiento
from practicas.models import Municipio, SujetoObligado
from tests import factories
from tests.compromisos import builders as bc
from tests.evaluacion import builders
from tests.jornadas import builders as bj

_serie = itertools.count(1)


def sujetos_mixtos(n=4) -> list[SujetoObligado]:
    """Half state bodies, half municipal ones (each with its municipality)."""
    k = next(_serie)
    sujetos = []
    for i in range(n):
        if i % 2:
            municipio, _ = Municipio.objects.get_or_create(
                cvegeo=f"15{(k * 10 + i) % 999 + 1:03d}",
                defaults={"entidad_clave": "15", "entidad": "México", "nombre": f"Municipio {k}-{i}"})
            sujetos.append(factories.SujetoFactory(nombre=f"Ayuntamiento de prueba {k}-{i}",
                                                   orden=SujetoObligado.Orden.MUNICIPAL,
                                                   tipo=SujetoObligado.Tipo.AYUNTAMIENTO, municipio=municipio))
        else:
            sujetos.append(factories.SujetoFactory(nombre=f"Secretaría de prueba {k}-{i}"))
    return sujetos


def reconocidas_en_bloque(n, *, autoridad=None, sujetos=None, hace_dias=30, **campos) -> Convocatoria:
    """A call whose results were published `hace_dias` ago, with n favourable signed rulings and
    their recognitions, written in bulk."""
    ahora = timezone.now()
    resultados = ahora - timedelta(days=hace_dias)
    conv = factories.ConvocatoriaFactory(
        autoridad=autoridad or factories.AutoridadFactory(), estado=Convocatoria.Estado.RESULTADOS_PUBLICADOS,
        fecha_apertura=resultados - timedelta(days=60), fecha_cierre=resultados - timedelta(days=30),
        fecha_resultados=resultados, **campos)
    practicas = builders.practicas_enviadas_en_bloque(conv, n, sujetos=sujetos or sujetos_mixtos())
    firma = resultados - timedelta(days=2)
    documentos = DocumentoVerificable.objects.bulk_create(
        DocumentoVerificable(tipo=tipo, folio=f"{p.folio}-{sufijo}", titulo="Documento", visible_desde=resultados,
                             vigente_hasta=timezone.localdate(resultados) + timedelta(days=365))
        for p in practicas
        for tipo, sufijo in ((DocumentoVerificable.Tipo.DICTAMEN, "D"), (DocumentoVerificable.Tipo.RECONOCIMIENTO, "R"))
    )
    dictamenes = Dictamen.objects.bulk_create(
        Dictamen(practica=p, estado=Dictamen.Estado.FIRMADO, decision=Dictamen.Decision.PROCEDENTE,
                 propuesta=Dictamen.Decision.PROCEDENTE, folio=documentos[2 * i].folio,
                 fecha=timezone.localdate(firma), firmado_en=firma, documento=documentos[2 * i])
        for i, p in enumerate(practicas)
    )
    desde = timezone.localdate(resultados)
    Reconocimiento.objects.bulk_create(
        Reconocimiento(dictamen=d, documento=documentos[2 * i + 1], vigente_desde=desde,
                       vigente_hasta=desde + timedelta(days=365))
        for i, d in enumerate(dictamenes)
    )
    return conv


TITULO_COMUN = "Reconocimiento de Prácticas de Transparencia Proactiva 2023"


def dos_autoridades(n_infoem=3, n_cotai=2, *, jornadas=True, cartas=True) -> dict:
    """Two authorities, each with public results: INFOEM (Estado de México, entidad 15) and COTAI
    (Nuevo León, entidad 19). Each has a call with the same title and year, whose recognised
    practices are of its own bodies (a state one, and a municipal one of a municipality named in
    its state), and, if `jornadas`, a published session with attendees and survey answers; if `cartas`,
    an accepted carta compromiso of its state body (two committed practices)."""
    infoem = factories.AutoridadFactory()
    cotai = factories.AutoridadFactory(
        siglas="COTAI", nombre="Comisión de Transparencia y Acceso a la Información del Estado de Nuevo León",
        entidad_clave="19")
    metepec, _ = Municipio.objects.get_or_create(
        cvegeo="15054", defaults={"entidad_clave": "15", "entidad": "México", "nombre": "Metepec"})
    monterrey, _ = Municipio.objects.get_or_create(
        cvegeo="19039", defaults={"entidad_clave": "19", "entidad": "Nuevo León", "nombre": "Monterrey"})
    sujetos = {
        "infoem": [factories.SujetoFactory(nombre="Secretaría de Finanzas del Estado de México"),
                   factories.SujetoFactory(nombre="Ayuntamiento de Metepec", orden=SujetoObligado.Orden.MUNICIPAL,
                                           tipo=SujetoObligado.Tipo.AYUNTAMIENTO, municipio=metepec)],
        "cotai": [factories.SujetoFactory(nombre="Secretaría de Finanzas de Nuevo León", entidad_clave="19"),
                  factories.SujetoFactory(nombre="Ayuntamiento de Monterrey", orden=SujetoObligado.Orden.MUNICIPAL,
                                          tipo=SujetoObligado.Tipo.AYUNTAMIENTO, entidad_clave="19",
                                          municipio=monterrey)],
    }
    escena = {
        "infoem": infoem, "cotai": cotai, "sujetos": sujetos,
        "conv_infoem": reconocidas_en_bloque(n_infoem, autoridad=infoem, sujetos=sujetos["infoem"],
                                             titulo=TITULO_COMUN, anio=2023),
        "conv_cotai": reconocidas_en_bloque(n_cotai, autoridad=cotai, sujetos=sujetos["cotai"],
                                            titulo=TITULO_COMUN, anio=2023),
    }
    if jornadas:
        escena["jornada_infoem"] = bj.jornada_con_asistentes(3, respondieron=2, autoridad_=infoem,
                                                             sujetos_=sujetos["infoem"])
        escena["jornada_cotai"] = bj.jornada_con_asistentes(2, respondieron=1, autoridad_=cotai,
                                                            sujetos_=sujetos["cotai"])
    if cartas:
        for clave, autoridad in (("infoem", infoem), ("cotai", cotai)):
            bc.aceptadas_en_bloque(autoridad, sujetos[clave][:1], por_sujeto=2, estados=("publicada",))
    return escena
