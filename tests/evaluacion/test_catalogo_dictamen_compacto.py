"""The public ruling on a practice's page: one line per criterion with its reasons folded (a native
<details>), instead of every juror's reason for every criterion laid out in full."""

import re

import pytest
import time_machine
from django.urls import reverse

from evaluacion.models import Reconocimiento
from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd

pytestmark = pytest.mark.django_db


def test_los_motivos_del_dictamen_se_pliegan_por_criterio(client, autoridad, personal):
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, practicas=[{"nombre": "Agenda abierta"}])
    rec = Reconocimiento.objects.select_related("dictamen").get(dictamen__practica__convocatoria=ciclo.convocatoria)
    with time_machine.travel(bd.antes_y_despues(ciclo)[1], tick=False):
        html = client.get(reverse("evaluacion:catalogo_practica", args=[rec.dictamen.practica_id])).content.decode()
    n = rec.dictamen.motivos.count()
    assert n == 6
    assert len(re.findall(r'<details class="motivo-criterio', html)) == n
    assert "<details open" not in html  # folded until the person opens one
    primero = rec.dictamen.motivos.order_by("criterio__numero").first()
    assert f"<summary>1. {primero.criterio.nombre}</summary>" in html
