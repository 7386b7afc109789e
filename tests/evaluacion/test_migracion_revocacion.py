"""Data migration evaluacion 0006: a revocation kept on Reconocimiento moves to its document (the one
copy the verification page reads) before the recognition's columns are dropped."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

# core 0004 (generated files' lifecycle) came in beside 0006: the documents are created as core 0003
# knew them, so step back both.
# Later migrations of other apps (tenancy, issue 9) step back too, and the test ends at the leaves.
ANTES = [("evaluacion", "0005_costo_ts_match"), ("core", "0003_uso_dataset"),
         ("convocatorias", "0005_fases_con_estado"), ("practicas", "0002_acuse_archivo_generado")]
DESPUES = [("evaluacion", "0006_revocacion_en_documento"), ("core", "0004_documento_archivo_generado")]


def _migrar(destino):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(destino)
    return executor.loader.project_state(destino).apps


def _a_las_hojas():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def termina_en_las_hojas():
    yield
    _a_las_hojas()  # every later test finds the schema of today's models


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("termina_en_las_hojas")
def test_migracion_cuando_el_reconocimiento_guardaba_la_revocacion_la_pasa_al_documento():
    apps = _migrar(ANTES)
    try:
        Usuario = apps.get_model("core", "Usuario")
        usuario = Usuario.objects.create(username="p@ejemplo.gob.mx", email="p@ejemplo.gob.mx")
        autoridad = apps.get_model("core", "AutoridadGarante").objects.create(nombre="Garante", siglas="G", slug="g")
        ahora = timezone.now()
        conv = apps.get_model("convocatorias", "Convocatoria").objects.create(
            autoridad=autoridad, titulo="C", slug="c", anio=2023, prefijo_folio="G-TP", objetivo="o",
            fundamento_legal="f", participantes="p", modalidades_entrega="m", correo_contacto="c@ejemplo.gob.mx",
            fecha_apertura=ahora - timedelta(days=60), fecha_cierre=ahora - timedelta(days=30),
            fecha_resultados=ahora - timedelta(days=1), estado="resultados_publicados")
        sujeto = apps.get_model("practicas", "SujetoObligado").objects.create(nombre="S", orden="estatal",
                                                                               tipo="dependencia")
        Practica = apps.get_model("practicas", "Practica")
        Dictamen = apps.get_model("evaluacion", "Dictamen")
        Documento = apps.get_model("core", "DocumentoVerificable")
        Reconocimiento = apps.get_model("evaluacion", "Reconocimiento")
        recs = []
        for n, (revocado, motivo) in enumerate([(ahora, "Dejó de publicarse."), (ahora, ""), (None, "")], start=1):
            practica = Practica.objects.create(convocatoria=conv, sujeto=sujeto, nombre=f"P{n}", creada_por=usuario,
                                               estado="enviada", folio=f"G-TP-2023-{n:04d}", enviada_en=ahora)
            dictamen = Dictamen.objects.create(practica=practica)
            doc = Documento.objects.create(tipo="reconocimiento", folio=f"G-TP-2023-{n:04d}-R", titulo="R",
                                           visible_desde=ahora, codigo=f"codigo-{n}")
            recs.append(Reconocimiento.objects.create(
                dictamen=dictamen, documento=doc, vigente_desde=ahora.date(),
                vigente_hasta=ahora.date() + timedelta(days=365),
                estado="revocado" if revocado else "vigente", revocado_en=revocado, motivo_revocacion=motivo))
    finally:
        apps = _migrar(DESPUES)
    Documento = apps.get_model("core", "DocumentoVerificable")
    docs = {d.folio: d for d in Documento.objects.all()}
    assert (docs["G-TP-2023-0001-R"].revocado_en, docs["G-TP-2023-0001-R"].motivo_revocacion) == (
        ahora, "Dejó de publicarse.")
    # The document's constraint wants a reason with every revocation: an empty one is said so.
    assert docs["G-TP-2023-0002-R"].revocado_en == ahora
    assert docs["G-TP-2023-0002-R"].motivo_revocacion == "Motivo no registrado."
    assert docs["G-TP-2023-0003-R"].revocado_en is None and docs["G-TP-2023-0003-R"].motivo_revocacion == ""
