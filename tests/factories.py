"""factory_boy factories with es_MX fakes."""

from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from convocatorias.models import CRITERIOS_LINEAMIENTOS, Convocatoria, Criterio, MiembroJurado
from core.models import AutoridadGarante, PersonalGarante, Usuario
from practicas import services as practicas_services
from practicas.models import Enlace, Evidencia, Municipio, Practica, SujetoObligado

factory.Faker._DEFAULT_LOCALE = "es_MX"


class UsuarioFactory(DjangoModelFactory):
    class Meta:
        model = Usuario
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@ejemplo.gob.mx")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "clave-de-prueba-123")

    @factory.post_generation
    def _guardar(self, create, extracted, **kwargs):
        if create:
            self.save()


class AutoridadFactory(DjangoModelFactory):
    class Meta:
        model = AutoridadGarante
        django_get_or_create = ("siglas",)

    nombre = "Instituto de Transparencia, Acceso a la Información Pública y Protección de Datos Personales del Estado de México y Municipios"
    siglas = "INFOEM"
    slug = factory.LazyAttribute(lambda o: o.siglas.lower())
    entidad_clave = "15"
    correo_contacto = "transparencia.proactiva@infoem.org.mx"


class PersonalFactory(DjangoModelFactory):
    class Meta:
        model = PersonalGarante

    usuario = factory.SubFactory(UsuarioFactory)
    autoridad = factory.SubFactory(AutoridadFactory)
    cargo = "Dirección General de Transparencia"


class MunicipioFactory(DjangoModelFactory):
    class Meta:
        model = Municipio
        django_get_or_create = ("cvegeo",)

    cvegeo = factory.Sequence(lambda n: f"15{n % 999 + 1:03d}")
    entidad_clave = "15"
    entidad = "México"
    nombre = factory.Faker("city")


class SujetoFactory(DjangoModelFactory):
    class Meta:
        model = SujetoObligado

    nombre = factory.Sequence(lambda n: f"Secretaría de Prueba {n}")
    orden = SujetoObligado.Orden.ESTATAL
    tipo = SujetoObligado.Tipo.DEPENDENCIA
    entidad_clave = "15"


class EnlaceFactory(DjangoModelFactory):
    class Meta:
        model = Enlace

    usuario = factory.SubFactory(UsuarioFactory)
    sujeto = factory.SubFactory(SujetoFactory)
    cargo = "Titular de la Unidad de Transparencia"
    estado = Enlace.Estado.APROBADO


class ConvocatoriaFactory(DjangoModelFactory):
    """An open call: opened a week ago, closes in a week, results a month later."""

    class Meta:
        model = Convocatoria
        skip_postgeneration_save = True

    autoridad = factory.SubFactory(AutoridadFactory)
    titulo = factory.Sequence(lambda n: f"Reconocimiento de Prácticas de Transparencia Proactiva {n}")
    slug = factory.Sequence(lambda n: f"convocatoria-{n}")
    anio = factory.Sequence(lambda n: 2000 + n % 90)
    prefijo_folio = factory.Sequence(lambda n: f"INFOEM-TP{n}")
    objetivo = "Reconocer las iniciativas, prácticas y actividades que promueven la reutilización de la información."
    fundamento_legal = "Artículo 56 de la Ley General de Transparencia y Acceso a la Información Pública."
    participantes = "Sujetos obligados estatales y municipales del Estado de México."
    modalidades_entrega = "En línea en este portal, en papel o por correo electrónico."
    correo_contacto = "transparencia.proactiva@infoem.org.mx"
    fecha_apertura = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    fecha_cierre = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    fecha_resultados = factory.LazyFunction(lambda: timezone.now() + timedelta(days=40))
    estado = Convocatoria.Estado.ABIERTA

    @factory.post_generation
    def criterios(self, create, extracted, **kwargs):
        """Six criteria of the Lineamientos; written while the call is still a draft."""
        if not create:
            return
        estado = self.estado
        Convocatoria.objects.filter(pk=self.pk).update(estado=Convocatoria.Estado.BORRADOR)
        self.estado = Convocatoria.Estado.BORRADOR
        for i, nombre in enumerate(CRITERIOS_LINEAMIENTOS, start=1):
            Criterio.objects.create(convocatoria=self, numero=i, nombre=nombre)
        Convocatoria.objects.filter(pk=self.pk).update(estado=estado)
        self.estado = estado


class MiembroJuradoFactory(DjangoModelFactory):
    class Meta:
        model = MiembroJurado

    convocatoria = factory.SubFactory(ConvocatoriaFactory)
    cargo = "Titular de la Unidad de Investigación"
    usuario = factory.SubFactory(UsuarioFactory)


class PracticaFactory(DjangoModelFactory):
    """A complete draft: every required field filled and evidence for each criterion."""

    class Meta:
        model = Practica
        skip_postgeneration_save = True

    convocatoria = factory.SubFactory(ConvocatoriaFactory)
    sujeto = factory.SubFactory(SujetoFactory)
    creada_por = factory.SubFactory(UsuarioFactory)
    nombre = factory.Sequence(lambda n: f"Presupuesto ciudadano abierto {n}")
    area_responsable = "Unidad de Transparencia"
    contacto_nombre = factory.Faker("name")
    contacto_cargo = "Titular"
    contacto_correo = "contacto@ejemplo.gob.mx"
    descripcion = "Publicación mensual del presupuesto en datos abiertos con visualizaciones."
    necesidad_informacion = "La ciudadanía pide saber en qué se gasta."
    identificacion_necesidad = "Análisis de solicitudes de información recurrentes."
    poblacion_objetivo = "Habitantes del municipio."
    url_publicacion = "https://transparencia.ejemplo.gob.mx/presupuesto"
    fecha_inicio = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=200))

    @factory.post_generation
    def evidencias(self, create, extracted, **kwargs):
        if not create:
            return
        for criterio in self.convocatoria.criterios.all():
            Evidencia.objects.create(practica=self, criterio=criterio, texto=f"Evidencia del criterio {criterio.numero}.")


CSV_SOPORTE = b"municipio,solicitudes\nMetepec,120\nToluca,340\n"


def borrador_enviable(contenido: bytes = CSV_SOPORTE):
    """A complete draft of a new body's enlace for a new open call, with one uploaded CSV support:
    ready to submit. Returns (practica, soporte, usuario del enlace)."""
    enlace = EnlaceFactory()
    conv = ConvocatoriaFactory()
    practica = PracticaFactory(convocatoria=conv, sujeto=enlace.sujeto, creada_por=enlace.usuario)
    soporte = practicas_services.soporte_agregar_archivo(
        practica=practica, usuario=enlace.usuario, criterio=conv.criterios.get(numero=2),
        archivo=SimpleUploadedFile("solicitudes.csv", contenido, content_type="text/csv"),
    )
    return practica, soporte, enlace.usuario
