"""Query counts of the list and detail pages do not grow with rows.

Each page is measured at two sizes with the SAME literal count: if a template or selector starts
querying per row (a missing select_related/prefetch_related), the larger size fails.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from practicas import services
from practicas.models import Acuse, Practica, Soporte
from tests import factories

TAMANOS = [2, 15]
CSV = b"municipio,monto\nMetepec,1200\nToluca,3400\n"


def _marcar_enviada(practica, n, estado_acuse=Acuse.Estado.PENDIENTE):
    """Mark a practice as sent without rendering PDFs (counts are about pages, not the task)."""
    conv = practica.convocatoria
    Practica.objects.filter(pk=practica.pk).update(
        estado=Practica.Estado.ENVIADA, consecutivo=n, folio=f"{conv.prefijo_folio}-{conv.anio}-{n:04d}",
        enviada_en=timezone.now(),
    )
    extra = {"archivo": f"acuses/{practica.pk}/x.pdf", "sha256": "a" * 64} if estado_acuse == Acuse.Estado.LISTA else {}
    Acuse.objects.create(practica=practica, estado_pdf=estado_acuse, **extra)


@pytest.mark.parametrize("n", TAMANOS)
def test_lista_publica_de_convocatorias(client, autoridad, django_assert_num_queries, n):
    otra = factories.AutoridadFactory(siglas="OTRO", nombre="Otro garante")
    ahora = timezone.now()
    for i in range(n):
        dueña = autoridad if i % 2 else otra
        tipo = i % 4
        if tipo == 0:  # open
            factories.ConvocatoriaFactory(autoridad=dueña)
        elif tipo == 1:  # opens later
            factories.ConvocatoriaFactory(autoridad=dueña, fecha_apertura=ahora + timedelta(days=3),
                                          fecha_cierre=ahora + timedelta(days=30),
                                          fecha_resultados=ahora + timedelta(days=60))
        elif tipo == 2:  # archive
            factories.ConvocatoriaFactory(autoridad=dueña, estado="cerrada",
                                          fecha_apertura=ahora - timedelta(days=90),
                                          fecha_cierre=ahora - timedelta(days=60),
                                          fecha_resultados=ahora - timedelta(days=30))
        else:  # a draft: never listed
            factories.ConvocatoriaFactory(autoridad=dueña, estado="borrador")
    # The portal's authority (frame) + the calls with their authority.
    with django_assert_num_queries(2):
        resp = client.get(reverse("convocatorias:lista"))
    assert resp.status_code == 200


@pytest.mark.parametrize("n", TAMANOS)
def test_mis_practicas_del_enlace(client, convocatoria, sujeto_a, enlace_a, django_assert_num_queries, n):
    # The enlace represents two bodies; practices span two calls; some are sent with an acuse.
    sujeto_c = factories.SujetoFactory(nombre="Secretaría del Campo")
    factories.EnlaceFactory(usuario=enlace_a, sujeto=sujeto_c)
    otra_conv = factories.ConvocatoriaFactory(autoridad=convocatoria.autoridad)
    for i in range(n):
        practica = factories.PracticaFactory(convocatoria=convocatoria if i % 2 else otra_conv,
                                             sujeto=sujeto_a if i % 3 else sujeto_c, creada_por=enlace_a)
        Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url=f"https://x.gob.mx/{i}",
                               subido_por=enlace_a)
        if i % 2:
            _marcar_enviada(practica, i + 1, Acuse.Estado.LISTA if i % 4 == 1 else Acuse.Estado.PENDIENTE)
    # Somebody else's practice must not show up nor cost anything.
    factories.PracticaFactory(convocatoria=convocatoria)
    client.force_login(enlace_a)
    # session, user, approved bodies, practices (+call, body, acuse), the bodies themselves (eligibility),
    # open calls with their authority, their criteria, the authorities in the footer, "has enlaces" in the
    # menu, "is staff", and the two permission lookups of {{ perms }}.
    with django_assert_num_queries(12):
        resp = client.get(reverse("practicas:mis_practicas"))
    assert resp.status_code == 200
    assert len(resp.context["practicas"]) == n


@pytest.mark.parametrize("n", TAMANOS)
def test_practicas_de_la_convocatoria_en_el_panel(client, convocatoria, personal, django_assert_num_queries, n):
    for i in range(n):
        sujeto = factories.SujetoFactory()
        creador = factories.EnlaceFactory(sujeto=sujeto).usuario
        practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto, creada_por=creador)
        Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url=f"https://x.gob.mx/{i}",
                               subido_por=creador)
        if i % 2:
            estado = [Acuse.Estado.PENDIENTE, Acuse.Estado.LISTA, Acuse.Estado.FALLIDA][i % 3]
            _marcar_enviada(practica, i + 1, estado)
    client.force_login(personal)
    # session, user, call, "is staff of its authority", summary by state, practices (+body, acuse,
    # creator, support count), the page's count, portal authority, and the menu's "has enlaces" / "is staff".
    with django_assert_num_queries(10):
        resp = client.get(reverse("panel:practicas", args=[convocatoria.slug]))
    assert resp.status_code == 200
    assert len(resp.context["pagina"].object_list) == n


@pytest.mark.parametrize("n", TAMANOS)
def test_detalle_de_practica_con_pocos_o_muchos_soportes(client, practica_a, enlace_a, django_assert_num_queries, n):
    criterios = list(practica_a.convocatoria.criterios.all())
    for i in range(n - 1):  # practica_a already has one link support
        criterio = criterios[i % len(criterios)] if i % 3 else None
        if i % 2:
            services.soporte_agregar_archivo(
                practica=practica_a, usuario=enlace_a, criterio=criterio,
                archivo=SimpleUploadedFile(f"datos-{i}.csv", CSV, content_type="text/csv"),
            )
        else:
            services.soporte_agregar_enlace(practica=practica_a, usuario=enlace_a, criterio=criterio,
                                            url=f"https://datos.ejemplo.gob.mx/{i}", descripcion=f"Enlace {i}")
    client.force_login(enlace_a)
    # session, user, practice (+call, authority, body, acuse), evidences, criteria, supports (+criterion),
    # the call's criteria, approved bodies, "is staff of the authority", portal authority, menu checks,
    # and the two permission lookups of {{ perms }}.
    with django_assert_num_queries(13):
        resp = client.get(reverse("practicas:detalle", args=[practica_a.pk]))
    assert resp.status_code == 200
    assert practica_a.soportes.count() == n
