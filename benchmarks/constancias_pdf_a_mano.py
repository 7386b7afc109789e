"""The hand-written PDF writer that jornadas/constancias_pdf.py used before pikepdf, kept only as the
baseline of benchmarks/constancias.py (`--ensambladores pikepdf a_mano`). Not used by the app.

WeasyPrint pays a fixed cost per document and a smaller one per page, and most of a page's cost is
text to lay out and images to decode. A chunk of certificates is therefore laid out as two
documents: the *fondo* (what every certificate shares: frame, logo, authority, title, signers, footer)
once, and the *datos* (name, text, folio, URL) with one page per attendee. ``dividir`` cuts the datos
document into one single-page PDF per attendee; each draws the fondo underneath as a form XObject and
its own QR code, written here straight from the code's modules as a 1-bit image (decoding a PNG per
page in WeasyPrint costs more than laying out the page's text).

Objects are copied with pypdf's parser and written here as bytes: streams keep their compressed data,
objects a chunk shares (fonts, the fondo) are serialized once per chunk, and each file gets only its
own page's objects (WeasyPrint shares one resource dictionary among all pages, so a plain copy would
carry every attendee's images into every file).

``PDFUnido`` writes the merged PDF of a batch to a file page by page, writing objects shared by many
pages once, so its memory does not grow with the number of pages.
"""

import hashlib
import io
import re
import zlib

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject, StreamObject

# Files written here carry this comment after the header, so merging can read them without pypdf.
MARCA = b"%Reconoce-constancia-1\n"
CABECERA = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
NOMBRE_FONDO = b"/FondoConstancia"
NOMBRE_QR = b"/QrConstancia"
_DO = re.compile(rb"/([^\s/\[\]<>(){}%]+)\s+Do\b")
_REF = re.compile(rb"(\d+) 0 R\b")

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


def _dibujo_qr() -> bytes:
    lado = QR_LADO_CM * CM
    x = ANCHO_PT - (MARGEN_LADO_CM + QR_DERECHA_CM + QR_LADO_CM) * CM
    y = ALTO_PT - (MARGEN_ARRIBA_CM + QR_ARRIBA_CM + QR_LADO_CM) * CM
    return b"q %.3f 0 0 %.3f %.3f %.3f cm %s Do Q\n" % (lado, lado, x, y, NOMBRE_QR)


class ErrorPaginas(ValueError):
    """The layout did not give one page per attendee."""


_A_BITS = bytes.maketrans(b"\x00\x01", b"10")  # DeviceGray at 1 bit: 0 is black (a dark module)


def imagen_qr(codigo) -> bytes:
    """A segno QR code as the body of a PDF image XObject: 1 bit per module, white quiet zone."""
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
    datos = zlib.compress(b"".join(filas), 9)
    return (b"<</Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
            b"/BitsPerComponent 1 /Interpolate false /Filter /FlateDecode /Length %d>>\nstream\n%s\nendstream"
            % (ancho, ancho, len(datos), datos))


def _escalar(obj) -> bytes:
    buf = io.BytesIO()
    obj.write_to_stream(buf)
    return buf.getvalue()


def _datos_stream(stream) -> tuple[bytes, dict]:
    """Raw (still encoded) data of a stream and its dictionary entries without /Length."""
    datos = stream._data  # the encoded bytes as read: copied without decompressing
    if isinstance(datos, str):
        datos = datos.encode("latin-1")
    return datos, {k: v for k, v in stream.items() if k != "/Length"}


class _Tabla:
    """Objects of one chunk, numbered and serialized once; each file takes the closure it needs."""

    def __init__(self, inicio: int = 3):
        self.siguiente = inicio
        self.numeros: dict[tuple, int] = {}
        self.cuerpos: dict[int, bytes] = {}
        self.hijos: dict[int, tuple[int, ...]] = {}

    def nuevo(self) -> int:
        n = self.siguiente
        self.siguiente += 1
        return n

    def referencia(self, ind: IndirectObject) -> int:
        clave = (id(ind.pdf), ind.idnum, ind.generation)
        n = self.numeros.get(clave)
        if n is None:
            n = self.numeros[clave] = self.nuevo()
            refs: list[int] = []
            self.guardar(n, self.valor(ind.get_object(), refs), refs)
        return n

    def guardar(self, n: int, cuerpo: bytes, refs) -> None:
        self.cuerpos[n] = b"%d 0 obj\n%s\nendobj\n" % (n, cuerpo)
        self.hijos[n] = tuple(refs)

    def valor(self, obj, refs: list[int]) -> bytes:
        if isinstance(obj, IndirectObject):
            n = self.referencia(obj)
            refs.append(n)
            return b"%d 0 R" % n
        if isinstance(obj, StreamObject):
            datos, dic = _datos_stream(obj)
            return self.diccionario(dic, refs, extra=b"/Length %d" % len(datos)) + b"\nstream\n" + datos + b"\nendstream"
        if isinstance(obj, DictionaryObject):
            return self.diccionario(obj, refs)
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self.valor(v, refs) for v in obj) + b"]"
        return _escalar(obj)

    def diccionario(self, dic, refs, extra: bytes = b"") -> bytes:
        partes = [_escalar(NameObject(k)) + b" " + self.valor(v, refs) for k, v in dic.items()]
        if extra:
            partes.append(extra)
        return b"<<" + b" ".join(partes) + b">>"

    def cierre(self, raices) -> list[int]:
        vistos: set[int] = set()
        pila = list(raices)
        while pila:
            n = pila.pop()
            if n not in vistos:
                vistos.add(n)
                pila.extend(self.hijos[n])
        return sorted(vistos)


def _xref(offsets: dict[int, int]) -> bytes:
    """Cross-reference table in contiguous subsections (a file holds only the objects it uses)."""
    numeros = sorted(offsets)
    partes = [b"xref\n0 1\n0000000000 65535 f \n"]
    i = 0
    while i < len(numeros):
        j = i
        while j + 1 < len(numeros) and numeros[j + 1] == numeros[j] + 1:
            j += 1
        partes.append(b"%d %d\n" % (numeros[i], j - i + 1))
        partes.extend(b"%010d 00000 n \n" % offsets[n] for n in numeros[i:j + 1])
        i = j + 1
    return b"".join(partes)


def _archivo(cuerpos, pagina: int, tamano: int) -> bytes:
    salida = bytearray(CABECERA + MARCA)
    offsets = {}
    for n, cuerpo in cuerpos:
        offsets[n] = len(salida)
        salida += cuerpo
    offsets[2] = len(salida)
    salida += b"2 0 obj\n<</Type /Pages /Kids [%d 0 R] /Count 1>>\nendobj\n" % pagina
    offsets[1] = len(salida)
    salida += b"1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n"
    inicio_xref = len(salida)
    salida += _xref(offsets)
    salida += b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (tamano, inicio_xref)
    return bytes(salida)


def _fondo_como_form(tabla: _Tabla, pdf_fondo: bytes) -> int:
    """The fondo's only page as a form XObject (its content and resources), numbered in the table."""
    pagina = PdfReader(io.BytesIO(pdf_fondo)).pages[0]
    contenido = zlib.compress(pagina.get_contents().get_data(), 6)
    refs: list[int] = []
    caja = tabla.valor(ArrayObject(pagina.mediabox), refs)
    recursos = tabla.valor(pagina.raw_get("/Resources"), refs) if "/Resources" in pagina else b"<<>>"
    n = tabla.nuevo()
    tabla.guardar(n, b"<</Type /XObject /Subtype /Form /BBox %s /Resources %s /Filter /FlateDecode /Length %d>>"
                     b"\nstream\n%s\nendstream" % (caja, recursos, len(contenido), contenido), refs)
    return n


def dividir(pdf_datos: bytes, pdf_fondo: bytes, qrs: list) -> list[bytes]:
    """One single-page PDF per page of the datos document (and per QR code in ``qrs``, in order),
    each drawing the fondo underneath and its own QR code."""
    lector = PdfReader(io.BytesIO(pdf_datos))
    if len(lector.pages) != len(qrs):
        raise ErrorPaginas(f"Se esperaban {len(qrs)} páginas y el PDF tiene {len(lector.pages)}.")
    tabla = _Tabla()
    fondo = _fondo_como_form(tabla, pdf_fondo)
    invocacion = tabla.nuevo()
    dibujo = b"q %s Do Q\n" % NOMBRE_FONDO + _dibujo_qr()
    tabla.guardar(invocacion, b"<</Length %d>>\nstream\n%s\nendstream" % (len(dibujo), dibujo), [])
    archivos = []
    comunes: dict = {}  # resources other than XObjects, serialized once per (shared) dictionary
    for pagina, qr in zip(lector.pages, qrs, strict=True):
        refs: list[int] = [fondo, invocacion]
        recursos = pagina["/Resources"] if "/Resources" in pagina else DictionaryObject()
        contenido = pagina.get_contents()
        usados = set(_DO.findall(contenido.get_data())) if contenido is not None else set()
        crudos = pagina.raw_get("/Resources") if "/Resources" in pagina else None
        clave_comun = crudos.idnum if isinstance(crudos, IndirectObject) else None
        if clave_comun is None or clave_comun not in comunes:
            propios: list[int] = []
            partes = [_escalar(NameObject(clave)) + b" " + tabla.valor(valor, propios)
                      for clave, valor in recursos.items() if clave != "/XObject"]
            if clave_comun is not None:
                comunes[clave_comun] = (partes, propios)
        else:
            partes, propios = comunes[clave_comun]
        partes = list(partes)
        refs.extend(propios)
        imagen = tabla.nuevo()
        tabla.guardar(imagen, imagen_qr(qr), [])
        refs.append(imagen)
        entradas = [NOMBRE_FONDO + b" %d 0 R" % fondo, NOMBRE_QR + b" %d 0 R" % imagen]
        if "/XObject" in recursos:
            for nombre, valor in recursos["/XObject"].items():
                if nombre[1:].encode() in usados:
                    entradas.append(_escalar(NameObject(nombre)) + b" " + tabla.valor(valor, refs))
        partes.append(b"/XObject <<" + b" ".join(entradas) + b">>")
        contenidos = [b"%d 0 R" % invocacion]
        if "/Contents" in pagina:
            crudo = pagina.raw_get("/Contents")
            resuelto = crudo.get_object()
            for parte in (resuelto if isinstance(resuelto, ArrayObject) else [crudo]):
                contenidos.append(tabla.valor(parte, refs))
        propias = [b"/Type /Page /Parent 2 0 R"]
        for clave in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/Rotate", "/Group"):
            if clave in pagina:
                propias.append(_escalar(NameObject(clave)) + b" " + tabla.valor(pagina.raw_get(clave), refs))
        propias.append(b"/Resources <<" + b" ".join(partes) + b">>")
        propias.append(b"/Contents [" + b" ".join(contenidos) + b"]")
        n = tabla.nuevo()
        tabla.guardar(n, b"<<" + b" ".join(propias) + b">>", refs)
        archivos.append(_archivo(((m, tabla.cuerpos[m]) for m in tabla.cierre([n])), n, tabla.siguiente))
    return archivos


class PDFUnido:
    """A PDF written page by page to a binary file: each page's objects are copied as they are
    read, identical objects (the fonts and fondo that a chunk's files share) are written once, and
    only offsets and digests stay in memory."""

    def __init__(self, archivo):
        self.archivo = archivo
        self.archivo.write(CABECERA)
        self.posicion = len(CABECERA)
        self.siguiente = 3
        self.offsets: dict[int, int] = {}
        self.por_huella: dict[bytes, int] = {}
        self.paginas: list[int] = []

    def _escribir(self, cuerpo: bytes) -> int:
        n = self.siguiente
        self.siguiente += 1
        self.offsets[n] = self.posicion
        bloque = b"%d 0 obj\n%s\nendobj\n" % (n, cuerpo)
        self.archivo.write(bloque)
        self.posicion += len(bloque)
        return n

    def _compartido(self, cuerpo: bytes) -> int:
        huella = hashlib.sha256(cuerpo).digest()
        n = self.por_huella.get(huella)
        if n is None:
            n = self.por_huella[huella] = self._escribir(cuerpo)
        return n

    def agregar(self, datos: bytes) -> None:
        """Append every page of a PDF given as bytes."""
        if datos.startswith(CABECERA + MARCA):
            self._agregar_propio(datos)
        else:
            self._agregar_pypdf(datos)

    # Files written by `dividir`: classic xref table, one page, objects read as byte ranges.
    def _agregar_propio(self, datos: bytes) -> None:
        inicio_xref = int(datos[datos.rindex(b"startxref") + 9:].split()[0])
        tabla = datos[inicio_xref:datos.index(b"trailer", inicio_xref)].split(b"\n")[1:]
        offsets: dict[int, int] = {}
        i = 0
        while i < len(tabla) and tabla[i].strip():
            primero, cuantos = (int(x) for x in tabla[i].split())
            for k in range(cuantos):
                entrada = tabla[i + 1 + k].split()
                if entrada[2] == b"n":
                    offsets[primero + k] = int(entrada[0])
            i += 1 + cuantos
        orden = sorted(offsets.items(), key=lambda par: par[1])
        cuerpos = {}
        for j, (n, inicio) in enumerate(orden):
            fin = orden[j + 1][1] if j + 1 < len(orden) else inicio_xref
            bloque = datos[inicio:fin]
            cuerpos[n] = bloque[bloque.index(b"obj\n") + 4:bloque.rindex(b"\nendobj")]
        kids = _REF.findall(cuerpos[2])
        memo = {2: 2}

        def copiar(n: int, en_curso: set) -> int:
            if n in memo:
                return memo[n]
            if n in en_curso:
                raise ValueError("Referencia circular en el PDF de una constancia.")
            en_curso.add(n)
            cuerpo = cuerpos[n]
            corte = cuerpo.find(b"\nstream\n")
            cabeza, cola = (cuerpo, b"") if corte < 0 else (cuerpo[:corte], cuerpo[corte:])
            for hijo in _REF.findall(cabeza):
                copiar(int(hijo), en_curso)
            nueva = _REF.sub(lambda m: b"%d 0 R" % memo[int(m.group(1))], cabeza) + cola
            en_curso.discard(n)
            memo[n] = self._compartido(nueva)
            return memo[n]

        for kid in kids:
            pagina = int(kid)
            cuerpo = cuerpos[pagina]
            for hijo in _REF.findall(cuerpo):
                copiar(int(hijo), {pagina})
            self.paginas.append(self._escribir(_REF.sub(lambda m: b"%d 0 R" % memo[int(m.group(1))], cuerpo)))

    # Any other PDF (e.g. one re-rendered on its own by core.documentos): through pypdf's parser.
    def _agregar_pypdf(self, datos: bytes) -> None:
        lector = PdfReader(io.BytesIO(datos))
        memo: dict = {}
        for pagina in lector.pages:
            partes = [b"/Type /Page /Parent 2 0 R"]
            for clave, valor in pagina.items():
                if clave in ("/Type", "/Parent", "/Annots", "/StructParents"):
                    continue
                partes.append(_escalar(NameObject(clave)) + b" " + self._valor(valor, memo, set()))
            self.paginas.append(self._escribir(b"<<" + b" ".join(partes) + b">>"))

    def _valor(self, obj, memo: dict, en_curso: set) -> bytes:
        if isinstance(obj, IndirectObject):
            clave = (obj.idnum, obj.generation)
            n = memo.get(clave)
            if n is None:
                if clave in en_curso:
                    raise ValueError("Referencia circular en el PDF de una constancia.")
                en_curso.add(clave)
                cuerpo = self._valor(obj.get_object(), memo, en_curso)
                en_curso.discard(clave)
                n = memo[clave] = self._compartido(cuerpo)
            return b"%d 0 R" % n
        if isinstance(obj, StreamObject):
            datos, dic = _datos_stream(obj)
            return (self._dic(dic, memo, en_curso, extra=b"/Length %d" % len(datos))
                    + b"\nstream\n" + datos + b"\nendstream")
        if isinstance(obj, DictionaryObject):
            return self._dic(obj, memo, en_curso)
        if isinstance(obj, ArrayObject):
            return b"[" + b" ".join(self._valor(v, memo, en_curso) for v in obj) + b"]"
        return _escalar(obj)

    def _dic(self, dic, memo, en_curso, extra: bytes = b"") -> bytes:
        partes = [_escalar(NameObject(k)) + b" " + self._valor(v, memo, en_curso) for k, v in dic.items()]
        if extra:
            partes.append(extra)
        return b"<<" + b" ".join(partes) + b">>"

    def cerrar(self) -> int:
        """Write the page tree, catalog, xref and trailer; return the number of pages."""
        kids = b" ".join(b"%d 0 R" % n for n in self.paginas)
        for n, cuerpo in ((2, b"<</Type /Pages /Kids [%s] /Count %d>>" % (kids, len(self.paginas))),
                          (1, b"<</Type /Catalog /Pages 2 0 R>>")):
            self.offsets[n] = self.posicion
            bloque = b"%d 0 obj\n%s\nendobj\n" % (n, cuerpo)
            self.archivo.write(bloque)
            self.posicion += len(bloque)
        inicio_xref = self.posicion
        self.archivo.write(_xref(self.offsets))
        self.archivo.write(b"trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
                           % (self.siguiente, inicio_xref))
        return len(self.paginas)
