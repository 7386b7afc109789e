"""PostgreSQL only: tell the planner that matching a tsvector is not free.

`@@` (ts_match_vq) has the default cost of 1, so with a few thousand practices the planner prefers
to read every search document and match it (decompressing each vector: ~35 ms at 10,000) over the
GIN index (~3 ms), even when a small fraction matches. A cost of 100 makes the index win whenever it
should. pg_proc is per database, so this touches this database only. Changing a built-in needs a
superuser: without one the migration says so and carries on (searches still work, only slower);
a superuser can run the same statement later."""

from django.db import migrations

SQL = r"""
DO $$
BEGIN
    ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 100;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Sin privilegios para ajustar el costo de ts_match_vq; la búsqueda funciona, más lenta.';
END $$;
"""

SQL_REVERSO = r"""
DO $$
BEGIN
    ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 1;
EXCEPTION WHEN insufficient_privilege THEN
    NULL;
END $$;
"""


def _solo_postgresql(sql):
    def operacion(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return operacion


class Migration(migrations.Migration):

    dependencies = [("evaluacion", "0004_reconocimiento_recientes")]

    operations = [migrations.RunPython(_solo_postgresql(SQL), _solo_postgresql(SQL_REVERSO))]
