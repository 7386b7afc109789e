"""Staff panel for jornadas: cycles and sessions, attendance (marking and import), survey results,
CSV exports and the cycle's report. Non-staff get 403; staff of another authority get 404."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from core import listas
from core.acceso import obtener_o_rechazar
from core.errors import ErrorDominio
from core.tabular import BorradorImportacion

from . import graficas, importacion, informe, selectors, services
from .forms import CicloForm, ImportarAsistenciaForm, JornadaForm, ParticipanteForm
from .models import Ciclo, Jornada

SESION_IMPORTACION = "jornadas_importacion"

gestionar = permission_required("jornadas.gestionar_jornadas", raise_exception=True)


def jornada_gestionable(request, slug) -> Jornada:
    """A session of the person's authorities (404 for another authority's); the panel's decorator
    already answered 403 to whoever is not staff. The constancias views use it too."""
    return obtener_o_rechazar(request.user, selectors.jornadas_gestionables(request.user),
                              "jornadas.gestionar_jornada", slug=slug)


def ciclo_gestionable(request, slug) -> Ciclo:
    return obtener_o_rechazar(request.user, selectors.ciclos_de(request.user), "jornadas.gestionar_ciclo", slug=slug)


# --- cycles and sessions ---------------------------------------------------------------------


@login_required
@gestionar
@require_safe
def jornadas(request):
    lista = list(selectors.jornadas_de(request.user))
    ciclos = list(selectors.ciclos_de(request.user).order_by("-anio", "nombre"))
    por_ciclo = {c.pk: [] for c in ciclos}
    sin_ciclo = []
    for j in lista:
        por_ciclo.setdefault(j.ciclo_id, []).append(j) if j.ciclo_id else sin_ciclo.append(j)
    grupos = [(c, por_ciclo.get(c.pk, [])) for c in ciclos]
    return render(request, "panel/jornadas/lista.html", {"grupos": grupos, "sin_ciclo": sin_ciclo})


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def ciclo_form(request, slug=None):
    ciclo = ciclo_gestionable(request, slug) if slug else None
    autoridades = selectors.autoridades_gestionables(request.user)
    form = CicloForm(request.POST or None, instance=ciclo, autoridades=autoridades)
    if request.method == "POST" and form.is_valid():
        try:
            ciclo = services.ciclo_guardar(ciclo=form.instance, usuario=request.user)
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Se guardó el ciclo «%(c)s».") % {"c": ciclo})
            return redirect("panel:jornadas")
    return render(request, "panel/jornadas/ciclo_form.html", {"form": form, "ciclo": ciclo},
                  status=400 if form.errors else 200)


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def jornada_form(request, slug=None):
    jornada = jornada_gestionable(request, slug) if slug else None
    autoridades = selectors.autoridades_gestionables(request.user)
    inicial = {}
    if jornada is None and request.GET.get("ciclo"):
        ciclo = selectors.ciclos_de(request.user).filter(slug=request.GET["ciclo"]).first()
        if ciclo:
            inicial = {"ciclo": ciclo, "autoridad": ciclo.autoridad}
    form = JornadaForm(request.POST or None, instance=jornada, autoridades=autoridades, initial=inicial)
    if request.method == "POST" and form.is_valid():
        try:
            jornada = services.jornada_guardar(jornada=form.instance, usuario=request.user)
        except ErrorDominio as exc:
            form.add_error(exc.campo if exc.campo in form.fields else None, exc.mensaje)
        else:
            messages.success(request, _("Se guardó la jornada «%(j)s».") % {"j": jornada})
            return redirect("panel:jornada_asistencia", slug=jornada.slug)
    return render(request, "panel/jornadas/jornada_form.html", {"form": form, "jornada": jornada},
                  status=400 if form.errors else 200)


def _eliminar(request, obj, servicio, plantilla_nombre, volver):
    if request.method == "POST":
        try:
            servicio(usuario=request.user)
        except ErrorDominio as exc:
            messages.error(request, exc.mensaje)
            return redirect(volver)
        messages.success(request, _("Se eliminó «%(o)s».") % {"o": obj})
        return redirect("panel:jornadas")
    return render(request, "panel/jornadas/eliminar.html", {"objeto": obj, "nombre": plantilla_nombre,
                                                            "volver": volver})


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def jornada_eliminar(request, slug):
    jornada = jornada_gestionable(request, slug)
    return _eliminar(request, jornada, lambda usuario: services.jornada_eliminar(jornada=jornada, usuario=usuario),
                     _("la jornada"), reverse("panel:jornada_editar", args=[jornada.slug]))


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def ciclo_eliminar(request, slug):
    ciclo = ciclo_gestionable(request, slug)
    return _eliminar(request, ciclo, lambda usuario: services.ciclo_eliminar(ciclo=ciclo, usuario=usuario),
                     _("el ciclo"), reverse("panel:jornadas_ciclo_editar", args=[ciclo.slug]))


# --- attendance ------------------------------------------------------------------------------


POR_PAGINA_ASISTENCIA = 100


def _contexto_asistencia(request, jornada, **extra):
    """A page of the list (POR_PAGINA_ASISTENCIA names, narrowed by ?q=); saving the page's
    checkboxes changes only the registrations shown on it (the form sends them as `mostrados`)."""
    q = listas.texto_busqueda(request)
    pagina = listas.pagina(request, selectors.registros_de_jornada(jornada, q), POR_PAGINA_ASISTENCIA)
    return {
        "jornada": jornada,
        "registros": pagina.object_list, "pagina": pagina, "q": q,
        "conteos": selectors.conteos_jornada(jornada),
        "invitaciones": selectors.invitaciones_de(jornada),
        "form_participante": extra.pop("form_participante", None) or ParticipanteForm(autoridad=jornada.autoridad),
        **extra,
    }


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def asistencia(request, slug):
    """The registrations of a session with a checkbox each; works without JavaScript."""
    jornada = jornada_gestionable(request, slug)
    if request.method == "POST":
        mostrados = {int(v) for v in request.POST.getlist("mostrados") if v.isdigit()}
        presentes = {int(v) for v in request.POST.getlist("asistio") if v.isdigit()}
        try:
            n = services.asistencia_marcar(jornada=jornada, presentes=presentes & mostrados, mostrados=mostrados,
                                           usuario=request.user)
        except ErrorDominio as exc:
            messages.error(request, exc.mensaje)
            return render(request, "panel/jornadas/asistencia.html", _contexto_asistencia(request, jornada),
                          status=409)
        messages.success(request, ngettext("Asistencia guardada (%(n)s cambio).", "Asistencia guardada (%(n)s cambios).",
                                           n) % {"n": n})
        return redirect(reverse("panel:jornada_asistencia", args=[jornada.slug]) + _misma_vista(request))
    return render(request, "panel/jornadas/asistencia.html", _contexto_asistencia(request, jornada))


def _misma_vista(request) -> str:
    """Back to the page and search the list was saved from."""
    params = {k: request.POST.get(k) for k in ("q", "pagina") if request.POST.get(k)}
    return f"?{urlencode(params)}" if params else ""


def _filas_asistencia(jornada, q=""):
    yield [_("Nombre"), _("Correo"), _("Sujeto obligado"), _("Cargo"), _("Registro"), _("Asistió"),
           _("Encuesta respondida")]
    for r in selectors.registros_de_jornada(jornada, q).iterator(chunk_size=500):
        yield [r.participante.nombre, r.participante.correo, r.participante.sujeto.nombre if r.participante.sujeto
               else "", r.participante.cargo, r.get_canal_display(), _("Sí") if r.asistio else _("No"),
               _("Sí") if r.encuesta_respondida_en else _("No")]


@login_required
@gestionar
@require_safe
def asistencia_exportar(request, slug, formato):
    """The whole list (or what ?q= narrows it to) as CSV for Excel (BOM) or as XLSX."""
    jornada = jornada_gestionable(request, slug)
    q = listas.texto_busqueda(request)
    return listas.descarga(_filas_asistencia(jornada, q), f"asistencia-{jornada.slug}", formato, _("Asistencia"))


@login_required
@gestionar
@require_POST
def asistencia_marcar(request, slug, pk):
    """One checkbox (htmx): save it and answer with the updated counts."""
    jornada = jornada_gestionable(request, slug)
    registro = obtener_o_rechazar(request.user, jornada.registros.all(), pk=pk)
    asistio = str(registro.pk) in request.POST.getlist("asistio")
    error = None
    try:
        services.asistencia_marcar(jornada=jornada, presentes={registro.pk} if asistio else set(),
                                   mostrados={registro.pk}, usuario=request.user)
    except ErrorDominio as exc:
        error = exc.mensaje
    if request.htmx:
        # 200 even when refused: htmx swaps only successful answers, and the refusal is read there.
        return render(request, "panel/jornadas/_conteos.html",
                      {"jornada": jornada, "conteos": selectors.conteos_jornada(jornada), "error": error})
    if error:
        messages.error(request, error)
    return redirect("panel:jornada_asistencia", slug=jornada.slug)


@login_required
@gestionar
@require_safe
def conteos(request, slug):
    """Live counts of a session (polled by htmx)."""
    jornada = jornada_gestionable(request, slug)
    return render(request, "panel/jornadas/_conteos.html",
                  {"jornada": jornada, "conteos": selectors.conteos_jornada(jornada)})


@login_required
@gestionar
@require_POST
def participante_agregar(request, slug):
    jornada = jornada_gestionable(request, slug)
    form = ParticipanteForm(request.POST, autoridad=jornada.autoridad)
    if form.is_valid():
        try:
            services.participante_agregar(jornada=jornada, usuario=request.user, **form.cleaned_data)
        except ErrorDominio as exc:
            form.add_error(None, exc.mensaje)
        else:
            messages.success(request, _("Se registró la asistencia de %(n)s.") % {"n": form.cleaned_data["nombre"]})
            return redirect("panel:jornada_asistencia", slug=jornada.slug)
    return render(request, "panel/jornadas/asistencia.html",
                  _contexto_asistencia(request, jornada, form_participante=form), status=400)


def _invitar(request, slug, *, reenviar):
    jornada = jornada_gestionable(request, slug)
    try:
        n = services.encuesta_invitar(jornada=jornada, usuario=request.user, reenviar=reenviar)
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
    else:
        if n:
            messages.success(request, (
                ngettext("Se reenviará el enlace de la encuesta a %(n)s asistente que aún no la responde.",
                         "Se reenviará el enlace de la encuesta a %(n)s asistentes que aún no la responden.", n)
                if reenviar else
                ngettext("Se enviará el enlace de la encuesta a %(n)s asistente que aún no la responde.",
                         "Se enviará el enlace de la encuesta a %(n)s asistentes que aún no la responden.", n))
                % {"n": n})
        elif reenviar:
            messages.info(request, _("Todas las personas que asistieron ya respondieron; no se envió ningún correo."))
        else:
            messages.info(request, _("No se envió ningún correo: la invitación ya se envió a todas las personas que "
                                     "asistieron y no han respondido. Para enviarla otra vez use «Reenviar la "
                                     "invitación»."))
    return redirect("panel:jornada_asistencia", slug=jornada.slug)


@login_required
@gestionar
@require_POST
def encuesta_invitar(request, slug):
    """The invitation, once per person: a second click sends nothing new and says so."""
    return _invitar(request, slug, reenviar=False)


@login_required
@gestionar
@require_POST
def encuesta_reenviar(request, slug):
    """The explicit resend to every attendee who has not answered, recorded and counted."""
    return _invitar(request, slug, reenviar=True)


@login_required
@gestionar
@require_http_methods(["GET", "HEAD", "POST"])
def importar(request, slug):
    """Step 1: upload and preview. The table stays in the session, never on disk."""
    jornada = jornada_gestionable(request, slug)
    form = ImportarAsistenciaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        archivo = form.cleaned_data["archivo"]
        try:
            tabla = importacion.leer_archivo(archivo.name, archivo.read()).como_dict()
        except ErrorDominio as exc:
            form.add_error("archivo", exc.mensaje)
        else:
            if form.cleaned_data.get("minimo_minutos"):
                tabla["minimo_minutos"] = form.cleaned_data["minimo_minutos"]
            vista = importacion.analizar(tabla, jornada=jornada)
            huella = BorradorImportacion(request.session, SESION_IMPORTACION).guardar(
                nombre=archivo.name, contenido=repr(tabla["filas"]), jornada=jornada.pk, tabla=tabla)
            return render(request, "panel/jornadas/importar_vista_previa.html",
                          {"jornada": jornada, "vista": vista, "huella": huella, "nombre": archivo.name})
    return render(request, "panel/jornadas/importar.html", {"jornada": jornada, "form": form},
                  status=400 if form.errors else 200)


@login_required
@gestionar
@require_POST
def importar_confirmar(request, slug):
    """Step 2: write the previewed table, all or nothing."""
    jornada = jornada_gestionable(request, slug)
    borrador = BorradorImportacion(request.session, SESION_IMPORTACION)
    guardado = borrador.leer(request.POST.get("huella"), jornada=jornada.pk)
    if guardado is None:
        messages.error(request, _("La vista previa ya no está disponible; vuelva a subir el archivo."))
        return redirect("panel:jornada_importar", slug=jornada.slug)
    try:
        vista = importacion.asistencia_importar(jornada=jornada, tabla=guardado["tabla"], usuario=request.user,
                                                omitir_errores=request.POST.get("omitir_errores") == "1")
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        vista = importacion.analizar(guardado["tabla"], jornada=jornada)
        return render(request, "panel/jornadas/importar_vista_previa.html",
                      {"jornada": jornada, "vista": vista, "huella": guardado["huella"],
                       "nombre": guardado.get("nombre", "")}, status=400)
    borrador.descartar()
    partes = [
        ngettext("%(n)s persona nueva", "%(n)s personas nuevas", len(vista.nuevos)) % {"n": len(vista.nuevos)},
        ngettext("%(n)s registro nuevo de una persona conocida", "%(n)s registros nuevos de personas conocidas",
                 len(vista.inscribir)) % {"n": len(vista.inscribir)},
        ngettext("%(n)s registro marcado como asistente", "%(n)s registros marcados como asistentes",
                 len(vista.a_marcar)) % {"n": len(vista.a_marcar)},
    ]
    messages.success(request, _("Importación terminada: %(a)s, %(b)s y %(c)s.") % dict(zip("abc", partes, strict=True)))
    return redirect("panel:jornada_asistencia", slug=jornada.slug)


# --- survey results --------------------------------------------------------------------------


def _alcance(request, *, ciclo=None, jornada=None):
    """(survey, sessions filter or None, chosen session, sessions to choose from)."""
    if jornada is not None:
        return services.encuesta_para_jornada(jornada), [jornada], jornada, []
    opciones = list(ciclo.jornadas.order_by("inicio", "pk"))
    elegida = next((j for j in opciones if j.slug == request.GET.get("jornada")), None)
    encuesta = selectors.encuesta_de_ciclo(ciclo)
    return encuesta, ([elegida] if elegida else None), elegida, opciones


def _resultados(request, *, ciclo=None, jornada=None):
    encuesta, filtro, elegida, opciones = _alcance(request, ciclo=ciclo, jornada=jornada)
    resultados = selectors.resultados_encuesta(encuesta, jornadas=filtro)
    for p in resultados.preguntas:
        if not p.es_texto:
            p.grafica = graficas.barras(p.filas, titulo=p.pregunta.texto)
    return render(request, "panel/jornadas/resultados.html", {
        "ciclo": ciclo, "jornada": jornada, "elegida": elegida, "opciones": opciones,
        "resultados": resultados,
    })


@login_required
@gestionar
@require_safe
def resultados_ciclo(request, slug):
    return _resultados(request, ciclo=ciclo_gestionable(request, slug))


@login_required
@gestionar
@require_safe
def resultados_jornada(request, slug):
    return _resultados(request, jornada=jornada_gestionable(request, slug))


def _filas_agregadas(resultados):
    yield [_("Pregunta"), _("Tipo"), _("Respuesta"), _("Conteo"), _("Porcentaje"), _("Respondieron")]
    if resultados.aviso_reserva:
        yield [resultados.aviso_reserva]
    for p in resultados.preguntas:
        if p.es_texto:
            yield [p.pregunta.texto, p.pregunta.get_tipo_display(), _("(comentarios)"), len(p.comentarios), "",
                   p.respondieron]
            continue
        for f in p.filas:
            yield [p.pregunta.texto, p.pregunta.get_tipo_display(), f["etiqueta"], f["conteo"], f["porcentaje"],
                   p.respondieron]
        if p.promedio is not None:
            yield [p.pregunta.texto, p.pregunta.get_tipo_display(), _("Promedio"), "", p.promedio, p.respondieron]


def _nombre_csv(base, ciclo, jornada, elegida):
    sufijo = (elegida or jornada or ciclo).slug
    return f"{base}-{slugify(sufijo)}.csv"


@login_required
@gestionar
@require_safe
def resultados_csv(request, slug, por="ciclo"):
    ciclo = ciclo_gestionable(request, slug) if por == "ciclo" else None
    jornada = jornada_gestionable(request, slug) if por == "jornada" else None
    encuesta, filtro, elegida, _opciones = _alcance(request, ciclo=ciclo, jornada=jornada)
    resultados = selectors.resultados_encuesta(encuesta, jornadas=filtro)
    return listas.respuesta_csv(_filas_agregadas(resultados), _nombre_csv("resultados-encuesta", ciclo, jornada, elegida))


@login_required
@gestionar
@require_safe
def respuestas_csv(request, slug, por="ciclo"):
    """Every submission, one row each, without any person data."""
    ciclo = ciclo_gestionable(request, slug) if por == "ciclo" else None
    jornada = jornada_gestionable(request, slug) if por == "jornada" else None
    encuesta, filtro, elegida, _opciones = _alcance(request, ciclo=ciclo, jornada=jornada)
    if encuesta is None:
        raise Http404
    return listas.respuesta_csv(selectors.respuestas_anonimas(encuesta, jornadas=filtro),
                _nombre_csv("respuestas-anonimas", ciclo, jornada, elegida))


# --- report ----------------------------------------------------------------------------------


@login_required
@gestionar
@require_safe
def informe_ciclo(request, slug):
    ciclo = ciclo_gestionable(request, slug)
    datos = informe.contexto(ciclo)
    estado = informe.estado(ciclo.pk, datos["huella"])
    return render(request, "panel/jornadas/informe.html", {**datos, "pdf": estado})


def _filas_por_sujeto(conteos):
    yield [_("Sujeto obligado"), _("Orden de gobierno"), _("Registrados"), _("Asistentes"), _("Encuestas"),
           _("Porcentaje de los asistentes")]
    for s in conteos.por_sujeto:
        yield [s["sujeto"], s["orden"], s["registrados"], s["asistentes"], s["encuestas"], s["porcentaje"]]


@login_required
@gestionar
@require_safe
def informe_sujetos_exportar(request, slug, formato):
    """The report's table by body, every body of the cycle (those who registered and did not attend
    too), for staff who go on in a spreadsheet."""
    ciclo = ciclo_gestionable(request, slug)
    conteos = selectors.conteos_ciclo(ciclo)
    return listas.descarga(_filas_por_sujeto(conteos), f"participacion-por-sujeto-{ciclo.slug}", formato,
                           _("Participación por sujeto"))


@login_required
@gestionar
@require_POST
def informe_solicitar(request, slug):
    ciclo = ciclo_gestionable(request, slug)
    estado = services.informe_pdf_solicitar(ciclo=ciclo)
    if request.htmx:
        return render(request, "panel/jornadas/_informe_estado.html", {"ciclo": ciclo, "pdf": estado,
                                                                       "huella": estado["huella"]})
    if estado["estado"] == informe.PENDIENTE:
        messages.info(request, _("El PDF del informe se está generando; esta página avisará cuando esté listo."))
    return redirect("panel:jornadas_informe", slug=ciclo.slug)


HUELLA = re.compile(r"^[0-9a-f]{32}$")


@login_required
@gestionar
@require_safe
def informe_estado(request, slug, huella):
    ciclo = ciclo_gestionable(request, slug)
    if not HUELLA.match(huella):
        raise Http404
    return render(request, "panel/jornadas/_informe_estado.html",
                  {"ciclo": ciclo, "pdf": informe.estado(ciclo.pk, huella), "huella": huella})


@login_required
@gestionar
@require_safe
def informe_pdf(request, slug, huella):
    ciclo = ciclo_gestionable(request, slug)
    if not HUELLA.match(huella):
        raise Http404
    nombre = informe.ruta(ciclo.pk, huella, "pdf")
    storage = informe.almacen()
    if not storage.exists(nombre):
        raise Http404
    return listas.privado(FileResponse(storage.open(nombre, "rb"), as_attachment=True,
                                 filename=f"informe-{ciclo.slug}.pdf", content_type="application/pdf"))

