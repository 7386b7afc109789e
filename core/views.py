import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import PasswordResetView
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from health_check.views import HealthCheckView

from . import documentos, firma_digital, sellos
from .cara import mostrar_autoridad
from .cuentas import normalizar_correo
from .files import servir_archivo
from .filtros import parametros_desconocidos
from .forms import RestablecerContrasenaForm, VerificarArchivoForm
from .limites import limite_excedido
from .models import AutoridadGarante, DocumentoVerificable
from .pdf import sha256_bytes
from .salud import GRUPOS, revisar


@require_safe
def aviso_privacidad(request):
    autoridades = AutoridadGarante.objects.all()
    return render(request, "core/aviso_privacidad.html", {"autoridades": autoridades})


@require_safe
def favicon(request):
    """Browsers ask every site for /favicon.ico whatever the page links: send them to the SVG that
    base.html names (a temporary redirect: the static file's URL may change with a deploy)."""
    respuesta = redirect(static("img/favicon.svg"))
    respuesta["Cache-Control"] = "public, max-age=86400"
    return respuesta


TIPOS_LOGO = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
              "webp": "image/webp"}


@require_safe
def logo(request, slug):
    """An authority's logo, public like its name: the header, the favicon and the e-mails ask for it
    here (MEDIA_URL is served by nothing in production). Only the raster types the logo field
    accepts (Pillow checked them on upload) are sent, as themselves and never sniffed."""
    autoridad = AutoridadGarante.objects.only("slug", "logo").filter(slug=slug).first()
    extension = autoridad.logo.name.rsplit(".", 1)[-1].lower() if autoridad and autoridad.logo else ""
    if extension not in TIPOS_LOGO:
        raise Http404
    respuesta = servir_archivo(autoridad.logo, mime=TIPOS_LOGO[extension], inline=True)
    respuesta["Cache-Control"] = "public, max-age=3600"
    return respuesta


@never_cache
@require_safe
def salud(request):
    """Liveness: the process answers. It touches nothing (core.salud says why); readiness is `listo`."""
    return JsonResponse({"estado": "ok"})


class ListoView(HealthCheckView):
    """Readiness: 200 when every dependency that applies works, else 503 naming each one that does not
    (core.salud). `?solo=web` checks only what the web process needs. The library's view gives the rest:
    no cache headers, no transaction around the request."""

    async def get(self, request, *args, **kwargs):
        errores = parametros_desconocidos(request.GET, ["solo"])
        grupo = request.GET.get("solo", "todo")
        if not errores and grupo not in GRUPOS:
            errores = {"solo": [f"Valor no admitido. Se admiten: {', '.join(GRUPOS)}."]}
        if errores:
            return JsonResponse(errores, status=400)
        with self.get_executor() as executor:
            informe = await revisar(grupo, executor)
        return JsonResponse(informe.como_dict(), status=200 if informe.listo else 503,
                            json_dumps_params={"ensure_ascii": False})


# --- accounts ----------------------------------------------------------------------------------

class RestablecerContrasenaView(PasswordResetView):
    """Django's password reset, with a rate limit per client address and per e-mail address. Both
    count whether or not the address has an account, so neither the page nor the limit tells."""

    form_class = RestablecerContrasenaForm

    def post(self, request, *args, **kwargs):
        if limite_excedido(request, ambito="cuentas-restablecer", limite=settings.CUENTAS_RESTABLECER_POR_HORA):
            return self._demasiadas(self.get_form())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if limite_excedido(self.request, ambito="cuentas-restablecer-correo",
                           limite=settings.CUENTAS_RESTABLECER_POR_CORREO,
                           clave=normalizar_correo(form.cleaned_data["email"])):
            return self._demasiadas(form)
        return super().form_valid(form)

    def _demasiadas(self, form):
        messages.error(self.request, _("Se recibieron demasiadas solicitudes para restablecer una contraseña desde "
                                       "su conexión o para este correo. Intente de nuevo en una hora; si ya pidió "
                                       "el enlace, revise su correo, incluida la carpeta de correo no deseado."))
        return self.render_to_response(self.get_context_data(form=form), status=429)


# --- verifiable documents ------------------------------------------------------------------------

# How the verification page names what a document says (its `resumen` keys).
ETIQUETAS_RESUMEN = {
    "sujeto_obligado": _("Sujeto obligado"),
    "practica": _("Práctica"),
    "convocatoria": _("Convocatoria"),
    "decision": _("Decisión del Jurado Calificador"),
    "fecha": _("Fecha"),
    "vigente_desde": _("Vigente desde"),
    "vigente_hasta": _("Vigente hasta"),
    "participante": _("Participante"),
    "jornada": _("Jornada"),
    "firmante": _("Firmante"),
    "practicas_comprometidas": _("Prácticas comprometidas"),
    "recibida_en": _("Fecha y hora de recepción"),
    "canal": _("Canal de recepción"),
    "capturada_en": _("Registrada en el sistema el"),
}


def _no_encontrado(request, codigo=""):
    return render(request, "core/verificar_no_encontrado.html", {"codigo": codigo}, status=404)


@require_safe
def verificar_inicio(request):
    """Type the code printed under the QR."""
    codigo = (request.GET.get("codigo") or "").strip()
    if codigo:
        if not re.fullmatch(r"[-\w]{1,40}", codigo, flags=re.ASCII):
            return _no_encontrado(request, codigo)
        return redirect("core:verificar", codigo=codigo)
    return render(request, "core/verificar_inicio.html", {"form": VerificarArchivoForm()})


def _firmas(contenido: bytes) -> firma_digital.ResultadoVerificacion:
    return firma_digital.verificar_pdf(contenido, raices=sellos.raices(), crls=sellos.revocacion())


def _firmas_del_documento(doc: documentos.Verificable) -> firma_digital.ResultadoVerificacion | None:
    """The signatures in the stored PDF, for the code/QR lookup (what an upload of it would say).
    A public page: the file is read and validated once per version (its hash), not per visit."""
    if doc.estado_pdf != documentos.Estado.LISTA or not doc.archivo or not doc.sha256:
        return None

    def leer():
        try:
            with doc.archivo.open("rb") as fh:
                return _firmas(fh.read())
        except OSError:
            return None

    return cache.get_or_set(f"firmas-pdf:v2:{doc.sha256}", leer, 3600)


@require_http_methods(["GET", "HEAD", "POST"])
def verificar_archivo(request):
    """An uploaded PDF, checked in memory and never stored: is it one this portal issued (by its
    SHA-256, public documents only: under embargo it reads as unknown), and are its signatures
    intact — who signed, when, with which certificate. The answer is the same page for anyone."""
    if request.method != "POST":
        return redirect("core:verificar_inicio")
    if limite_excedido(request, ambito="verificar-archivo", limite=settings.VERIFICAR_LIMITE_HORA):
        return render(request, "core/verificar_inicio.html", {
            "form": VerificarArchivoForm(), "limite": True}, status=429)
    form = VerificarArchivoForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "core/verificar_inicio.html", {"form": form}, status=400)
    contenido = form.cleaned_data["archivo"].read()
    ahora = timezone.now()
    huella = sha256_bytes(contenido)
    doc = documentos.verificable_por_huella(huella, ahora)
    # The version a revoked document replaced (its stamped copy is the current one).
    version_anterior = doc is not None and doc.sha256 != huella
    resultado = _firmas(contenido)
    if doc is not None:
        mostrar_autoridad(request, doc.autoridad)
    return render(request, "core/verificar_archivo.html", {
        "documento": doc, "estado": doc.estado_vigencia(timezone.localdate(ahora)) if doc else None,
        "resultado": resultado, "huella": huella, "version_anterior": version_anterior,
        "alterado": bool(resultado.firmas) and not resultado.intacto,
    })


@require_safe
def verificar(request, codigo):
    ahora = timezone.now()
    doc = documentos.verificable_por_codigo(codigo, ahora)
    if doc is None:
        return _no_encontrado(request, codigo)
    resumen = [
        (ETIQUETAS_RESUMEN.get(clave, clave.replace("_", " ").capitalize()), valor)
        for clave, valor in (doc.resumen or {}).items()
    ]
    mostrar_autoridad(request, doc.autoridad)
    return render(request, "core/verificar.html", {
        "documento": doc, "resumen": resumen, "estado": doc.estado_vigencia(timezone.localdate(ahora)),
        "url_descarga": documentos.url_descarga(doc, request.user, ahora), "firmas": _firmas_del_documento(doc),
    })


@require_safe
def documento_descargar(request, codigo):
    """A verifiable PDF by its code. Whoever may not read it (yet) gets the same 404 as for an unknown code."""
    doc = DocumentoVerificable.objects.filter(codigo=codigo).first()
    if doc is None or doc.estado_pdf != DocumentoVerificable.EstadoPDF.LISTA:
        raise Http404
    if not documentos.tipo_de(doc.tipo).puede_descargar(request.user, doc, timezone.now()):
        raise Http404
    return servir_archivo(doc.archivo, nombre_descarga=f"{doc.folio}.pdf", mime="application/pdf")
