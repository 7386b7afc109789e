"""Authorities in the staff panel (/panel/autoridades/): their data, signers, staff and history.

Who may do what (rules in core/rules.py):
- administrators (superusers) create authorities and edit any of them, including what identifies
  one (acronym, slug, entidad); they alone assign, edit and remove staff;
- an authority's own staff see and edit its other data (name, logo, address, contact, units,
  colour, privacy notice) and its signers, see its staff and history, and may leave it themselves
  unless they are its last staff member;
- staff of another authority get 404 for it; a signed-in person who is not staff gets 403;
  anonymous people go to the login page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from . import selectors, services
from .acceso import obtener_o_rechazar
from .cara import mostrar_autoridad
from .errors import ErrorDominio
from .forms import AutoridadForm, FirmantesFormSet, PersonalForm, PersonalNuevoForm
from .models import AutoridadGarante
from .rules import autoridades_de

PUERTA = "core.acceder_panel"


def _autoridad(request, slug) -> AutoridadGarante:
    autoridad = obtener_o_rechazar(request.user, autoridades_de(request.user), "core.gestionar_autoridad",
                                   puerta=PUERTA, slug=slug)
    mostrar_autoridad(request, autoridad)
    return autoridad


def _personal(request, autoridad, pk, permiso):
    return obtener_o_rechazar(request.user, autoridad.personal.select_related("usuario", "autoridad"), permiso,
                              puerta=PUERTA, pk=pk)


def _error_en_formulario(form, exc: ErrorDominio):
    campo = exc.campo if exc.campo in form.fields and not form.fields[exc.campo].disabled else None
    form.add_error(campo, exc.mensaje)


def _render(request, plantilla, autoridad, seccion, status=200, **contexto):
    contexto.update({"autoridad": autoridad, "seccion": seccion,
                     "puede_asignar": request.user.has_perm("core.asignar_personal")})
    return render(request, plantilla, contexto, status=status)


# --- list and create -------------------------------------------------------------------------

@login_required
@permission_required(PUERTA, raise_exception=True)
@require_safe
def lista(request):
    contexto = {
        "autoridades": selectors.autoridades_del_panel(request.user),
        "puede_crear": request.user.has_perm("core.crear_autoridad"),
    }
    return render(request, "panel/autoridades/lista.html", contexto)


@login_required
@permission_required("core.crear_autoridad", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def nueva(request):
    form = AutoridadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            autoridad = services.autoridad_crear(usuario=request.user, datos=form.datos())
        except ErrorDominio as exc:
            _error_en_formulario(form, exc)
        else:
            messages.success(request, _("Se creó la autoridad %(s)s. Registre sus firmantes y asigne a su "
                                        "personal.") % {"s": autoridad.siglas})
            return redirect("panel:autoridad_editar", slug=autoridad.slug)
    return render(request, "panel/autoridades/nueva.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


# --- one authority ---------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def editar(request, slug):
    autoridad = _autoridad(request, slug)
    identidad = request.user.has_perm("core.cambiar_identidad_autoridad")
    # The form works on its own copy so a failed attempt does not alter the page's header.
    form = AutoridadForm(request.POST or None, request.FILES or None,
                         instance=AutoridadGarante.objects.get(pk=autoridad.pk), identidad=identidad)
    if request.method == "POST" and form.is_valid():
        try:
            autoridad = services.autoridad_actualizar(autoridad=autoridad, usuario=request.user, datos=form.datos(),
                                                      identidad=identidad)
        except ErrorDominio as exc:
            _error_en_formulario(form, exc)
        else:
            messages.success(request, _("Cambios guardados."))
            return redirect("panel:autoridad_editar", slug=autoridad.slug)
    return _render(request, "panel/autoridades/editar.html", autoridad, "datos", form=form, identidad=identidad,
                   status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def firmantes(request, slug):
    autoridad = _autoridad(request, slug)
    actuales = list(autoridad.firmantes.all())
    inicial = [{"id": f.pk, "nombre": f.nombre, "cargo": f.cargo, "orden": f.orden} for f in actuales]
    formset = FirmantesFormSet(request.POST or None, initial=inicial, prefix="firmantes")
    if request.method == "POST" and formset.is_valid():
        try:
            services.firmantes_guardar(autoridad=autoridad, usuario=request.user, filas=formset.filas())
        except ErrorDominio as exc:
            formset._non_form_errors = formset.error_class([exc.mensaje], renderer=formset.renderer)
        else:
            messages.success(request, _("Firmantes guardados."))
            return redirect("panel:autoridad_firmantes", slug=autoridad.slug)
    return _render(request, "panel/autoridades/firmantes.html", autoridad, "firmantes", formset=formset,
                   max_firmantes=services.MAX_FIRMANTES, status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def personal(request, slug):
    """The authority's staff; an administrator adds an existing account here (POST)."""
    autoridad = _autoridad(request, slug)
    form = None
    if request.user.has_perm("core.asignar_personal"):
        form = PersonalNuevoForm(request.POST or None, unidades=autoridad.unidades_lista, prefix="nuevo")
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            nuevo = services.personal_agregar(autoridad=autoridad, usuario=request.user, **form.cleaned_data)
        except ErrorDominio as exc:
            _error_en_formulario(form, exc)
        else:
            messages.success(request, _("%(p)s ahora es parte del personal de %(a)s.")
                             % {"p": nuevo.usuario.email, "a": autoridad.siglas})
            return redirect("panel:autoridad_personal", slug=autoridad.slug)
    miembros = list(autoridad.personal.select_related("usuario").order_by("usuario__email"))
    return _render(request, "panel/autoridades/personal.html", autoridad, "personal", form=form, miembros=miembros,
                   status=400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def personal_editar(request, slug, pk):
    autoridad = _autoridad(request, slug)
    miembro = _personal(request, autoridad, pk, "core.asignar_personal")
    form = PersonalForm(request.POST or None, initial={"cargo": miembro.cargo, "unidad": miembro.unidad},
                        unidades=autoridad.unidades_lista)
    if request.method == "POST" and form.is_valid():
        try:
            services.personal_actualizar(personal=miembro, usuario=request.user, **form.cleaned_data)
        except ErrorDominio as exc:
            _error_en_formulario(form, exc)
        else:
            messages.success(request, _("Se guardaron el cargo y la unidad de %(p)s.") % {"p": miembro.usuario.email})
            return redirect("panel:autoridad_personal", slug=autoridad.slug)
    return _render(request, "panel/autoridades/personal_editar.html", autoridad, "personal", form=form,
                   miembro=miembro, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def personal_retirar(request, slug, pk):
    autoridad = _autoridad(request, slug)
    miembro = _personal(request, autoridad, pk, "core.retirar_personal")
    try:
        services.personal_retirar(personal=miembro, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        return redirect("panel:autoridad_personal", slug=autoridad.slug)
    if miembro.usuario_id == request.user.pk and not request.user.is_superuser:
        messages.success(request, _("Usted ya no es parte del personal de %(a)s.") % {"a": autoridad.siglas})
        return redirect("portal:inicio_sesion_destino")
    messages.success(request, _("%(p)s ya no es parte del personal de %(a)s.")
                     % {"p": miembro.usuario.email, "a": autoridad.siglas})
    return redirect("panel:autoridad_personal", slug=autoridad.slug)


@login_required
@require_safe
def historial(request, slug):
    autoridad = _autoridad(request, slug)
    return _render(request, "panel/autoridades/historial.html", autoridad, "historial",
                   entradas=selectors.historial_de_autoridad(autoridad), limite=selectors.HISTORIAL_LIMITE)
