"""The acuse follows core's ArchivoGenerado lifecycle: its state field is estado_pdf, like every
generated file's, and it records since when it is pending (the sweep reads it)."""

import django.utils.timezone
from django.db import migrations, models


def pendientes_desde_su_ultimo_cambio(apps, schema_editor):
    """Existing rows have waited since their last change (the old sweep measured from actualizado_en)."""
    Acuse = apps.get_model("practicas", "Acuse")
    Acuse.objects.update(pendiente_desde=models.F("actualizado_en"))


class Migration(migrations.Migration):

    dependencies = [
        ("practicas", "0001_initial"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="acuse", name="acuse_lista_con_archivo"),
        migrations.RenameField(model_name="acuse", old_name="estado", new_name="estado_pdf"),
        migrations.AlterField(
            model_name="acuse",
            name="estado_pdf",
            field=models.CharField(choices=[("pendiente", "Pendiente"), ("lista", "Lista"), ("fallida", "Fallida")],
                                   default="pendiente", max_length=20, verbose_name="estado del PDF"),
        ),
        migrations.AddField(
            model_name="acuse",
            name="pendiente_desde",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now),
        ),
        migrations.AddConstraint(
            model_name="acuse",
            constraint=models.CheckConstraint(
                condition=models.Q(models.Q(("estado_pdf", "lista"), _negated=True),
                                   models.Q(models.Q(("archivo", ""), _negated=True),
                                            models.Q(("sha256", ""), _negated=True)), _connector="OR"),
                name="practicas_acuse_lista_con_archivo"),
        ),
        migrations.RunPython(pendientes_desde_su_ultimo_cambio, migrations.RunPython.noop),
    ]
