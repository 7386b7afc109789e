"""Builders for the public catalogue: a call whose practices (with the names, descriptions, bodies
and evidence a test asks for) were all recognised in signed rulings, through the services. The
results second is 30 days ahead; travel past it (`bd.antes_y_despues`) to see them."""

from convocatorias.models import Convocatoria
from practicas.models import Evidencia, Practica
from tests import factories
from tests.evaluacion import builders_dictamen as bd


def ciclo_reconocido(*, autoridad, personal, practicas: list[dict], n_jurado=2, anio=None) -> bd.Ciclo:
    """One recognised practice per entry of `practicas`: each a dict of Practica fields, plus
    optionally `sujeto` (else a new body) and `evidencia` (text for every criterion)."""
    sujetos = [d.get("sujeto") or factories.SujetoFactory() for d in practicas]
    ciclo = bd.con_dictamenes(autoridad=autoridad, personal=personal, puntajes=[9] * len(practicas),
                              sujetos=sujetos, n_jurado=n_jurado)
    if anio:
        Convocatoria.objects.filter(pk=ciclo.escena.convocatoria.pk).update(anio=anio)
    for practica, datos in zip(ciclo.practicas, practicas, strict=True):
        valores = {k: v for k, v in datos.items() if k not in ("sujeto", "evidencia")}
        if valores:
            # Test data written before the ruling is signed (the index is built at signing).
            Practica.objects.filter(pk=practica.pk).update(**valores)
        if "evidencia" in datos:
            Evidencia.objects.filter(practica=practica).update(texto=datos["evidencia"])
    bd.firmar_todos(ciclo)
    for practica in ciclo.practicas:
        practica.refresh_from_db()
    return ciclo


def municipal(nombre="Ayuntamiento de Metepec", cvegeo="15054", municipio="Metepec"):
    from practicas.models import SujetoObligado

    return factories.SujetoFactory(
        nombre=nombre, orden=SujetoObligado.Orden.MUNICIPAL, tipo=SujetoObligado.Tipo.AYUNTAMIENTO,
        municipio=factories.MunicipioFactory(cvegeo=cvegeo, nombre=municipio),
    )


def sitemap_completo(client) -> str:
    """The sitemap index and every section it lists, as one text (locations keep their host)."""
    import re
    from urllib.parse import urlsplit

    from django.urls import reverse

    indice = client.get(reverse("sitemap"))
    assert indice.status_code == 200
    partes = [indice.content.decode()]
    for loc in re.findall(r"<loc>(.*?)</loc>", partes[0]):
        url = urlsplit(loc.replace("&amp;", "&"))
        seccion = client.get(url.path, dict(p.split("=") for p in url.query.split("&") if p))
        assert seccion.status_code == 200, loc
        assert seccion["Content-Type"].startswith("application/xml")
        partes.append(seccion.content.decode())
    return "\n".join(partes)
