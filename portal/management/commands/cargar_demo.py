"""Demo data so the portal can be tried on a fresh machine.

Two tenants on one instance:

- Infoem (Estado de México): its sujetos obligados (the 125 ayuntamientos and the main state
  bodies), the 2023 call exactly as Infoem published it, an open call in the present, and one
  account per role.
- INFO NL (Nuevo León): the state bodies of the carta compromiso in the 2022-2024 Nuevo León
  open-government report and two ayuntamientos, and an open call made through the services
  the panel uses, which differs on purpose: scale 0-5, one criterion weighted 2, 24 months of
  validity, a jury of three, only state bodies may enter. Its staff, an enlace and its three
  jurors get accounts; the 7 institutions' cartas compromiso (13 practices) are followed up
  (compromisos' cargar_demo_compromisos).

Both states' INEGI municipalities are loaded (the file holds only those two).

Safe to run again: every row is looked up by a natural key and only saved when it differs,
so a second run changes nothing (and adds no history entries).
"""

import csv
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from time import monotonic
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from convocatorias import services as convocatorias_services
from convocatorias.models import CRITERIOS_LINEAMIENTOS, Convocatoria, Criterio, MiembroJurado
from core import certificados_demo
from core.demo import sincronizar
from core.emblema import emblema_png
from core.models import (
    AutoridadGarante,
    FirmanteAutoridad,
    OrdenGobierno,
    PersonalGarante,
    TareaPendiente,
    Usuario,
)
from core.templatetags.reconoce import fecha_hora
from practicas.models import Enlace, Municipio, SujetoObligado

DATOS = Path(__file__).resolve().parent.parent.parent / "datos"
ZONA = ZoneInfo("America/Mexico_City")
PASOS = 7  # the progress lines of handle()
ENTIDAD_EDOMEX = "15"
ENTIDAD_NL = "19"
ESTADOS = {ENTIDAD_EDOMEX: "Estado de México", ENTIDAD_NL: "Nuevo León"}  # as the printed summary names them

# Shared by every demo account. Demo only: anyone who reads this file knows it.
CONTRASENA_DEMO = certificados_demo.CONTRASENA

INFOEM = {
    "nombre": (
        "Instituto de Transparencia, Acceso a la Información Pública y Protección de Datos Personales "
        "del Estado de México y Municipios"
    ),
    "slug": "infoem",
    "entidad_clave": ENTIDAD_EDOMEX,
    "domicilio": (
        "Calle de Pino Suárez sin número, actualmente Carretera Toluca-Ixtapan # 111, Colonia La Michoacana; "
        "Metepec, Estado de México, C.P. 52166"
    ),
    "unidades": "\n".join([
        "Dirección General de Transparencia, Acceso a la Información Pública y Gobierno Abierto",
        "Unidad de Investigación",
        "Dirección General Jurídica y Verificación",
        "Dirección General de Capacitación y Certificación",
        "Dirección de Archivo",
    ]),
    "correo_contacto": "priscila.gomez@infoem.org.mx",
    # A reserved domain: a demo pointed at a real mail server never writes as the institution.
    "remitente_correo": "avisos@infoem.example",
    "remitente_nombre": "INFOEM · Transparencia Proactiva",
    "sitio_web": "https://www.infoem.org.mx",
}
DG_TRANSPARENCIA = "Dirección General de Transparencia, Acceso a la Información Pública y Gobierno Abierto"

JURADO = [
    "Titular de la Unidad de Investigación",
    "Titular de la Dirección General de Transparencia, Acceso a la Información Pública y Gobierno Abierto",
    "Titular de la Dirección General Jurídica y Verificación",
    "Titular de la Dirección General de Capacitación y Certificación",
    "Titular de la Dirección de Archivo",
]

# The call's text, as Infoem's 2023 call states it.
TITULO = "Reconocimiento de Prácticas de Transparencia Proactiva {anio}"
PREFIJO = "INFOEM-TP"
OBJETIVO = (
    "Reconocer las iniciativas, prácticas y actividades que promueven la reutilización de la información "
    "que generan los Sujetos Obligados, considerando la demanda de la sociedad."
)
FUNDAMENTO = (
    "Artículo 56 de la Ley General de Transparencia y Acceso a la Información Pública; Capítulo III, "
    "Sección quinta, numeral vigésimo noveno, de los Lineamientos para Determinar los Catálogos y "
    "Publicación de Información de Interés Público; y para la Emisión y Evaluación de Políticas de "
    "Transparencia Proactiva (Lineamientos); artículo 70 de la Ley de Transparencia y Acceso a la "
    "Información Pública del Estado de México y Municipios; la política Novena de las Políticas de "
    "Transparencia Proactiva de Infoem y demás aplicables."
)
PARTICIPANTES = "Podrán participar los Sujetos Obligados estatales y municipales del Estado de México."
# One line per additional requirement: staff verify each as an item of the admissibility checklist.
REQUISITOS = (
    "La práctica fue desarrollada por el sujeto obligado y atiende el Capítulo III, Sección quinta, numeral "
    "trigésimo primero de los Lineamientos."
)
ENTREGA_2023 = (
    "Las propuestas podrán entregarse físicamente en las instalaciones del Instituto, o bien, vía correo "
    "electrónico. En ambas modalidades, se remitirá el formulario que se anexa a esta convocatoria con la "
    "información correspondiente y los soportes documentales de la práctica que sometan al proceso de "
    "evaluación, preferentemente en formato de datos abiertos."
)
ENTREGA_EN_LINEA = (
    "En línea en este portal, con el formulario y los soportes documentales de la práctica, "
    "preferentemente en formato de datos abiertos. También podrán entregarse físicamente en las "
    "instalaciones del Instituto, o bien, vía correo electrónico; el personal del Instituto las registra."
)
CORREOS_ENTREGA = "priscila.gomez@infoem.org.mx, adriana.cardenas@infoem.org.mx"


# --- INFO NL -----------------------------------------------------------------------------------
# Name and acronym as the 2022-2024 Nuevo León open-government report gives them ("Instituto
# Estatal de Transparencia, Acceso a la Información y Protección de Datos Personales de Nuevo León
# (INFO NL)"). The report gives no address, units or people: the domicilio is only the city, and
# the units, signers and jury seats below are illustrative. The signers' positions follow its
# predecessor COTAI's (seed 001 names a "Comisionado Vocal"); the people are fictitious, marked "(demo)".
# Contact addresses use the reserved .example domain (RFC 2606): nobody real receives them.
INFONL = {
    "nombre": "Instituto Estatal de Transparencia, Acceso a la Información y Protección de Datos Personales "
              "de Nuevo León",
    "slug": "info-nl",
    "entidad_clave": ENTIDAD_NL,
    "domicilio": "Monterrey, Nuevo León",
    "unidades": "\n".join([
        "Secretaría Técnica",
        "Dirección de Transparencia Proactiva",
        "Dirección de Capacitación y Vinculación",
        "Dirección Jurídica",
    ]),
    "correo_contacto": "contacto@infonl.example",
    "remitente_correo": "avisos@infonl.example",
    "remitente_nombre": "",
    "sitio_web": "",
    "color_primario": "#00594f",
}
FIRMANTES_INFOEM = [
    ("Alejandra Moreno Sánchez (demo)", "Comisionada Presidenta"),
]
SIGLAS_NL = "INFO NL"
# Not the first unit (the default): the call names the one that verifies the requirements.
DT_PROACTIVA_NL = "Dirección de Transparencia Proactiva"
FIRMANTES_NL = [
    ("Lucía Garza Treviño (demo)", "Comisionada Presidenta"),
    ("Ernesto Villarreal Cantú (demo)", "Comisionado Vocal"),
    ("Sofía Elizondo Ramos (demo)", "Comisionada Vocal"),
]
# The two municipalities that implemented the report's commitment with the state government.
AYUNTAMIENTOS_NL = ["19039", "19019"]  # Monterrey, San Pedro Garza García

TITULO_NL = "Reconocimiento de Prácticas de Transparencia Proactiva en Nuevo León {anio}"
PREFIJO_NL = "INFONL-TP"
OBJETIVO_NL = (
    "Reconocer las prácticas de Transparencia Proactiva de los sujetos obligados estatales de Nuevo León "
    "y fomentar el uso de la Guía Práctica de Transparencia Proactiva para el Estado de Nuevo León."
)
FUNDAMENTO_NL = (
    "Ley General de Transparencia y Acceso a la Información Pública; Lineamientos para la Emisión y "
    "Evaluación de Políticas de Transparencia Proactiva del Sistema Nacional de Transparencia; Ley de "
    "Transparencia y Acceso a la Información Pública del Estado de Nuevo León."
)
PARTICIPANTES_NL = "Podrán participar los Sujetos Obligados estatales de Nuevo León."
REQUISITOS_NL = (
    "La práctica fue desarrollada por el sujeto obligado y atiende los Lineamientos para la Emisión y "
    "Evaluación de Políticas de Transparencia Proactiva."
)
ENTREGA_NL = (
    "En línea en este portal, con el formulario y los soportes documentales de la práctica, "
    "preferentemente en formato de datos abiertos."
)
# The Lineamientos' six criteria; this call weighs the quality of the information double.
PESOS_NL = {2: Decimal("2.00")}
JURADO_NL = [
    "Titular de la Secretaría Técnica",
    "Titular de la Dirección de Transparencia Proactiva",
    "Titular de la Dirección de Capacitación y Vinculación",
]
JURADOS_NL = [("Rosa María", "Treviño Salazar"), ("Alejandro", "Garza Leal"), ("Verónica", "Montemayor Ríos")]


def _local(fecha, hora):
    return datetime.combine(fecha, hora, tzinfo=ZONA)


class Command(BaseCommand):
    help = "Carga datos de demostración (idempotente): Infoem, sujetos obligados, convocatorias y cuentas."

    def add_arguments(self, parser):
        parser.add_argument(
            "--forzar", action="store_true",
            help="Cargar aunque DEBUG esté desactivado. Las cuentas de demostración tienen una contraseña "
                 "conocida: nunca en un portal real.",
        )

    def handle(self, *args, forzar=False, **options):
        if not settings.DEBUG and not forzar:
            raise CommandError(
                "DEBUG está desactivado: esto parece un portal real y las cuentas de demostración tienen una "
                "contraseña conocida. Use --forzar solo en un entorno de demostración."
            )
        self.cambios = 0
        self._inicio = monotonic()
        self._pasos = 0
        with transaction.atomic():
            with self._paso("Municipios del INEGI, Infoem y sus sujetos obligados"):
                municipios = self._municipios()
                autoridad = self._autoridad()
                sujetos = self._sujetos(municipios)
            with self._paso("Convocatorias de Infoem (2023 y la abierta) y sus cuentas"):
                conv_2023 = self._convocatoria_2023(autoridad)
                conv_actual = self._convocatoria_actual(autoridad)
                cuentas = self._cuentas(autoridad, conv_actual)
            # The second tenant: its call is made through the services, by its own staff.
            with self._paso("INFO NL: sujetos obligados, personal, jurado y convocatoria"):
                infonl = self._autoridad_nl()
                sujetos_nl = self._sujetos_nl(municipios)
                personal_nl = self._personal_nl(infonl)
                jurados_nl = self._jurados_nl()
                conv_nl = self._convocatoria_nl(infonl, personal_nl, jurados_nl)
                cuentas_nl = self._cuentas_nl(infonl, personal_nl, jurados_nl, conv_nl)
                admin = self._usuario("admin@demo.reconoce.mx", "Administración", "(demo)", is_staff=True,
                                      is_superuser=True)
        # Before any document is rendered: each demo authority seals what it issues (demo CA only).
        with self._paso("Sellos electrónicos de demostración de cada autoridad y e.firma del jurado de INFO NL"):
            certificados_demo.preparar([autoridad, infonl])
            self._efirmas = certificados_demo.preparar_efirmas(jurados_nl, contrasena=CONTRASENA_DEMO)
        # Awareness sessions: the 2023 cycle as Infoem's report tells it and an upcoming session
        # (DEBUG already checked).
        with self._paso("Jornadas de sensibilización 2023 (asistencia, encuestas, constancias)"):
            call_command("cargar_demo_jornadas", forzar=True, stdout=self.stdout)
        with self._paso("Resultados 2023: dictámenes, reconocimientos y catálogo"):
            call_command("cargar_demo_resultados", forzar=True, stdout=self.stdout)
        with self._paso("Cartas compromiso de Nuevo León (7 instituciones, 13 prácticas)"):
            call_command("cargar_demo_compromisos", stdout=self.stdout)
        # Last, so the accounts are what the person sees right above the server's start-up lines.
        self._informe(municipios, {ENTIDAD_EDOMEX: sujetos, ENTIDAD_NL: sujetos_nl},
                      [conv_2023, conv_actual, conv_nl],
                      [*cuentas, *cuentas_nl, ("Administración", "superusuario; también entra a /admin/", admin)])

    @contextmanager
    def _paso(self, nombre):
        """One progress line per step, with its time (the steps are seconds each)."""
        self._pasos += 1
        self.stdout.write(f"[{self._pasos}/{PASOS}] {nombre}…")
        inicio = monotonic()
        yield
        self.stdout.write(f"      listo en {monotonic() - inicio:.1f} s.")

    # --- helpers ---------------------------------------------------------------------------------

    def _sincronizar(self, model, lookup: dict, valores: dict):
        obj, escrito = sincronizar(model, lookup, valores)
        self.cambios += escrito
        return obj

    # --- catalogues ------------------------------------------------------------------------------

    def _municipios(self):
        with (DATOS / "municipios_mex_nl.csv").open(encoding="utf-8", newline="") as fh:
            filas = list(csv.DictReader(fh))
        existentes = {m.cvegeo: m for m in Municipio.objects.all()}
        nuevos, cambiados = [], []
        for fila in filas:
            valores = {"entidad_clave": fila["clave_entidad"].zfill(2), "entidad": fila["entidad"],
                       "nombre": fila["municipio"]}
            actual = existentes.get(fila["cvegeo"])
            if actual is None:
                nuevos.append(Municipio(cvegeo=fila["cvegeo"], **valores))
            elif any(getattr(actual, k) != v for k, v in valores.items()):
                for k, v in valores.items():
                    setattr(actual, k, v)
                cambiados.append(actual)
        Municipio.objects.bulk_create(nuevos)
        Municipio.objects.bulk_update(cambiados, ["entidad_clave", "entidad", "nombre"])
        self.cambios += len(nuevos) + len(cambiados)
        return {m.cvegeo: m for m in Municipio.objects.all()}

    def _autoridad(self):
        autoridad = self._emblema(self._sincronizar(AutoridadGarante, {"siglas": "INFOEM"}, INFOEM))
        # Who signs its constancias in the demo (fictitious, marked as such; the panel edits them).
        for orden, (nombre, cargo) in enumerate(FIRMANTES_INFOEM, start=1):
            self._sincronizar(FirmanteAutoridad, {"autoridad": autoridad, "orden": orden},
                              {"nombre": nombre, "cargo": cargo})
        return autoridad

    def _emblema(self, autoridad):
        """A demo emblem (core.emblema) in place of the authority's crest, kept once written."""
        if autoridad.logo and autoridad.logo.storage.exists(autoridad.logo.name):
            return autoridad
        nombre = f"{autoridad.slug}-emblema-demo.png"
        ruta = autoridad.logo.field.generate_filename(autoridad, nombre)
        if autoridad.logo.storage.exists(ruta):  # left by an earlier database: written again, same name
            autoridad.logo.storage.delete(ruta)
        autoridad.logo.save(nombre,
                            ContentFile(emblema_png(autoridad.siglas, autoridad.color_primario)), save=False)
        AutoridadGarante.objects.filter(pk=autoridad.pk).update(logo=autoridad.logo.name)
        self.cambios += 1
        return autoridad

    def _sujetos(self, municipios):
        sujetos = {}
        for municipio in sorted(municipios.values(), key=lambda m: m.cvegeo):
            if municipio.entidad_clave != ENTIDAD_EDOMEX:
                continue
            sujeto = self._sincronizar(
                SujetoObligado,
                {"nombre": f"Ayuntamiento de {municipio.nombre}", "entidad_clave": ENTIDAD_EDOMEX},
                {"orden": SujetoObligado.Orden.MUNICIPAL, "tipo": SujetoObligado.Tipo.AYUNTAMIENTO,
                 "municipio": municipio, "activo": True},
            )
            sujetos[sujeto.nombre] = sujeto
        with (DATOS / "sujetos_estatales_mex.csv").open(encoding="utf-8", newline="") as fh:
            for fila in csv.DictReader(fh):
                sujeto = self._sincronizar(
                    SujetoObligado,
                    {"nombre": fila["nombre"], "entidad_clave": ENTIDAD_EDOMEX},
                    {"siglas": fila["siglas"], "orden": SujetoObligado.Orden.ESTATAL,
                     "tipo": SujetoObligado.Tipo(fila["tipo"]), "municipio": None, "activo": True},
                )
                sujetos[sujeto.nombre] = sujeto
        return sujetos

    # --- calls -----------------------------------------------------------------------------------

    def _convocatoria(self, autoridad, *, anio, estado, fechas, entrega, firma_electronica=False):
        """The call of one year. Dates and state are set when it is created and then left alone:
        staff (or a later step of the demo) may have moved it on."""
        conv = Convocatoria.objects.filter(prefijo_folio=PREFIJO, anio=anio).first()
        textos = {
            "autoridad": autoridad, "titulo": TITULO.format(anio=anio), "objetivo": OBJETIVO,
            "fundamento_legal": FUNDAMENTO, "participantes": PARTICIPANTES, "requisitos": REQUISITOS,
            "modalidades_entrega": entrega, "domicilio_entrega": INFOEM["domicilio"],
            "correos_entrega": CORREOS_ENTREGA, "correo_contacto": INFOEM["correo_contacto"],
            "vigencia_meses": 12, "escala_min": 0, "escala_max": 10,
        }
        if conv is None:
            # Criteria may only be written while the call is a draft, so it is born one.
            conv = self._sincronizar(
                Convocatoria, {"prefijo_folio": PREFIJO, "anio": anio},
                # How its rulings are signed is fixed from the start (rulings signed one way stay so).
                {**textos, **fechas, "slug": f"transparencia-proactiva-{anio}",
                 "estado": Convocatoria.Estado.BORRADOR, "firma_electronica": firma_electronica},
            )
        else:
            conv = self._sincronizar(Convocatoria, {"pk": conv.pk}, textos)
        if conv.estado == Convocatoria.Estado.BORRADOR:
            for numero, nombre in enumerate(CRITERIOS_LINEAMIENTOS, start=1):
                self._sincronizar(Criterio, {"convocatoria": conv, "numero": numero}, {"nombre": nombre})
            # Along the call's table (borrador → abierta → cerrada), in one save.
            conv.transicionar(Convocatoria.Estado.ABIERTA, guardar=False, publicada_en=fechas["fecha_apertura"])
            if estado == Convocatoria.Estado.CERRADA:
                conv.transicionar(Convocatoria.Estado.CERRADA, guardar=False)
            conv.save()
        # The seats are known from the call; the people are assigned by staff (or below, for the demo).
        for orden, cargo in enumerate(JURADO, start=1):
            self._sincronizar(MiembroJurado, {"convocatoria": conv, "orden": orden}, {"cargo": cargo})
        return conv

    def _convocatoria_2023(self, autoridad):
        fechas = {
            "fecha_apertura": _local(date(2023, 5, 15), time(0, 0)),
            "fecha_cierre": _local(date(2023, 6, 30), time(23, 59, 59)),
            "fecha_resultados": _local(date(2023, 8, 25), time(10, 0)),
        }
        # Its jurors sign the 2023 rulings with demo e.firma (cargar_demo_resultados makes them).
        return self._convocatoria(autoridad, anio=2023, estado=Convocatoria.Estado.CERRADA, fechas=fechas,
                                  entrega=ENTREGA_2023, firma_electronica=True)

    def _convocatoria_actual(self, autoridad):
        hoy = timezone.localdate(timezone=ZONA)
        cierre = hoy + timedelta(days=45)
        fechas = {
            "fecha_apertura": _local(hoy - timedelta(days=14), time(0, 0)),
            "fecha_cierre": _local(cierre, time(23, 59, 59)),
            "fecha_resultados": _local(cierre + timedelta(days=30), time(10, 0)),
        }
        return self._convocatoria(autoridad, anio=hoy.year, estado=Convocatoria.Estado.ABIERTA, fechas=fechas,
                                  entrega=ENTREGA_EN_LINEA)

    # --- accounts --------------------------------------------------------------------------------

    def _usuario(self, email, nombre, apellidos, **banderas):
        usuario = Usuario.objects.filter(email__iexact=email).first()
        if usuario is None:
            usuario = Usuario.objects.create_user(email=email, password=CONTRASENA_DEMO, first_name=nombre,
                                                  last_name=apellidos, **banderas)
            self.cambios += 1
            return usuario
        valores = {"first_name": nombre, "last_name": apellidos, "is_active": True, **banderas}
        cambiados = [k for k, v in valores.items() if getattr(usuario, k) != v]
        if cambiados or not usuario.check_password(CONTRASENA_DEMO):
            # The demo password is put back too, so the printed accounts always work.
            for k in cambiados:
                setattr(usuario, k, valores[k])
            usuario.set_password(CONTRASENA_DEMO)
            usuario.save()
            self.cambios += 1
        return usuario

    def _cuentas(self, autoridad, conv_actual):
        personal = self._usuario("personal@demo.reconoce.mx", "Mariana", "Velázquez Ortiz (demo)")
        self._sincronizar(PersonalGarante, {"usuario": personal, "autoridad": autoridad},
                          {"cargo": "Jefatura de Departamento de Transparencia Proactiva",
                           "unidad": DG_TRANSPARENCIA})

        enlace = self._usuario("enlace@demo.reconoce.mx", "Jorge", "Salinas Reyes (demo)")
        metepec = SujetoObligado.objects.get(nombre="Ayuntamiento de Metepec", entidad_clave=ENTIDAD_EDOMEX)
        existente = Enlace.objects.filter(usuario=enlace, sujeto=metepec).first()
        self._sincronizar(
            Enlace, {"usuario": enlace, "sujeto": metepec},
            {"cargo": "Titular de la Unidad de Transparencia", "area": "Unidad de Transparencia",
             "estado": Enlace.Estado.APROBADO, "motivo": "", "resuelto_por": personal,
             "resuelto_en": existente.resuelto_en if existente and existente.resuelto_en else timezone.now()},
        )

        jurado = self._usuario("jurado@demo.reconoce.mx", "Patricia", "Domínguez Lara (demo)")
        # First seat of the open call: Titular de la Unidad de Investigación.
        self._sincronizar(MiembroJurado, {"convocatoria": conv_actual, "orden": 1},
                          {"cargo": JURADO[0], "usuario": jurado})
        return [
            ("Enlace del sujeto obligado", f"{metepec}, {ESTADOS[ENTIDAD_EDOMEX]}", enlace),
            ("Personal del garante", f"{autoridad.siglas}, {DG_TRANSPARENCIA}", personal),
            ("Jurado calificador", f"{autoridad.siglas}, {conv_actual.titulo}, {JURADO[0]}", jurado),
        ]

    # --- INFO NL ---------------------------------------------------------------------------------

    def _autoridad_nl(self):
        autoridad = self._emblema(self._sincronizar(AutoridadGarante, {"siglas": SIGLAS_NL}, INFONL))
        for orden, (nombre, cargo) in enumerate(FIRMANTES_NL, start=1):
            self._sincronizar(FirmanteAutoridad, {"autoridad": autoridad, "orden": orden},
                              {"nombre": nombre, "cargo": cargo})
        return autoridad

    def _sujetos_nl(self, municipios):
        sujetos = {}
        with (DATOS / "sujetos_estatales_nl.csv").open(encoding="utf-8", newline="") as fh:
            for fila in csv.DictReader(fh):
                sujeto = self._sincronizar(
                    SujetoObligado,
                    {"nombre": fila["nombre"], "entidad_clave": ENTIDAD_NL},
                    {"siglas": fila["siglas"], "orden": SujetoObligado.Orden.ESTATAL,
                     "tipo": SujetoObligado.Tipo(fila["tipo"]), "municipio": None, "activo": True},
                )
                sujetos[sujeto.nombre] = sujeto
        for cvegeo in AYUNTAMIENTOS_NL:
            municipio = municipios[cvegeo]
            sujeto = self._sincronizar(
                SujetoObligado,
                {"nombre": f"Ayuntamiento de {municipio.nombre}", "entidad_clave": ENTIDAD_NL},
                {"orden": SujetoObligado.Orden.MUNICIPAL, "tipo": SujetoObligado.Tipo.AYUNTAMIENTO,
                 "municipio": municipio, "activo": True},
            )
            sujetos[sujeto.nombre] = sujeto
        return sujetos

    def _personal_nl(self, autoridad):
        personal = self._usuario("personal.nl@demo.reconoce.mx", "Daniela", "Cavazos Garza (demo)")
        self._sincronizar(PersonalGarante, {"usuario": personal, "autoridad": autoridad},
                          {"cargo": "Coordinación de Transparencia Proactiva", "unidad": DT_PROACTIVA_NL})
        return personal

    def _jurados_nl(self):
        return [self._usuario(f"jurado{i}.nl@demo.reconoce.mx", nombre, f"{apellidos} (demo)")
                for i, (nombre, apellidos) in enumerate(JURADOS_NL, start=1)]

    def _convocatoria_nl(self, autoridad, personal, jurados):
        """INFO NL's open call, made the way its staff would make it in the panel: created (with
        the Lineamientos' six criteria), eligibility and rubric set while a draft, then published.
        A later run only brings the texts back; dates and state are left alone."""
        hoy = timezone.localdate(timezone=ZONA)
        textos = {
            "titulo": TITULO_NL.format(anio=hoy.year), "objetivo": OBJETIVO_NL, "fundamento_legal": FUNDAMENTO_NL,
            "participantes": PARTICIPANTES_NL, "requisitos": REQUISITOS_NL, "modalidades_entrega": ENTREGA_NL,
            "domicilio_entrega": "", "correos_entrega": "", "correo_contacto": INFONL["correo_contacto"],
        }
        conv = Convocatoria.objects.filter(prefijo_folio=PREFIJO_NL, anio=hoy.year).first()
        if conv is None:
            cierre = hoy + timedelta(days=60)
            conv = convocatorias_services.convocatoria_crear(autoridad=autoridad, usuario=personal, datos={
                **textos, "slug": f"info-nl-transparencia-proactiva-{hoy.year}", "anio": hoy.year,
                "prefijo_folio": PREFIJO_NL, "vigencia_meses": 24, "escala_min": 0, "escala_max": 5,
                "fecha_apertura": _local(hoy - timedelta(days=7), time(0, 0)),
                "fecha_cierre": _local(cierre, time(23, 59, 59)),
                "fecha_resultados": _local(cierre + timedelta(days=30), time(12, 0)),
                # Eligibility is data of the call, editable until it opens: here only state bodies.
                "ordenes_elegibles": [OrdenGobierno.ESTATAL.value], "tipos_elegibles": [],
                "unidad_verificadora": DT_PROACTIVA_NL,
                # Its jurors sign the rulings with their e.firma (the demo's, see preparar_efirmas).
                "firma_electronica": True,
            })
            self.cambios += 1
        elif any(getattr(conv, campo) != valor for campo, valor in textos.items()):
            conv = convocatorias_services.convocatoria_actualizar(convocatoria=conv, usuario=personal, datos=textos)
            self.cambios += 1
        if conv.estado == Convocatoria.Estado.BORRADOR:
            filas = [{"id": c.pk, "numero": c.numero, "nombre": c.nombre, "descripcion": c.descripcion,
                      "peso": PESOS_NL.get(c.numero, Decimal("1.00"))} for c in conv.criterios.all()]
            convocatorias_services.criterios_guardar(convocatoria=conv, usuario=personal, filas=filas)
            self._asientos_nl(conv, personal, jurados)
            conv = convocatorias_services.convocatoria_publicar(convocatoria=conv, usuario=personal)
            self.cambios += 1
        elif conv.estado != Convocatoria.Estado.RESULTADOS_PUBLICADOS:
            self._asientos_nl(conv, personal, jurados)
        return conv

    def _asientos_nl(self, conv, personal, jurados):
        """The three seats, each with its juror's account, through the jury service; saved only
        when they differ."""
        deseado = [(orden, cargo, jurado) for orden, (cargo, jurado)
                   in enumerate(zip(JURADO_NL, jurados, strict=True), start=1)]
        asientos = {m.orden: m for m in conv.jurado.all()}
        actual = sorted((m.orden, m.cargo, m.usuario_id) for m in asientos.values())
        if actual != [(orden, cargo, jurado.pk) for orden, cargo, jurado in deseado]:
            convocatorias_services.jurado_guardar(convocatoria=conv, usuario=personal, filas=[
                {"id": asientos[orden].pk if orden in asientos else None, "orden": orden, "cargo": cargo,
                 "usuario": jurado}
                for orden, cargo, jurado in deseado
            ])
            self.cambios += 1

    def _cuentas_nl(self, autoridad, personal, jurados, conv):
        enlace = self._usuario("enlace.nl@demo.reconoce.mx", "Héctor", "Leal Montemayor (demo)")
        sujeto = SujetoObligado.objects.get(nombre="Secretaría de Administración", entidad_clave=ENTIDAD_NL)
        existente = Enlace.objects.filter(usuario=enlace, sujeto=sujeto).first()
        self._sincronizar(
            Enlace, {"usuario": enlace, "sujeto": sujeto},
            {"cargo": "Titular de la Unidad de Transparencia", "area": "Unidad de Transparencia",
             "estado": Enlace.Estado.APROBADO, "motivo": "", "resuelto_por": personal,
             "resuelto_en": existente.resuelto_en if existente and existente.resuelto_en else timezone.now()},
        )
        return [
            ("Enlace del sujeto obligado", f"{sujeto}, {ESTADOS[ENTIDAD_NL]}", enlace),
            ("Personal del garante", f"{autoridad.siglas}, {DT_PROACTIVA_NL}", personal),
            *[("Jurado calificador", f"{autoridad.siglas}, {conv.titulo}, {cargo}", jurado)
              for cargo, jurado in zip(JURADO_NL, jurados, strict=True)],
        ]

    # --- report ----------------------------------------------------------------------------------

    def _informe(self, municipios, sujetos_por_entidad, convocatorias, cuentas):
        out = self.stdout
        out.write(self.style.SUCCESS(
            f"Datos de demostración listos en {monotonic() - self._inicio:.1f} s"
            + (" (sin cambios: ya estaban cargados)." if not self.cambios else ".")
        ))
        out.write(f"  Municipios: {len(municipios)}; sujetos obligados del {ESTADOS[ENTIDAD_EDOMEX]}: "
                  f"{len(sujetos_por_entidad[ENTIDAD_EDOMEX])}; de {ESTADOS[ENTIDAD_NL]}: "
                  f"{len(sujetos_por_entidad[ENTIDAD_NL])}.")
        for conv in convocatorias:
            conv.refresh_from_db()  # cargar_demo_resultados may have moved it on
            out.write(f"  {conv.autoridad.siglas} — {conv.titulo}: {conv.get_estado_display().lower()}, plazo del "
                      f"{fecha_hora(conv.fecha_apertura)} al {fecha_hora(conv.fecha_cierre)}.")
        pendientes = TareaPendiente.objects.count()
        if pendientes:
            out.write(f"  {pendientes:,} tareas (PDF y avisos) esperan al worker, que las hace en segundo plano: "
                      f"su avance se ve en el panel.")
        out.write("")
        out.write(self.style.WARNING(
            f"Cuentas de demostración (contraseña de todas: {CONTRASENA_DEMO} — solo para demostración):"
        ))
        ancho = max(len(rol) for rol, _, _ in cuentas)
        ancho_correo = max(len(usuario.email) for _, _, usuario in cuentas)
        for rol, detalle, usuario in cuentas:
            out.write(f"  {rol.ljust(ancho)}  {usuario.email.ljust(ancho_correo)}  {detalle}")
        out.write(f"  El jurado de INFO NL firma los dictámenes con e.firma de demostración: {self._efirmas}/"
                  f"<correo>.cer y <correo>.key, contraseña de la clave: {CONTRASENA_DEMO}. Los dictámenes 2023 "
                  f"del Infoem ya llevan la e.firma de demostración de cada jurado.")
