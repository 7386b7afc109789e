import secrets

from django.db import migrations


def llenar(apps, schema_editor):
    # The same shape as core.models.codigo_verificacion (128 random bits), written here so the
    # migration does not change if that function does.
    Acuse = apps.get_model("practicas", "Acuse")
    pendientes = list(Acuse.objects.filter(codigo__isnull=True).only("pk"))
    for acuse in pendientes:
        acuse.codigo = secrets.token_urlsafe(16)
    Acuse.objects.bulk_update(pendientes, ["codigo"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ("practicas", "0006_acuse_codigo"),
    ]

    operations = [
        migrations.RunPython(llenar, migrations.RunPython.noop, elidable=True),
    ]
