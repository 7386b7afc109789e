"""Plain builder functions for jornadas tests (no pytest fixtures, so any test module can import
them). Rows are written with bulk_create so a session with a thousand attendees takes well under a
second.

    from tests.jornadas import builders as b
    jornada = b.jornada_con_asistentes(25, respondieron=20)       # past session, 25 attended
    registros = list(jornada.registros.filter(asistio=True))
    jornada = b.jornada(cupo=3)                                    # upcoming, registration open
    b.registrar(jornada, 2)                                        # two registered, not attended
"""

import itertools
import random
import uuid
from datetime import timedelta

from django.utils import timezone

from jornadas import services
from jornadas.models import (
    Ciclo,
    Encuesta,
    Jornada,
    Participante,
    Pregunta,
    Registro,
    Respuesta,
    RespuestaEncuesta,
)
from practicas.models import SujetoObligado
from tests import factories

_serie = itertools.count(1)

NOMBRES = ("María", "José", "Guadalupe", "Juan", "Rosa", "Luis", "Ana", "Carlos", "Verónica", "Jesús")
APELLIDOS = ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
             "Ramírez", "Cruz", "Flores", "Gómez")


def _n():
    return next(_serie)


def autoridad():
    """The INFOEM authority (get or create)."""
    return factories.AutoridadFactory()


def ciclo(*, autoridad_=None, **campos) -> Ciclo:
    n = _n()
    datos = {
        "autoridad": autoridad_ or autoridad(),
        "nombre": f"Jornadas de sensibilización {2000 + n}",
        "slug": f"ciclo-{n}-{uuid.uuid4().hex[:6]}",
        "anio": 2023,
    }
    datos.update(campos)
    return Ciclo.objects.create(**datos)


def jornada(*, autoridad_=None, ciclo_=None, pasada=False, **campos) -> Jornada:
    """A published virtual session. Upcoming (in 7 days, registration open now) unless pasada=True
    (30 days ago, registration closed). Any model field can be overridden."""
    n = _n()
    ahora = timezone.now()
    inicio = ahora - timedelta(days=30) if pasada else ahora + timedelta(days=7)
    aut = autoridad_ or (ciclo_.autoridad if ciclo_ else autoridad())
    datos = {
        "autoridad": aut,
        "ciclo": ciclo_,
        "numero": n,
        "titulo": f"Jornada de sensibilización {n}",
        "slug": f"jornada-{n}-{uuid.uuid4().hex[:6]}",
        "inicio": inicio,
        "fin": inicio + timedelta(hours=2),
        "coordinador": "José Martínez Vilchis",
        "cargo_coordinador": "Comisionado Presidente",
        "temas": "Acceso a la información y Transparencia Proactiva\nAtributos de calidad de la información",
        "modalidad": Jornada.Modalidad.VIRTUAL,
        "enlace_virtual": "https://videollamada.ejemplo.gob.mx/jornada",
        "registro_abre": ahora - timedelta(days=40 if pasada else 1),
        "registro_cierra": inicio,
        "publicada": True,
    }
    datos.update(campos)
    return Jornada.objects.create(**datos)


def sujetos(n=3, *, prefijo="Sujeto de prueba") -> list[SujetoObligado]:
    """n state bodies (created)."""
    k = _n()
    return SujetoObligado.objects.bulk_create(
        SujetoObligado(nombre=f"{prefijo} {k}-{i}", orden=SujetoObligado.Orden.ESTATAL,
                       tipo=SujetoObligado.Tipo.DEPENDENCIA, entidad_clave="15")
        for i in range(n)
    )


def participantes(n, *, sujetos_=None) -> list[Participante]:
    """n people with unique e-mails, spread round-robin over sujetos_ (or no body if empty)."""
    if sujetos_ is None:
        sujetos_ = sujetos(3)
    azar = random.Random(_n())  # noqa: S311 - test data
    base = _n()
    personas = []
    for i in range(n):
        nombre = f"{azar.choice(NOMBRES)} {azar.choice(APELLIDOS)} {azar.choice(APELLIDOS)}"
        personas.append(Participante(
            nombre=nombre,
            correo=f"persona{base}.{i}.{uuid.uuid4().hex[:4]}@ejemplo.gob.mx",
            sujeto=sujetos_[i % len(sujetos_)] if sujetos_ else None,
            cargo="Servidor público",
        ))
    creados = Participante.objects.bulk_create(personas)
    if creados and creados[0].pk is None:  # backends that do not return ids
        correos = [p.correo for p in personas]
        creados = list(Participante.objects.filter(correo__in=correos).order_by("pk"))
    return creados


def registrar(jornada_, n, *, asistio=False, sujetos_=None, canal=Registro.Canal.EN_LINEA) -> list[Registro]:
    """n new people registered to the session (attended or not)."""
    personas = participantes(n, sujetos_=sujetos_)
    marca = timezone.now() if asistio else None
    Registro.objects.bulk_create(
        Registro(jornada=jornada_, participante=p, canal=canal, asistio=asistio, asistencia_marcada_en=marca)
        for p in personas
    )
    # Re-read: tokens and ids as stored, in a stable order.
    return list(Registro.objects.filter(jornada=jornada_, participante__in=personas)
                .select_related("participante", "participante__sujeto").order_by("pk"))


def encuesta(jornada_) -> Encuesta:
    """The default survey that applies to the session (its cycle's, else its own)."""
    if jornada_.ciclo_id:
        return services.encuesta_predeterminada_crear(ciclo=jornada_.ciclo)
    return services.encuesta_predeterminada_crear(jornada=jornada_)


def responder(registros, *, satisfaccion=5, opciones=(0,), comentario="Información muy completa") -> Encuesta | None:
    """Record the default survey answered by each registration (they must have attended): one
    anonymous RespuestaEncuesta per person, written at once as a group (as the service writes a
    group once it has the minimum; here whatever the size, so tests can build small groups and see
    them withheld), and the date stamped on the Registro."""
    registros = list(registros)
    if not registros:
        return None
    hoy = timezone.localdate()
    enc = encuesta(registros[0].jornada)
    preguntas = {p.tipo: p for p in enc.preguntas.all()}
    envios, respuestas = [], []
    for r in registros:
        envio = RespuestaEncuesta(encuesta=enc, jornada_id=r.jornada_id)
        envios.append(envio)
        multiple = preguntas[Pregunta.Tipo.MULTIPLE]
        for i in opciones:
            respuestas.append(Respuesta(envio=envio, pregunta=multiple, opcion=multiple.opciones[i]))
        respuestas.append(Respuesta(envio=envio, pregunta=preguntas[Pregunta.Tipo.ESCALA], valor=satisfaccion))
        if comentario:
            respuestas.append(Respuesta(envio=envio, pregunta=preguntas[Pregunta.Tipo.TEXTO], texto=comentario))
    RespuestaEncuesta.objects.bulk_create(envios)
    Respuesta.objects.bulk_create(respuestas)
    Registro.objects.filter(pk__in=[r.pk for r in registros]).update(encuesta_respondida_en=hoy)
    for r in registros:
        r.encuesta_respondida_en = hoy
    return enc


def jornada_con_asistentes(n, *, respondieron=0, ausentes=0, sujetos_=None, **campos) -> Jornada:
    """A past session (override with pasada=False) with n attendees, of whom the first
    `respondieron` answered the survey, plus `ausentes` registered people who did not attend."""
    campos.setdefault("pasada", True)
    j = jornada(**campos)
    asistentes = registrar(j, n, asistio=True, sujetos_=sujetos_)
    if ausentes:
        registrar(j, ausentes, asistio=False, sujetos_=sujetos_)
    if respondieron:
        responder(asistentes[:respondieron])
    return j


def ciclo_con_jornadas(*, jornadas=2, asistentes=5, respondieron=3, **campos_ciclo) -> Ciclo:
    """A cycle of past sessions, each with attendees and answers."""
    c = ciclo(**campos_ciclo)
    comunes = sujetos(3)
    for _ in range(jornadas):
        jornada_con_asistentes(asistentes, respondieron=respondieron, ciclo_=c, sujetos_=comunes)
    return c
