"""A submission costs a fixed, small number of queries, whatever the draft holds, and takes the
call's folio lock last: after it, only the practice's own row and its history row are written
before the commit (the rush at the deadline queues on that lock; see benchmarks/envios.py)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from practicas import services
from practicas.models import Practica

TAMANOS = [1, 12]
CSV = b"municipio,monto\nMetepec,1200\nToluca,3400\n"
# core.colas may write one outbox row for the acuse's task in the same transaction: room for it.
FILA_DE_SALIDA = 1
# The call's counter: the statement that takes the folio lock.
CANDADO = re.compile(r'^(UPDATE "convocatorias_convocatoria"|SELECT .* FROM "convocatorias_convocatoria" .*FOR UPDATE)')
DESPUES_DEL_CANDADO = re.compile(
    r'^(UPDATE "practicas_practica"|INSERT INTO "practicas_historicalpractica"|RELEASE SAVEPOINT|COMMIT)')


def _soportes(practica, usuario, n):
    """n supports in all (practica_a has one link already), files and links over the criteria."""
    criterios = list(practica.convocatoria.criterios.all())
    for i in range(n - 1):
        criterio = criterios[i % len(criterios)] if i % 3 else None
        if i % 2:
            services.soporte_agregar_archivo(practica=practica, usuario=usuario, criterio=criterio,
                                             archivo=SimpleUploadedFile(f"datos-{i}.csv", CSV))
        else:
            services.soporte_agregar_enlace(practica=practica, usuario=usuario, criterio=criterio,
                                            url=f"https://datos.ejemplo.gob.mx/{i}")


@pytest.mark.parametrize("n", TAMANOS)
def test_enviar_por_la_vista_hace_las_mismas_pocas_consultas_con_pocos_o_muchos_soportes(
        client, practica_a, enlace_a, django_assert_max_num_queries, n):
    _soportes(practica_a, enlace_a, n)
    client.force_login(enlace_a)
    # session, user, the practice among the person's (+call, authority), their approved bodies
    # (permission); in the service: savepoint, the practice locked (+call, authority, body, whether
    # it has supports), the call's criteria with this practice's evidence, the acuse, the folio
    # counter, the practice, its history row, release.
    with django_assert_max_num_queries(12 + FILA_DE_SALIDA):
        resp = client.post(reverse("practicas:enviar", args=[practica_a.pk]))
    assert resp.status_code == 302
    practica_a.refresh_from_db()
    assert practica_a.estado == Practica.Estado.ENVIADA and practica_a.folio
    assert practica_a.soportes.count() == n


def test_enviar_en_el_servicio_hace_ocho_consultas(practica_a, enlace_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(8 + FILA_DE_SALIDA):
        services.practica_enviar(practica=practica_a, usuario=enlace_a)


def test_enviar_toma_el_candado_del_folio_al_final(practica_a, enlace_a):
    with CaptureQueriesContext(connection) as consultas:
        enviada = services.practica_enviar(practica=practica_a, usuario=enlace_a)
    sql = [c["sql"] for c in consultas.captured_queries]
    candado = next(i for i, s in enumerate(sql) if CANDADO.match(s))
    despues = sql[candado + 1:]
    assert [s for s in despues if not DESPUES_DEL_CANDADO.match(s)] == []
    assert len([s for s in despues if s.startswith('UPDATE "practicas_practica"')]) == 1
    assert enviada.history.first().folio == enviada.folio  # the history row is written with its folio
