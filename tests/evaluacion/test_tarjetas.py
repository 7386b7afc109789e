"""{% tarjetas %} writes, character for character, what the catalogue's card template wrote (kept
below as the reference), escaping included: names and texts with markup, a body with and without
a municipality, a practice with no description, every validity status."""

import pytest
import time_machine
from django.template import engines

from evaluacion import services
from evaluacion.catalogo import filas_en_orden, para_tarjetas, reconocimientos_publicos
from evaluacion.models import Reconocimiento
from practicas.models import Practica
from tests import factories
from tests.evaluacion import builders_catalogo as bc
from tests.evaluacion import builders_dictamen as bd

# templates/evaluacion/catalogo/_tarjeta.html before {% tarjetas %} replaced it.
REFERENCIA = """{% load i18n reconoce %}{% with p=r.dictamen.practica %}
<article class="card mb-3">
  <div class="card-body">
    <{{ nivel|default:"h3" }} class="h5 card-title"><a href="{% url 'evaluacion:catalogo_practica' p.pk %}">{{ p.nombre }}</a></{{ nivel|default:"h3" }}>
    <p class="mb-1">{% if not sin_sujeto %}<a href="{% url 'evaluacion:catalogo_sujeto' p.sujeto_id %}">{{ p.sujeto.nombre }}</a>{% if p.sujeto.municipio %} · {{ p.sujeto.municipio }}{% endif %} · {% endif %}{% blocktranslate with a=p.convocatoria.anio %}Convocatoria {{ a }}{% endblocktranslate %}
      · {% translate "Otorga:" %} {% include "core/_autoridad.html" with autoridad=p.convocatoria.autoridad %}
      · {% include "evaluacion/_estado_reconocimiento.html" with estado=r.estado_vigencia %}</p>
    {% if p.descripcion %}<p class="mb-0 text-body-secondary">{{ p.descripcion|truncatewords:40 }}</p>{% endif %}
  </div>
</article>{% endwith %}
"""

LARGA = " ".join(f"palabra{i} <b>&amp;</b> \"x\"" for i in range(30))


@pytest.fixture
def filas(autoridad, personal):
    municipal = bc.municipal(nombre="Ayuntamiento de <Metepec> & \"Cía\"", municipio="Santa Cruz & 'Atizapán'")
    ciclo = bc.ciclo_reconocido(autoridad=autoridad, personal=personal, practicas=[
        {"nombre": "Mapa <script>alert('x')</script> & \"obra\"", "sujeto": municipal, "descripcion": LARGA},
        {"nombre": "Presupuesto ciudadano", "sujeto": factories.SujetoFactory(nombre="Secretaría <de> Finanzas"),
         "descripcion": "Corta & <clara>."},
        {"nombre": "Agenda de cabildo", "sujeto": municipal, "descripcion": "Sesiones."},
    ])
    Practica.objects.filter(pk=ciclo.practicas[2].pk).update(descripcion="")
    despues = bd.antes_y_despues(ciclo)[1]
    with time_machine.travel(despues, tick=False):
        services.reconocimiento_revocar(reconocimiento=Reconocimiento.objects.get(dictamen__practica=ciclo.practicas[1]),
                                        usuario=personal, motivo="Dejó de publicarse.")
        publicos = reconocimientos_publicos()
        ids = list(publicos.order_by("pk").values_list("pk", flat=True))
        yield filas_en_orden(para_tarjetas(publicos), ids)


@pytest.mark.parametrize("opciones", [{}, {"en_lista": True}, {"sin_sujeto": True}, {"nivel": "h2"}])
def test_tarjetas_escribe_lo_que_escribia_la_plantilla(filas, opciones):
    motor = engines["django"]
    referencia = motor.from_string(REFERENCIA)
    esperado = "".join(
        ("<li>" if opciones.get("en_lista") else "") + referencia.render({"r": r, **opciones})
        + ("</li>" if opciones.get("en_lista") else "") for r in filas)
    argumentos = " ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v}" for k, v in opciones.items())
    obtenido = motor.from_string("{% load tarjetas %}{% tarjetas filas " + argumentos + " %}").render({"filas": filas})
    assert obtenido == esperado
    assert "<script>" not in obtenido and "&lt;script&gt;" in obtenido
    assert {"Vigente", "Revocado"} <= {e for e in ("Vigente", "Revocado", "Vencido") if f">{e}<" in obtenido}


def test_sin_reconocimientos_no_escribe_nada():
    assert engines["django"].from_string("{% load tarjetas %}{% tarjetas filas %}").render({"filas": []}) == ""
