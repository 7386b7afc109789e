"""Demo data for the jornadas: the 2023 cycle as Infoem's report on its awareness sessions tells
it (five sessions, 1,041 attendees, their anonymous survey answers and comments) and one upcoming
session in the present with registration open.

Needs the authority and the Estado de México bodies of `cargar_demo` (which calls this command at
its end). Safe to run again: sessions are looked up by slug and only saved when they differ, and
attendees are generated only when the 2023 cycle has none. Deterministic: the same names, bodies
and answers on every machine. Rows are written with bulk_create, so it takes about a second."""

import random
import unicodedata
from collections import Counter
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from core.demo import sincronizar
from core.models import AutoridadGarante
from core.templatetags.reconoce import fecha_hora
from jornadas import selectors, services
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

ZONA = ZoneInfo("America/Mexico_City")
SEMILLA = 2023
DOMINIO = "demo.reconoce.mx"

CICLO_2023 = {
    "slug": "jornadas-sensibilizacion-2023",
    "nombre": "Jornadas de sensibilización 2023",
    "anio": 2023,
    "descripcion": (
        "Como parte de los esfuerzos institucionales para ampliar el número de Sujetos Obligados que "
        "identifiquen y puedan llevar a cabo ejercicios de Transparencia Proactiva, y conforme al Plan de "
        "trabajo de la Comisión de Gobierno Abierto y Transparencia Proactiva, se celebraron las cinco "
        "Jornadas de Sensibilización aprobadas en dicho documento."
    ),
}

TEMAS = "\n".join([
    "Conceptos de Acceso a la Información y Transparencia Proactiva",
    "Objetivos de la Transparencia Proactiva: reducir asimetrías de la información, agilizar trámites y "
    "servicios, optimizar la toma de decisiones, detonar una efectiva rendición de cuentas y promover la "
    "participación ciudadana",
    "Diferencia entre información de interés público y Transparencia Proactiva",
    "Atributos de la calidad de la información que deben considerarse para potencializarla",
    "Fases de implementación de una práctica de Transparencia Proactiva",
    "Casos de éxito como referentes para replicar en sus áreas",
])

# (number, ordinal, date, coordinator, position, attendees): 1,041 in total, as the report says.
JORNADAS_2023 = [
    (1, "Primera", date(2023, 2, 9), "José Martínez Vilchis", "Comisionado Presidente", 248),
    (2, "Segunda", date(2023, 2, 16), "María del Rosario Mejía Ayala", "Comisionada", 196),
    (3, "Tercera", date(2023, 2, 23), "Luis Gustavo Parra Noriega", "Comisionado", 221),
    (4, "Cuarta", date(2023, 3, 7), "Sharon C. Morales Martínez", "Comisionada", 187),
    (5, "Quinta", date(2023, 3, 9), "Guadalupe Ramírez Peña", "Comisionada", 189),
]
TOTAL_2023 = sum(j[5] for j in JORNADAS_2023)

NOMBRES = [
    "María", "José", "Guadalupe", "Juan", "Ana", "Luis", "Rosa", "Carlos", "Verónica", "Jesús", "Alejandra",
    "Miguel", "Patricia", "Francisco", "Laura", "Jorge", "Adriana", "Ricardo", "Gabriela", "Fernando",
    "Claudia", "Alejandro", "Mónica", "Roberto", "Leticia", "Eduardo", "Silvia", "Arturo", "Elizabeth",
    "Sergio", "Norma", "Javier", "Martha", "Daniel", "Diana", "Raúl", "Karla", "Víctor", "Yolanda", "Héctor",
    "Araceli", "Óscar", "Beatriz", "Enrique", "Lorena", "Marco Antonio", "Itzel", "Iván", "Ximena", "Rodrigo",
]
APELLIDOS = [
    "Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez", "Ramírez",
    "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Jiménez", "Reyes", "Díaz", "Torres", "Gutiérrez",
    "Ruiz", "Mendoza", "Aguilar", "Ortiz", "Castillo", "Romero", "Álvarez", "Juárez", "Moreno", "Chávez",
    "Rivera", "Domínguez", "Salazar", "Mejía", "Becerril", "Colín", "Albarrán", "Mercado", "Estrada",
    "Velázquez", "Nava",
]
CARGOS = [
    "Titular de la Unidad de Transparencia", "Servidor público habilitado", "Enlace de transparencia",
    "Jefatura de departamento", "Subdirección de área", "Dirección de área", "Coordinación administrativa",
    "Analista", "Auxiliar administrativo", "Asesoría jurídica", "Responsable de archivo",
]
COMENTARIOS_SEMILLA = [
    "Me gustaría que se incorporaran capacitaciones para la ejecución de proyectos de transparencia proactiva",
    "Solamente felicitarlos por impartir el tema de manera entendible y fácil.",
    "Información muy completa",
    "Me pareció un tema muy interesante",
    "Más capacitaciones como estas",
]
COMENTARIOS_OTROS = [
    "Excelente exposición, muy clara.",
    "Sería útil contar con la presentación para compartirla en mi área.",
    "Me gustaría conocer más casos de éxito de ayuntamientos.",
    "Muy buena sesión, gracias.",
    "Sugiero sesiones prácticas para identificar información de interés público.",
]
# Answer model: 88 % answer; options chosen with these probabilities; satisfaction weights 1..5.
PROB_RESPONDE = 0.88
PROB_OPCIONES = [0.58, 0.67, 0.52]
PESOS_SATISFACCION = [1, 2, 9, 35, 53]
PROB_COMENTARIO = 0.14


def _ascii(texto):
    texto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in texto if c.isalnum() and not unicodedata.combining(c)).lower()


def _local(dia, hora, minuto=0):
    return datetime.combine(dia, time(hora, minuto), tzinfo=ZONA)


class Command(BaseCommand):
    help = "Carga las jornadas de sensibilización de demostración (ciclo 2023 con 1,041 asistentes y una próxima)."

    def add_arguments(self, parser):
        parser.add_argument("--forzar", action="store_true",
                            help="Cargar aunque DEBUG esté desactivado (solo en entornos de demostración).")

    def handle(self, *args, forzar=False, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError("DEBUG está desactivado: esto parece un portal real. Use --forzar solo en un "
                               "entorno de demostración.")
        autoridad = AutoridadGarante.objects.filter(siglas="INFOEM").first()
        if autoridad is None:
            raise CommandError("No existe la autoridad INFOEM; ejecute primero «python manage.py cargar_demo».")
        sujetos = list(SujetoObligado.objects.filter(entidad_clave=autoridad.entidad_clave or "15", activo=True)
                       .order_by("nombre", "pk"))
        if not sujetos:
            raise CommandError("No hay sujetos obligados del Estado de México; ejecute primero «cargar_demo».")
        self.cambios = 0
        with transaction.atomic():
            ciclo, jornadas = self._ciclo_2023(autoridad)
            generados = self._asistentes(ciclo, jornadas, sujetos)
            proxima = self._proxima(autoridad)
        self._informe(ciclo, generados, proxima)

    # --- helpers ---------------------------------------------------------------------------------

    def _sincronizar(self, model, lookup: dict, valores: dict):
        obj, escrito = sincronizar(model, lookup, valores)
        self.cambios += escrito
        return obj
        cambiados = [c for c, v in valores.items() if getattr(obj, c) != v]
        if cambiados:
            for c in cambiados:
                setattr(obj, c, valores[c])
            obj.full_clean()
            obj.save()
            self.cambios += 1
        return obj

    def _ciclo_2023(self, autoridad):
        ciclo = self._sincronizar(Ciclo, {"slug": CICLO_2023["slug"]},
                                  {"autoridad": autoridad, **{k: v for k, v in CICLO_2023.items() if k != "slug"}})
        services.encuesta_predeterminada_crear(ciclo=ciclo)
        jornadas = []
        for numero, ordinal, dia, coordinador, cargo, _n in JORNADAS_2023:
            inicio = _local(dia, 10)
            jornadas.append(self._sincronizar(Jornada, {"slug": f"{ordinal.lower()}-jornada-sensibilizacion-2023"}, {
                "autoridad": autoridad, "ciclo": ciclo, "numero": numero,
                "titulo": f"{ordinal} Jornada de Sensibilización en Transparencia Proactiva",
                "inicio": inicio, "fin": inicio + timedelta(hours=2), "coordinador": coordinador,
                "cargo_coordinador": cargo, "temas": TEMAS, "modalidad": Jornada.Modalidad.VIRTUAL,
                "sede": "", "enlace_virtual": "", "cupo": None,
                "registro_abre": _local(date(2023, 1, 30), 9), "registro_cierra": inicio,
                "fase": Jornada.Fase.TEORICA, "publicada": True, "constancia_requiere_encuesta": False,
            }))
        return ciclo, jornadas

    def _asistentes(self, ciclo, jornadas, sujetos) -> int:
        """The 1,041 attendees and their answers, once."""
        if Registro.objects.filter(jornada__ciclo=ciclo).exists():
            return 0
        azar = random.Random(SEMILLA)  # noqa: S311 - demo data, not security
        municipales = [s for s in sujetos if s.orden == SujetoObligado.Orden.MUNICIPAL] or sujetos
        estatales = [s for s in sujetos if s.orden == SujetoObligado.Orden.ESTATAL] or sujetos

        personas, por_jornada = [], []
        for jornada, (*_resto, cuantos) in zip(jornadas, JORNADAS_2023, strict=True):
            for _i in range(cuantos):
                n = len(personas) + 1
                nombre = azar.choice(NOMBRES)
                ap1, ap2 = azar.choice(APELLIDOS), azar.choice(APELLIDOS)
                sujeto = azar.choice(municipales if azar.random() < 0.55 else estatales)
                personas.append(Participante(
                    nombre=f"{nombre} {ap1} {ap2}",
                    correo=f"{_ascii(nombre.split()[0])}.{_ascii(ap1)}{n:04d}@{DOMINIO}",
                    sujeto=sujeto, cargo=azar.choice(CARGOS),
                ))
                por_jornada.append(jornada)
        existentes = {p.correo: p for p in Participante.objects.filter(correo__endswith=f"@{DOMINIO}")}
        nuevos = [p for p in personas if p.correo not in existentes]
        Participante.objects.bulk_create(nuevos, batch_size=500)
        ids = dict(Participante.objects.filter(correo__endswith=f"@{DOMINIO}").values_list("correo", "pk"))
        registros = [
            Registro(jornada=j, participante_id=ids[p.correo], canal=Registro.Canal.IMPORTACION, asistio=True,
                     asistencia_marcada_en=j.fin)
            for p, j in zip(personas, por_jornada, strict=True)
        ]
        Registro.objects.bulk_create(registros, batch_size=500)

        encuesta = services.encuesta_predeterminada_crear(ciclo=ciclo)
        preguntas = {p.tipo: p for p in encuesta.preguntas.all()}
        multiple, escala, texto = (preguntas[Pregunta.Tipo.MULTIPLE], preguntas[Pregunta.Tipo.ESCALA],
                                   preguntas[Pregunta.Tipo.TEXTO])
        comentarios = COMENTARIOS_SEMILLA * 3 + COMENTARIOS_OTROS
        envios, respuestas, respondieron = [], [], {}
        for p, j in zip(personas, por_jornada, strict=True):
            if azar.random() >= PROB_RESPONDE:
                continue
            dia = timezone.localtime(j.inicio).date()
            envio = RespuestaEncuesta(encuesta=encuesta, jornada=j)
            envios.append(envio)
            elegidas = [o for o, prob in zip(multiple.opciones, PROB_OPCIONES, strict=True) if azar.random() < prob]
            for o in elegidas or [azar.choice(multiple.opciones)]:
                respuestas.append(Respuesta(envio=envio, pregunta=multiple, opcion=o))
            respuestas.append(Respuesta(envio=envio, pregunta=escala,
                                        valor=azar.choices(range(1, 6), weights=PESOS_SATISFACCION)[0]))
            if azar.random() < PROB_COMENTARIO:
                respuestas.append(Respuesta(envio=envio, pregunta=texto, texto=azar.choice(comentarios)))
            respondieron.setdefault(dia, []).append(ids[p.correo])
        # As the service writes them (jornadas.models.Encuesta): a session with fewer answers than the
        # minimum group has them pooled without session; rows in shuffled order.
        por_sesion = Counter(e.jornada_id for e in envios)
        for e in envios:
            if por_sesion[e.jornada_id] < selectors.minimo_grupo():
                e.jornada = None
        azar.shuffle(envios)
        azar.shuffle(respuestas)
        RespuestaEncuesta.objects.bulk_create(envios, batch_size=500)
        Respuesta.objects.bulk_create(respuestas, batch_size=1000)
        for dia, participantes in respondieron.items():
            Registro.objects.filter(jornada__ciclo=ciclo, participante_id__in=participantes).update(
                encuesta_respondida_en=dia)
        if respondieron:
            Encuesta.objects.filter(pk=encuesta.pk).update(resultados_actualizados=max(respondieron))
        self.cambios += 1
        return len(registros)

    def _proxima(self, autoridad):
        """One upcoming session in the present with registration open (moved forward if it passed)."""
        hoy = timezone.localdate()
        anio = hoy.year
        ciclo = self._sincronizar(Ciclo, {"slug": f"jornadas-sensibilizacion-{anio}"}, {
            "autoridad": autoridad, "nombre": f"Jornadas de sensibilización {anio}", "anio": anio,
            "descripcion": "Sesiones para que más sujetos obligados identifiquen e implementen prácticas de "
                           "Transparencia Proactiva.",
        })
        services.encuesta_predeterminada_crear(ciclo=ciclo)
        slug = f"primera-jornada-sensibilizacion-{anio}"
        existente = Jornada.objects.filter(slug=slug).first()
        if existente and existente.inicio > timezone.now() + timedelta(days=1):
            inicio = existente.inicio
        else:
            inicio = _local(hoy + timedelta(days=14), 10)
        return self._sincronizar(Jornada, {"slug": slug}, {
            "autoridad": autoridad, "ciclo": ciclo, "numero": 1,
            "titulo": "Primera Jornada de Sensibilización en Transparencia Proactiva",
            "inicio": inicio, "fin": inicio + timedelta(hours=2),
            "coordinador": "José Martínez Vilchis", "cargo_coordinador": "Comisionado Presidente",
            "temas": TEMAS, "modalidad": Jornada.Modalidad.MIXTA,
            "sede": "Auditorio del Infoem, Carretera Toluca-Ixtapan # 111, Colonia La Michoacana, Metepec",
            "enlace_virtual": "https://videollamada.infoem.org.mx/jornada-demo",
            "cupo": 300,
            "registro_abre": existente.registro_abre if existente and existente.registro_abre
            and existente.registro_abre <= timezone.now() else timezone.now() - timedelta(days=1),
            "registro_cierra": inicio - timedelta(hours=1),
            "fase": Jornada.Fase.TEORICA, "publicada": True, "constancia_requiere_encuesta": False,
        })

    def _informe(self, ciclo, generados, proxima):
        out = self.stdout
        asistentes = Registro.objects.filter(jornada__ciclo=ciclo, asistio=True).count()
        encuestas = RespuestaEncuesta.objects.filter(jornada__ciclo=ciclo).count()
        estado = " (sin cambios: ya estaban cargadas)." if not self.cambios else "."
        out.write(self.style.SUCCESS(f"Jornadas de demostración listas{estado}"))
        out.write(f"  {ciclo.nombre}: {ciclo.jornadas.count()} jornadas, {asistentes:,} asistentes, "
                  f"{encuestas:,} encuestas respondidas.")
        out.write(f"  Próxima: {proxima.titulo}, {fecha_hora(proxima.inicio)} "
                  f"(registro abierto en /jornadas/{proxima.slug}/).")
