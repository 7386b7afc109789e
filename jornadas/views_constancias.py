"""Staff views for constancias (panel namespace): the template with its preview, issuing for a
session or a cycle, a batch's progress (htmx polling), its ZIP and merged PDF, retrying failed
documents, and revocation. Anonymous people go to the login page, people who are not staff get 403,
staff of another authority 404 (as in the sessions panel). Attendees download their constancia
through core's verifiable-document download (the link in their e-mail)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core import listas
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from core.files import servir_archivo
from core.models import AutoridadGarante, DocumentoVerificable
from core.rules import autoridades_de

from . import constancias, selectors
from .forms_constancias import FirmantesFormSet, PlantillaConstanciaForm, RevocarForm, firmantes_de
from .models import Constancia, Jornada, LoteConstancias, PlantillaConstancia
from .views_sesiones import ciclo_gestionable, gestionar, jornada_gestionable


def _autoridad(request, slug) -> AutoridadGarante:
    return obtener_o_rechazar(request.user, autoridades_de(request.user), slug=slug)


def _lote(request, pk) -> LoteConstancias:
    lotes = selectors.de_sus_autoridades(
        request.user, LoteConstancias.objects.select_related("autoridad", "jornada", "ciclo"))
    return obtener_o_rechazar(request.user, lotes, pk=pk)


def _lotes(**filtro):
    return LoteConstancias.objects.filter(**filtro).select_related("creado_por").order_by("-creado_en", "-pk")[:10]


# --- overview and template -------------------------------------------------------------------


@login_required
@gestionar
@require_safe
def inicio(request):
    """Sessions and cycles of the person's authorities, with how many constancias each has."""
    jornadas = (
        selectors.jornadas_de(request.user).annotate(
            num_elegibles=Count("registros", filter=Q(registros__asistio=True) & (
                Q(constancia_requiere_encuesta=False) | Q(registros__encuesta_respondida_en__isnull=False)),
                distinct=True),
            num_constancias=Count("registros__constancia", distinct=True),
        )
    )
    ciclos = list(selectors.ciclos_de(request.user).order_by("-anio", "nombre"))
    por_ciclo = {c.pk: [] for c in ciclos}
    sin_ciclo = []
    for j in jornadas:
        (por_ciclo.setdefault(j.ciclo_id, []) if j.ciclo_id else sin_ciclo).append(j)
    contexto = {
        "grupos": [(c, por_ciclo.get(c.pk, [])) for c in ciclos],
        "sin_ciclo": sin_ciclo,
        "autoridades": list(selectors.autoridades_gestionables(request.user)),
    }
    return render(request, "panel/jornadas/constancias_inicio.html", contexto)


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def plantilla(request, slug):
    autoridad = _autoridad(request, slug)
    actual = constancias.plantilla_de(autoridad)
    form = PlantillaConstanciaForm(request.POST or None, instance=actual)
    firmantes = FirmantesFormSet(request.POST or None, prefix="firmantes",
                                 initial=None if request.method == "POST" else list(actual.firmantes or []))
    if request.method == "POST" and form.is_valid() and firmantes.is_valid():
        try:
            constancias.plantilla_guardar(
                autoridad=autoridad, titulo=form.cleaned_data["titulo"], cuerpo=form.cleaned_data["cuerpo"],
                pie=form.cleaned_data["pie"], firmantes=firmantes_de(firmantes), usuario=request.user,
            )
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Se guardó la plantilla de constancia de %(a)s.") % {"a": autoridad.siglas})
            return redirect("panel:constancias_plantilla", slug=autoridad.slug)
    contexto = {"autoridad": autoridad, "form": form, "firmantes": firmantes, "campos": constancias.CAMPOS}
    return render(request, "panel/jornadas/constancias_plantilla.html", contexto,
                  status=400 if request.method == "POST" else 200)


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def vista_previa(request, slug):
    """The certificate on sample data, as an inline PDF: the saved template (GET) or the form's
    unsaved contents (POST), so staff see a change before saving it."""
    autoridad = _autoridad(request, slug)
    muestra = constancias.plantilla_de(autoridad)
    if request.method == "POST":
        form = PlantillaConstanciaForm(request.POST, instance=PlantillaConstancia(autoridad=autoridad))
        firmantes = FirmantesFormSet(request.POST, prefix="firmantes")
        if not (form.is_valid() and firmantes.is_valid()):
            errores = [str(e) for errs in form.errors.values() for e in errs] or [_("Revise los firmantes.")]
            return HttpResponse(" ".join(errores), status=400, content_type="text/plain; charset=utf-8")
        muestra = form.save(commit=False)
        muestra.firmantes = firmantes_de(firmantes)
    try:
        contenido = constancias.vista_previa_pdf(autoridad=autoridad, plantilla=muestra)
    except ErrorDominio as exc:
        return HttpResponse(exc.mensaje, status=400, content_type="text/plain; charset=utf-8")
    respuesta = HttpResponse(contenido, content_type="application/pdf")
    respuesta["Content-Disposition"] = 'inline; filename="constancia-muestra.pdf"'
    respuesta["Cache-Control"] = "private, no-store"
    respuesta["X-Content-Type-Options"] = "nosniff"
    return respuesta


# --- a session, a cycle ----------------------------------------------------------------------


@login_required
@gestionar
@require_safe
def jornada(request, slug):
    """The session's constancias by folio, 100 a page, narrowed by ?q= (folio, name, e-mail, body)."""
    jornada = jornada_gestionable(request, slug)
    q = listas.texto_busqueda(request)
    contexto = {
        "jornada": jornada,
        "resumen": selectors.resumen_constancias(jornada=jornada),
        "lotes": _lotes(jornada=jornada),
        "pagina": listas.pagina(request, _constancias_de(jornada, q), POR_PAGINA),
        "q": q,
        "Estado": DocumentoVerificable.EstadoPDF,
    }
    return render(request, "panel/jornadas/constancias_jornada.html", contexto)


POR_PAGINA = 100


def _constancias_de(jornada, q=""):
    consulta = (selectors.constancias_de(jornada=jornada)
                .select_related("documento", "registro__participante__sujeto")
                .order_by("documento__folio"))
    for palabra in q.split():
        consulta = consulta.filter(
            Q(documento__folio__icontains=palabra) | Q(registro__participante__nombre__icontains=palabra)
            | Q(registro__participante__correo__icontains=palabra)
            | Q(registro__participante__sujeto__nombre__icontains=palabra)
            | Q(registro__participante__sujeto__siglas__icontains=palabra))
    return consulta


def _filas_constancias(consulta):
    yield [_("Folio"), _("Nombre"), _("Correo"), _("Sujeto obligado"), _("PDF"), _("Aviso enviado"),
           _("Revocada"), _("Motivo de la revocación"), _("Código de verificación")]
    for c in consulta.iterator(chunk_size=500):
        d, p = c.documento, c.registro.participante
        yield [d.folio, p.nombre, p.correo, p.sujeto.nombre if p.sujeto else "", d.get_estado_pdf_display(),
               listas.fecha_hora(c.avisada_en), listas.fecha_hora(d.revocado_en), d.motivo_revocacion, d.codigo]


@login_required
@gestionar
@require_safe
def jornada_exportar(request, slug, formato):
    """The list as the search shows it, every page, as CSV for Excel or XLSX."""
    jornada = jornada_gestionable(request, slug)
    consulta = _constancias_de(jornada, listas.texto_busqueda(request))
    return listas.descarga(_filas_constancias(consulta), f"constancias-{jornada.slug}", formato, _("Constancias"))


@login_required
@gestionar
@require_safe
def ciclo(request, slug):
    ciclo = ciclo_gestionable(request, slug)
    jornadas = (Jornada.objects.filter(ciclo=ciclo).order_by("inicio", "pk").annotate(
        num_asistentes=Count("registros", filter=Q(registros__asistio=True), distinct=True),
        num_constancias=Count("registros__constancia", distinct=True),
    ))
    contexto = {
        "ciclo": ciclo,
        "jornadas": jornadas,
        "resumen": selectors.resumen_constancias(ciclo=ciclo),
        "lotes": _lotes(ciclo=ciclo),
    }
    return render(request, "panel/jornadas/constancias_ciclo.html", contexto)


def _emitir(request, **alcance):
    try:
        lote = constancias.constancias_emitir(usuario=request.user, **alcance)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        return None
    if lote.nuevas:
        messages.success(request, ngettext("Se emite %(n)d constancia nueva; el avance se muestra abajo.",
                                           "Se emiten %(n)d constancias nuevas; el avance se muestra abajo.",
                                           lote.nuevas) % {"n": lote.nuevas})
    else:
        messages.info(request, _("No había constancias nuevas que emitir; nada se duplicó."))
    return lote


@login_required
@gestionar
@require_POST
def jornada_emitir(request, slug):
    jornada = jornada_gestionable(request, slug)
    lote = _emitir(request, jornada=jornada)
    if lote is None:
        return redirect("panel:constancias_jornada", slug=jornada.slug)
    return redirect("panel:constancias_lote", pk=lote.pk)


@login_required
@gestionar
@require_POST
def ciclo_emitir(request, slug):
    ciclo = ciclo_gestionable(request, slug)
    lote = _emitir(request, ciclo=ciclo)
    if lote is None:
        return redirect("panel:constancias_ciclo", slug=ciclo.slug)
    return redirect("panel:constancias_lote", pk=lote.pk)


# --- a batch ---------------------------------------------------------------------------------


def _contexto_lote(lote):
    fallidas = []
    if lote.estado != LoteConstancias.Estado.EN_PROCESO:
        fallidas = list(Constancia.objects.filter(lote=lote, documento__estado_pdf=DocumentoVerificable.EstadoPDF.FALLIDA)
                        .select_related("documento", "registro__participante").order_by("documento__folio")[:50])
    return {"lote": lote, "progreso": selectors.lote_progreso(lote), "fallidas": fallidas,
            "en_proceso": lote.estado == LoteConstancias.Estado.EN_PROCESO}


@login_required
@gestionar
@require_safe
def lote(request, pk):
    lote = _lote(request, pk)
    return render(request, "panel/jornadas/constancias_lote.html", _contexto_lote(lote))


@login_required
@gestionar
@require_safe
def lote_progreso(request, pk):
    """The progress block alone, polled by htmx every second until the batch closes."""
    lote = _lote(request, pk)
    return render(request, "panel/jornadas/constancias_progreso.html", _contexto_lote(lote))


def _nombre_archivo(lote, extension):
    return f"constancias-{slugify(str(lote.jornada or lote.ciclo))[:60]}.{extension}"


@login_required
@gestionar
@require_safe
def lote_zip(request, pk):
    lote = _lote(request, pk)
    return servir_archivo(lote.zip, nombre_descarga=_nombre_archivo(lote, "zip"), mime="application/zip")


@login_required
@gestionar
@require_safe
def lote_pdf(request, pk):
    lote = _lote(request, pk)
    return servir_archivo(lote.pdf_unido, nombre_descarga=_nombre_archivo(lote, "pdf"), mime="application/pdf")


def _sobre_el_lote(request, pk, accion, exito):
    """Run a batch service for this person (403/404 by _lote), report its refusal or its success."""
    lote = _lote(request, pk)
    try:
        resultado = accion(lote=lote, usuario=request.user)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        messages.success(request, exito(resultado))
    return redirect("panel:constancias_lote", pk=lote.pk)


@login_required
@gestionar
@require_POST
def lote_reintentar(request, pk):
    return _sobre_el_lote(request, pk, constancias.lote_reintentar,
                          lambda n: _("Se volvieron a solicitar %(n)d constancias.") % {"n": n})


@login_required
@gestionar
@require_POST
def lote_reanudar(request, pk):
    return _sobre_el_lote(request, pk, constancias.lote_reanudar,
                          lambda _partes: _("Se reanudó la generación de las constancias pendientes."))


# --- one constancia --------------------------------------------------------------------------


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def revocar(request, pk):
    constancias_ = selectors.de_sus_autoridades(request.user, Constancia.objects.select_related(
        "documento", "registro__participante", "registro__jornada__autoridad"), "registro__jornada__autoridad")
    constancia = obtener_o_rechazar(request.user, constancias_, "jornadas.gestionar_jornada",
                                    sobre=lambda c: c.registro.jornada, pk=pk)
    jornada = constancia.registro.jornada
    form = RevocarForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            constancias.constancia_revocar(constancia=constancia, motivo=form.cleaned_data["motivo"],
                                           usuario=request.user)
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Se revocó la constancia %(f)s.") % {"f": constancia.documento.folio})
            return redirect("panel:constancias_jornada", slug=jornada.slug)
    return render(request, "panel/jornadas/constancias_revocar.html",
                  {"constancia": constancia, "jornada": jornada, "form": form},
                  status=400 if form.errors else 200)
