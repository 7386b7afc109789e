"""PDF assembly of constancias (jornadas/constancias_pdf.py) on documents WeasyPrint lays out here:
cutting a chunk's layout into one file per attendee, and merging files into a batch's PDF. Each
result is read back with both pypdf and pikepdf."""

import io

import pikepdf
import pytest
import segno
import weasyprint
from pypdf import PdfReader

from jornadas import constancias_pdf

ESTILO = "<style>@page { size: letter landscape; margin: 1cm } section { break-after: page }</style>"
NOMBRES = ["Ana Pérez Gómez", "Benito Juárez Ortiz", "Carla Núñez Díaz"]


def _pdf(cuerpo: str) -> bytes:
    return weasyprint.HTML(string=f"<html><head>{ESTILO}</head><body>{cuerpo}</body></html>").write_pdf()


def _datos(nombres, imagen_en=None) -> bytes:
    """One page per name; with imagen_en, that page also carries an image of its own."""
    imagen = segno.make("imagen propia de una página").png_data_uri(scale=2)
    return _pdf("".join(
        f"<section><p>Constancia para {nombre}</p><p>FOLIO-{i:05d}</p>"
        + (f'<img src="{imagen}">' if i == imagen_en else "") + "</section>"
        for i, nombre in enumerate(nombres)))


@pytest.fixture(scope="module")
def fondo() -> bytes:
    return _pdf("<section><h1>Fondo común del instituto</h1></section>")


def _qrs(n):
    return [segno.make(f"https://reconoce.example/verificar/{i}", error="m", mask=2) for i in range(n)]


def _textos(datos: bytes) -> list[str]:
    return [pagina.extract_text() for pagina in PdfReader(io.BytesIO(datos)).pages]


def _imagenes(pagina) -> dict:
    """Image XObjects a page's own resources name (pikepdf page)."""
    return {nombre: x for nombre, x in pagina.Resources.get("/XObject", {}).items() if x.get("/Subtype") == "/Image"}


def test_dividir_da_un_pdf_valido_de_una_pagina_por_asistente(fondo):
    archivos = constancias_pdf.dividir(_datos(NOMBRES), fondo, _qrs(3))

    assert len(archivos) == 3
    for i, (archivo, nombre) in enumerate(zip(archivos, NOMBRES, strict=True)):
        assert archivo.startswith(b"%PDF-1.7")
        with pikepdf.open(io.BytesIO(archivo)) as pdf:
            assert len(pdf.pages) == 1
            assert pdf.check_pdf_syntax() == []
        [texto] = _textos(archivo)
        assert nombre in texto and f"FOLIO-{i:05d}" in texto
        assert "Fondo común del instituto" in texto  # drawn from the shared form XObject
        assert [otro for otro in NOMBRES if otro in texto] == [nombre]


def test_cada_pdf_lleva_su_qr_y_el_fondo_como_form(fondo):
    qrs = _qrs(3)
    archivos = constancias_pdf.dividir(_datos(NOMBRES), fondo, qrs)

    imagenes = []
    for archivo, qr in zip(archivos, qrs, strict=True):
        with pikepdf.open(io.BytesIO(archivo)) as pdf:
            pagina = pdf.pages[0]
            xobjects = pagina.Resources.XObject
            assert xobjects[constancias_pdf.NOMBRE_FONDO].Subtype == "/Form"
            assert list(_imagenes(pagina)) == [constancias_pdf.NOMBRE_QR]
            imagen = xobjects[constancias_pdf.NOMBRE_QR]
            lado = len(qr.matrix) + 2 * constancias_pdf.QR_BORDE_MODULOS
            assert (int(imagen.Width), int(imagen.Height), int(imagen.BitsPerComponent)) == (lado, lado, 1)
            assert imagen.read_bytes() == pikepdf.Stream(pdf, constancias_pdf.imagen_qr(qr)[1],
                                                         Filter=pikepdf.Name.FlateDecode).read_bytes()
            imagenes.append(imagen.read_bytes())
    assert len(set(imagenes)) == 3


def test_dividir_no_lleva_a_un_archivo_las_imagenes_de_otra_pagina(fondo):
    """WeasyPrint shares one resource dictionary among a document's pages."""
    archivos = constancias_pdf.dividir(_datos(NOMBRES, imagen_en=1), fondo, _qrs(3))

    cuantas = []
    for archivo in archivos:
        with pikepdf.open(io.BytesIO(archivo)) as pdf:
            cuantas.append(len(_imagenes(pdf.pages[0])))
    assert cuantas == [1, 2, 1]


def test_dividir_es_determinista(fondo):
    datos = _datos(NOMBRES)
    assert constancias_pdf.dividir(datos, fondo, _qrs(3)) == constancias_pdf.dividir(datos, fondo, _qrs(3))


def test_dividir_rechaza_paginas_de_mas_o_de_menos(fondo):
    with pytest.raises(constancias_pdf.ErrorPaginas):
        constancias_pdf.dividir(_datos(NOMBRES), fondo, _qrs(2))


def test_pdf_unido_tiene_todas_las_paginas_en_orden_y_comparte_lo_comun(fondo):
    archivos = constancias_pdf.dividir(_datos(NOMBRES), fondo, _qrs(3))
    suelto = _pdf("<section><p>Constancia generada sola para Daniela Ríos</p></section>")  # not from dividir
    salida = io.BytesIO()

    unido = constancias_pdf.PDFUnido(salida)
    for archivo in [*archivos, suelto]:
        unido.agregar(archivo)
    paginas = unido.cerrar()

    datos = salida.getvalue()
    assert paginas == 4
    textos = _textos(datos)
    assert len(textos) == 4
    for texto, nombre in zip(textos, [*NOMBRES, "Daniela Ríos"], strict=True):
        assert [otro for otro in [*NOMBRES, "Daniela Ríos"] if otro in texto] == [nombre]
    assert all("Fondo común del instituto" in t for t in textos[:3]) and "Fondo común" not in textos[3]
    with pikepdf.open(io.BytesIO(datos)) as pdf:
        assert len(pdf.pages) == 4 and pdf.check_pdf_syntax() == []
        fondos = {p.Resources.XObject[constancias_pdf.NOMBRE_FONDO].objgen for p in pdf.pages[:3]}
        qrs = {p.Resources.XObject[constancias_pdf.NOMBRE_QR].objgen for p in pdf.pages[:3]}
        fuentes = {f.objgen for p in pdf.pages[:3] for f in p.Resources.Font.values()}
    assert len(fondos) == 1 and len(qrs) == 3
    with pikepdf.open(io.BytesIO(archivos[0])) as uno:
        assert len(fuentes) == len(uno.pages[0].Resources.Font)  # the chunk's fonts, copied once
    assert len(datos) < sum(map(len, archivos))


def test_lo_comun_lleva_su_huella_y_los_recursos_solo_recursos(fondo):
    archivos = constancias_pdf.dividir(_datos(NOMBRES), fondo, _qrs(3))

    marcas = []
    for archivo in archivos:
        with pikepdf.open(io.BytesIO(archivo)) as pdf:
            recursos = pdf.pages[0].Resources
            assert recursos.Font.keys() and all(f.Type == "/Font" for f in recursos.Font.values())
            assert constancias_pdf.MARCA not in recursos.Font and constancias_pdf.MARCA not in recursos.XObject
            assert constancias_pdf.MARCA not in recursos.XObject[constancias_pdf.NOMBRE_QR]  # its own, not shared
            marcas.append((str(recursos.XObject[constancias_pdf.NOMBRE_FONDO][constancias_pdf.MARCA]),
                           sorted(str(f[constancias_pdf.MARCA]) for f in recursos.Font.values())))
    assert marcas[0] == marcas[1] == marcas[2]


def _sin_marcas(archivo: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(archivo)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and constancias_pdf.MARCA in obj:
                del obj[constancias_pdf.MARCA]
        salida = io.BytesIO()
        pdf.save(salida)
    return salida.getvalue()


def test_pdf_unido_comparte_lo_comun_tambien_sin_huellas(fondo):
    """Files not written by dividir (or from before it tagged them): digests read from the objects."""
    archivos = [_sin_marcas(a) for a in constancias_pdf.dividir(_datos(NOMBRES), fondo, _qrs(3))]
    assert all(constancias_pdf.MARCA.encode() not in a for a in archivos)
    salida = io.BytesIO()

    unido = constancias_pdf.PDFUnido(salida)
    for archivo in archivos:
        unido.agregar(archivo)
    assert unido.cerrar() == 3

    with pikepdf.open(io.BytesIO(salida.getvalue())) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len({p.Resources.XObject[constancias_pdf.NOMBRE_FONDO].objgen for p in pdf.pages}) == 1
        assert len({p.Resources.XObject[constancias_pdf.NOMBRE_QR].objgen for p in pdf.pages}) == 3
        fuentes = {f.objgen for p in pdf.pages for f in p.Resources.Font.values()}
        with pikepdf.open(io.BytesIO(archivos[0])) as uno:
            assert len(fuentes) == len(uno.pages[0].Resources.Font)
    assert [[n for n in NOMBRES if n in t] for t in _textos(salida.getvalue())] == [[n] for n in NOMBRES]


def test_pdf_unido_vacio_es_un_pdf_sin_paginas():
    salida = io.BytesIO()
    assert constancias_pdf.PDFUnido(salida).cerrar() == 0
    with pikepdf.open(io.BytesIO(salida.getvalue())) as pdf:
        assert len(pdf.pages) == 0
