"""Survey answers anonymous by construction (issue 10; see jornadas.models.Encuesta).

Existing answers lose their date and are rewritten in shuffled order (a fresh physical order, random
keys kept). What it drops never comes back (a step back keeps the answers as they are). Sessions with fewer answers than the minimum group lose their session: pooled without
session when together they reach the minimum, else sealed back into the pending pool. On PostgreSQL
run VACUUM FULL on jornadas_respuestaencuesta and jornadas_respuesta afterwards, so the old tuples
(in the old order, with dates) are gone from disk too."""

import random
import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import Max

from jornadas import sobres  # the sealing is plain code with no models; migrations may import it


def anonimizar(apps, schema_editor):
    Encuesta = apps.get_model("jornadas", "Encuesta")
    RespuestaEncuesta = apps.get_model("jornadas", "RespuestaEncuesta")
    Respuesta = apps.get_model("jornadas", "Respuesta")
    EnvioPendiente = apps.get_model("jornadas", "EnvioPendiente")
    minimo = max(1, int(getattr(settings, "JORNADAS_ENCUESTA_MINIMO", 5)))
    azar = random.SystemRandom()
    for encuesta in Encuesta.objects.all():
        envios = list(RespuestaEncuesta.objects.filter(encuesta=encuesta).values("id", "jornada_id"))
        if not envios:
            continue
        encuesta.resultados_actualizados = RespuestaEncuesta.objects.filter(encuesta=encuesta).aggregate(
            m=Max("fecha"))["m"]
        encuesta.save(update_fields=["resultados_actualizados"])
        respuestas = list(Respuesta.objects.filter(envio__encuesta=encuesta).values(
            "id", "envio_id", "pregunta_id", "opcion", "valor", "texto"))
        por_jornada = {}
        for e in envios:
            por_jornada.setdefault(e["jornada_id"], []).append(e)
        pequenos = [e for lista in por_jornada.values() if len(lista) < minimo for e in lista]
        sellar = set()
        for e in pequenos:
            if len(pequenos) >= minimo:
                e["jornada_id"] = None
            else:
                sellar.add(e["id"])
        Respuesta.objects.filter(envio__encuesta=encuesta).delete()
        RespuestaEncuesta.objects.filter(encuesta=encuesta).delete()
        de_envio = {}
        for r in respuestas:
            de_envio.setdefault(r["envio_id"], []).append(r)
        pendientes = [EnvioPendiente(encuesta_id=encuesta.pk, sobre=sobres.sellar({
            "jornada": e["jornada_id"],
            "filas": [{"p": r["pregunta_id"], "o": r["opcion"], "v": r["valor"], "t": r["texto"]}
                      for r in de_envio.get(e["id"], [])]})) for e in envios if e["id"] in sellar]
        azar.shuffle(pendientes)
        EnvioPendiente.objects.bulk_create(pendientes)
        quedan = [e for e in envios if e["id"] not in sellar]
        azar.shuffle(quedan)
        RespuestaEncuesta.objects.bulk_create(
            RespuestaEncuesta(id=e["id"], encuesta_id=encuesta.pk, jornada_id=e["jornada_id"]) for e in quedan)
        filas = [r for r in respuestas if r["envio_id"] not in sellar]
        azar.shuffle(filas)
        Respuesta.objects.bulk_create(Respuesta(**r) for r in filas)


class Migration(migrations.Migration):

    dependencies = [
        ('jornadas', '0003_constancias_con_autoridad'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='encuesta',
            name='cierre',
            field=models.DateTimeField(blank=True, help_text='Después de esta fecha y hora no se reciben respuestas. Vacío: cada jornada cierra su encuesta 30 días después de terminar (JORNADAS_ENCUESTA_DIAS).', null=True, verbose_name='cierre de la encuesta'),
        ),
        migrations.AddField(
            model_name='encuesta',
            name='resultados_actualizados',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='registro',
            name='encuesta_invitada_en',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='respuestaencuesta',
            name='jornada',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='respuestas_encuesta', to='jornadas.jornada'),
        ),
        migrations.CreateModel(
            name='EnvioPendiente',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('sobre', models.TextField()),
                ('encuesta', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pendientes', to='jornadas.encuesta')),
            ],
            options={
                'verbose_name': 'respuesta pendiente de agruparse',
                'verbose_name_plural': 'respuestas pendientes de agruparse',
            },
        ),
        migrations.CreateModel(
            name='InvitacionEncuesta',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enviada_en', models.DateTimeField(auto_now_add=True)),
                ('destinatarios', models.PositiveIntegerField(default=0)),
                ('reenvio', models.BooleanField(default=False)),
                ('enviada_por', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('jornada', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='invitaciones_encuesta', to='jornadas.jornada')),
            ],
            options={
                'verbose_name': 'envío de la invitación a la encuesta',
                'verbose_name_plural': 'envíos de la invitación a la encuesta',
                'ordering': ['-enviada_en', '-pk'],
            },
        ),
        # Nullable first: the rows are rewritten without it. The dates and the
        # order it drops cannot, and must not, come back.
        migrations.AlterField(model_name='respuestaencuesta', name='fecha', field=models.DateField(null=True)),
        # Backwards the answers stay as they are (anonymous; what was linkable is gone for good). On a
        # database with answers the step back then stops at `fecha` becoming required again; on an
        # empty one (tests that visit older migrations) it goes through.
        migrations.RunPython(anonimizar, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='respuestaencuesta',
            name='fecha',
        ),
    ]
