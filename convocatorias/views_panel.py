"""Staff panel for calls: list, create, edit (data, criteria, jury, documents), publish and close.

Permissions are checked here with rules: a logged-in person who is not staff gets 403; staff of
another authority get 404 for a call that is not theirs, so slugs cannot be probed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from core.rules import autoridades_de

from . import selectors, services
from .forms import ConvocatoriaForm, CriteriosFormSet, DocumentoForm, JuradoFormSet, NuevaConvocatoriaForm
from .models import Convocatoria, bloqueos_de_cuenta

# Copied from the authority's latest call into a new one: the yearly cycle repeats them.
CAMPOS_COPIABLES = (
    "objetivo", "fundamento_legal", "participantes", "requisitos", "modalidades_entrega", "domicilio_entrega",
    "correos_entrega", "correo_contacto", "prefijo_folio", "vigencia_meses", "escala_min", "escala_max",
    "ordenes_elegibles", "tipos_elegibles", "unidad_verificadora",
)


def _convocatoria_gestionable(request, slug):
    return obtener_o_rechazar(request.user, selectors.convocatorias_de_personal(request.user),
                              "convocatorias.gestionar_convocatoria", puerta="core.acceder_panel", slug=slug)


def _error_en_formulario(form, exc: ErrorDominio):
    campo = exc.campo if exc.campo in form.fields and not form.fields[exc.campo].disabled else None
    form.add_error(campo, exc.mensaje)


def _render(request, plantilla, convocatoria, seccion, **contexto):
    contexto.update({"convocatoria": convocatoria, "seccion": seccion, "ahora": timezone.now()})
    return render(request, plantilla, contexto, status=contexto.pop("status", 200))


# --- list and create -------------------------------------------------------------------------

@login_required
@permission_required("core.acceder_panel", raise_exception=True)
@require_safe
def lista(request):
    contexto = {
        "convocatorias": selectors.convocatorias_del_panel(request.user),
        "puede_crear": request.user.has_perm("convocatorias.crear_convocatoria"),
    }
    return render(request, "panel/convocatorias/lista.html", contexto)


@login_required
@permission_required("convocatorias.crear_convocatoria", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def nueva(request):
    autoridades = autoridades_de(request.user)
    lista = list(autoridades)
    if not lista:
        raise PermissionDenied
    if request.method == "POST":
        form = NuevaConvocatoriaForm(request.POST, autoridades=autoridades)
        if form.is_valid():
            try:
                convocatoria = services.convocatoria_crear(
                    autoridad=form.cleaned_data["autoridad"], usuario=request.user, datos=form.datos()
                )
            except ErrorDominio as exc:
                _error_en_formulario(form, exc)
            else:
                messages.success(request, _("Convocatoria creada como borrador con los seis criterios de los "
                                            "Lineamientos. Revise criterios, jurado y documentos antes de publicar."))
                return redirect("panel:convocatoria_editar", slug=convocatoria.slug)
    else:
        form = NuevaConvocatoriaForm(initial=_valores_iniciales(lista), autoridades=autoridades)
    return render(request, "panel/convocatorias/nueva.html", {"form": form})


def _valores_iniciales(autoridades):
    """Start from the authority's latest call: the legal basis and delivery rarely change."""
    inicial = {"anio": timezone.localdate().year}
    anterior = (
        Convocatoria.objects.filter(autoridad__in=autoridades).order_by("-anio", "-fecha_cierre").first()
    )
    if anterior is not None:
        inicial.update({campo: getattr(anterior, campo) for campo in CAMPOS_COPIABLES})
    else:
        autoridad = autoridades[0]
        inicial.update({"correo_contacto": autoridad.correo_contacto, "domicilio_entrega": autoridad.domicilio})
    return inicial


# --- edit ------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editar(request, slug):
    convocatoria = _convocatoria_gestionable(request, slug)
    editables = services.campos_editables(convocatoria)
    # The form works on its own copy so a failed attempt does not alter the page header.
    instancia = Convocatoria.objects.get(pk=convocatoria.pk)
    form = ConvocatoriaForm(request.POST or None, instance=instancia, editables=editables)
    if request.method == "POST" and form.is_valid():
        try:
            convocatoria = services.convocatoria_actualizar(
                convocatoria=convocatoria, usuario=request.user, datos=form.datos(solo_cambios=True)
            )
        except ErrorDominio as exc:
            _error_en_formulario(form, exc)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("panel:convocatoria_editar", slug=convocatoria.slug)
    return _render(request, "panel/convocatorias/editar.html", convocatoria, "datos",
                   form=form, editable=bool(editables))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def criterios(request, slug):
    convocatoria = _convocatoria_gestionable(request, slug)
    actuales = list(convocatoria.criterios.order_by("numero"))
    if convocatoria.criterios_congelados:
        if request.method == "POST":
            try:
                services.criterios_guardar(convocatoria=convocatoria, usuario=request.user, filas=[])
            except ErrorDominio as exc:
                messages.error(request, exc.mensaje)
            return redirect("panel:convocatoria_criterios", slug=convocatoria.slug)
        return _render(request, "panel/convocatorias/criterios.html", convocatoria, "criterios",
                       criterios=actuales, formset=None)
    inicial = [
        {"id": c.pk, "numero": c.numero, "nombre": c.nombre, "descripcion": c.descripcion, "peso": c.peso}
        for c in actuales
    ]
    formset = CriteriosFormSet(request.POST or None, initial=inicial, prefix="criterios")
    if request.method == "POST" and formset.is_valid():
        try:
            services.criterios_guardar(convocatoria=convocatoria, usuario=request.user, filas=formset.filas())
        except ErrorDominio as exc:
            formset._non_form_errors = formset.error_class([exc.mensaje], renderer=formset.renderer)
        else:
            messages.success(request, _("Criterios guardados."))
            return redirect("panel:convocatoria_criterios", slug=convocatoria.slug)
    return _render(request, "panel/convocatorias/criterios.html", convocatoria, "criterios",
                   criterios=actuales, formset=formset)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def jurado(request, slug):
    convocatoria = _convocatoria_gestionable(request, slug)
    miembros = list(convocatoria.jurado.select_related("usuario").order_by("orden", "pk"))
    editable = convocatoria.estado != Convocatoria.Estado.RESULTADOS_PUBLICADOS
    inicial = [
        {"id": m.pk, "cargo": m.cargo, "nombre": m.nombre, "correo": m.usuario.email if m.usuario else "",
         "orden": m.orden}
        for m in miembros
    ]
    formset = JuradoFormSet(request.POST or None, initial=inicial, prefix="jurado")
    status = 200
    if request.method == "POST" and formset.is_valid():
        try:
            services.jurado_guardar(convocatoria=convocatoria, usuario=request.user, filas=formset.filas())
        except ErrorDominio as exc:
            if not formset.error_de_fila(exc):
                formset._non_form_errors = formset.error_class([exc.mensaje], renderer=formset.renderer)
            status = 400
        else:
            messages.success(request, _("Jurado guardado."))
            return redirect("panel:convocatoria_jurado", slug=convocatoria.slug)
    # Seats that have acted keep their account; the page says so and offers the recorded replacement.
    fijas = bloqueos_de_cuenta(miembros)
    for form in formset.forms:
        form.cuenta_fija = fijas.get(form.initial.get("id"))
    return _render(request, "panel/convocatorias/jurado.html", convocatoria, "jurado",
                   miembros=miembros, formset=formset, editable=editable, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def documentos(request, slug):
    convocatoria = _convocatoria_gestionable(request, slug)
    form = DocumentoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.documento_agregar(convocatoria=convocatoria, usuario=request.user,
                                       titulo=form.cleaned_data["titulo"], archivo=form.cleaned_data["archivo"])
        except ErrorDominio as exc:
            _error_en_formulario(form, exc)
        else:
            messages.success(request, _("Documento agregado."))
            return redirect("panel:convocatoria_documentos", slug=convocatoria.slug)
    return _render(request, "panel/convocatorias/documentos.html", convocatoria, "documentos",
                   form=form, documentos=list(convocatoria.documentos.order_by("orden", "pk")))


@login_required
@require_POST
def documento_eliminar(request, slug, pk):
    convocatoria = _convocatoria_gestionable(request, slug)
    documento = obtener_o_rechazar(request.user, convocatoria.documentos.all(), pk=pk)
    try:
        services.documento_eliminar(documento=documento, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("Documento «%(t)s» eliminado.") % {"t": documento.titulo})
    return redirect("panel:convocatoria_documentos", slug=convocatoria.slug)


# --- publish ---------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publicar(request, slug):
    """GET asks for confirmation (with what the call has); POST publishes."""
    convocatoria = _convocatoria_gestionable(request, slug)
    error = None
    if request.method == "POST":
        try:
            convocatoria = services.convocatoria_publicar(convocatoria=convocatoria, usuario=request.user)
        except ErrorDominio as exc:
            error = exc.mensaje
        else:
            messages.success(request, _("La convocatoria se publicó y ya recibe propuestas desde su fecha de "
                                        "apertura. Sus criterios quedaron fijos."))
            return redirect("panel:convocatoria_editar", slug=convocatoria.slug)
    resumen = {
        "criterios": convocatoria.criterios.count(),
        "jurado": convocatoria.jurado.count(),
        "documentos": convocatoria.documentos.count(),
    }
    return _render(request, "panel/convocatorias/publicar.html", convocatoria, "publicar",
                   resumen=resumen, error=error, status=400 if error else 200)


# --- close -----------------------------------------------------------------------------------

@login_required
@require_POST
def cerrar(request, slug):
    """Record the closing of a call past its deadline («Cerrar convocatoria», offered while nothing has
    recorded it yet): the same idempotent step the periodic task takes, so a second POST, or one after
    the scheduler's, changes nothing and sends no second notice."""
    convocatoria = _convocatoria_gestionable(request, slug)
    try:
        cerrada = services.convocatoria_cerrar(convocatoria=convocatoria, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        return redirect("panel:convocatoria_editar", slug=convocatoria.slug)
    if cerrada:
        messages.success(request, _("Convocatoria cerrada: ya no recibe propuestas y se avisó al personal. La "
                                    "verificación de requisitos puede comenzar."))
    else:
        messages.info(request, _("La convocatoria ya estaba cerrada."))
    return redirect("panel:admisibilidad", slug=convocatoria.slug)
