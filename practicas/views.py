from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from convocatorias.selectors import convocatorias_abiertas, convocatorias_publicas
from core.acceso import obtener_o_rechazar
from core.cara import mostrar_autoridad
from core.cuentas import token_activacion
from core.errors import ErrorDominio
from core.files import servir_archivo
from core.limites import limite_excedido

from . import selectors, services
from .forms import NuevaPracticaForm, PracticaForm, RecepcionForm, RegistroForm, SolicitudEnlaceForm
from .models import Acuse, Practica, Soporte, SujetoObligado
from .rules import sujetos_de
from .soportes import FORMATOS_ACEPTADOS, FORMATOS_DATOS_ABIERTOS


def _practica(request, pk, perm="practicas.ver_practica", detalle=True):
    """A practice the person may read (404 otherwise, so ids cannot be probed), and `perm` on it (403).
    With detalle=False only its call and authority come along: for an action that redirects."""
    relacionadas = selectors.practicas_relacionadas(request.user)
    relacionadas = selectors.con_detalle(relacionadas) if detalle else relacionadas.select_related(
        "convocatoria__autoridad")
    practica = obtener_o_rechazar(request.user, relacionadas, perm, pk=pk)
    mostrar_autoridad(request, practica.convocatoria.autoridad)
    return practica


# --- accounts ----------------------------------------------------------------------------------

@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def registro(request):
    """Registration answers the same whether or not the address has an account (services.cuenta_registrar
    writes to the address either way) and signs nobody in: the e-mailed link confirms the address."""
    if request.user.is_authenticated:
        return redirect("practicas:cuenta")
    form = RegistroForm(request.POST or None)
    if request.method == "POST":
        demasiados = limite_excedido(request, ambito="cuentas-registro", limite=settings.CUENTAS_REGISTROS_POR_HORA)
        if not demasiados and form.is_valid():
            demasiados = limite_excedido(request, ambito="cuentas-registro-correo",
                                         limite=settings.CUENTAS_REGISTROS_POR_CORREO, clave=form.cleaned_data["email"])
        if demasiados:
            messages.error(request, _("Se recibieron demasiados registros desde su conexión o con este correo. "
                                      "Intente de nuevo en una hora o escriba al órgano garante."))
            return render(request, "practicas/registro.html", {"form": form}, status=429)
        if form.is_valid():
            datos = {c: form.cleaned_data[c] for c in ("email", "first_name", "last_name", "sujeto", "cargo", "area")}
            services.cuenta_registrar(password=form.cleaned_data["password1"], **datos)
            return redirect("practicas:registro_enviado")
    return render(request, "practicas/registro.html", {"form": form})


@require_safe
def registro_enviado(request):
    return render(request, "practicas/registro_enviado.html")


def _por_activar(uidb64, token):
    """The account an activation link names, if the link is still good (else None)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    usuario = get_user_model().objects.filter(pk=pk).first()
    if usuario is None or not services.sin_confirmar(usuario) or not token_activacion.check_token(usuario, token):
        return None
    return usuario


@require_http_methods(["GET", "HEAD", "POST"])
def activar(request, uidb64, token):
    """The e-mailed link: GET shows a button (a mail scanner that follows links activates nothing),
    POST activates the account and signs in."""
    usuario = _por_activar(uidb64, token)
    if usuario is None:
        return render(request, "practicas/activar.html", {"valido": False}, status=400)
    if request.method == "POST":
        try:
            usuario = services.cuenta_activar(usuario=usuario)
        except ErrorDominio:
            return render(request, "practicas/activar.html", {"valido": False}, status=400)
        login(request, usuario, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Su cuenta quedó confirmada. El órgano garante revisará su solicitud para "
                                    "representar a su sujeto obligado; le avisaremos por correo."))
        return redirect("practicas:cuenta")
    return render(request, "practicas/activar.html", {"valido": True, "usuario": usuario})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def cuenta(request):
    form = SolicitudEnlaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enlace_solicitar(usuario=request.user, **form.datos())
        except ErrorDominio as exc:
            form.add_error("sujeto", exc.mensaje)
        else:
            messages.success(request, _("Solicitud enviada. El órgano garante la revisará."))
            return redirect("practicas:cuenta")
    enlaces = request.user.enlaces.select_related("sujeto").order_by("-solicitado_en")
    return render(request, "practicas/cuenta.html", {"form": form, "enlaces": enlaces})


# --- the enlace's practices ----------------------------------------------------------------------

@login_required
@require_safe
def mis_practicas(request):
    practicas = list(selectors.practicas_de_usuario(request.user))
    sujetos = list(SujetoObligado.objects.filter(pk__in=sujetos_de(request.user)))
    # Invited only to the open calls one of their bodies may enter (Convocatoria.admite).
    abiertas = [c for c in convocatorias_abiertas().select_related("autoridad")
                if any(c.admite(s) for s in sujetos)] if sujetos else []
    return render(request, "practicas/mis_practicas.html", {
        "practicas": practicas,
        "abiertas": abiertas,
        "es_enlace": bool(sujetos_de(request.user)),
        "solicitudes": request.user.enlaces.select_related("sujeto"),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def nueva(request, slug):
    # Any public call; proposing to it takes being an approved enlace (not a permission on the call).
    convocatoria = obtener_o_rechazar(request.user, convocatorias_publicas().select_related("autoridad"),
                                      "practicas.crear_practica", slug=slug)
    mostrar_autoridad(request, convocatoria.autoridad)
    # Only the person's bodies the call admits; none of them: a page that says who may enter, 403.
    elegibles = SujetoObligado.objects.filter(convocatoria.q_sujetos_elegibles(), pk__in=sujetos_de(request.user))
    sujetos = list(elegibles)
    if not sujetos:
        return render(request, "practicas/nueva_no_elegible.html", {"convocatoria": convocatoria}, status=403)
    form = NuevaPracticaForm(request.POST or None, sujetos=elegibles)
    if request.method == "POST" and form.is_valid():
        try:
            practica = services.practica_crear(
                convocatoria=convocatoria, sujeto=form.cleaned_data["sujeto"], usuario=request.user,
                datos={"nombre": form.cleaned_data["nombre"]},
            )
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Borrador creado. Puede guardarlo y volver cuando quiera antes del cierre."))
            return redirect("practicas:editar", pk=practica.pk)
    return render(request, "practicas/nueva.html", {
        "form": form, "convocatoria": convocatoria, "sujetos": sujetos,
        "recibe": convocatoria.recibe_propuestas(),
    })


def _secciones(practica, post=None, errores=None):
    """One section per criterion (plus 'general'), with what was typed, stored supports and errors."""
    evidencias = {e.criterio_id: e.texto for e in practica.evidencias.all()}
    soportes = list(practica.soportes.all())
    errores = errores or {}
    secciones = [{
        "clave": "general", "criterio": None, "soportes": [s for s in soportes if s.criterio_id is None],
        "errores": errores.get("general", []),
        "enlace": (post or {}).get("enlace-general", ""), "enlace_desc": (post or {}).get("enlace_desc-general", ""),
    }]
    for criterio in practica.convocatoria.criterios.all():
        clave = str(criterio.pk)
        secciones.append({
            "clave": clave, "criterio": criterio,
            "evidencia": post.get(f"evidencia-{clave}", "") if post is not None else evidencias.get(criterio.pk, ""),
            "soportes": [s for s in soportes if s.criterio_id == criterio.pk],
            "errores": errores.get(clave, []),
            "enlace": (post or {}).get(f"enlace-{clave}", ""), "enlace_desc": (post or {}).get(f"enlace_desc-{clave}", ""),
        })
    return secciones


def _procesar_soportes(request, practica):
    """Store each uploaded file and link on its own; a rejected one is reported next to its section
    and does not stop the rest."""
    errores, guardados = {}, 0
    criterios = {str(c.pk): c for c in practica.convocatoria.criterios.all()}
    for clave in ["general", *criterios]:
        criterio = criterios.get(clave)
        for archivo in request.FILES.getlist(f"archivos-{clave}"):
            try:
                services.soporte_agregar_archivo(practica=practica, usuario=request.user, archivo=archivo,
                                                 criterio=criterio)
                guardados += 1
            except ErrorDominio as exc:
                errores.setdefault(clave, []).append(exc.mensaje)
            except ValidationError as exc:
                errores.setdefault(clave, []).extend(exc.messages)
        url = (request.POST.get(f"enlace-{clave}") or "").strip()
        if url:
            try:
                URLValidator(schemes=["http", "https"])(url)
                services.soporte_agregar_enlace(practica=practica, usuario=request.user, url=url, criterio=criterio,
                                                descripcion=request.POST.get(f"enlace_desc-{clave}", ""))
                guardados += 1
            except ValidationError:
                errores.setdefault(clave, []).append(_("«%(u)s» no es una dirección web válida (use https://…).") % {"u": url})
            except ErrorDominio as exc:
                errores.setdefault(clave, []).append(exc.mensaje)
    return errores, guardados


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editar(request, pk):
    practica = _practica(request, pk)
    if not request.user.has_perm("practicas.editar_practica", practica):
        messages.info(request, _("La práctica %(f)s ya fue enviada; ya no puede modificarse.") % {"f": practica.folio})
        return redirect(practica)
    conv = practica.convocatoria
    abierta = practica.canal != Practica.Canal.EN_LINEA or conv.recibe_propuestas()
    if request.method in ("GET", "HEAD"):
        form = PracticaForm(instance=practica)
        return render(request, "practicas/editar.html", _ctx_editar(practica, form, _secciones(practica), abierta))

    form = PracticaForm(request.POST, instance=Practica.objects.get(pk=practica.pk))
    evidencias = {c.pk: request.POST.get(f"evidencia-{c.pk}", "") for c in conv.criterios.all()}
    try:
        if form.is_valid():
            services.practica_guardar(practica=practica, usuario=request.user, datos=form.cleaned_data,
                                      evidencias=evidencias)
        errores, guardados = _procesar_soportes(request, practica)
    except ErrorDominio as exc:
        # Deadline passed or the practice changed state: say so, keep everything typed on screen.
        messages.error(request, exc.mensaje)
        return render(request, "practicas/editar.html",
                      _ctx_editar(practica, form, _secciones(practica, request.POST), False), status=409)
    practica = selectors.practica_detalle(practica.pk)
    if form.is_valid() and not errores:
        messages.success(request, _("Borrador guardado."))
        if request.POST.get("accion") == "revisar":
            return redirect(practica)
        return redirect("practicas:editar", pk=practica.pk)
    if form.is_valid():
        messages.warning(request, _("Se guardó el borrador, pero algunos soportes no se aceptaron: revise los "
                                    "mensajes junto a cada sección."))
    else:
        messages.error(request, _("No se guardaron los datos generales: corrija los campos marcados."))
    return render(request, "practicas/editar.html",
                  _ctx_editar(practica, form, _secciones(practica, request.POST, errores), abierta), status=400)


def _ctx_editar(practica, form, secciones, abierta):
    return {
        "practica": practica, "convocatoria": practica.convocatoria, "form": form, "secciones": secciones,
        "abierta": abierta, "formatos_aceptados": FORMATOS_ACEPTADOS,
        "formatos_datos_abiertos": FORMATOS_DATOS_ABIERTOS, "tamano_maximo": settings.SOPORTE_MAX_BYTES,
    }


@login_required
@require_safe
def detalle(request, pk):
    practica = _practica(request, pk)
    contexto = {
        "practica": practica, "convocatoria": practica.convocatoria,
        "faltantes": services.faltantes(practica) if practica.es_borrador else [],
        "puede_editar": request.user.has_perm("practicas.editar_practica", practica),
        "puede_retirar": request.user.has_perm("practicas.retirar_practica", practica)
        and not practica.convocatoria.plazo_vencido(),
        "es_personal": request.user.has_perm("practicas.gestionar_practicas", practica.convocatoria),
        "recepcion_form": RecepcionForm(),
        "recibe": practica.convocatoria.recibe_propuestas(),
        "acuse": getattr(practica, "acuse", None),
    }
    contexto.update(selectors.secciones_detalle(request.user, practica))  # e.g. admissibility and ruling
    return render(request, "practicas/detalle.html", contexto)


@login_required
@require_POST
def enviar(request, pk):
    practica = _practica(request, pk, "practicas.enviar_practica", detalle=False)  # the service reads it again
    recibida_en = None
    if practica.canal != Practica.Canal.EN_LINEA:
        form = RecepcionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Indique una fecha y hora de recepción válidas."))
            return redirect(practica)
        recibida_en = form.cleaned_data["recibida_en"]
    try:
        practica = services.practica_enviar(practica=practica, usuario=request.user, recibida_en=recibida_en)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        return redirect(practica)
    messages.success(request, _("Práctica recibida con el folio %(f)s; su acuse estará listo en unos minutos.")
                     % {"f": practica.folio})
    return redirect(practica)


@login_required
@require_POST
def retirar(request, pk):
    practica = _practica(request, pk, "practicas.retirar_practica")
    try:
        services.practica_retirar(practica=practica, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("La práctica %(f)s fue retirada. Se conserva con su folio.") % {"f": practica.folio})
    return redirect("practicas:detalle", pk=pk)


def _soportes(request):
    """Supports of the practices the person may read."""
    return Soporte.objects.select_related("practica__convocatoria__autoridad").filter(
        practica__in=selectors.practicas_relacionadas(request.user))


@login_required
@require_safe
def soporte_descargar(request, pk):
    soporte = obtener_o_rechazar(request.user, _soportes(request), "practicas.ver_soportes",
                                 sobre=lambda s: s.practica, pk=pk, tipo=Soporte.Tipo.ARCHIVO)
    return servir_archivo(soporte.archivo, nombre_descarga=soporte.nombre_original, mime=soporte.mime)


@login_required
@require_POST
def soporte_eliminar(request, pk):
    soporte = obtener_o_rechazar(request.user, _soportes(request), "practicas.editar_practica",
                                 sobre=lambda s: s.practica, pk=pk)
    practica = soporte.practica
    try:
        services.soporte_eliminar(soporte=soporte, usuario=request.user)
    except ErrorDominio as exc:
        if request.htmx:
            return HttpResponse(format_html('<li class="text-danger" role="alert">{}</li>', exc.mensaje))
        messages.error(request, exc.mensaje)
    else:
        if request.htmx:
            return HttpResponse(format_html('<li class="text-success" role="status">{}</li>', _("Soporte eliminado.")))
        messages.success(request, _("Soporte eliminado."))
    return redirect("practicas:editar", pk=practica.pk)


@login_required
@require_safe
def acuse_descargar(request, pk):
    practica = _practica(request, pk, "practicas.ver_acuse")
    acuse = getattr(practica, "acuse", None)
    if acuse is None or acuse.estado_pdf != Acuse.Estado.LISTA:
        raise Http404
    return servir_archivo(acuse.archivo, nombre_descarga=f"acuse-{practica.folio}.pdf", mime="application/pdf")


@login_required
@require_safe
def acuse_estado(request, pk):
    """htmx fragment polled while the acuse renders."""
    practica = _practica(request, pk, "practicas.ver_acuse")
    return render(request, "practicas/_acuse_estado.html", {"practica": practica, "acuse": getattr(practica, "acuse", None)})
