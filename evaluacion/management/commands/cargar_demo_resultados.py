"""Demo data for the catalogue: the 2023 call of `cargar_demo` taken through the whole cycle with
the domain services, so the catalogue, the results page and the verification pages have something
real to show. Fourteen practices of Estado de México bodies received on paper in June 2023, all
admitted, scored by the five seats of the jury, twelve recognised and two not, rulings signed by
each juror on 24 August 2023 (before the results second, 25 August 2023 10:00, which is why the signing gets an
explicit `ahora`), results published.

Needs the authority, the bodies and the 2023 call of `cargar_demo` (which calls this command at its
end). Safe to run again: every step looks at the state the call is in and does only what is
missing, so an interrupted run resumes. Deterministic: the same scores on every machine. The
recognitions ran from 25 August 2023 to 25 August 2024, so today they are historic ("vencido").
Signing renders the dictamen and reconocimiento PDFs (eagerly without a broker): about a minute."""

import random
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from convocatorias.models import Convocatoria
from core import certificados_demo
from core import documentos as core_documentos
from core.models import Usuario
from evaluacion import busqueda, services
from evaluacion.models import Admisibilidad, Dictamen, Evaluacion
from practicas.models import Evidencia, Practica, Soporte, SujetoObligado
from practicas.services import practica_enviar

ZONA = ZoneInfo("America/Mexico_City")
PREFIJO, ANIO = "INFOEM-TP", 2023
ENTIDAD = "15"
SEMILLA = 2023
PERSONAL = "personal@demo.reconoce.mx"
FIRMA = datetime(2023, 8, 24, 17, 0, tzinfo=ZONA)  # the jury's session, the day before the results

# name, body, base score (the mean the five jurors give, ± a little), description, information need,
# population, where it is published, start date, subject (for the evidence texts).
PRACTICAS = [
    ("Presupuesto ciudadano 2023", "Secretaría de Finanzas", 9.4,
     "Versión en lenguaje sencillo del Presupuesto de Egresos 2023 con gráficas interactivas, glosario y los "
     "datos del gasto por programa en CSV y JSON, actualizados cada trimestre.",
     "Las solicitudes de información más frecuentes preguntaban en qué se gasta el presupuesto estatal y "
     "cuánto recibe cada programa.", "Habitantes del Estado de México, periodistas y organizaciones civiles.",
     "https://finanzas.edomex.gob.mx/presupuesto-ciudadano-2023", date(2023, 2, 1), "el presupuesto estatal"),
    ("Mapa de obra pública municipal", "Ayuntamiento de Toluca", 9.1,
     "Mapa en línea de cada obra pública en ejecución: ubicación, monto contratado, empresa, avance físico y "
     "financiero y fotografías, con descarga de la base completa en datos abiertos.",
     "Vecinas y vecinos pedían saber qué obra se realizaba en su colonia, con qué presupuesto y cuándo "
     "terminaría.", "Habitantes de Toluca y comités ciudadanos de control y vigilancia.",
     "https://www.toluca.gob.mx/obra-publica/mapa", date(2022, 11, 15), "la obra pública municipal"),
    ("Calidad del agua potable por municipio", "Comisión del Agua del Estado de México", 8.9,
     "Resultados mensuales de los análisis de laboratorio del agua de las fuentes de abastecimiento, por "
     "municipio y localidad, con semáforo de cumplimiento de la norma.",
     "La población preguntaba si el agua de la red es apta para consumo y qué hacer en caso de "
     "contaminación.", "Usuarios de los sistemas de agua potable de los 125 municipios.",
     "https://caem.edomex.gob.mx/calidad-del-agua", date(2023, 1, 10), "la calidad del agua potable"),
    ("Cabildo abierto: sesiones, votaciones y acuerdos", "Ayuntamiento de Metepec", 8.7,
     "Publicación de las actas, el sentido del voto de cada integrante del cabildo y el seguimiento de los "
     "acuerdos, con buscador y transmisión de las sesiones.",
     "La ciudadanía no conocía qué se decidía en el cabildo ni cómo votaba cada regiduría.",
     "Habitantes de Metepec y medios de comunicación locales.",
     "https://www.metepec.gob.mx/cabildo-abierto", date(2022, 9, 1), "las sesiones de cabildo"),
    ("Tablero de abasto de medicamentos", "Secretaría de Salud", 8.6,
     "Tablero semanal con el porcentaje de abasto de medicamentos del cuadro básico en cada hospital y "
     "centro de salud, con datos abiertos descargables.",
     "Pacientes y familiares preguntaban en qué unidades había medicamentos disponibles.",
     "Personas usuarias de los servicios estatales de salud.",
     "https://salud.edomex.gob.mx/abasto-medicamentos", date(2023, 3, 6), "el abasto de medicamentos"),
    ("Padrón de beneficiarios de programas sociales", "Ayuntamiento de Naucalpan de Juárez", 8.4,
     "Padrón de personas beneficiarias de los programas sociales municipales, protegido en sus datos "
     "personales, con montos entregados por colonia y reglas de operación.",
     "Se pedía saber quién recibe los apoyos y con qué criterios se asignan.",
     "Habitantes de Naucalpan y personas solicitantes de apoyos.",
     "https://www.naucalpan.gob.mx/programas-sociales/padron", date(2022, 7, 1), "los programas sociales"),
    ("Geoportal de resultados electorales", "Instituto Electoral del Estado de México", 8.8,
     "Resultados de las elecciones locales por sección electoral en un mapa, con series históricas y "
     "descarga de las bases de datos.", "Investigadores, partidos y medios pedían los resultados "
     "desagregados por sección.", "Ciudadanía, academia y medios de comunicación.",
     "https://www.ieem.org.mx/geoportal", date(2023, 6, 5), "los resultados electorales"),
    ("Rutas y tarifas del transporte público", "Secretaría de Movilidad", 8.2,
     "Catálogo de rutas concesionadas con recorridos en mapa, tarifas autorizadas y datos en formato GTFS "
     "para aplicaciones de movilidad.", "Las personas usuarias desconocían la tarifa autorizada y el "
     "recorrido de cada ruta.", "Personas usuarias del transporte público y desarrolladores.",
     "https://smovilidad.edomex.gob.mx/rutas-y-tarifas", date(2022, 10, 3), "el transporte público"),
    ("Seguimiento de reportes de alumbrado y baches", "Ayuntamiento de Ecatepec de Morelos", 8.0,
     "Sistema público de seguimiento de los reportes ciudadanos de alumbrado, baches y fugas: fecha de "
     "reporte, estado y tiempo de atención, con estadísticas por colonia.",
     "Las personas que reportaban una falla no sabían si se atendería ni cuándo.",
     "Habitantes de Ecatepec de Morelos.", "https://www.ecatepec.gob.mx/reportes", date(2023, 1, 16),
     "la atención de reportes ciudadanos"),
    ("Mapa de servicios de atención a mujeres", "Secretaría de las Mujeres", 9.0,
     "Mapa de los centros de atención, refugios y líneas de ayuda para mujeres en situación de violencia, "
     "con horarios, servicios y rutas de acceso.", "Mujeres en situación de violencia y sus redes de apoyo "
     "no encontraban dónde pedir ayuda cerca de su domicilio.",
     "Mujeres del Estado de México y organizaciones que las acompañan.",
     "https://mujeres.edomex.gob.mx/mapa-de-servicios", date(2022, 11, 25), "los servicios de atención"),
    ("Transparencia en becas estudiantiles", "Universidad Autónoma del Estado de México", 7.9,
     "Convocatorias, criterios, número de becas asignadas por espacio académico y montos, en datos abiertos "
     "y con un calendario de pagos.", "Estudiantes preguntaban cómo se asignan las becas y cuándo se pagan.",
     "Estudiantes y aspirantes de la UAEMéx.", "https://www.uaemex.mx/becas/transparencia",
     date(2023, 2, 13), "las becas estudiantiles"),
    ("Compras públicas municipales en datos abiertos", "Ayuntamiento de Tlalnepantla de Baz", 8.3,
     "Publicación de cada procedimiento de compra: convocatoria, proveedores participantes, fallo, contrato "
     "y pagos, con el estándar de datos para las contrataciones abiertas.",
     "Empresas y ciudadanía pedían conocer a quién se compra y a qué precio.",
     "Proveedores, cámaras empresariales y ciudadanía.", "https://www.tlalnepantla.gob.mx/compras-abiertas",
     date(2022, 8, 8), "las compras públicas"),
    # Not recognised: below the jury's bar.
    ("Directorio de servidores públicos", "Ayuntamiento de Zinacantepec", 5.6,
     "Directorio con nombre, cargo y teléfono de las personas servidoras públicas del ayuntamiento.",
     "Obligación de transparencia común.", "Habitantes de Zinacantepec.",
     "https://www.zinacantepec.gob.mx/directorio", date(2023, 4, 3), "el directorio municipal"),
    ("Calendario de apoyos al campo", "Secretaría del Campo", 6.1,
     "Calendario de ventanillas de los programas de apoyo al campo en formato PDF.",
     "Productores preguntaban las fechas de las ventanillas.", "Productoras y productores agrícolas.",
     "https://secampo.edomex.gob.mx/calendario", date(2023, 3, 20), "los apoyos al campo"),
]
UMBRAL = Decimal("7.00")

EVIDENCIA = [
    "Se analizaron las solicitudes de información y las consultas recibidas sobre {t}; las preguntas "
    "recurrentes definieron qué publicar.",
    "La información sobre {t} se publica completa, con fecha de actualización, fuente y en formatos abiertos "
    "(CSV y JSON) además de su visualización.",
    "La información sobre {t} se difunde en el portal, en redes sociales, en carteles con código QR y en "
    "sesiones informativas presenciales.",
    "El portal registra las consultas y descargas de la información sobre {t}; organizaciones y medios la "
    "han reutilizado en notas y análisis.",
    "Mesas de trabajo con la ciudadanía y grupos de interés definieron cómo presentar {t}.",
    "Disminuyeron las solicitudes de información repetidas sobre {t} y aumentó la participación en su "
    "seguimiento.",
]
MOTIVO_ALTO = "La evidencia demuestra el cumplimiento del criterio con información verificable."
MOTIVO_BAJO = "La evidencia es insuficiente: la información corresponde a obligaciones comunes y no amplía su utilidad."


class Command(BaseCommand):
    help = "Lleva la convocatoria de demostración 2023 a resultados publicados con prácticas reconocidas (idempotente)."

    def add_arguments(self, parser):
        parser.add_argument("--forzar", action="store_true", help="Cargar aunque DEBUG esté desactivado.")

    def handle(self, *args, forzar=False, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError("DEBUG está desactivado: use --forzar solo en un entorno de demostración.")
        conv = Convocatoria.objects.filter(prefijo_folio=PREFIJO, anio=ANIO).first()
        personal = Usuario.objects.filter(email__iexact=PERSONAL).first()
        if conv is None or personal is None:
            raise CommandError("Primero ejecute `manage.py cargar_demo` (autoridad, sujetos y convocatoria 2023).")
        self.rng = random.Random(SEMILLA)  # noqa: S311 - deterministic demo scores
        # The demo bodies' addresses are made up: the notices are recorded, not printed to the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            if conv.estado == Convocatoria.Estado.CERRADA:
                with transaction.atomic():
                    self._recibir_y_admitir(conv, personal)
                conv.refresh_from_db()
            if conv.calificacion_abierta:
                with transaction.atomic():
                    self._calificar(conv, personal)
                conv.refresh_from_db()
            if conv.estado == Convocatoria.Estado.EN_EVALUACION:
                with transaction.atomic():
                    self._firmar(conv, personal)
                    services.resultados_publicar(convocatoria=conv)
                conv.refresh_from_db()
        busqueda.indexar(Dictamen.objects.filter(practica__convocatoria=conv, decision=Dictamen.Decision.PROCEDENTE)
                         .values_list("practica_id", flat=True))
        reconocidas = Dictamen.objects.filter(practica__convocatoria=conv, estado=Dictamen.Estado.FIRMADO,
                                              decision=Dictamen.Decision.PROCEDENTE).count()
        self.stdout.write(self.style.SUCCESS(
            f"  {conv.titulo}: {conv.get_estado_display().lower()}; {reconocidas} prácticas reconocidas "
            f"en el catálogo (/practicas-reconocidas/)."))

    # --- steps -----------------------------------------------------------------------------------

    def _recibir_y_admitir(self, conv, personal):
        """Practices received on paper in June 2023, recorded by staff, all admitted; jury accounts."""
        criterios = list(conv.criterios.order_by("numero"))
        existentes = set(conv.practicas.values_list("nombre", flat=True))
        for i, (nombre, sujeto_nombre, _p, desc, necesidad, poblacion, url, inicio, tema) in enumerate(PRACTICAS):
            if nombre in existentes:
                continue
            sujeto = SujetoObligado.objects.get(nombre=sujeto_nombre, entidad_clave=ENTIDAD)
            practica = Practica.objects.create(
                convocatoria=conv, sujeto=sujeto, nombre=nombre, creada_por=personal, canal=Practica.Canal.PAPEL,
                area_responsable="Unidad de Transparencia", contacto_nombre="Titular de la Unidad de Transparencia",
                contacto_cargo="Titular de la Unidad de Transparencia",
                contacto_correo=f"transparencia.{i + 1}@demo.reconoce.mx", descripcion=desc,
                necesidad_informacion=necesidad,
                identificacion_necesidad="Análisis de las solicitudes de acceso a la información y de las consultas "
                                         "recibidas en el último año.",
                poblacion_objetivo=poblacion, url_publicacion=url, fecha_inicio=inicio,
            )
            Evidencia.objects.bulk_create([
                Evidencia(practica=practica, criterio=c, texto=EVIDENCIA[(c.numero - 1) % len(EVIDENCIA)].format(t=tema))
                for c in criterios
            ])
            Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url=url, subido_por=personal,
                                   descripcion="Sitio donde se publica la práctica")
            practica_enviar(practica=practica, usuario=personal,
                            recibida_en=datetime(2023, 6, 20 + i % 10, 12, 0, tzinfo=ZONA))
        for practica in conv.practicas.filter(estado=Practica.Estado.ENVIADA):
            adm = services.admisibilidad_obtener(practica=practica)
            if adm.resultado == Admisibilidad.Resultado.PENDIENTE:
                services.admisibilidad_registrar(
                    practica=practica, usuario=personal, resultado=Admisibilidad.Resultado.ADMITIDA,
                    requisitos={r.clave: (True, "") for r in adm.requisitos.all()})
        for miembro in conv.jurado.filter(usuario__isnull=True).order_by("orden"):
            usuario, _creado = Usuario.objects.get_or_create(
                email=f"jurado{miembro.orden}.{ANIO}@demo.reconoce.mx",
                defaults={"first_name": f"Integrante {miembro.orden}", "last_name": f"del Jurado {ANIO} (demo)"})
            if _creado:
                usuario.set_unusable_password()  # a record of who scored, not an account to log in with
                usuario.save(update_fields=["password"])
            miembro.usuario = usuario
            miembro.save(update_fields=["usuario"])
        services.admisibilidad_cerrar(convocatoria=conv, usuario=personal)

    def _calificar(self, conv, personal):
        """Each seat scores each practice around its base score, with reasons; then scoring closes."""
        base = {p[0]: p[2] for p in PRACTICAS}
        criterios = list(conv.criterios.order_by("numero"))
        for miembro in conv.jurado.select_related("usuario").order_by("orden"):
            for practica in conv.practicas.filter(admisibilidad__preseleccionada=True).order_by("consecutivo"):
                if Evaluacion.objects.filter(miembro=miembro, practica=practica,
                                             estado=Evaluacion.Estado.ENVIADA).exists():
                    continue
                media = base.get(practica.nombre, 8.0)
                motivo = MOTIVO_ALTO if media >= UMBRAL else MOTIVO_BAJO
                puntajes = {
                    c.pk: (str(min(10, max(0, round(media + self.rng.uniform(-0.8, 0.8), 1)))),
                           f"{motivo} (criterio {c.numero})")
                    for c in criterios
                }
                ev = services.evaluacion_guardar(miembro=miembro, practica=practica, usuario=miembro.usuario,
                                                 puntajes=puntajes)
                services.evaluacion_enviar(evaluacion=ev, usuario=miembro.usuario)
        services.calificacion_cerrar(convocatoria=conv, usuario=personal)

    def _firmar(self, conv, personal):
        """The jury decides by the mean score and each juror signs, with their own account, on
        24 August 2023 (the service behind the panel's signing form; the demo accounts have no
        password to re-enter). The last signature issues each ruling. In a call signed with e.firma
        each juror signs the ruling's PDF with their demo e.firma (core.certificados_demo): the PDF
        to sign is rendered here rather than by the worker, since the signatures need it now; each
        signature's own time is the moment the demo was loaded."""
        firmantes = {}
        if conv.firma_electronica:
            jurados = [m.usuario for m in conv.jurado.select_related("usuario").order_by("orden") if m.usuario]
            certificados_demo.preparar_efirmas(jurados, contrasena=certificados_demo.CONTRASENA)
            firmantes = {u.pk: certificados_demo.efirma(u, contrasena=certificados_demo.CONTRASENA) for u in jurados}
        for dictamen in Dictamen.objects.filter(practica__convocatoria=conv, estado=Dictamen.Estado.BORRADOR) \
                .order_by("practica__consecutivo"):
            decision = dictamen.propuesta or (
                Dictamen.Decision.PROCEDENTE if (dictamen.puntaje or 0) >= UMBRAL else Dictamen.Decision.NO_PROCEDENTE)
            consideraciones = ("El Jurado Calificador evaluó la práctica conforme a los criterios de la "
                               "convocatoria y a la evidencia presentada.")
            if (dictamen.decision, dictamen.consideraciones) != (decision, consideraciones):
                services.dictamen_guardar(dictamen=dictamen, usuario=personal, decision=decision, motivos={},
                                          consideraciones=consideraciones)
            dictamen.refresh_from_db()  # saving the draft prepared its PDF to sign anew
            if firmantes and dictamen.documento_id:
                core_documentos.documento_generar(documento_id=dictamen.documento_id)  # a rendered one stays
            firmados = set(dictamen.firmas.values_list("miembro_id", flat=True))
            for miembro in services.firmantes_esperados(dictamen):
                if miembro.pk in firmados:
                    continue
                dictamen = services.dictamen_firmar(dictamen=dictamen, usuario=miembro.usuario, ahora=FIRMA,
                                                    efirma=firmantes.get(miembro.usuario_id))
                if dictamen.estado == Dictamen.Estado.FIRMADO:
                    break
