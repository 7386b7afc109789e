"""Data migration practicas 0004: a paper or e-mail submission recorded before capturada_en existed
gets it from its history (the first row that is no longer a draft); online ones and drafts stay empty."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

ANTES = ("practicas", "0003_sujeto_sin_entidad_por_defecto")
DESPUES = ("practicas", "0004_practica_capturada_en")


def _migrar(destino):
    """Every other app at its leaf, practicas at `destino`; the models as they were then."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    objetivos = [hoja for hoja in executor.loader.graph.leaf_nodes() if hoja[0] != "practicas"] + [destino]
    executor.migrate(objetivos)
    return executor.loader.project_state(objetivos).apps


@pytest.fixture
def termina_en_las_hojas():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("termina_en_las_hojas")
def test_migracion_toma_la_hora_de_registro_del_historial():
    apps = _migrar(ANTES)
    usuario = apps.get_model("core", "Usuario").objects.create(username="p@ejemplo.gob.mx", email="p@ejemplo.gob.mx")
    autoridad = apps.get_model("core", "AutoridadGarante").objects.create(nombre="Garante", siglas="G", slug="g")
    ahora = timezone.now().replace(microsecond=0)
    conv = apps.get_model("convocatorias", "Convocatoria").objects.create(
        autoridad=autoridad, titulo="C", slug="c", anio=2026, prefijo_folio="G-TP", objetivo="o",
        fundamento_legal="f", participantes="p", modalidades_entrega="m", correo_contacto="c@ejemplo.gob.mx",
        fecha_apertura=ahora - timedelta(days=30), fecha_cierre=ahora - timedelta(days=2),
        fecha_resultados=ahora + timedelta(days=30), estado="cerrada")
    sujeto = apps.get_model("practicas", "SujetoObligado").objects.create(nombre="S", orden="estatal",
                                                                           tipo="dependencia")
    Practica = apps.get_model("practicas", "Practica")
    Historica = apps.get_model("practicas", "HistoricalPractica")
    recibida, capturada = ahora - timedelta(days=3), ahora - timedelta(days=1)
    filas = {}
    for n, canal in enumerate(["papel", "en_linea"], start=1):
        p = Practica.objects.create(convocatoria=conv, sujeto=sujeto, nombre=f"P{n}", creada_por=usuario,
                                    canal=canal, estado="enviada", folio=f"G-TP-2026-{n:04d}", consecutivo=n,
                                    enviada_en=recibida, enviada_por=usuario)
        comunes = {"id": p.pk, "convocatoria_id": conv.pk, "sujeto_id": sujeto.pk, "nombre": p.nombre,
                   "creada_por_id": usuario.pk, "canal": canal, "history_type": "~",
                   "creada_en": p.creada_en, "actualizada_en": p.actualizada_en}
        Historica.objects.create(**comunes, estado="borrador", history_date=capturada - timedelta(hours=2))
        Historica.objects.create(**comunes, estado="enviada", folio=p.folio, enviada_en=recibida,
                                 history_date=capturada)
        Historica.objects.create(**comunes, estado="retirada", folio=p.folio, enviada_en=recibida,
                                 history_date=capturada + timedelta(hours=5))
        filas[canal] = p.pk

    apps = _migrar(DESPUES)
    Practica = apps.get_model("practicas", "Practica")
    assert Practica.objects.get(pk=filas["papel"]).capturada_en == capturada
    assert Practica.objects.get(pk=filas["en_linea"]).capturada_en is None
