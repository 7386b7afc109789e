"""Constancias issued before documents named their issuer: the session's authority."""

from django.db import migrations


def llenar(apps, schema_editor):
    Documento = apps.get_model("core", "DocumentoVerificable")
    Constancia = apps.get_model("jornadas", "Constancia")
    por_autoridad: dict[int, list[int]] = {}
    for documento_id, autoridad_id in (Constancia.objects.filter(documento__autoridad__isnull=True)
                                       .values_list("documento_id", "registro__jornada__autoridad_id")):
        por_autoridad.setdefault(autoridad_id, []).append(documento_id)
    for autoridad_id, ids in por_autoridad.items():
        Documento.objects.filter(pk__in=ids).update(autoridad_id=autoridad_id)


class Migration(migrations.Migration):
    dependencies = [
        ("jornadas", "0002_informe_ciclo"),
        ("core", "0006_documento_autoridad"),
    ]

    operations = [migrations.RunPython(llenar, migrations.RunPython.noop)]
