"""Revocation is stored once, on the recognition's verifiable document (which the public
verification page reads): copy any date and reason kept on Reconocimiento, then drop its copy."""

from django.db import migrations

SIN_MOTIVO = "Motivo no registrado."


def a_documento(apps, schema_editor):
    Reconocimiento = apps.get_model("evaluacion", "Reconocimiento")
    DocumentoVerificable = apps.get_model("core", "DocumentoVerificable")
    for rec in Reconocimiento.objects.filter(revocado_en__isnull=False).iterator():
        doc = DocumentoVerificable.objects.get(pk=rec.documento_id)
        if doc.revocado_en is None:
            doc.revocado_en = rec.revocado_en
        if not doc.motivo_revocacion:
            doc.motivo_revocacion = rec.motivo_revocacion or SIN_MOTIVO
        doc.save(update_fields=["revocado_en", "motivo_revocacion"])


def a_reconocimiento(apps, schema_editor):
    Reconocimiento = apps.get_model("evaluacion", "Reconocimiento")
    for rec in Reconocimiento.objects.filter(documento__revocado_en__isnull=False).select_related("documento"):
        rec.revocado_en = rec.documento.revocado_en
        rec.motivo_revocacion = rec.documento.motivo_revocacion
        rec.save(update_fields=["revocado_en", "motivo_revocacion"])


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_uso_dataset"),
        ("evaluacion", "0005_costo_ts_match"),
    ]

    operations = [
        migrations.RunPython(a_documento, a_reconocimiento),
        migrations.RemoveField(model_name="historicalreconocimiento", name="motivo_revocacion"),
        migrations.RemoveField(model_name="historicalreconocimiento", name="revocado_en"),
        migrations.RemoveField(model_name="reconocimiento", name="motivo_revocacion"),
        migrations.RemoveField(model_name="reconocimiento", name="revocado_en"),
    ]
