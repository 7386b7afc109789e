"""Attendance import: preview first (new, matched, duplicates, unknown bodies, malformed rows with
line numbers) writing nothing, then an all-or-nothing write. CSV in UTF-8/Latin-1/UTF-16, XLSX."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from core.errors import ErrorDominio
from jornadas import importacion
from jornadas.importacion import asistencia_importar
from jornadas.models import Participante, Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db

CSV_MIXTO = (
    "nombre,correo,sujeto obligado,cargo\n"                                         # 1
    "Ana Nueva Ruiz,ana.nueva@finanzas.gob.mx,SECRETARIA DE FINANZAS,Analista\n"     # 2 new, body matched
    "Beto Sin Catalogo,beto@ejemplo.gob.mx,Secretaría Inexistente,Jefe\n"            # 3 new, unknown body
    "Ana Nueva Ruiz,ANA.NUEVA@finanzas.gob.mx,Secretaría de Finanzas,Analista\n"     # 4 duplicate of 2
    "Carla Sin Correo,,Secretaría de Salud,Auxiliar\n"                               # 5 missing e-mail
    "Dario Correo Malo,dario(at)salud.gob.mx,Secretaría de Salud,Auxiliar\n"         # 6 invalid e-mail
    ",sin.nombre@salud.gob.mx,Secretaría de Salud,Auxiliar\n"                        # 7 missing name
    "Elena Registrada,elena@salud.gob.mx,secretaria de salud,Directora\n"            # 8 registered here
    "Fabian Conocido,fabian@salud.gob.mx,,\n"                                        # 9 known elsewhere
)


@pytest.fixture
def jornada(autoridad):
    return b.jornada(autoridad_=autoridad, pasada=True)


@pytest.fixture
def preexistentes(jornada, sujeto_a, sujeto_b):
    """Elena registered to this session (not marked), Fabián known from another session."""
    elena = Participante.objects.create(nombre="Elena Registrada", correo="elena@salud.gob.mx", sujeto=sujeto_b)
    Registro.objects.create(jornada=jornada, participante=elena)
    otra = b.jornada(autoridad_=jornada.autoridad, pasada=True)
    fabian = Participante.objects.create(nombre="Fabián Conocido", correo="fabian@salud.gob.mx")
    Registro.objects.create(jornada=otra, participante=fabian, asistio=True)
    return {"elena": elena, "fabian": fabian}


def _tabla(texto, codificacion="utf-8", nombre="lista.csv"):
    return importacion.leer_archivo(nombre, texto.encode(codificacion)).como_dict()


def _foto():
    return (sorted(Participante.objects.values_list("pk", "correo", "sujeto_id", "cargo")),
            sorted(Registro.objects.values_list("pk", "jornada_id", "participante_id", "asistio", "canal")))


def _lineas(filas):
    return [f.linea for f in filas]


def test_vista_previa_clasifica_cada_fila_con_su_linea_y_no_escribe(jornada, preexistentes, sujeto_a):
    antes = _foto()
    vista = importacion.analizar(_tabla(CSV_MIXTO), jornada=jornada)

    assert vista.formato == "CSV (UTF-8)"
    assert vista.linea_encabezado == 1
    assert _lineas(vista.nuevos) == [2, 3]
    assert vista.nuevos[0].sujeto == sujeto_a  # matched ignoring accents and case
    assert _lineas(vista.sujetos_desconocidos) == [3]
    assert [(f.linea, f.duplicado_de) for f in vista.duplicados] == [(4, 2)]
    errores = {f.linea: " ".join(f.errores) for f in vista.con_error}
    assert set(errores) == {5, 6, 7}
    assert "Falta el correo" in errores[5]
    assert "dario(at)salud.gob.mx" in errores[6] and "no es válido" in errores[6]
    assert "Falta el nombre" in errores[7]
    assert _lineas(vista.coincidentes) == [8] and _lineas(vista.a_marcar) == [8]
    assert _lineas(vista.inscribir) == [9]
    assert not vista.valida and vista.valida_omitiendo_errores
    assert _foto() == antes


def test_confirmar_con_errores_no_escribe_nada(jornada, preexistentes, personal):
    antes = _foto()
    with pytest.raises(ErrorDominio, match="no se guardó nada"):
        asistencia_importar(jornada=jornada, tabla=_tabla(CSV_MIXTO), usuario=personal)
    assert _foto() == antes


def test_confirmar_omitiendo_errores_escribe_todo_lo_valido(jornada, preexistentes, personal, sujeto_a, sujeto_b):
    vista = asistencia_importar(jornada=jornada, tabla=_tabla(CSV_MIXTO), usuario=personal, omitir_errores=True)

    assert len(vista.nuevos) == 2
    ana = Participante.objects.get(correo="ana.nueva@finanzas.gob.mx")
    assert (ana.nombre, ana.sujeto, ana.cargo) == ("Ana Nueva Ruiz", sujeto_a, "Analista")
    assert Participante.objects.get(correo="beto@ejemplo.gob.mx").sujeto is None
    asistentes = set(Registro.objects.filter(jornada=jornada, asistio=True)
                     .values_list("participante__correo", flat=True))
    assert asistentes == {"ana.nueva@finanzas.gob.mx", "beto@ejemplo.gob.mx", "elena@salud.gob.mx",
                          "fabian@salud.gob.mx"}
    assert Registro.objects.get(jornada=jornada, participante__correo="beto@ejemplo.gob.mx").canal == "importacion"
    elena = Registro.objects.get(jornada=jornada, participante=preexistentes["elena"])
    assert elena.canal == "en_linea" and elena.asistencia_marcada_en is not None
    assert elena.history.first().history_user == personal  # audited
    assert not Participante.objects.filter(correo__in=["dario(at)salud.gob.mx", "sin.nombre@salud.gob.mx"]).exists()
    # Fabián had no body: the file's blank one leaves him as he was.
    assert Participante.objects.get(pk=preexistentes["fabian"].pk).sujeto is None
    # Importing the same file again has nothing new to write.
    with pytest.raises(ErrorDominio, match="nada nuevo"):
        asistencia_importar(jornada=jornada, tabla=_tabla(CSV_MIXTO), usuario=personal, omitir_errores=True)


def test_archivo_limpio_se_escribe_completo(jornada, personal):
    texto = ("nombre,correo,sujeto obligado,cargo\n"
             "Gina Uno,gina@ejemplo.gob.mx,Secretaría de Finanzas,Analista\n"
             "Hugo Dos,hugo@ejemplo.gob.mx,,\n")
    vista = importacion.analizar(_tabla(texto), jornada=jornada)
    assert vista.valida and vista.por_escribir == 2
    asistencia_importar(jornada=jornada, tabla=_tabla(texto), usuario=personal)
    assert Registro.objects.filter(jornada=jornada, asistio=True).count() == 2


def test_latin1_de_excel_se_lee_con_acentos(jornada, personal, sujeto_a):
    texto = ("nombre;correo;sujeto obligado;cargo\n"
             "José Peña Núñez;jose.pena@finanzas.gob.mx;Secretaría de Finanzas;Subdirección — área\n")
    tabla = _tabla(texto, codificacion="cp1252")
    vista = importacion.analizar(tabla, jornada=jornada)
    assert vista.formato.startswith("CSV (Latin-1")
    (fila,) = vista.nuevos
    assert (fila.nombre, fila.sujeto, fila.cargo) == ("José Peña Núñez", sujeto_a, "Subdirección — área")
    asistencia_importar(jornada=jornada, tabla=tabla, usuario=personal)
    assert Participante.objects.get(correo="jose.pena@finanzas.gob.mx").nombre == "José Peña Núñez"


def test_utf8_con_bom_y_reporte_de_teams_en_utf16(jornada):
    con_bom = importacion.leer_archivo("a.csv", "\ufeffnombre,correo\nIsa,isa@ejemplo.gob.mx\n".encode())
    assert importacion.analizar(con_bom.como_dict(), jornada=jornada).nuevos[0].nombre == "Isa"

    teams = ("1. Resumen\nTítulo de la reunión\tJornada\nParticipantes asistentes\t2\n\n2. Participantes\n"
             "Nombre\tPrimera unión\tCorreo electrónico\tRol\n"
             "Juan Pérez\t9/2/23, 10:01\tjuan.perez@ejemplo.gob.mx\tAsistente\n"
             "Luisa Gómez\t9/2/23, 10:03\tluisa@ejemplo.gob.mx\tAsistente\n")
    tabla = importacion.leer_archivo("asistencia.csv", teams.encode("utf-16")).como_dict()
    vista = importacion.analizar(tabla, jornada=jornada)
    assert tabla["filas"] and vista.formato == "CSV (UTF-16)"
    assert vista.linea_encabezado == 6
    assert [(f.linea, f.nombre, f.correo) for f in vista.nuevos] == [
        (7, "Juan Pérez", "juan.perez@ejemplo.gob.mx"), (8, "Luisa Gómez", "luisa@ejemplo.gob.mx")]


def test_xlsx_con_numeros_de_fila_de_la_hoja(jornada, personal, sujeto_b):
    libro = Workbook()
    hoja = libro.active
    hoja.append(["Lista de asistencia — Primera jornada"])
    hoja.append([])
    hoja.append(["Nombre completo", "Correo electrónico", "Sujeto obligado", "Cargo"])
    hoja.append(["Karla Ruiz", "karla@salud.gob.mx", "Secretaria de Salud", "Jefa"])
    hoja.append(["Karla Ruiz", "karla@salud.gob.mx", "Secretaria de Salud", "Jefa"])
    hoja.append(["Sin correo", None, None, None])
    datos = io.BytesIO()
    libro.save(datos)

    tabla = importacion.leer_archivo("lista.xlsx", datos.getvalue()).como_dict()
    vista = importacion.analizar(tabla, jornada=jornada)
    assert vista.formato == "XLSX" and vista.linea_encabezado == 3
    assert [(f.linea, f.sujeto) for f in vista.nuevos] == [(4, sujeto_b)]
    assert [(f.linea, f.duplicado_de) for f in vista.duplicados] == [(5, 4)]
    assert _lineas(vista.con_error) == [6]
    asistencia_importar(jornada=jornada, tabla=tabla, usuario=personal, omitir_errores=True)
    assert Registro.objects.get(jornada=jornada).participante.correo == "karla@salud.gob.mx"


def test_sin_encabezado_reconocible_es_error_de_archivo(jornada):
    vista = importacion.analizar(_tabla("a,b,c\n1,2,3\n"), jornada=jornada)
    assert vista.errores_archivo and "nombre" in vista.errores_archivo[0]
    with pytest.raises(ErrorDominio):
        importacion.leer_archivo("x.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 100)


def test_la_confirmacion_vuelve_a_analizar_contra_la_base_actual(jornada, personal):
    """A person previewed as new who registers before the confirmation is matched, not duplicated."""
    texto = "nombre,correo\nMara Veloz,mara@ejemplo.gob.mx\n"
    assert len(importacion.analizar(_tabla(texto), jornada=jornada).nuevos) == 1
    mara = Participante.objects.create(nombre="Mara Veloz", correo="Mara@Ejemplo.gob.mx")
    Registro.objects.create(jornada=jornada, participante=mara)
    vista = asistencia_importar(jornada=jornada, tabla=_tabla(texto), usuario=personal)
    assert len(vista.a_marcar) == 1 and Participante.objects.filter(correo__iexact="mara@ejemplo.gob.mx").count() == 1
    assert Registro.objects.get(jornada=jornada).asistio


# --- through the views: the table lives in the session between the two steps --------------------


def _subir(client, jornada, texto, codificacion="utf-8", nombre="lista.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    archivo = SimpleUploadedFile(nombre, texto.encode(codificacion), content_type="text/csv")
    return client.post(reverse("panel:jornada_importar", args=[jornada.slug]), {"archivo": archivo})


def test_vistas_vista_previa_y_confirmacion(client, personal, jornada, preexistentes):
    client.force_login(personal)
    antes = _foto()
    resp = _subir(client, jornada, CSV_MIXTO)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Todavía no se ha guardado nada" in html
    assert "Secretaría Inexistente" in html and "Falta el correo electrónico." in html
    assert "Línea 4: ana.nueva@finanzas.gob.mx, ya en la línea 2." in html
    assert _foto() == antes
    guardado = client.session["jornadas_importacion"]
    assert guardado["jornada"] == jornada.pk and guardado["tabla"]["filas"][0][0] == 1

    # A stale or forged fingerprint writes nothing.
    resp = client.post(reverse("panel:jornada_importar_confirmar", args=[jornada.slug]), {"huella": "otra"})
    assert resp.status_code == 302 and _foto() == antes
    # Without confirming the omission, the rows with errors stop everything.
    resp = client.post(reverse("panel:jornada_importar_confirmar", args=[jornada.slug]),
                       {"huella": guardado["huella"]})
    assert resp.status_code == 400 and _foto() == antes
    resp = client.post(reverse("panel:jornada_importar_confirmar", args=[jornada.slug]),
                       {"huella": guardado["huella"], "omitir_errores": "1"})
    assert resp.status_code == 302
    assert Registro.objects.filter(jornada=jornada, asistio=True).count() == 4
    assert "jornadas_importacion" not in client.session


def test_vista_rechaza_xls_antiguo_con_mensaje(client, personal, jornada):
    client.force_login(personal)
    from django.core.files.uploadedfile import SimpleUploadedFile

    archivo = SimpleUploadedFile("lista.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"0" * 50)
    resp = client.post(reverse("panel:jornada_importar", args=[jornada.slug]), {"archivo": archivo})
    assert resp.status_code == 400
    assert ".xls (Excel 97-2003) no se admiten" in resp.content.decode()
