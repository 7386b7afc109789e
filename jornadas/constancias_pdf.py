"""PDF plumbing for batches of constancias, on pikepdf (qpdf).

WeasyPrint pays a fixed cost per document and a smaller one per page, and most of a page's cost is
text to lay out and images to decode. A chunk of certificates is therefore laid out as two
documents: the *fondo* (what every certificate shares: frame, logo, authority, title, signers, footer)
once, and the *datos* (name, text, folio, URL) with one page per attendee. ``dividir`` cuts the datos
document into one single-page PDF per attendee; each draws the fondo underneath as a form XObject and
its own QR code, written here straight from the code's modules as a 1-bit image (decoding a PNG per
page in WeasyPrint costs more than laying out the page's text).

Each file gets only its own page's objects: WeasyPrint shares one resource dictionary among all
pages, so a plain page copy would carry every attendee's images into every file. Streams keep their
compressed data (qpdf copies Flate streams without decoding them).

``PDFUnido`` merges a batch's files into one PDF, copying an object that many files hold (the fonts
of a chunk, the fondo) once: objects are compared by a digest of their content and of their
children's digests. It keeps the copied objects in memory until ``cerrar`` writes the file, so its
memory grows with the merged PDF's size, not with the size of the files it reads.
"""

import hashlib
import io
import re
import zlib

import pikepdf
from pikepdf import Array, Dictionary, Name

NOMBRE_FONDO = "/FondoConstancia"
NOMBRE_QR = "/QrConstancia"
# Key dividir adds to the objects a chunk's files share (fonts, colour spaces, the fondo): their
# digest, so that merging the files recognizes them without reading their children.
MARCA = "/ReconoceHuella"
_DO = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+Do\b")
_DELIMITADORES = frozenset(b" \t\r\n\f/[]<>()%")
_NUMEROS = re.compile(rb"(?<![\w.+-])(\d+) (\d+)$")  # "12 0" just before " R"
# What a copied page keeps besides its resources and content (WeasyPrint sets them on each page).
_CAJAS = ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/Rotate", "/Group")
_OPCIONES_GUARDADO = {"deterministic_id": True, "min_version": "1.7"}

# Page geometry, shared with the template (jornadas/pdf/constancia.html gets it as `geometria`):
# letter landscape; the QR code sits in the page box at these offsets, in centimetres.
CM = 72 / 2.54
ANCHO_PT, ALTO_PT = 792, 612
MARGEN_ARRIBA_CM, MARGEN_LADO_CM = 1.3, 1.6
QR_ARRIBA_CM, QR_DERECHA_CM, QR_LADO_CM = 15.3, 0.6, 3.2
QR_BORDE_MODULOS = 2


def geometria() -> dict:
    """The same numbers as CSS lengths for the template."""
    def cm(valor):
        return f"{valor:.2f}cm"

    return {"margen_arriba": cm(MARGEN_ARRIBA_CM), "margen_lado": cm(MARGEN_LADO_CM),
            "qr_arriba": cm(QR_ARRIBA_CM), "qr_derecha": cm(QR_DERECHA_CM), "qr_lado": cm(QR_LADO_CM)}


def _dibujo() -> bytes:
    """Content drawn before the page's own: the fondo, then the QR code in its box."""
    lado = QR_LADO_CM * CM
    x = ANCHO_PT - (MARGEN_LADO_CM + QR_DERECHA_CM + QR_LADO_CM) * CM
    y = ALTO_PT - (MARGEN_ARRIBA_CM + QR_ARRIBA_CM + QR_LADO_CM) * CM
    return (b"q %s Do Q\n" % NOMBRE_FONDO.encode()
            + b"q %.3f 0 0 %.3f %.3f %.3f cm %s Do Q\n" % (lado, lado, x, y, NOMBRE_QR.encode()))


class ErrorPaginas(ValueError):
    """The layout did not give one page per attendee."""


_A_BITS = bytes.maketrans(b"\x00\x01", b"10")  # DeviceGray at 1 bit: 0 is black (a dark module)


def imagen_qr(codigo) -> tuple[int, bytes]:
    """A segno QR code as a 1-bit image with a white quiet zone: (side in pixels, Flate data)."""
    matriz = codigo.matrix
    borde = QR_BORDE_MODULOS
    ancho = len(matriz[0]) + 2 * borde
    relleno = -ancho % 8
    bytes_fila = (ancho + relleno) // 8
    blanca = b"\xff" * bytes_fila
    margen, cola = "1" * borde, "1" * (borde + relleno)
    filas = [blanca] * borde
    for fila in matriz:
        bits = margen + bytes(fila).translate(_A_BITS).decode("ascii") + cola
        filas.append(int(bits, 2).to_bytes(bytes_fila, "big"))
    filas += [blanca] * borde
    return ancho, zlib.compress(b"".join(filas), 9)


def _stream_qr(destino: pikepdf.Pdf, codigo) -> pikepdf.Stream:
    ancho, datos = imagen_qr(codigo)
    # Given with its /Filter, the data is stored as already encoded.
    return pikepdf.Stream(destino, datos, Type=Name.XObject, Subtype=Name.Image, Width=ancho, Height=ancho,
                          ColorSpace=Name.DeviceGray, BitsPerComponent=1, Interpolate=False,
                          Filter=Name.FlateDecode)


def _copia(destino: pikepdf.Pdf, valor):
    """``valor`` of another PDF as a value of ``destino``: indirect objects through qpdf's
    copy_foreign (which copies each source object once per destination), direct containers rebuilt."""
    if isinstance(valor, pikepdf.Object):
        if valor.is_indirect:
            return destino.copy_foreign(valor)
        if isinstance(valor, Dictionary):
            return Dictionary({clave: _copia(destino, v) for clave, v in valor.items()})
        if isinstance(valor, Array):
            return Array([_copia(destino, v) for v in valor])
    return valor  # names, strings and numbers belong to no document


def _fondo_como_form(pdf_fondo: pikepdf.Pdf) -> pikepdf.Stream:
    """The fondo's only page as a form XObject (its content, compressed once, and its resources)."""
    pagina = pdf_fondo.pages[0]
    datos = b"\n".join(s.read_bytes() for s in _contenidos(pagina.obj))
    form = pikepdf.Stream(pdf_fondo, zlib.compress(datos, 6), Type=Name.XObject, Subtype=Name.Form,
                          BBox=Array(pagina.mediabox), Filter=Name.FlateDecode)
    if "/Resources" in pagina.obj:
        form.Resources = pagina.obj.Resources
    return form


def _contenidos(pagina: Dictionary) -> list:
    if "/Contents" not in pagina:
        return []
    contenido = pagina.Contents
    return list(contenido) if isinstance(contenido, Array) else [contenido]


def _guardar(pdf: pikepdf.Pdf, archivo) -> None:
    pdf.save(archivo, **_OPCIONES_GUARDADO)


def dividir(pdf_datos: bytes, pdf_fondo: bytes, qrs: list) -> list[bytes]:
    """One single-page PDF per page of the datos document (and per QR code in ``qrs``, in order),
    each drawing the fondo underneath and its own QR code.

    The chunk's pages are built in one pikepdf document, so what they share (fonts, the fondo) is
    copied once; each file is that document saved with a page tree holding only its page: qpdf
    writes the objects reachable from the catalog, so a file carries its page's objects only."""
    with pikepdf.open(io.BytesIO(pdf_datos)) as datos, pikepdf.open(io.BytesIO(pdf_fondo)) as fondo:
        if len(datos.pages) != len(qrs):
            raise ErrorPaginas(f"Se esperaban {len(qrs)} páginas y el PDF tiene {len(datos.pages)}.")
        salida = pikepdf.new()
        huellas = _Huellas(salida)
        form = salida.copy_foreign(_fondo_como_form(fondo))
        invocacion = pikepdf.Stream(salida, zlib.compress(_dibujo()), Filter=Name.FlateDecode)
        for comun in (form, invocacion):
            _marcar(huellas, comun)
        archivos = []
        for pagina, qr in zip(datos.pages, qrs, strict=True):
            contenidos = _contenidos(pagina.obj)
            recursos = pagina.obj.get("/Resources", Dictionary())
            propios = recursos.get("/XObject", Dictionary())
            usados = {n.decode() for s in contenidos for n in _DO.findall(s.read_bytes())} if propios else set()
            nuevos = Dictionary({clave: _copia(salida, valor) for clave, valor in recursos.items()
                                 if clave != "/XObject"})
            for categoria in nuevos.values():  # /Font, /ExtGState...: name -> resource
                for comun in categoria.values() if isinstance(categoria, Dictionary) else ():
                    _marcar(huellas, comun)
            xobjects = Dictionary({NOMBRE_FONDO: form, NOMBRE_QR: _stream_qr(salida, qr)})
            for nombre, valor in propios.items():
                if nombre[1:] in usados:
                    xobjects[nombre] = _copia(salida, valor)
            nuevos.XObject = xobjects
            nueva = salida.make_indirect(Dictionary(
                Type=Name.Page, Resources=nuevos,
                Contents=Array([invocacion, *(salida.copy_foreign(s) for s in contenidos)])))
            for clave in _CAJAS:
                if clave in pagina.obj:
                    nueva[clave] = _copia(salida, pagina.obj[clave])
            nueva.Parent = salida.Root.Pages = salida.make_indirect(
                Dictionary(Type=Name.Pages, Kids=Array([nueva]), Count=1))
            buffer = io.BytesIO()
            _guardar(salida, buffer)
            archivos.append(buffer.getvalue())
    return archivos


def _marcar(huellas: "_Huellas", obj) -> None:
    """Tag a shared font, form, image or graphics state with its digest (arrays take no keys)."""
    if (isinstance(obj, (Dictionary, pikepdf.Stream)) and obj.is_indirect and MARCA not in obj):
        obj[MARCA] = pikepdf.String(huellas.de(obj).hex())


def _referencias(texto: bytes) -> tuple[bytes, list[tuple[int, int]]]:
    """An object's serialization without its references' numbers (each becomes ``R``) and the
    references in order. Found from each " R" backwards: a regular expression over a font's long
    number arrays costs more than the rest of the merge."""
    partes, refs, desde = [], [], 0
    i = texto.find(b" R")
    while i >= 0:
        fin = i + 2
        if fin == len(texto) or texto[fin] in _DELIMITADORES:
            numeros = _NUMEROS.search(texto, max(desde, i - 24), i)
            if numeros:
                partes.append(texto[desde:numeros.start()])
                refs.append((int(numeros[1]), int(numeros[2])))
                desde = i + 1  # keeps the "R"
        i = texto.find(b" R", fin)
    partes.append(texto[desde:])
    return b"".join(partes), refs


class PDFUnido:
    """One PDF of many, written to a binary file by ``cerrar``. Pages are copied as they are added;
    an indirect object identical to one already copied (same content, same children) is shared."""

    def __init__(self, archivo):
        self.archivo = archivo
        self.pdf = pikepdf.new()
        self.por_huella: dict[bytes, pikepdf.Object] = {}

    def agregar(self, datos: bytes) -> None:
        """Append every page of a PDF given as bytes."""
        with pikepdf.open(io.BytesIO(datos)) as origen:
            copiador = _Copiador(self, origen)
            for pagina in origen.pages:
                nueva = Dictionary(Type=Name.Page)
                for clave in (*_CAJAS, "/Resources", "/Contents"):
                    if clave in pagina.obj:
                        nueva[clave] = copiador.copia(pagina.obj[clave])
                self.pdf.pages.append(pikepdf.Page(nueva))

    def cerrar(self) -> int:
        """Write the merged PDF; return the number of pages."""
        _guardar(self.pdf, self.archivo)
        return len(self.pdf.pages)


class _Huellas:
    """Digests of one document's indirect objects: the object's serialization (qpdf's, keys sorted)
    with each reference replaced by the child's digest, then a stream's raw data. An object that
    ``dividir`` tagged with MARCA has that digest, so its children are not read again."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.memo: dict[tuple[int, int], bytes] = {}
        self.en_curso: set[tuple[int, int]] = set()

    def de(self, obj) -> bytes:
        clave = obj.objgen
        huella = self.memo.get(clave)
        if huella is not None:
            return huella
        marca = obj.get(MARCA)
        if marca is not None:
            self.memo[clave] = bytes(marca)
            return self.memo[clave]
        if clave in self.en_curso:
            raise ValueError("Referencia circular en el PDF de una constancia.")
        self.en_curso.add(clave)
        es_stream = isinstance(obj, pikepdf.Stream)
        esqueleto, refs = _referencias((obj.stream_dict if es_stream else obj).unparse(resolved=True))
        digest = hashlib.sha256(esqueleto)
        for numero, generacion in refs:
            hijo = self.pdf.get_object(numero, generacion)
            digest.update(self.de(hijo) if hijo.is_indirect else b"null")
        if es_stream:
            digest.update(b"stream" + obj.read_raw_bytes())
        self.en_curso.discard(clave)
        self.memo[clave] = digest.digest()
        return self.memo[clave]


class _Copiador:
    """Copies objects of one source PDF into a PDFUnido; an indirect object whose digest the merged
    PDF already holds is not copied again."""

    def __init__(self, unido: PDFUnido, origen: pikepdf.Pdf):
        self.unido = unido
        self.huellas = _Huellas(origen)
        self.memo: dict[tuple[int, int], pikepdf.Object] = {}

    def copia(self, obj):
        """``obj`` as a value of the merged PDF."""
        if not isinstance(obj, pikepdf.Object):
            return obj  # numbers, booleans
        if obj.is_indirect:
            return self.indirecto(obj)
        if isinstance(obj, Dictionary):
            return Dictionary({clave: self.copia(v) for clave, v in obj.items() if clave != MARCA})
        if isinstance(obj, Array):
            texto = obj.unparse()
            if b" R" not in texto:
                return pikepdf.Object.parse(texto)  # e.g. a font's widths: qpdf parses the copy
            return Array([self.copia(v) for v in obj])
        return obj  # names and strings belong to no document

    def indirecto(self, obj) -> pikepdf.Object:
        clave = obj.objgen
        copia = self.memo.get(clave)
        if copia is None:
            huella = self.huellas.de(obj)
            copia = self.unido.por_huella.get(huella)
            if copia is None:
                if isinstance(obj, pikepdf.Stream):
                    dic = Dictionary({k: self.copia(v) for k, v in obj.stream_dict.items()
                                      if k not in ("/Length", MARCA)})
                    # The raw data with its dictionary (/Filter included) is the stream as it was encoded.
                    copia = pikepdf.Stream(self.unido.pdf, obj.read_raw_bytes(), dic)
                else:
                    copia = self.unido.pdf.make_indirect(self.copia(_directo(obj)))
                self.unido.por_huella[huella] = copia
            self.memo[clave] = copia
        return copia


def _directo(obj):
    """An indirect dictionary or array's content as a direct object of the same document."""
    if isinstance(obj, Dictionary):
        return Dictionary(dict(obj.items()))
    if isinstance(obj, Array):
        return Array(list(obj))
    return obj
