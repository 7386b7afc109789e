"""`manage.py cargar_demo`: Infoem's 2023 call as published, an open call today, one account per
role; INFO NL as a second tenant with a call that differs; and a second run that changes nothing."""

import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from compromisos.models import CartaCompromiso, PracticaComprometida
from convocatorias.models import Convocatoria, Criterio, MiembroJurado
from core.models import AutoridadGarante, FirmanteAutoridad, PersonalGarante, Usuario
from practicas.models import Enlace, Municipio, SujetoObligado

pytestmark = pytest.mark.django_db

MX = ZoneInfo("America/Mexico_City")
CUENTAS = ["enlace@demo.reconoce.mx", "personal@demo.reconoce.mx", "jurado@demo.reconoce.mx",
           "admin@demo.reconoce.mx"]
CUENTAS_NL = ["enlace.nl@demo.reconoce.mx", "personal.nl@demo.reconoce.mx", "jurado1.nl@demo.reconoce.mx",
              "jurado2.nl@demo.reconoce.mx", "jurado3.nl@demo.reconoce.mx"]


def _cargar():
    salida = io.StringIO()
    call_command("cargar_demo", "--forzar", stdout=salida)
    return salida.getvalue()


def _huella():
    """Row and history counts of everything the command writes."""
    modelos = [Municipio, SujetoObligado, AutoridadGarante, FirmanteAutoridad, Convocatoria, Criterio,
               MiembroJurado, Usuario, PersonalGarante, Enlace, CartaCompromiso, PracticaComprometida]
    filas = {m.__name__: m.objects.count() for m in modelos}
    historia = {m.__name__: m.history.count() for m in modelos if hasattr(m, "history")}
    return filas, historia


def test_cargar_demo_carga_la_convocatoria_2023_como_la_publico_infoem():
    _cargar()

    infoem = AutoridadGarante.objects.get(siglas="INFOEM")
    assert infoem.entidad_clave == "15"
    assert infoem.nombre.startswith("Instituto de Transparencia, Acceso a la Información Pública")
    assert "Carretera Toluca-Ixtapan # 111" in infoem.domicilio and "C.P. 52166" in infoem.domicilio
    assert "Dirección de Archivo" in infoem.unidades_lista
    conv = Convocatoria.objects.get(prefijo_folio="INFOEM-TP", anio=2023)
    assert conv.titulo == "Reconocimiento de Prácticas de Transparencia Proactiva 2023"
    # cargar_demo_resultados then takes it through judging to published results (the catalogue's demo).
    assert conv.estado == Convocatoria.Estado.RESULTADOS_PUBLICADOS
    assert conv.fecha_cierre == datetime(2023, 6, 30, 23, 59, 59, tzinfo=MX)
    assert conv.fecha_resultados == datetime(2023, 8, 25, 10, 0, tzinfo=MX)
    assert (conv.vigencia_meses, conv.escala_min, conv.escala_max) == (12, 0, 10)
    assert "adriana.cardenas@infoem.org.mx" in conv.correos_entrega
    assert [c.numero for c in conv.criterios.all()] == [1, 2, 3, 4, 5, 6]
    assert [m.cargo for m in conv.jurado.all()][0] == "Titular de la Unidad de Investigación"
    assert conv.jurado.count() == 5


def test_cargar_demo_deja_una_convocatoria_abierta_hoy_y_una_cuenta_por_rol():
    salida = _cargar()

    assert Municipio.objects.filter(entidad_clave="15").count() == 125
    assert SujetoObligado.objects.filter(tipo="ayuntamiento", municipio__entidad_clave="15").count() == 125
    assert SujetoObligado.objects.filter(orden="estatal").count() >= 25
    abierta = Convocatoria.objects.get(prefijo_folio="INFOEM-TP", estado=Convocatoria.Estado.ABIERTA)
    assert abierta.recibe_propuestas()
    assert abierta.criterios.count() == 6
    for correo in CUENTAS:
        assert correo in salida
        assert Usuario.objects.get(email=correo).check_password("Reconoce-2026!")
    assert "Reconoce-2026!" in salida
    # Progress, one line per step with its time, the total, and dates as people write them.
    assert [int(n) for n in re.findall(r"^\[(\d)/7\] ", salida, re.M)] == [1, 2, 3, 4, 5, 6, 7]
    assert len(re.findall(r"^ +listo en \d+\.\d s\.$", salida, re.M)) == 7
    assert re.search(r"Datos de demostración listos en \d+\.\d s", salida)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", salida), "fechas ISO en el resumen"
    assert "1,041 asistentes" in salida
    assert Enlace.objects.get(usuario__email=CUENTAS[0]).sujeto.nombre == "Ayuntamiento de Metepec"
    assert Enlace.objects.get(usuario__email=CUENTAS[0]).estado == Enlace.Estado.APROBADO
    assert PersonalGarante.objects.get(usuario__email=CUENTAS[1]).autoridad.siglas == "INFOEM"
    asiento = MiembroJurado.objects.get(usuario__email=CUENTAS[2])
    assert (asiento.convocatoria, asiento.orden) == (abierta, 1)
    assert Usuario.objects.get(email=CUENTAS[3]).is_superuser


def test_cargar_demo_carga_info_nl_como_segunda_autoridad_con_una_convocatoria_distinta(client):
    salida = _cargar()

    infonl = AutoridadGarante.objects.get(slug="info-nl")
    assert (infonl.siglas, infonl.entidad_clave, infonl.entidad_nombre) == ("INFO NL", "19", "Nuevo León")
    assert infonl.nombre == ("Instituto Estatal de Transparencia, Acceso a la Información y Protección de Datos "
                             "Personales de Nuevo León")
    infonl.full_clean()  # its colour passes the AA contrast validator
    assert infonl.color_primario != AutoridadGarante.objects.get(siglas="INFOEM").color_primario
    assert infonl.correo_contacto.endswith(".example")
    assert infonl.firmantes.count() == 3 and len(infonl.unidades_lista) >= 2
    # Its bodies: the seven state institutions of the cartas compromiso and two ayuntamientos, all in 19.
    assert Municipio.objects.filter(entidad_clave="19").count() == 51
    nl = SujetoObligado.objects.filter(entidad_clave="19")
    assert nl.filter(orden="estatal").count() == 7 and nl.filter(siglas="INDE").exists()
    assert set(nl.filter(orden="municipal").values_list("nombre", "municipio__entidad_clave")) == {
        ("Ayuntamiento de Monterrey", "19"), ("Ayuntamiento de San Pedro Garza García", "19")}

    personal_nl = Usuario.objects.get(email="personal.nl@demo.reconoce.mx")
    assert list(personal_nl.personal.values_list("autoridad__siglas", flat=True)) == ["INFO NL"]
    enlace_nl = Enlace.objects.get(usuario__email="enlace.nl@demo.reconoce.mx")
    assert (enlace_nl.sujeto.entidad_clave, enlace_nl.estado) == ("19", Enlace.Estado.APROBADO)
    for correo in CUENTAS_NL:
        assert correo in salida
        assert Usuario.objects.get(email=correo).check_password("Reconoce-2026!")

    conv = Convocatoria.objects.get(autoridad=infonl)
    assert conv.prefijo_folio == "INFONL-TP" and conv.recibe_propuestas()
    assert (conv.escala_min, conv.escala_max, conv.vigencia_meses) == (0, 5, 24)
    assert [c.peso for c in conv.criterios.all()] == [Decimal(1), Decimal(2), *[Decimal(1)] * 4]
    assert [m.usuario.email for m in conv.jurado.all()] == CUENTAS_NL[2:]
    assert conv.unidad_que_verifica in infonl.unidades_lista and conv.unidad_que_verifica != infonl.unidades_lista[0]
    # Made through the services, by its own staff.
    assert conv.history.earliest().history_user == personal_nl
    # Only the state bodies of Nuevo León may enter.
    assert conv.ordenes_elegibles == ["estatal"]
    assert conv.admite(enlace_nl.sujeto)
    assert not conv.admite(nl.get(nombre="Ayuntamiento de Monterrey"))
    assert not conv.admite(Enlace.objects.get(usuario__email=CUENTAS[0]).sujeto)
    assert set(SujetoObligado.objects.filter(conv.q_sujetos_elegibles()).values_list("entidad_clave", "orden")) == {
        ("19", "estatal")}

    # Each authority's staff reach only their own call in the panel.
    conv_infoem = Convocatoria.objects.get(prefijo_folio="INFOEM-TP", estado=Convocatoria.Estado.ABIERTA)
    panel = {c: reverse("panel:convocatoria_editar", kwargs={"slug": c.slug}) for c in (conv, conv_infoem)}
    client.force_login(personal_nl)
    assert client.get(panel[conv_infoem]).status_code == 404
    assert client.get(panel[conv]).status_code == 200
    client.force_login(Usuario.objects.get(email=CUENTAS[1]))
    assert client.get(panel[conv]).status_code == 404
    assert client.get(panel[conv_infoem]).status_code == 200


def test_cargar_demo_da_a_cada_autoridad_su_remitente_en_un_dominio_reservado():
    _cargar()
    remitentes = dict(AutoridadGarante.objects.values_list("siglas", "remitente_correo"))
    assert set(remitentes) == {"INFOEM", "INFO NL"}
    assert all(r.endswith(".example") for r in remitentes.values()), remitentes


def test_cargar_demo_no_cambia_nada_cuando_se_repite():
    _cargar()
    antes = _huella()

    salida = _cargar()

    assert _huella() == antes
    assert "sin cambios" in salida


def test_cargar_demo_repone_la_contrasena_de_demostracion_cuando_cambio():
    _cargar()
    admin = Usuario.objects.get(email="admin@demo.reconoce.mx")
    admin.set_password("otra-clave-cualquiera")
    admin.save()

    _cargar()

    assert Usuario.objects.get(email="admin@demo.reconoce.mx").check_password("Reconoce-2026!")


def test_cargar_demo_se_niega_cuando_debug_esta_desactivado(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="contraseña conocida"):
        call_command("cargar_demo", stdout=io.StringIO())
    assert not Usuario.objects.exists()


def test_cargar_demo_sigue_las_cartas_compromiso_de_nuevo_leon_como_las_cuenta_el_informe():
    """seeds/003_*: 7 institutions committed to 13 new practices (3, 3, 2, 2, 1, 1, 1)."""
    _cargar()
    cartas = CartaCompromiso.objects.filter(autoridad__siglas="INFO NL")
    por_sujeto = {c.sujeto.nombre: c.practicas.count() for c in cartas}
    assert por_sujeto == {
        "Secretaría de Administración": 3, "Instituto Estatal de Cultura Física y Deporte": 3,
        "Secretaría del Trabajo": 2, "Secretaría de Medio Ambiente": 2, "Secretaría de las Mujeres": 1,
        "Secretaría de Cultura": 1, "Secretaría de Economía": 1,
    }
    # Staff have one letter to review; the rest are followed up, one practice linked to a submission.
    assert sorted(cartas.values_list("estado", flat=True)) == ["aceptada"] * 6 + ["presentada"]
    estados = set(PracticaComprometida.objects.filter(carta__in=cartas).values_list("estado", flat=True))
    assert {"en_elaboracion", "publicada", "postulada", "vencida"} <= estados
    postulada = PracticaComprometida.objects.get(carta__in=cartas, estado="postulada")
    assert postulada.practica.estado == "enviada"
    assert postulada.practica.convocatoria.autoridad.siglas == "INFO NL"


def test_cargar_demo_sella_con_certificados_de_demostracion_y_la_verificacion_los_reconoce(settings):
    from core import documentos, firma_digital, sellos
    from evaluacion.models import Reconocimiento

    _cargar()  # the worker's work (every demo PDF) is left queued: one recognition is rendered below
    autoridades = list(AutoridadGarante.objects.all())
    assert len(autoridades) == 2
    for autoridad in autoridades:
        assert sellos.tiene_sello(autoridad), autoridad.siglas
    archivos = {p.name for p in settings.FIRMA_SELLOS_DIR.iterdir()}
    assert {"infoem.p12", "infoem.clave", "ac-demo.key"} <= archivos
    doc = Reconocimiento.objects.select_related("documento").first().documento
    documentos.documento_generar(documento_id=doc.pk)  # as the worker does
    doc.refresh_from_db()
    with doc.archivo.open("rb") as fh:
        resultado = firma_digital.verificar_pdf(fh.read(), raices=sellos.raices())
    assert resultado.intacto and resultado.firmas[0].confiable
    assert "DEMOSTRACIÓN" in resultado.firmas[0].certificado.nombre

    # A second run keeps the same seals (the files are not written again).
    antes = (settings.FIRMA_SELLOS_DIR / "infoem.p12").read_bytes()
    _cargar()
    assert (settings.FIRMA_SELLOS_DIR / "infoem.p12").read_bytes() == antes


def test_cada_dictamen_2023_de_la_demostracion_lleva_la_e_firma_de_cada_jurado_y_se_verifica_subiendolo(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core import firma_digital, sellos
    from core.models import DocumentoVerificable
    from evaluacion.models import Dictamen

    _cargar()
    dictamenes = list(Dictamen.objects.filter(practica__convocatoria__anio=2023, estado=Dictamen.Estado.FIRMADO)
                      .select_related("documento").prefetch_related("firmas"))
    assert len(dictamenes) == 14
    for dictamen in dictamenes:
        doc = dictamen.documento
        assert doc.firmado_por_personas and doc.estado_pdf == DocumentoVerificable.EstadoPDF.LISTA
        with doc.archivo.open("rb") as fh:
            contenido = fh.read()
        resultado = firma_digital.verificar_pdf(contenido, raices=sellos.raices())
        firmas = dictamen.firmas.all()
        # One PAdES signature per juror who signed, in the order they signed, each with their own certificate.
        assert resultado.intacto and len(resultado.firmas) == len(firmas) >= 3
        assert [f.certificado.nombre for f in resultado.firmas] == [f.nombre for f in firmas.order_by("pk")]
        assert all(f.confiable and f.certificado.emisor.startswith("AC de DEMOSTRACIÓN") for f in resultado.firmas)
        assert all(f.certificado for f in firmas)  # what each certificate said is recorded with the signature
    html = client.post(reverse("core:verificar_archivo"), {
        "archivo": SimpleUploadedFile("dictamen.pdf", contenido, content_type="application/pdf")}).content.decode()
    assert "El archivo es idéntico al documento que emitió este portal." in html
    assert html.count("Íntegra") == len(resultado.firmas)
