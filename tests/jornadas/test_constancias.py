"""Constancias in eager mode: the template and its preview, issuing (idempotent, one folio and one
e-mail each), the batch's ZIP and merged PDF, failures and retry, revocation on the verification
page, the permission matrix and query counts. The real worker is in test_constancias_worker.py."""

import hashlib
import io
import re
import zipfile

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from core import documentos as core_documentos
from core.errors import ErrorDominio
from core.models import DocumentoVerificable, FirmanteAutoridad
from jornadas import constancias
from jornadas.constancias.contexto import contexto_constancia
from jornadas.models import Constancia, LoteConstancias, PlantillaConstancia, Registro
from tests.jornadas import builders as b
from tests.matriz import LOGIN, PERSONAS, Ruta, comprobar

Estado = DocumentoVerificable.EstadoPDF


def _texto(datos: bytes, pagina=None) -> str:
    lector = PdfReader(io.BytesIO(datos))
    paginas = lector.pages if pagina is None else [lector.pages[pagina]]
    return "\n".join(p.extract_text() for p in paginas)


def _leer(campo) -> bytes:
    with campo.open("rb") as fh:
        return fh.read()


def _emitir(django_capture_on_commit_callbacks, usuario, **alcance):
    with django_capture_on_commit_callbacks(execute=True):
        lote = constancias.constancias_emitir(usuario=usuario, **alcance)
    lote.refresh_from_db()
    return lote


# --- template texts --------------------------------------------------------------------------


def test_formatear_texto_escapa_valores_y_texto():
    texto = constancias.formatear_texto("A {nombre} <b>de</b> {sujeto}\n{{llaves}}",
                                        {"nombre": "<script>x</script>", "sujeto": "Finanzas & Co"})
    assert str(texto) == ("A &lt;script&gt;x&lt;/script&gt; &lt;b&gt;de&lt;/b&gt; Finanzas &amp; Co<br>\n{llaves}")


@pytest.mark.parametrize("texto", ["{nombre.__class__}", "{nombre[0]}", "{nombre!r}", "{nombre:>10}", "{0}", "{}",
                                   "{settings}", "hola {nombre"])
def test_formatear_texto_rechaza_lo_que_no_es_un_campo(texto):
    with pytest.raises(ErrorDominio):
        constancias.formatear_texto(texto, {"nombre": "Ana"})


# --- template editor and preview -------------------------------------------------------------


def test_plantilla_se_guarda_con_firmantes_en_renglones(client, personal, autoridad):
    client.force_login(personal)
    url = reverse("panel:constancias_plantilla", args=[autoridad.slug])
    datos = {
        "titulo": "Constancia de participación", "cuerpo": "Otorgada a {nombre} por la {jornada}.", "pie": "Toluca",
        "firmantes-TOTAL_FORMS": "3", "firmantes-INITIAL_FORMS": "0", "firmantes-MIN_NUM_FORMS": "0",
        "firmantes-MAX_NUM_FORMS": "4",
        "firmantes-0-nombre": "José Martínez Vilchis", "firmantes-0-cargo": "Comisionado Presidente",
        "firmantes-1-nombre": "Borrado", "firmantes-1-cargo": "X", "firmantes-1-DELETE": "on",
        "firmantes-2-nombre": "", "firmantes-2-cargo": "",
    }

    respuesta = client.post(url, datos)

    assert respuesta.status_code == 302
    plantilla = PlantillaConstancia.objects.get(autoridad=autoridad)
    assert plantilla.firmantes == [{"nombre": "José Martínez Vilchis", "cargo": "Comisionado Presidente"}]
    assert plantilla.history.latest().history_user == personal
    pagina = client.get(url)
    assert "José Martínez Vilchis" in pagina.content.decode()


def test_plantilla_con_campo_desconocido_no_se_guarda(client, personal, autoridad):
    client.force_login(personal)
    respuesta = client.post(reverse("panel:constancias_plantilla", args=[autoridad.slug]), {
        "titulo": "Constancia", "cuerpo": "Para {nombre.__class__}", "pie": "",
        "firmantes-TOTAL_FORMS": "0", "firmantes-INITIAL_FORMS": "0",
    })

    assert respuesta.status_code == 400
    assert "Campos no reconocidos" in respuesta.content.decode()
    assert not PlantillaConstancia.objects.filter(autoridad=autoridad).exists()


def test_vista_previa_muestra_los_cambios_sin_guardarlos(client, personal, autoridad):
    client.force_login(personal)
    url = reverse("panel:constancias_vista_previa", args=[autoridad.slug])

    guardada = client.get(url)
    sin_guardar = client.post(url, {
        "titulo": "Reconocimiento de asistencia", "cuerpo": "Por asistir, {nombre}, a la {jornada}.", "pie": "",
        "firmantes-TOTAL_FORMS": "1", "firmantes-INITIAL_FORMS": "0",
        "firmantes-0-nombre": "Luis Gustavo Parra Noriega", "firmantes-0-cargo": "Comisionado",
    })

    assert guardada.status_code == 200 and guardada["Content-Type"] == "application/pdf"
    assert guardada["Content-Disposition"].startswith("inline")
    texto = _texto(guardada.content)
    assert "Constancia de participación" in texto and "María Guadalupe Hernández Sánchez" in texto
    assert "MUESTRA" in texto
    texto = _texto(sin_guardar.content)
    assert "Reconocimiento de asistencia" in texto and "Luis Gustavo Parra Noriega" in texto
    assert "Por asistir, María Guadalupe Hernández Sánchez" in texto
    assert not PlantillaConstancia.objects.filter(autoridad=autoridad).exists()


# --- issuing ---------------------------------------------------------------------------------


def test_emitir_jornada_genera_una_constancia_por_asistente_elegible(django_capture_on_commit_callbacks, personal):
    jornada = b.jornada_con_asistentes(5, respondieron=3, ausentes=2, constancia_requiere_encuesta=True)
    con_derecho = list(jornada.registros.filter(asistio=True, encuesta_respondida_en__isnull=False))

    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    assert lote.estado == LoteConstancias.Estado.TERMINADO and lote.total == 3
    emitidas = list(Constancia.objects.filter(registro__jornada=jornada).select_related("documento", "registro__participante"))
    assert {c.registro_id for c in emitidas} == {r.pk for r in con_derecho}
    for c in emitidas:
        doc = c.documento
        assert doc.estado_pdf == Estado.LISTA and doc.intentos == 1
        datos = _leer(doc.archivo)
        assert doc.sha256 == hashlib.sha256(datos).hexdigest()
        lector = PdfReader(io.BytesIO(datos))
        assert len(lector.pages) == 1
        texto = lector.pages[0].extract_text()
        assert c.registro.participante.nombre in texto and doc.folio in texto
        assert doc.resumen["participante"] == c.registro.participante.nombre
        assert c.avisada_en is not None
    # Nobody else's certificate leaks into a file (the layout was one document for all of them).
    for c in emitidas:
        texto = _texto(_leer(c.documento.archivo))
        assert [o.documento.folio for o in emitidas if o.documento.folio in texto] == [c.documento.folio]


def test_sin_firmantes_en_la_plantilla_la_constancia_lleva_los_de_la_autoridad(
        django_capture_on_commit_callbacks, personal, autoridad):
    FirmanteAutoridad.objects.create(autoridad=autoridad, nombre="Luis Gustavo Parra Noriega", cargo="Comisionado",
                                     orden=2)
    FirmanteAutoridad.objects.create(autoridad=autoridad, nombre="Zulema Martínez Sánchez",
                                     cargo="Comisionada Presidenta", orden=1)
    jornada = b.jornada_con_asistentes(1, autoridad_=autoridad)

    _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    doc = DocumentoVerificable.objects.get(constancia__registro__jornada=jornada)
    assert contexto_constancia(doc)["firmantes"] == [
        {"nombre": "Zulema Martínez Sánchez", "cargo": "Comisionada Presidenta"},
        {"nombre": "Luis Gustavo Parra Noriega", "cargo": "Comisionado"},
    ]
    texto = _texto(_leer(doc.archivo))
    assert "Zulema Martínez Sánchez" in texto and "Comisionada Presidenta" in texto
    # The template's own signers, when it has them, come first and alone.
    constancias.plantilla_guardar(autoridad=autoridad, titulo="Constancia de participación", cuerpo="Para {nombre}.",
                                  pie="", firmantes=[{"nombre": "Firma propia", "cargo": "Secretario"}], usuario=personal)
    assert contexto_constancia(doc)["firmantes"] == [{"nombre": "Firma propia", "cargo": "Secretario"}]


def test_cada_archivo_lleva_solo_su_propio_qr(django_capture_on_commit_callbacks, personal):
    jornada = b.jornada_con_asistentes(4)
    _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    codigos = set()
    for doc in DocumentoVerificable.objects.filter(constancia__registro__jornada=jornada):
        pagina = PdfReader(io.BytesIO(_leer(doc.archivo))).pages[0]
        imagenes = [n for n, x in pagina["/Resources"]["/XObject"].items() if x.get_object()["/Subtype"] == "/Image"]
        assert imagenes == ["/QrConstancia"]
        codigos.add(pagina["/Resources"]["/XObject"]["/QrConstancia"].get_object().get_data())
    assert len(codigos) == 4


def test_zip_y_pdf_unido_del_lote(django_capture_on_commit_callbacks, personal):
    jornada = b.jornada_con_asistentes(6)

    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    folios = sorted(DocumentoVerificable.objects.filter(constancia__lote=lote).values_list("folio", flat=True))
    with zipfile.ZipFile(io.BytesIO(_leer(lote.zip))) as z:
        nombres = sorted(z.namelist())
        assert [n.split("-")[0:4] for n in nombres] == [f.split("-") for f in folios]
        for nombre in nombres:
            assert len(PdfReader(io.BytesIO(z.read(nombre))).pages) == 1
    unido = PdfReader(io.BytesIO(_leer(lote.pdf_unido)))
    assert len(unido.pages) == 6
    assert [re.search(r"INFOEM-JS-\d{4}-\d{5}", p.extract_text()).group(0) for p in unido.pages] == folios


def test_emitir_de_nuevo_no_crea_nada(django_capture_on_commit_callbacks, personal):
    jornada = b.jornada_con_asistentes(3)
    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    antes = {d.pk: (d.archivo.name, d.sha256, d.generado_en) for d in DocumentoVerificable.objects.all()}
    correos = len(mail.outbox)

    otra_vez = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    assert otra_vez.pk == lote.pk and otra_vez.nuevas == 0
    assert LoteConstancias.objects.count() == 1
    assert {d.pk: (d.archivo.name, d.sha256, d.generado_en) for d in DocumentoVerificable.objects.all()} == antes
    assert len(mail.outbox) == correos == 3


def test_nuevo_asistente_recibe_solo_la_suya(django_capture_on_commit_callbacks, personal):
    jornada = b.jornada_con_asistentes(3)
    primero = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    antes = {d.pk: d.sha256 for d in DocumentoVerificable.objects.all()}
    nuevo = b.registrar(jornada, 1, asistio=True)[0]
    mail.outbox.clear()

    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    assert lote.pk != primero.pk and lote.nuevas == 1 and lote.total == 4
    assert {d.pk: d.sha256 for d in DocumentoVerificable.objects.filter(pk__in=antes)} == antes
    assert DocumentoVerificable.objects.filter(estado_pdf=Estado.LISTA).count() == 4
    assert [m.to for m in mail.outbox] == [[nuevo.participante.correo]]
    assert len(PdfReader(io.BytesIO(_leer(lote.pdf_unido))).pages) == 4


def test_folios_consecutivos_por_autoridad_y_anio(django_capture_on_commit_callbacks, personal):
    primera = b.jornada_con_asistentes(2)
    segunda = b.jornada_con_asistentes(2)
    _emitir(django_capture_on_commit_callbacks, personal, jornada=primera)
    _emitir(django_capture_on_commit_callbacks, personal, jornada=segunda)

    anio = primera.inicio.astimezone().year
    folios = sorted(DocumentoVerificable.objects.values_list("folio", flat=True))
    assert folios == [f"INFOEM-JS-{anio}-{n:05d}" for n in range(1, 5)]


def test_ciclo_un_correo_por_persona_con_todas_sus_constancias(django_capture_on_commit_callbacks, personal):
    ciclo = b.ciclo_con_jornadas(jornadas=2, asistentes=2, respondieron=0)
    j1, j2 = ciclo.jornadas.order_by("inicio", "pk")
    repetida = j1.registros.first().participante
    Registro.objects.create(jornada=j2, participante=repetida, asistio=True)

    lote = _emitir(django_capture_on_commit_callbacks, personal, ciclo=ciclo)

    assert lote.ciclo == ciclo and lote.total == 5
    assert len(mail.outbox) == 4
    suyo = [m for m in mail.outbox if m.to == [repetida.correo]]
    assert len(suyo) == 1
    docs = DocumentoVerificable.objects.filter(constancia__registro__participante=repetida)
    assert len(docs) == 2
    for doc in docs:
        assert reverse("core:documento", args=[doc.codigo]) in suyo[0].body


def test_emision_de_jornada_espera_a_la_del_ciclo_en_curso(personal):
    ciclo = b.ciclo_con_jornadas(jornadas=1, asistentes=2, respondieron=0)
    constancias.constancias_emitir(usuario=personal, ciclo=ciclo, encolar=False)

    with pytest.raises(ErrorDominio, match="emisión en curso"):
        constancias.constancias_emitir(usuario=personal, jornada=ciclo.jornadas.get())


def test_sin_asistentes_no_hay_emision(personal):
    jornada = b.jornada_con_asistentes(0, ausentes=2)
    with pytest.raises(ErrorDominio, match="Nadie tiene derecho"):
        constancias.constancias_emitir(usuario=personal, jornada=jornada)
    assert not LoteConstancias.objects.exists()


def test_el_enlace_del_correo_descarga_la_constancia(django_capture_on_commit_callbacks, personal, client):
    jornada = b.jornada_con_asistentes(1)
    _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    doc = DocumentoVerificable.objects.get()
    enlace = re.search(r"https?://\S+\.pdf", mail.outbox[0].body).group(0)

    respuesta = client.get(enlace.replace(settings.SITE_URL.rstrip("/"), ""))

    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "application/pdf"
    assert b"".join(respuesta.streaming_content) == _leer(doc.archivo)


def test_generar_una_sola_constancia_por_el_camino_individual(personal):
    """core.documentos renders a constancia on its own (the fallback) with the same content."""
    jornada = b.jornada_con_asistentes(1)
    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)
    doc = DocumentoVerificable.objects.get(constancia__lote=lote)

    core_documentos.documento_generar(documento_id=doc.pk)

    doc.refresh_from_db()
    assert doc.estado_pdf == Estado.LISTA
    texto = _texto(_leer(doc.archivo))
    assert doc.folio in texto and jornada.registros.get().participante.nombre in texto


# --- failures, progress, retry ---------------------------------------------------------------


def test_bloque_fallido_se_ve_en_el_lote_y_se_reintenta(django_capture_on_commit_callbacks, personal, client,
                                                       autoridad, reintentos_eager):
    """A template saved around the form (e.g. in the admin) with a field that does not exist: the
    chunk fails, then each document fails alone and shows its error; once the template is fixed,
    staff's retry renders them."""
    jornada = b.jornada_con_asistentes(2)
    plantilla = PlantillaConstancia.objects.create(autoridad=autoridad, cuerpo="Para {nombre}, {cargo}.")

    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)

    assert lote.estado == LoteConstancias.Estado.CON_ERRORES
    assert set(DocumentoVerificable.objects.values_list("estado_pdf", flat=True)) == {Estado.FALLIDA}
    assert mail.outbox == []
    client.force_login(personal)
    pagina = client.get(reverse("panel:constancias_lote", args=[lote.pk])).content.decode()
    assert "Reintentar las fallidas" in pagina and "Campos no reconocidos: {cargo}" in pagina
    plantilla.cuerpo = "Para {nombre}."
    plantilla.save()

    with django_capture_on_commit_callbacks(execute=True):
        respuesta = client.post(reverse("panel:constancias_lote_reintentar", args=[lote.pk]))

    assert respuesta.status_code == 302
    lote.refresh_from_db()
    assert lote.estado == LoteConstancias.Estado.TERMINADO
    assert set(DocumentoVerificable.objects.values_list("estado_pdf", flat=True)) == {Estado.LISTA}
    assert len(mail.outbox) == 2


def test_progreso_sondea_mientras_hay_pendientes_y_luego_ofrece_las_descargas(
        django_capture_on_commit_callbacks, personal, client):
    jornada = b.jornada_con_asistentes(3)
    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)
    client.force_login(personal)
    url = reverse("panel:constancias_lote_progreso", args=[lote.pk])

    en_curso = client.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in en_curso
    assert 'role="progressbar"' in en_curso and 'aria-valuenow="0"' in en_curso and 'aria-valuemax="3"' in en_curso
    with django_capture_on_commit_callbacks(execute=True):
        constancias.lote_encolar(lote_id=lote.pk)
    listo = client.get(url).content.decode()
    assert "hx-trigger" not in listo and 'aria-valuenow="3"' in listo
    assert reverse("panel:constancias_lote_zip", args=[lote.pk]) in listo
    assert reverse("panel:constancias_lote_pdf", args=[lote.pk]) in listo
    zip_ = client.get(reverse("panel:constancias_lote_zip", args=[lote.pk]))
    assert zip_.status_code == 200 and zip_["Content-Type"] == "application/zip"


def test_un_bloque_repetido_no_vuelve_a_generar(personal):
    jornada = b.jornada_con_asistentes(2)
    lote = constancias.constancias_emitir(usuario=personal, jornada=jornada, encolar=False)
    ids = list(DocumentoVerificable.objects.values_list("pk", flat=True))
    constancias.bloque_generar(lote_id=lote.pk, documento_ids=ids)
    antes = {d.pk: (d.archivo.name, d.intentos) for d in DocumentoVerificable.objects.all()}

    omitidos = constancias.bloque_generar(lote_id=lote.pk, documento_ids=ids)

    assert omitidos == []
    assert {d.pk: (d.archivo.name, d.intentos) for d in DocumentoVerificable.objects.all()} == antes


# --- revocation ------------------------------------------------------------------------------


def test_revocar_con_motivo_se_ve_en_la_verificacion(django_capture_on_commit_callbacks, personal, client):
    jornada = b.jornada_con_asistentes(1)
    _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    constancia = Constancia.objects.select_related("documento").get()
    client.force_login(personal)
    url = reverse("panel:constancias_revocar", args=[constancia.pk])

    sin_motivo = client.post(url, {"motivo": "  "})
    respuesta = client.post(url, {"motivo": "La persona no asistió; se registró por error."})

    assert sin_motivo.status_code == 400
    assert respuesta.status_code == 302
    doc = DocumentoVerificable.objects.get()
    assert doc.revocado_en and doc.motivo_revocacion == "La persona no asistió; se registró por error."
    assert doc.history.latest().history_user == personal
    client.logout()
    pagina = client.get(reverse("core:verificar", args=[doc.codigo])).content.decode()
    assert "Revocado" in pagina and "La persona no asistió; se registró por error." in pagina
    with pytest.raises(ErrorDominio, match="ya fue revocada"):
        constancias.constancia_revocar(constancia=constancia, motivo="otra vez", usuario=personal)


def test_verificacion_muestra_lo_que_dice_la_constancia(django_capture_on_commit_callbacks, personal, client):
    jornada = b.jornada_con_asistentes(1)
    _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    doc = DocumentoVerificable.objects.get()
    registro = jornada.registros.get()

    pagina = client.get(reverse("core:verificar", args=[doc.codigo])).content.decode()

    assert doc.folio in pagina and registro.participante.nombre in pagina and jornada.titulo in pagina
    assert "Vigente" in pagina and doc.sha256 in pagina


# --- permissions and query counts ------------------------------------------------------------

# The enlace of a body of authority 2's entity and authority 2's juror are not staff: 403, as enlace_b.
PANEL = dict(zip(PERSONAS, (LOGIN, 403, 403, 200, 404, 403, 200, 403, 403), strict=True))
PANEL_LISTA = {**PANEL, "otro_personal": 200}
PANEL_POST = {**PANEL, "personal": 302, "superusuario": 302}
# Staff (and the superuser) POSTing here issue, retry, revoke or save a template: they may write.
ESCRIBEN = frozenset({"personal", "superusuario"})


@pytest.fixture
def escenario(db, django_capture_on_commit_callbacks, personal, autoridad):
    ciclo = b.ciclo(autoridad_=autoridad)
    jornada = b.jornada_con_asistentes(2, ciclo_=ciclo)
    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    constancia = Constancia.objects.filter(registro__jornada=jornada).first()
    return {"autoridad": autoridad, "ciclo": ciclo, "jornada": jornada, "lote": lote, "constancia": constancia}


def _plantilla(e):
    return {"titulo": "Constancia", "cuerpo": "Para {nombre}", "pie": "",
            "firmantes-TOTAL_FORMS": "0", "firmantes-INITIAL_FORMS": "0"}


def _r(id_, nombre, url, esperado, metodo="get", datos=None):
    return Ruta(id_, nombre, url, esperado, metodo=metodo, datos=datos,
                cambian=ESCRIBEN if metodo == "post" and esperado is PANEL_POST else frozenset())


# In this order, for each persona in one test (the lote is rendered once per persona).
RUTAS = [
    _r("inicio", "panel:constancias", lambda e: reverse("panel:constancias"), PANEL_LISTA),
    _r("plantilla", "panel:constancias_plantilla",
       lambda e: reverse("panel:constancias_plantilla", args=[e["autoridad"].slug]), PANEL),
    _r("plantilla-post", "panel:constancias_plantilla",
       lambda e: reverse("panel:constancias_plantilla", args=[e["autoridad"].slug]), PANEL_POST, "post", _plantilla),
    _r("vista_previa", "panel:constancias_vista_previa",
       lambda e: reverse("panel:constancias_vista_previa", args=[e["autoridad"].slug]), PANEL),
    _r("vista_previa-post", "panel:constancias_vista_previa",
       lambda e: reverse("panel:constancias_vista_previa", args=[e["autoridad"].slug]), PANEL, "post", _plantilla),
    _r("jornada", "panel:constancias_jornada",
       lambda e: reverse("panel:constancias_jornada", args=[e["jornada"].slug]), PANEL),
    _r("jornada_csv", "panel:constancias_jornada_csv",
       lambda e: reverse("panel:constancias_jornada_csv", args=[e["jornada"].slug]) + "?q=a", PANEL),
    _r("jornada_xlsx", "panel:constancias_jornada_xlsx",
       lambda e: reverse("panel:constancias_jornada_xlsx", args=[e["jornada"].slug]), PANEL),
    _r("jornada_emitir", "panel:constancias_jornada_emitir",
       lambda e: reverse("panel:constancias_jornada_emitir", args=[e["jornada"].slug]), PANEL_POST, "post"),
    _r("ciclo", "panel:constancias_ciclo", lambda e: reverse("panel:constancias_ciclo", args=[e["ciclo"].slug]),
       PANEL),
    _r("ciclo_emitir", "panel:constancias_ciclo_emitir",
       lambda e: reverse("panel:constancias_ciclo_emitir", args=[e["ciclo"].slug]), PANEL_POST, "post"),
    _r("lote", "panel:constancias_lote", lambda e: reverse("panel:constancias_lote", args=[e["lote"].pk]), PANEL),
    _r("lote_progreso", "panel:constancias_lote_progreso",
       lambda e: reverse("panel:constancias_lote_progreso", args=[e["lote"].pk]), PANEL),
    _r("lote_zip", "panel:constancias_lote_zip",
       lambda e: reverse("panel:constancias_lote_zip", args=[e["lote"].pk]), PANEL),
    _r("lote_pdf", "panel:constancias_lote_pdf",
       lambda e: reverse("panel:constancias_lote_pdf", args=[e["lote"].pk]), PANEL),
    _r("lote_reintentar", "panel:constancias_lote_reintentar",
       lambda e: reverse("panel:constancias_lote_reintentar", args=[e["lote"].pk]), PANEL_POST, "post"),
    _r("lote_reanudar", "panel:constancias_lote_reanudar",
       lambda e: reverse("panel:constancias_lote_reanudar", args=[e["lote"].pk]), PANEL_POST, "post"),
    _r("revocar", "panel:constancias_revocar",
       lambda e: reverse("panel:constancias_revocar", args=[e["constancia"].pk]), PANEL),
    _r("revocar-post", "panel:constancias_revocar",
       lambda e: reverse("panel:constancias_revocar", args=[e["constancia"].pk]), PANEL_POST, "post",
       lambda e: {"motivo": "Registro duplicado"}),
]


@pytest.mark.parametrize("persona", PERSONAS)
def test_matriz_de_permisos(client, personas, escenario, persona, django_capture_on_commit_callbacks):
    usuario = personas[persona]
    if usuario is not None:
        client.force_login(usuario)
    for ruta in RUTAS:
        comprobar(client, ruta, escenario, usuario, persona, capturar=django_capture_on_commit_callbacks,
                  entrar=False)


def test_la_matriz_cubre_todas_las_rutas():
    from jornadas import urls_constancias

    cubiertas = {r.nombre.removeprefix("panel:") for r in RUTAS}
    assert {p.name for p in urls_constancias.urlpatterns} - cubiertas == set()


def test_el_inicio_de_otra_autoridad_no_lista_las_ajenas(client, otro_personal, personal, escenario):
    client.force_login(otro_personal)
    lista = client.get(reverse("panel:constancias")).content.decode()
    assert escenario["jornada"].titulo not in lista


@pytest.mark.parametrize("asistentes", [3, 9])
def test_consultas_de_la_pagina_de_la_jornada_no_crecen(
        asistentes, client, personal, django_capture_on_commit_callbacks, django_assert_num_queries):
    jornada = b.jornada_con_asistentes(asistentes)
    lote = _emitir(django_capture_on_commit_callbacks, personal, jornada=jornada)
    client.force_login(personal)
    client.get(reverse("panel:constancias_jornada", args=[jornada.slug]))  # warm the session

    with django_assert_num_queries(12):  # the page's count added to the list
        respuesta = client.get(reverse("panel:constancias_jornada", args=[jornada.slug]))
    assert respuesta.content.decode().count("btn-outline-danger") == asistentes
    with django_assert_num_queries(7):
        client.get(reverse("panel:constancias_lote_progreso", args=[lote.pk]))


@pytest.mark.parametrize("jornadas", [1, 4])
def test_consultas_del_inicio_no_crecen(jornadas, client, personal, autoridad, django_assert_num_queries):
    ciclo = b.ciclo(autoridad_=autoridad)
    for _ in range(jornadas):
        b.jornada_con_asistentes(2, ciclo_=ciclo)
    client.force_login(personal)
    client.get(reverse("panel:constancias"))

    with django_assert_num_queries(9):
        respuesta = client.get(reverse("panel:constancias"))
    assert respuesta.status_code == 200


def test_otra_autoridad_tiene_sus_propios_folios(django_capture_on_commit_callbacks, otro_personal, otra_autoridad):
    jornada = b.jornada_con_asistentes(1, autoridad_=otra_autoridad)
    _emitir(django_capture_on_commit_callbacks, otro_personal, jornada=jornada)
    assert DocumentoVerificable.objects.get().folio.startswith("COTAI-JS-")
