"""Plain functions that build the judging stages of a call, for tests and benchmarks.

They go through the domain services wherever the step means something (submission, admissibility,
closing, scoring), so what they build is what the portal would build. Each returns what it made.

    esc = en_evaluacion(autoridad=..., personal=..., n_practicas=3)
    calificar(esc.miembros[0], esc.practicas[0], [8, 9, 7, 8, 10, 9])
"""

from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from convocatorias.models import Convocatoria, MiembroJurado
from convocatorias.services import convocatoria_cerrar
from evaluacion import calculo, services
from evaluacion.models import Admisibilidad, Calificacion, Evaluacion
from practicas.models import Practica, Soporte
from practicas.services import practica_enviar
from tests import factories, matriz

CARGOS_JURADO = [
    "Comisionada Presidenta del Infoem",
    "Comisionado del Infoem",
    "Titular de la Dirección General de Transparencia",
    "Representante de la sociedad civil",
    "Representante de la academia",
]


@dataclass
class Escena:
    convocatoria: Convocatoria
    personal: object
    practicas: list = field(default_factory=list)
    miembros: list = field(default_factory=list)

    @property
    def jurados(self):
        """The jurors' user accounts, in seat order."""
        return [m.usuario for m in self.miembros]


def convocatoria_abierta_hasta_ayer(*, autoridad, **campos) -> Convocatoria:
    """A published call whose window ended a minute ago (still `abierta` until someone closes it)."""
    ahora = timezone.now()
    valores = {
        "fecha_apertura": ahora - timedelta(days=30),
        "fecha_cierre": ahora - timedelta(minutes=1),
        "fecha_resultados": ahora + timedelta(days=30),
        "estado": Convocatoria.Estado.ABIERTA,
        **campos,
    }
    return factories.ConvocatoriaFactory(autoridad=autoridad, **valores)


def practicas_enviadas(convocatoria, n, *, sujetos=None, enlace=None) -> list[Practica]:
    """n complete practices submitted on time through `practica_enviar` (the call must still be
    `abierta`), cycling through `sujetos` (new bodies when none are given). Each has one link
    support. Their acuse task is queued on commit, which tests never reach."""
    recibida = convocatoria.fecha_cierre - timedelta(days=1)
    practicas = []
    for i in range(n):
        sujeto = sujetos[i % len(sujetos)] if sujetos else factories.SujetoFactory()
        usuario = enlace or factories.EnlaceFactory(sujeto=sujeto).usuario
        practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto, creada_por=usuario)
        Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, subido_por=usuario,
                               url=f"https://datos.ejemplo.gob.mx/practica-{practica.pk}")
        practicas.append(practica_enviar(practica=practica, usuario=usuario, ahora=recibida))
    return practicas


def practicas_enviadas_en_bloque(convocatoria, n, *, sujetos=None) -> list[Practica]:
    """Like `practicas_enviadas` with bulk writes and no acuse, for benchmarks with hundreds of
    practices (the service renders an acuse PDF per practice once its transaction commits)."""
    sujetos = sujetos or [factories.SujetoFactory() for _ in range(min(n, 20))]
    usuario = factories.EnlaceFactory(sujeto=sujetos[0]).usuario
    recibida = convocatoria.fecha_cierre - timedelta(days=1)
    inicio = convocatoria.ultimo_consecutivo
    practicas = Practica.objects.bulk_create([
        Practica(
            convocatoria=convocatoria, sujeto=sujetos[i % len(sujetos)], creada_por=usuario, enviada_por=usuario,
            nombre=f"Práctica de transparencia proactiva {inicio + i + 1}", area_responsable="Unidad de Transparencia",
            descripcion="Publicación periódica de datos abiertos.", estado=Practica.Estado.ENVIADA,
            consecutivo=inicio + i + 1, enviada_en=recibida,
            folio=f"{convocatoria.prefijo_folio}-{convocatoria.anio}-{inicio + i + 1:04d}",
        )
        for i in range(n)
    ])
    Convocatoria.objects.filter(pk=convocatoria.pk).update(ultimo_consecutivo=inicio + n)
    convocatoria.ultimo_consecutivo = inicio + n
    return practicas


def jurado_con_cuentas(convocatoria, n=5) -> list[MiembroJurado]:
    """n jury seats, each with its own account (first the cargos of CARGOS_JURADO)."""
    return [
        factories.MiembroJuradoFactory(
            convocatoria=convocatoria, orden=i, cargo=CARGOS_JURADO[i % len(CARGOS_JURADO)],
            nombre=f"Integrante {i + 1}", usuario__email=f"jurado{i + 1}.{convocatoria.slug}@ejemplo.gob.mx",
        )
        for i in range(n)
    ]


def cerrar(convocatoria) -> Convocatoria:
    """abierta → cerrada through the service (the window must be over)."""
    convocatoria_cerrar(convocatoria=convocatoria)
    convocatoria.refresh_from_db()
    return convocatoria


def admitir(practica, personal, *, motivos="") -> Admisibilidad:
    """Every checklist item met: admitted (and so pre-selected)."""
    adm = services.admisibilidad_obtener(practica=practica)
    requisitos = {r.clave: (True, "") for r in adm.requisitos.all()}
    return services.admisibilidad_registrar(practica=practica, usuario=personal, requisitos=requisitos,
                                            resultado=Admisibilidad.Resultado.ADMITIDA, motivos=motivos)


def no_admitir(practica, personal, *, motivos="Los soportes no se pudieron abrir.") -> Admisibilidad:
    adm = services.admisibilidad_obtener(practica=practica)
    requisitos = {r.clave: (r.clave != "soportes", "") for r in adm.requisitos.all()}
    return services.admisibilidad_registrar(practica=practica, usuario=personal, requisitos=requisitos,
                                            resultado=Admisibilidad.Resultado.NO_ADMITIDA, motivos=motivos)


def turnar(convocatoria, personal) -> Convocatoria:
    """Close admissibility: results released to the bodies, cerrada → en evaluación."""
    return services.admisibilidad_cerrar(convocatoria=convocatoria, usuario=personal)


def convocatoria_cerrada(*, autoridad, personal, n_practicas=3, n_jurado=5, sujetos=None, enlace=None,
                         **campos) -> Escena:
    """A closed call with n submitted practices (not yet verified) and n_jurado members with accounts."""
    conv = convocatoria_abierta_hasta_ayer(autoridad=autoridad, **campos)
    practicas = practicas_enviadas(conv, n_practicas, sujetos=sujetos, enlace=enlace)
    miembros = jurado_con_cuentas(conv, n_jurado)
    conv = cerrar(conv)
    return Escena(convocatoria=conv, personal=personal, practicas=practicas, miembros=miembros)


def en_evaluacion(*, autoridad, personal, n_practicas=3, n_jurado=5, sujetos=None, enlace=None,
                  no_admitidas=0, **campos) -> Escena:
    """A call in evaluation: n practices submitted, the first `no_admitidas` not admitted, the rest
    admitted and turned over to a jury of n_jurado members with accounts. `practicas` holds only the
    pre-selected ones; the others are in `escena.no_admitidas`."""
    esc = convocatoria_cerrada(autoridad=autoridad, personal=personal, n_practicas=n_practicas, n_jurado=n_jurado,
                               sujetos=sujetos, enlace=enlace, **campos)
    rechazadas = esc.practicas[:no_admitidas]
    for p in rechazadas:
        no_admitir(p, personal)
    for p in esc.practicas[no_admitidas:]:
        admitir(p, personal)
    esc.convocatoria = turnar(esc.convocatoria, personal)
    esc.no_admitidas = rechazadas
    esc.practicas = esc.practicas[no_admitidas:]
    return esc


def calificar(miembro, practica, puntajes, *, motivo="Cumple con lo que pide el criterio.", enviar=True) -> Evaluacion:
    """Score one practice as one juror through the services: `puntajes` is one value per criterion
    (in criterion order) or a single value for all. Submits unless enviar=False."""
    criterios = list(practica.convocatoria.criterios.order_by("numero"))
    if not isinstance(puntajes, list | tuple):
        puntajes = [puntajes] * len(criterios)
    datos = {c.pk: (str(v), f"{motivo} (criterio {c.numero})") for c, v in zip(criterios, puntajes, strict=True)}
    evaluacion = services.evaluacion_guardar(miembro=miembro, practica=practica, usuario=miembro.usuario,
                                             puntajes=datos)
    if enviar:
        evaluacion = services.evaluacion_enviar(evaluacion=evaluacion, usuario=miembro.usuario)
    return evaluacion


def calificar_todo(esc: Escena, puntaje=lambda miembro_i, practica_i, criterio_i: 8) -> None:
    """Every member submits every practice through the services."""
    n_criterios = esc.convocatoria.criterios.count()
    for pi, practica in enumerate(esc.practicas):
        for mi, miembro in enumerate(esc.miembros):
            calificar(miembro, practica, [puntaje(mi, pi, ci) for ci in range(n_criterios)])


def calificaciones_en_bloque(convocatoria, practicas, miembros, puntaje=lambda mi, pi, ci: 8) -> None:
    """Submitted scores for every member and practice with bulk writes (no history), for benchmarks."""
    criterios = list(convocatoria.criterios.order_by("numero"))
    pesos = {c.pk: c.peso for c in criterios}
    ahora = timezone.now()
    evaluaciones, valores = [], []
    for pi, practica in enumerate(practicas):
        for mi, miembro in enumerate(miembros):
            puntajes = {c.pk: Decimal(str(puntaje(mi, pi, ci))) for ci, c in enumerate(criterios)}
            evaluaciones.append(Evaluacion(miembro=miembro, practica=practica, estado=Evaluacion.Estado.ENVIADA,
                                           total=calculo.total_ponderado(puntajes, pesos), enviada_en=ahora))
            valores.append(puntajes)
    Evaluacion.objects.bulk_create(evaluaciones, batch_size=500)
    Calificacion.objects.bulk_create([
        Calificacion(evaluacion=ev, criterio_id=cid, puntaje=p, motivo=f"Motivación del criterio {cid}.")
        for ev, puntajes in zip(evaluaciones, valores, strict=True) for cid, p in puntajes.items()
    ], batch_size=1000)


def pesos(convocatoria, valores) -> None:
    """Give the criteria these weights (in criterion order), as staff would have while the call
    was a draft (the model refuses to touch criteria of a published call)."""
    from convocatorias.models import Criterio

    for criterio, peso in zip(convocatoria.criterios.order_by("numero"), valores, strict=True):
        Criterio.objects.filter(pk=criterio.pk).update(peso=Decimal(str(peso)))


# --- permission matrices ---------------------------------------------------------------------------

# The shared persona set (tests/matriz.py) plus a juror of another call of the same authority.
PERSONAS = (*matriz.PERSONAS, "jurado_otra_conv")
LOGIN = matriz.LOGIN  # expected: 302 to the login page
Ruta = matriz.Ruta


def E(anonimo, enlace_a, enlace_b, personal, otro_personal, jurado, jurado_otra_conv, su=None, *,  # noqa: N802
      eo=None, jo=None):
    """Expected status per persona (a table row); the superuser gets what the call's staff get unless
    `su` says otherwise; the enlace of a body of authority 2's entity (`eo`) gets what enlace_b gets,
    and the juror of authority 2's call (`jo`) what the juror of another call of this authority gets
    (`jurado_otra_conv`), unless told."""
    return dict(zip(PERSONAS, (anonimo, enlace_a, enlace_b, personal, otro_personal, jurado,
                               personal if su is None else su, enlace_b if eo is None else eo,
                               jurado_otra_conv if jo is None else jo, jurado_otra_conv), strict=True))


def foto_evaluacion():
    """What a refused POST must leave untouched."""
    from evaluacion.models import Dictamen, Reapertura, Recusa, RequisitoVerificado

    return {
        "convocatorias": sorted(Convocatoria.objects.values_list(
            "pk", "estado", "admisibilidad_liberada_en", "calificacion_cerrada_en")),
        "admisibilidades": sorted(Admisibilidad.objects.values_list("pk", "resultado", "motivos", "preseleccionada")),
        "requisitos": sorted(RequisitoVerificado.objects.values_list("pk", "cumple", "observacion")),
        "evaluaciones": sorted(Evaluacion.objects.values_list("pk", "estado", "total")),
        "calificaciones": sorted(Calificacion.objects.values_list("pk", "puntaje", "motivo")),
        "recusas": sorted(Recusa.objects.values_list("pk", "miembro_id", "practica_id")),
        "reaperturas": sorted(Reapertura.objects.values_list("pk", "evaluacion_id")),
        "dictamenes": sorted(Dictamen.objects.values_list("pk", "practica_id", "estado")),
    }


def comprobar_ruta(client, ruta: Ruta, esc, usuario, persona) -> None:
    """Request the route as `usuario` and check the status (and, for a POST, that it took effect
    exactly for the personas in ruta.cambian): tests/matriz.py's harness."""
    matriz.comprobar(client, ruta, esc, usuario, persona)
