"""A body's own cartas compromiso (its enlaces; the authority's staff reach the same pages from the
panel to capture a letter received on paper or correct the follow-up): list, create and edit with
its committed practices, the signed letter, presenting it, and the follow-up once accepted."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from core.files import servir_archivo
from practicas.models import SujetoObligado
from practicas.rules import sujetos_de
from practicas.selectors import practicas_relacionadas, sujetos_de_su_jurisdiccion

from . import selectors, selectors_gestion, services
from .forms_gestion import CartaForm, FirmadaForm, PracticasFormSet, SeguimientoForm, VincularForm
from .models import CartaCompromiso, PracticaComprometida

PREFIJO = "practicas"


def regla(user, permiso, carta) -> None:
    """The rule itself, past Django's superuser bypass: a superuser is staff of every authority
    there, and a presented letter is edited by no one (403)."""
    if not rules.has_perm(permiso, user, carta):
        raise PermissionDenied


def _carta(request, pk, permiso="compromisos.ver_carta", detalle=False) -> CartaCompromiso:
    cartas = selectors.cartas_relacionadas(request.user)
    if detalle:
        cartas = selectors_gestion.carta_detalle(cartas)
    carta = obtener_o_rechazar(request.user, cartas, permiso, pk=pk)
    regla(request.user, permiso, carta)
    return carta


def es_personal_de(user, carta) -> bool:
    return rules.has_perm("compromisos.revisar_carta", user, carta) or (
        carta.sujeto_id not in sujetos_de(user) and user.has_perm("core.acceder_panel"))


def destino(request, carta) -> str:
    """Back to the letter: its review page for the authority's staff, its own page for the body."""
    if es_personal_de(request.user, carta):
        return reverse("panel:carta", args=[carta.pk])
    return carta.get_absolute_url()


@login_required
@require_safe
def mis_cartas(request):
    return render(request, "compromisos/gestion/mis_cartas.html", {
        "cartas": list(selectors_gestion.cartas_del_enlace(request.user)),
        "es_enlace": bool(sujetos_de(request.user)),
    })


# --- create and edit -------------------------------------------------------------------------------

def _formset(request, inicial=None):
    """The practices' rows; «Agregar otra práctica» sends the form back with one more empty row."""
    if request.method != "POST":
        return PracticasFormSet(initial=inicial, prefix=PREFIJO)
    datos = request.POST
    if request.POST.get("accion") == "agregar":
        datos = request.POST.copy()
        total = int(datos.get(f"{PREFIJO}-TOTAL_FORMS") or 0)
        datos[f"{PREFIJO}-TOTAL_FORMS"] = str(min(total + 1, PracticasFormSet.max_num))
    return PracticasFormSet(datos, initial=inicial, prefix=PREFIJO)


def _error_en(form, formset, exc: ErrorDominio) -> None:
    """A service's refusal next to the field it names, else above the practices."""
    if exc.campo and exc.campo in form.fields:
        form.add_error(exc.campo, exc.mensaje)
    else:
        formset._non_form_errors = formset.error_class([exc.mensaje], renderer=formset.renderer)


def formulario_carta(request, *, sujetos, carta=None, plantilla="compromisos/gestion/carta_form.html",
                     extra=None):
    """Create (carta None) or edit a letter with its practices and, optionally, its signed scan, in
    one transaction: a refused file or row leaves nothing written and everything typed on screen."""
    inicial = None
    if carta is not None:
        inicial = [{"pk": p.pk, "titulo": p.titulo, "necesidad": p.necesidad, "area_responsable": p.area_responsable,
                    "fecha_meta": p.fecha_meta} for p in carta.practicas.all()]
    datos_carta = None if carta is None else {"firmante_nombre": carta.firmante_nombre,
                                              "firmante_cargo": carta.firmante_cargo, "fecha": carta.fecha}
    post = request.method == "POST"
    form = CartaForm(request.POST if post else None, request.FILES if post else None, initial=datos_carta,
                     sujetos=sujetos, con_sujeto=carta is None, con_firmada=bool(carta and carta.carta_firmada))
    formset = _formset(request, inicial)
    status = 200
    if post and request.POST.get("accion") != "agregar":
        if form.is_valid() and formset.is_valid():
            datos = form.cleaned_data
            creada = carta is None
            try:
                with transaction.atomic():
                    if creada:
                        carta = services.carta_crear(
                            sujeto=datos["sujeto"], usuario=request.user, firmante_nombre=datos["firmante_nombre"],
                            firmante_cargo=datos["firmante_cargo"], fecha=datos["fecha"], practicas=formset.filas())
                    else:
                        services.carta_actualizar(carta=carta, usuario=request.user, datos=datos,
                                                  practicas=formset.filas())
                    if datos.get("carta_firmada"):
                        try:
                            services.carta_adjuntar_firmada(carta=carta, usuario=request.user,
                                                            archivo=datos["carta_firmada"])
                        except ErrorDominio as exc:
                            raise ErrorDominio(exc.mensaje, campo="carta_firmada") from exc
            except ErrorDominio as exc:
                if creada:
                    carta = None  # rolled back: there is no letter yet
                _error_en(form, formset, exc)
                status = 400
            else:
                messages.success(request, _("Carta compromiso guardada como borrador.") if creada
                                 else _("Carta compromiso guardada."))
                return redirect(destino(request, carta))
        else:
            status = 400
    contexto = {"form": form, "formset": formset, "carta": carta, "errores": status == 400, **(extra or {})}
    return render(request, plantilla, contexto, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def carta_nueva(request):
    if not request.user.has_perm("compromisos.registrar_carta"):
        raise PermissionDenied
    sujetos = SujetoObligado.objects.filter(pk__in=sujetos_de(request.user)).order_by("nombre")
    if not sujetos.exists():
        raise PermissionDenied  # staff capture a paper letter from the panel (panel:carta_nueva)
    return formulario_carta(request, sujetos=sujetos)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def carta_editar(request, pk):
    carta = _carta(request, pk, "compromisos.editar_carta", detalle=True)
    return formulario_carta(request, sujetos=None, carta=carta)


def sujetos_capturables(user):
    """Bodies whose paper letter staff may capture: those of their authorities' entities."""
    return sujetos_de_su_jurisdiccion(user, SujetoObligado.objects.filter(activo=True)).order_by("nombre")


# --- the letter's page ----------------------------------------------------------------------------

def contexto_carta(request, carta, **extra) -> dict:
    compromisos = list(carta.practicas.all())
    return {
        "carta": carta, "compromisos": compromisos, "historial": selectors_gestion.historial(carta),
        "puede_editar": rules.has_perm("compromisos.editar_carta", request.user, carta),
        "puede_presentar": rules.has_perm("compromisos.presentar_carta", request.user, carta),
        "puede_seguir": rules.has_perm("compromisos.dar_seguimiento", request.user, carta),
        "puede_revisar": rules.has_perm("compromisos.revisar_carta", request.user, carta),
        "es_personal": es_personal_de(request.user, carta),
        "firmada_form": extra.pop("firmada_form", None) or FirmadaForm(),
        **extra,
    }


@login_required
@require_safe
def carta(request, pk):
    carta = _carta(request, pk, detalle=True)
    return render(request, "compromisos/gestion/carta.html", contexto_carta(request, carta))


@login_required
@require_POST
def carta_firmada_subir(request, pk):
    carta = _carta(request, pk, "compromisos.editar_carta", detalle=True)
    form = FirmadaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.carta_adjuntar_firmada(carta=carta, usuario=request.user, archivo=form.cleaned_data["carta_firmada"])
        except ErrorDominio as exc:
            form.add_error("carta_firmada", exc.mensaje)
        else:
            messages.success(request, _("Se adjuntó la carta firmada."))
            return redirect(destino(request, carta))
    return render(request, "compromisos/gestion/carta.html", contexto_carta(request, carta, firmada_form=form),
                  status=400)


@login_required
@require_safe
def carta_firmada(request, pk):
    carta = _carta(request, pk)
    extension = carta.carta_firmada.name.rsplit(".", 1)[-1] if carta.carta_firmada else "pdf"
    return servir_archivo(carta.carta_firmada, nombre_descarga=f"carta-compromiso-{carta.pk}.{extension}")


@login_required
@require_POST
def carta_presentar(request, pk):
    carta = _carta(request, pk, "compromisos.presentar_carta")
    try:
        services.carta_presentar(carta=carta, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("Carta compromiso presentada. La autoridad garante la revisará."))
    return redirect(destino(request, carta))


# --- follow-up ---------------------------------------------------------------------------------

def _compromiso(request, pk) -> PracticaComprometida:
    compromisos = PracticaComprometida.objects.select_related("carta__sujeto", "carta__autoridad", "practica").filter(
        carta__in=selectors.cartas_relacionadas(request.user))
    compromiso = obtener_o_rechazar(request.user, compromisos, "compromisos.dar_seguimiento", sobre=lambda c: c.carta,
                                    pk=pk)
    regla(request.user, "compromisos.dar_seguimiento", compromiso.carta)
    return compromiso


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def seguimiento(request, pk):
    compromiso = _compromiso(request, pk)
    postulables = services.practicas_postulables(compromiso)
    inicial = {"estado": compromiso.estado if compromiso.estado in PracticaComprometida.ESTADOS_MANUALES else None,
               "url_publicacion": compromiso.url_publicacion, "practica": compromiso.practica_id}
    form = SeguimientoForm(request.POST or None, initial=inicial, postulables=postulables)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            datos = form.cleaned_data
            try:
                services.compromiso_actualizar(compromiso=compromiso, usuario=request.user, estado=datos["estado"],
                                               url_publicacion=datos["url_publicacion"], practica=datos["practica"])
            except ErrorDominio as exc:
                form.add_error(exc.campo if exc.campo in form.fields else "estado", exc.mensaje)
            else:
                messages.success(request, _("Se registró el avance de «%(t)s».") % {"t": compromiso.titulo})
                return redirect(destino(request, compromiso.carta))
        status = 400
    return render(request, "compromisos/gestion/seguimiento.html", {
        "compromiso": compromiso, "carta": compromiso.carta, "form": form, "hay_postulables": postulables.exists(),
        "es_personal": es_personal_de(request.user, compromiso.carta),
    }, status=status)


@login_required
@require_POST
def vincular(request, pk):
    """From a submitted practice's page: this practice fulfils one of the body's commitments."""
    practica = obtener_o_rechazar(request.user, practicas_relacionadas(request.user).select_related(
        "convocatoria__autoridad"), "practicas.ver_practica", pk=pk)
    compromisos = selectors_gestion.compromisos_vinculables(request.user, practica).filter(
        carta__in=selectors.cartas_relacionadas(request.user))
    form = VincularForm(request.POST, compromisos=compromisos)
    if not form.is_valid():
        messages.error(request, _("Elija la práctica comprometida que esta práctica cumple."))
        return redirect(practica)
    compromiso = form.cleaned_data["compromiso"]
    regla(request.user, "compromisos.dar_seguimiento", compromiso.carta)
    try:
        services.compromiso_actualizar(compromiso=compromiso, usuario=request.user,
                                       estado=PracticaComprometida.Estado.POSTULADA, practica=practica)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, _("La práctica quedó vinculada al compromiso «%(t)s».") % {"t": compromiso.titulo})
    return redirect(practica)
