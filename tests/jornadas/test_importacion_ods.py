"""Attendance import from a LibreOffice Calc sheet (ODS), read by core.tabular, through the views:
preview with the sheet's row numbers, then the confirmed write."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from jornadas.models import Registro
from tests.jornadas import builders as b

pytestmark = pytest.mark.django_db


def _ods(filas) -> bytes:
    doc = OpenDocumentSpreadsheet()
    hoja = Table(name="Asistencia")
    for fila in filas:
        tr = TableRow()
        for valor in fila:
            celda = TableCell()
            if valor:
                celda.addElement(P(text=valor))
            tr.addElement(celda)
        hoja.addElement(tr)
    doc.spreadsheet.addElement(hoja)
    datos = io.BytesIO()
    doc.write(datos)
    return datos.getvalue()


def test_ods_se_previsualiza_y_se_importa(client, personal, autoridad, sujeto_a):
    jornada = b.jornada(autoridad_=autoridad, pasada=True)
    contenido = _ods([
        ["Lista de asistencia"],
        [],
        ["Nombre completo", "Correo Electrónico", "Sujeto obligado"],
        ["Ana Ods Ruiz", "ana.ods@finanzas.gob.mx", "secretaria de finanzas"],
    ])
    client.force_login(personal)
    resp = client.post(reverse("panel:jornada_importar", args=[jornada.slug]),
                       {"archivo": SimpleUploadedFile("lista.ods", contenido)})
    assert resp.status_code == 200
    vista = resp.context["vista"]
    assert vista.formato == "ODS" and vista.linea_encabezado == 3
    assert [(f.linea, f.correo, f.sujeto) for f in vista.nuevos] == [(4, "ana.ods@finanzas.gob.mx", sujeto_a)]
    assert "leído como ODS" in resp.content.decode() and not Registro.objects.exists()

    resp = client.post(reverse("panel:jornada_importar_confirmar", args=[jornada.slug]),
                       {"huella": resp.context["huella"]})
    assert resp.status_code == 302
    registro = Registro.objects.get(jornada=jornada)
    assert registro.asistio and registro.participante.correo == "ana.ods@finanzas.gob.mx"
