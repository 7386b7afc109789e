"""PostgreSQL only: the pg_trgm extension, for the catalogue's «¿Quiso decir…?» (evaluacion.busqueda.
sugerir compares a misspelt word with the words of the public recognitions by trigram similarity).
Nothing happens on any other database (SQLite keeps difflib), either way."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramasSoloPostgresql(TrigramExtension):
    """TrigramExtension skips other databases going forwards, not backwards: this one skips both, and
    leaves the extension in place going backwards (something else of the database may use it)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        return


class Migration(migrations.Migration):
    dependencies = [("evaluacion", "0011_avisos_admisibilidad_y_revocacion")]
    operations = [TrigramasSoloPostgresql()]
