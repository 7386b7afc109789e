"""Letters for the tests of cartas compromiso: a draft, a presented one, an accepted one."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from compromisos import services
from compromisos.models import CartaCompromiso, PracticaComprometida
from tests import factories

# The smallest file filetype reads as a PDF.
PDF_FIRMADO = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def firmada(nombre="carta-firmada.pdf", contenido=PDF_FIRMADO):
    return SimpleUploadedFile(nombre, contenido, content_type="application/pdf")


def practicas(n=2, *, dias=90):
    hoy = timezone.localdate()
    return [{"titulo": f"Práctica comprometida {i + 1}", "necesidad": "Las personas preguntan por los trámites.",
             "area_responsable": "Dirección de Transparencia", "fecha_meta": hoy + timedelta(days=dias + i)}
            for i in range(n)]


def borrador(sujeto, usuario, *, n=2, dias=90) -> CartaCompromiso:
    return services.carta_crear(sujeto=sujeto, usuario=usuario, firmante_nombre="María Pérez López",
                                firmante_cargo="Secretaria", fecha=timezone.localdate(),
                                practicas=practicas(n, dias=dias))


def presentada(sujeto, usuario, **kwargs) -> CartaCompromiso:
    carta = borrador(sujeto, usuario, **kwargs)
    services.carta_adjuntar_firmada(carta=carta, usuario=usuario, archivo=firmada())
    return services.carta_presentar(carta=carta, usuario=usuario)


def aceptada(sujeto, enlace, personal, **kwargs) -> CartaCompromiso:
    carta = presentada(sujeto, enlace, **kwargs)
    return services.carta_aceptar(carta=carta, usuario=personal)


def aceptadas_en_bloque(autoridad, sujetos, *, por_sujeto=2, usuario=None, estados=()) -> list[CartaCompromiso]:
    """One accepted letter per body, written in bulk (no signed file, no history): for the query-count
    and open-data tests. `estados` gives each letter's practices their stored states in turn (a
    «publicada» one with its URL); the rest stay «comprometida»."""
    usuario = usuario or factories.UsuarioFactory()
    ahora = timezone.now()
    hoy = timezone.localdate()
    cartas = CartaCompromiso.objects.bulk_create(
        CartaCompromiso(autoridad=autoridad, sujeto=s, firmante_nombre="María Pérez López", firmante_cargo="Secretaria",
                        fecha=hoy - timedelta(days=30), carta_firmada="cartas-compromiso/firmada.pdf",
                        estado=CartaCompromiso.Estado.ACEPTADA, presentada_en=ahora - timedelta(days=20),
                        revisada_en=ahora - timedelta(days=10), creada_por=usuario, revisada_por=usuario)
        for s in sujetos)
    filas = []
    for carta in cartas:
        for i in range(por_sujeto):
            estado = estados[i] if i < len(estados) else PracticaComprometida.Estado.COMPROMETIDA
            filas.append(PracticaComprometida(
                carta=carta, titulo=f"Práctica comprometida {i + 1}", necesidad="Las personas preguntan por los trámites.",
                area_responsable="Dirección de Transparencia", fecha_meta=hoy + timedelta(days=90 + i), estado=estado,
                url_publicacion="https://transparencia.ejemplo.gob.mx/p" if estado == "publicada" else ""))
    PracticaComprometida.objects.bulk_create(filas)
    return cartas
