"""Full-text search of the catalogue. The table works everywhere; on PostgreSQL only, the
`unaccent` extension, a Spanish text search configuration that drops accents before stemming
(`es_unaccent`), and a GIN index on the weighted vector."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


SQL = r"""
CREATE EXTENSION IF NOT EXISTS unaccent;
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'es_unaccent') THEN
        CREATE TEXT SEARCH CONFIGURATION es_unaccent (COPY = spanish);
        ALTER TEXT SEARCH CONFIGURATION es_unaccent
            ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS evaluacion_indicebusqueda_vector_gin
    ON evaluacion_indicebusqueda USING gin (vector);
"""

SQL_REVERSO = r"""
DROP INDEX IF EXISTS evaluacion_indicebusqueda_vector_gin;
DROP TEXT SEARCH CONFIGURATION IF EXISTS es_unaccent;
"""


def _solo_postgresql(sql):
    def operacion(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)
    return operacion


class Migration(migrations.Migration):

    dependencies = [
        ('evaluacion', '0002_dictamen_inmutable_pg'),
        ('practicas', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='IndiceBusqueda',
            fields=[
                ('practica', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='indice_busqueda', serialize=False, to='practicas.practica')),
                ('texto', models.TextField(blank=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('actualizado_en', models.DateTimeField(auto_now=True)),
            ],
            options={
                'verbose_name': 'índice de búsqueda',
                'verbose_name_plural': 'índice de búsqueda',
            },
        ),
        migrations.RunPython(_solo_postgresql(SQL), _solo_postgresql(SQL_REVERSO)),
    ]
