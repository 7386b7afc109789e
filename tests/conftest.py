"""The one persona set shared by every test and every permission matrix (tests/matriz.py): anonymous,
the enlace of body A, the enlace of body B (both bodies of authority 1's entity, 15), staff of
authority 1 (`personal`), staff of authority 2 (`otro_personal`: authority 1's objects must answer 404
to them), a juror of authority 1's open call, a superuser, the enlace of a body of authority 2's entity
(19: `enlace_otra_entidad`, never eligible for authority 1's calls) and a juror of authority 2's open
call (`jurado_otra`). Per-app conftests reuse these fixtures and only add their scenes."""

import pytest
from django.core import mail
from django.core.cache import cache

from config.celery import app
from core import sellos
from practicas.models import SujetoObligado
from tests import factories


@pytest.fixture(autouse=True)
def _cache_vacio():
    """Each test starts with an empty cache: the catalogue's version is bumped after a commit, and a
    test inside a transaction never commits, so what one test cached would otherwise show in the next."""
    cache.clear()


@pytest.fixture(autouse=True)
def _sin_sellos(settings, tmp_path_factory):
    """No authority has an institutional seal unless the test gives it one (tests/firmas): seals
    written by one test (cargar_demo's demo seals) never sign the next test's documents."""
    base = tmp_path_factory.mktemp("sellos")
    settings.FIRMA_SELLOS_DIR = base
    settings.FIRMA_RAICES_DIR = base / "raices"
    sellos.olvidar()
    yield
    sellos.olvidar()


@pytest.fixture(autouse=True)
def _correos_en_dos_partes():
    """Every e-mail a test made the portal send is plain text plus HTML in the shared frame
    (core.correo): checked after each test on what it sent, so a send site that skips the frame
    fails in the tests of its own flow."""
    yield
    for mensaje in getattr(mail, "outbox", []):
        html = [c for c, tipo in getattr(mensaje, "alternatives", []) if tipo == "text/html"]
        assert len(html) == 1, f"El correo «{mensaje.subject}» no trae su versión HTML."
        assert '<html lang="es">' in html[0] and "<html" not in mensaje.body, mensaje.subject


@pytest.fixture
def autoridad(db):
    return factories.AutoridadFactory()


@pytest.fixture
def convocatoria(autoridad):
    return factories.ConvocatoriaFactory(autoridad=autoridad)


@pytest.fixture
def sujeto_a(db):
    return factories.SujetoFactory(nombre="Secretaría de Finanzas")


@pytest.fixture
def sujeto_b(db):
    return factories.SujetoFactory(nombre="Secretaría de Salud")


@pytest.fixture
def enlace_a(sujeto_a):
    return factories.EnlaceFactory(sujeto=sujeto_a, usuario__email="enlace.a@finanzas.gob.mx").usuario


@pytest.fixture
def enlace_b(sujeto_b):
    return factories.EnlaceFactory(sujeto=sujeto_b, usuario__email="enlace.b@salud.gob.mx").usuario


@pytest.fixture
def personal(autoridad):
    return factories.PersonalFactory(autoridad=autoridad, usuario__email="dgt@infoem.org.mx").usuario


@pytest.fixture
def otra_autoridad(db):
    """Authority 2: another guarantor, with its own staff, calls and sessions."""
    return factories.AutoridadFactory(siglas="COTAI", nombre="Comisión de Transparencia y Acceso a la Información "
                                      "del Estado de Nuevo León", entidad_clave="19")


@pytest.fixture
def otro_personal(otra_autoridad):
    return factories.PersonalFactory(autoridad=otra_autoridad, usuario__email="staff@cotai.org.mx").usuario


@pytest.fixture
def superusuario(db):
    return factories.UsuarioFactory(is_superuser=True, is_staff=True, email="admin@infoem.org.mx")


@pytest.fixture
def jurado(convocatoria):
    return factories.MiembroJuradoFactory(convocatoria=convocatoria, usuario__email="jurado@infoem.org.mx").usuario


@pytest.fixture
def sujeto_otra_entidad(db):
    """A state body of authority 2's entity (Nuevo León, 19)."""
    return factories.SujetoFactory(nombre="Secretaría de Economía de Nuevo León", entidad_clave="19",
                                   orden=SujetoObligado.Orden.ESTATAL)


@pytest.fixture
def enlace_otra_entidad(sujeto_otra_entidad):
    return factories.EnlaceFactory(sujeto=sujeto_otra_entidad, usuario__email="enlace@economia.nl.gob.mx").usuario


@pytest.fixture
def convocatoria_otra(otra_autoridad):
    """Authority 2's open call."""
    return factories.ConvocatoriaFactory(autoridad=otra_autoridad, titulo="Reconocimiento de Nuevo León",
                                         prefijo_folio="COTAI-TP", correo_contacto="tp@cotai.org.mx")


@pytest.fixture
def jurado_otra(convocatoria_otra):
    """A juror of authority 2's open call, with an account of their own."""
    return factories.MiembroJuradoFactory(convocatoria=convocatoria_otra, usuario__email="jurado@cotai.org.mx").usuario


@pytest.fixture
def practica_a(convocatoria, sujeto_a, enlace_a):
    """A complete draft of body A in the open call, with one link support."""
    from practicas.models import Soporte

    practica = factories.PracticaFactory(convocatoria=convocatoria, sujeto=sujeto_a, creada_por=enlace_a)
    Soporte.objects.create(practica=practica, tipo=Soporte.Tipo.ENLACE, url="https://datos.ejemplo.gob.mx/p",
                           subido_por=enlace_a)
    return practica


@pytest.fixture
def personas(db, enlace_a, enlace_b, personal, otro_personal, jurado, superusuario, enlace_otra_entidad,
             jurado_otra):
    """name -> user (None for anonymous), in tests.matriz.PERSONAS order, for permission matrices."""
    return {"anonimo": None, "enlace_a": enlace_a, "enlace_b": enlace_b, "personal": personal,
            "otro_personal": otro_personal, "jurado": jurado, "superusuario": superusuario,
            "enlace_otra_entidad": enlace_otra_entidad, "jurado_otra": jurado_otra}


@pytest.fixture
def reintentos_eager():
    """For tests of a task's retry path. Eager tasks propagate their exceptions (config/settings/test.py),
    and while propagating Celery's eager mode cannot retry: `self.retry()` raises Retry to whoever queued
    the task instead of running it again (celery.app.trace re-raises every exception, Retry included).
    Without propagation each retry runs at once, as a worker would run it after the countdown; the test
    then asserts the outcome (rows marked failed, the error shown, what the retries produced)."""
    antes = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = antes
