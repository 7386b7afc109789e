"""Rulings and recognitions signed before documents named their issuer: the call's authority."""

from django.db import migrations


def llenar(apps, schema_editor):
    Documento = apps.get_model("core", "DocumentoVerificable")
    Dictamen = apps.get_model("evaluacion", "Dictamen")
    Reconocimiento = apps.get_model("evaluacion", "Reconocimiento")
    pares = list(Dictamen.objects.filter(documento__isnull=False, documento__autoridad__isnull=True)
                 .values_list("documento_id", "practica__convocatoria__autoridad_id"))
    pares += list(Reconocimiento.objects.filter(documento__autoridad__isnull=True)
                  .values_list("documento_id", "dictamen__practica__convocatoria__autoridad_id"))
    for documento_id, autoridad_id in pares:
        Documento.objects.filter(pk=documento_id).update(autoridad_id=autoridad_id)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluacion", "0006_revocacion_en_documento"),
        ("core", "0006_documento_autoridad"),
    ]

    operations = [migrations.RunPython(llenar, migrations.RunPython.noop)]
