"""When staff recorded a paper or e-mail submission, apart from the receipt time they declared.

Practices captured before this field existed get it from their history: the first historical row
that is no longer a draft is the moment staff recorded the reception."""

from django.conf import settings
from django.db import migrations, models


def _desde_historial(apps, schema_editor):
    Practica = apps.get_model("practicas", "Practica")
    Historica = apps.get_model("practicas", "HistoricalPractica")
    capturas = Practica.objects.exclude(canal="en_linea").exclude(estado="borrador").filter(capturada_en__isnull=True)
    for practica in capturas.only("pk"):
        primera = (Historica.objects.filter(id=practica.pk).exclude(estado="borrador")
                   .order_by("history_date").values_list("history_date", flat=True).first())
        if primera is not None:
            Practica.objects.filter(pk=practica.pk).update(capturada_en=primera)


class Migration(migrations.Migration):

    dependencies = [
        ('convocatorias', '0006_elegibilidad'),
        ('practicas', '0003_sujeto_sin_entidad_por_defecto'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalpractica',
            name='capturada_en',
            field=models.DateTimeField(blank=True, null=True, verbose_name='registrada en el sistema el'),
        ),
        migrations.AddField(
            model_name='practica',
            name='capturada_en',
            field=models.DateTimeField(blank=True, null=True, verbose_name='registrada en el sistema el'),
        ),
        migrations.AddConstraint(
            model_name='practica',
            constraint=models.CheckConstraint(condition=models.Q(('capturada_en__isnull', True), models.Q(('canal', 'en_linea'), _negated=True), _connector='OR'), name='practica_captura_solo_fuera_de_linea'),
        ),
        migrations.RunPython(_desde_historial, migrations.RunPython.noop),
    ]
