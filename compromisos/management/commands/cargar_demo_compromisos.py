"""Demo cartas compromiso, from the Nuevo León open-government report (seeds/003_*): during the
socialisation of the practical guide, the state government gathered the commitment of 7
institutions to produce 13 new practices — Secretaría de Administración (3), INDE (3), Secretaría
del Trabajo (2), Secretaría de Medio Ambiente (2), Secretaría de las Mujeres (1), Secretaría de
Cultura (1) and Secretaría de Economía (1). The report gives the institutions and the counts only:
the practices' titles, signers and dates below are made up, and marked as demo.

Made through the services the pages use: six letters accepted by INFO NL's staff with their
follow-up under way (one practice submitted to INFO NL's open call and linked to its commitment,
one past its target date), one still presented, waiting for staff. Safe to run again: a body that
already has a letter to INFO NL is left as it is."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from weasyprint import HTML

from compromisos import services
from compromisos.models import CartaCompromiso, PracticaComprometida
from convocatorias.models import Convocatoria
from core.models import AutoridadGarante, Usuario
from practicas import services as practicas_services
from practicas.models import Practica, SujetoObligado

SIGLAS = "INFO NL"
ENTIDAD = "19"
EP = PracticaComprometida.Estado
AREA = "Unidad de Transparencia"

# body -> (signer's position, [(title, information need, responsible area, days from today to the
# target date, follow-up: (state, url) or None)])
CARTAS = {
    "Secretaría de Administración": ("Titular de la Secretaría de Administración", [
        ("Compras y contrataciones del Gobierno del Estado en datos abiertos",
         "Proveedores y personas interesadas preguntan qué compra el Estado, a quién y a qué precio.",
         "Dirección General de Adquisiciones", 60, (EP.POSTULADA, "https://demo.reconoce.mx/nl/compras")),
        ("Padrón de bienes inmuebles del Estado con su uso actual",
         "Se solicita con frecuencia qué inmuebles tiene el Estado y para qué se usan.",
         "Dirección de Patrimonio", 120, (EP.EN_ELABORACION, "")),
        ("Tabulador de sueldos en formato reutilizable",
         "Las consultas sobre remuneraciones se responden una a una.", "Dirección de Recursos Humanos", -20,
         (EP.PUBLICADA, "https://demo.reconoce.mx/nl/tabulador")),
    ]),
    "Instituto Estatal de Cultura Física y Deporte": ("Dirección General del INDE", [
        ("Mapa de unidades deportivas y sus servicios",
         "Las familias buscan dónde hacer deporte cerca de casa y a qué hora.", "Dirección de Infraestructura", 45,
         (EP.PUBLICADA, "https://demo.reconoce.mx/nl/unidades-deportivas")),
        ("Becas y apoyos a deportistas: requisitos, montos y personas beneficiarias",
         "Deportistas y entrenadores preguntan cómo acceder a los apoyos.", "Dirección de Alto Rendimiento", 90, None),
        ("Calendario de actividades deportivas gratuitas", "La población no encuentra la oferta gratuita en un solo lugar.",
         "Dirección de Deporte Social", 150, None),
    ]),
    "Secretaría del Trabajo": ("Titular de la Secretaría del Trabajo", [
        ("Vacantes y ferias de empleo por municipio", "Quienes buscan empleo preguntan por vacantes cerca de su municipio.",
         "Servicio Nacional de Empleo Nuevo León", 30, (EP.EN_ELABORACION, "")),
        ("Guía de derechos laborales y trámites de conciliación",
         "Personas trabajadoras no saben a dónde acudir ante un conflicto laboral.", "Centro de Conciliación Laboral",
         180, None),
    ]),
    "Secretaría de Medio Ambiente": ("Titular de la Secretaría de Medio Ambiente", [
        ("Calidad del aire explicada, con recomendaciones por nivel",
         "Los índices de calidad del aire se publican sin decir qué hacer.", "Dirección de Calidad del Aire", 20,
         (EP.PUBLICADA, "https://demo.reconoce.mx/nl/calidad-del-aire")),
        ("Verificación vehicular: centros, costos y calendario",
         "Automovilistas preguntan dónde y cuándo verificar.", "Dirección de Gestión Integral", -15, None),
    ]),
    "Secretaría de las Mujeres": ("Titular de la Secretaría de las Mujeres", [
        ("Mapa de servicios de atención a mujeres en situación de violencia",
         "Las mujeres y sus redes de apoyo no saben qué servicio queda más cerca y qué ofrece.",
         "Dirección de Atención y Prevención de la Violencia", 75, (EP.EN_ELABORACION, "")),
    ]),
    "Secretaría de Cultura": ("Titular de la Secretaría de Cultura", [
        ("Convocatorias de estímulos a la creación artística y sus resultados",
         "Creadoras y creadores piden saber quién recibe estímulos y con qué criterios.", "Dirección de Desarrollo Cultural",
         100, None),
    ]),
    "Secretaría de Economía": ("Titular de la Secretaría de Economía", [
        ("Apoyos a micro y pequeñas empresas: requisitos, montos y resultados",
         "Personas emprendedoras preguntan qué apoyos hay y quién los ha recibido.", "Dirección de Fomento a MiPyMEs",
         140, None),
    ]),
}
# Still waiting for INFO NL's staff: the one letter the panel shows to accept or return.
PRESENTADA = "Secretaría de Economía"

# One scan stands for every signed letter (rendered once: WeasyPrint takes a second a page).
FIRMA_HTML = """<html lang="es"><body><h1>Carta compromiso firmada</h1>
<p>Documento de demostración: en un portal real, aquí va la carta firmada y escaneada.</p></body></html>"""


def _firmada() -> bytes:
    return HTML(string=FIRMA_HTML).write_pdf()


class Command(BaseCommand):
    help = "Carga cartas compromiso de demostración (INFO NL: 7 instituciones, 13 prácticas). Idempotente."

    def handle(self, *args, **options):
        autoridad = AutoridadGarante.objects.filter(siglas=SIGLAS).first()
        personal = Usuario.objects.filter(email="personal.nl@demo.reconoce.mx").first()
        enlace = Usuario.objects.filter(email="enlace.nl@demo.reconoce.mx").first()
        if autoridad is None or personal is None or enlace is None:
            raise CommandError("Primero ejecute `manage.py cargar_demo` (INFO NL, su personal y su enlace).")
        hoy = timezone.localdate()
        nuevas, pdf = 0, None
        with transaction.atomic():
            for numero, (nombre, (cargo, practicas)) in enumerate(CARTAS.items(), start=1):
                sujeto = SujetoObligado.objects.get(nombre=nombre, entidad_clave=ENTIDAD)
                if CartaCompromiso.objects.filter(sujeto=sujeto, autoridad=autoridad).exists():
                    continue
                # The enlace's own body registers its letter online; the others were received on paper.
                quien = enlace if nombre == "Secretaría de Administración" else personal
                firmante = f"Persona titular {numero} (demo)"
                carta = services.carta_crear(
                    sujeto=sujeto, usuario=quien, firmante_nombre=firmante, firmante_cargo=cargo,
                    fecha=hoy - timedelta(days=200),
                    practicas=[{"titulo": t, "necesidad": n, "area_responsable": a, "fecha_meta": hoy + timedelta(days=d)}
                               for t, n, a, d, _s in practicas])
                pdf = pdf or _firmada()
                services.carta_adjuntar_firmada(carta=carta, usuario=quien,
                                                archivo=SimpleUploadedFile("carta-firmada.pdf", pdf))
                services.carta_presentar(carta=carta, usuario=quien)
                nuevas += 1
                if nombre == PRESENTADA:
                    continue
                services.carta_aceptar(carta=carta, usuario=personal)
                for compromiso, (_t, _n, _a, _d, seguimiento) in zip(carta.practicas.order_by("pk"), practicas,
                                                                     strict=True):
                    if seguimiento is None:
                        continue
                    estado, url = seguimiento
                    practica = self._postulada(autoridad, sujeto, enlace, compromiso) if estado == EP.POSTULADA else None
                    services.compromiso_actualizar(compromiso=compromiso, usuario=quien, estado=estado,
                                                   url_publicacion=url, practica=practica)
            services.compromisos_vencer(hoy=hoy)
        cartas = CartaCompromiso.objects.filter(autoridad=autoridad)
        self.stdout.write(self.style.SUCCESS(
            f"  {SIGLAS}: {cartas.count()} cartas compromiso ({nuevas} nuevas), "
            f"{PracticaComprometida.objects.filter(carta__autoridad=autoridad).count()} prácticas comprometidas "
            f"(/cartas-compromiso/)."))

    def _postulada(self, autoridad, sujeto, enlace, compromiso) -> Practica:
        """The practice the Secretaría de Administración submits to INFO NL's open call, from its
        commitment, through the services the submission form uses."""
        conv = Convocatoria.objects.filter(autoridad=autoridad, estado=Convocatoria.Estado.ABIERTA).order_by("-anio").first()
        if conv is None:
            raise CommandError("INFO NL no tiene una convocatoria abierta: ejecute `manage.py cargar_demo`.")
        url = "https://demo.reconoce.mx/nl/compras"
        practica = practicas_services.practica_crear(
            convocatoria=conv, sujeto=sujeto, usuario=enlace,
            datos={"nombre": compromiso.titulo, "area_responsable": compromiso.area_responsable,
                   "contacto_nombre": "Héctor Leal Montemayor (demo)", "contacto_cargo": "Titular de la Unidad de Transparencia",
                   "contacto_correo": "enlace.nl@demo.reconoce.mx", "descripcion": (
                       "Las compras y contrataciones del Gobierno del Estado, con proveedor, monto, procedimiento y "
                       "contrato, en datos abiertos que se actualizan cada mes."),
                   "necesidad_informacion": compromiso.necesidad,
                   "identificacion_necesidad": "Análisis de las solicitudes de información del último año.",
                   "poblacion_objetivo": "Proveedores, periodistas y personas interesadas en el gasto público.",
                   "url_publicacion": url, "fecha_inicio": timezone.localdate() - timedelta(days=60)},
            evidencias={c.pk: f"La práctica atiende el criterio «{c.nombre}»: se documenta en el sitio publicado."
                        for c in conv.criterios.all()})
        practicas_services.soporte_agregar_enlace(practica=practica, usuario=enlace, url=url,
                                                  descripcion="Sitio donde se publica la práctica")
        return practicas_services.practica_enviar(practica=practica, usuario=enlace)
