# The acuse's verification code, in three steps: a column that may be empty, a unique code for every
# acuse already issued (0007), then unique and required (0008).
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("practicas", "0005_indices_conteo_catalogo"),
    ]

    operations = [
        migrations.AddField(
            model_name="acuse",
            name="codigo",
            field=models.CharField(max_length=40, null=True, verbose_name="código de verificación"),
        ),
    ]
