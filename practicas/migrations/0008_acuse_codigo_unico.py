import core.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("practicas", "0007_acuse_codigo_llenar"),
    ]

    operations = [
        migrations.AlterField(
            model_name="acuse",
            name="codigo",
            field=models.CharField(default=core.models.codigo_verificacion, max_length=40, unique=True,
                                   verbose_name="código de verificación"),
        ),
    ]
