"""What the signature tests share: one test CA per module, two jurors' e.firma from it, and a small
WeasyPrint PDF to sign."""

import pytest
import weasyprint

from core import sellos
from tests import firmas


@pytest.fixture(scope="module")
def ac():
    return firmas.autoridad_certificadora()


@pytest.fixture(scope="module")
def jurados(ac):
    return [firmas.efirma(ac, n, rfc=r) for n, r in (("María López Garza", "LOGM800101AB1"),
                                                     ("José Pérez Treviño", "PETJ750505CD2"))]


@pytest.fixture(scope="module")
def pdf():
    return weasyprint.HTML(string="<html lang='es'><body><h1>Dictamen de prueba</h1><p>Texto firmado.</p>"
                                  "</body></html>").write_pdf()


@pytest.fixture
def autoridad_sellada(settings, tmp_path, ac, autoridad, monkeypatch):
    """The portal configured as a deployment would be: the test CA as its trusted root, and the authority's
    seal as <slug>.p12 with its secret in the environment. Returns the authority."""
    settings.FIRMA_SELLOS_DIR = tmp_path / "sellos"
    settings.FIRMA_RAICES_DIR = tmp_path / "raices"
    settings.FIRMA_SELLOS_DIR.mkdir()
    settings.FIRMA_RAICES_DIR.mkdir()
    (settings.FIRMA_RAICES_DIR / "ac.cer").write_bytes(ac.der)
    (settings.FIRMA_SELLOS_DIR / f"{autoridad.slug}.p12").write_bytes(firmas.sello_pkcs12(ac, autoridad.siglas))
    monkeypatch.setenv(f"SELLO_{autoridad.slug.upper()}_CLAVE", firmas.CONTRASENA)
    sellos.olvidar()
    yield autoridad
    sellos.olvidar()
