"""The search vectors gain the words themselves unaccented (evaluacion.busqueda._vector_sql), which
query prefixes are matched against: the documents already written are rebuilt, in SQL, on PostgreSQL."""

from django.db import migrations


def reconstruir(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from evaluacion import busqueda

    IndiceBusqueda = apps.get_model("evaluacion", "IndiceBusqueda")
    ids = list(IndiceBusqueda.objects.values_list("practica_id", flat=True))
    for inicio in range(0, len(ids), 1000):
        busqueda._vectores_postgresql(ids[inicio:inicio + 1000])


class Migration(migrations.Migration):
    dependencies = [("evaluacion", "0009_indices_conteo_catalogo")]
    operations = [migrations.RunPython(reconstruir, migrations.RunPython.noop)]
