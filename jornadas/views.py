"""Public pages: the sessions, registration (no account needed) and the survey by personal link."""


from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from core.acceso import obtener_o_rechazar
from core.cara import mostrar_autoridad
from core.errors import ErrorDominio
from core.limites import limite_excedido
from core.templatetags.reconoce import fecha_hora

from . import selectors, services
from .forms import EncuestaForm, RegistroForm, sujetos_para
from .models import Jornada, Registro

MAX_OPCIONES_SUJETOS = 200


# --- sessions --------------------------------------------------------------------------------


@require_safe
def lista(request):
    ahora = timezone.now()
    jornadas = list(selectors.jornadas_publicas())
    proximas, pasadas_por_ciclo = [], {}
    for j in jornadas:
        j.lugares = selectors.lugares_disponibles(j)
        j.registro_abierto = selectors.registro_abierto(j, ahora)
        if (j.fin or j.inicio) >= ahora:
            proximas.append(j)
        else:
            pasadas_por_ciclo.setdefault(j.ciclo, []).append(j)
    pasadas = sorted(pasadas_por_ciclo.items(),
                     key=lambda kv: (-(kv[0].anio if kv[0] else 0), kv[0].nombre if kv[0] else ""))
    return render(request, "jornadas/lista.html", {"proximas": proximas, "pasadas": pasadas})


def _jornada_visible(request, slug) -> Jornada:
    jornada = obtener_o_rechazar(request.user, selectors.jornadas_visibles(request.user), "jornadas.ver_jornada",
                                 slug=slug)
    mostrar_autoridad(request, jornada.autoridad)
    return jornada


def _contexto_jornada(jornada):
    ahora = timezone.now()
    return {
        "jornada": jornada,
        "lugares": selectors.lugares_disponibles(jornada, jornada.num_registros),
        "registro_abierto": selectors.registro_abierto(jornada, ahora),
        "ya_paso": (jornada.fin or jornada.inicio) < ahora,
        "ahora": ahora,
    }


@require_safe
def detalle(request, slug):
    jornada = _jornada_visible(request, slug)
    return render(request, "jornadas/detalle.html", _contexto_jornada(jornada))


@require_http_methods(["GET", "HEAD", "POST"])
def registro(request, slug):
    jornada = _jornada_visible(request, slug)
    contexto = _contexto_jornada(jornada)
    form = RegistroForm(request.POST or None, autoridad=jornada.autoridad)
    if request.method == "POST":
        limite = settings.JORNADAS_REGISTROS_POR_HORA
        if limite_excedido(request, ambito="jornadas-registro", limite=limite):
            return render(request, "jornadas/limite.html", contexto, status=429)
        if form.is_valid():
            if form.es_bot():
                # Looks accepted to the bot; nothing is written.
                return redirect("jornadas:registro_listo", slug=jornada.slug)
            try:
                services.registro_inscribir(
                    jornada=jornada, nombre=form.cleaned_data["nombre"], correo=form.cleaned_data["correo"],
                    sujeto=form.cleaned_data["sujeto"], cargo=form.cleaned_data["cargo"],
                )
            except ErrorDominio as exc:
                form.add_error(exc.campo if exc.campo in form.fields else None, exc.mensaje)
            else:
                request.session["jornadas_registro_correo"] = form.cleaned_data["correo"]
                return redirect("jornadas:registro_listo", slug=jornada.slug)
        return render(request, "jornadas/registro.html", {**contexto, "form": form}, status=400)
    return render(request, "jornadas/registro.html", {**contexto, "form": form})


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def registro_cancelar(request, token):
    """The personal link of the confirmation e-mail: whoever holds it may cancel that registration
    (like the survey's link); anything else answers 404."""
    registro = services.registro_por_token_cancelacion(token)
    if registro is None:
        raise Http404
    jornada = registro.jornada
    mostrar_autoridad(request, jornada.autoridad)
    contexto = {"jornada": jornada, "registro": registro, "ya_comenzo": timezone.now() >= jornada.inicio}
    if request.method == "POST":
        try:
            services.registro_cancelar(registro=registro)
        except ErrorDominio as exc:
            return render(request, "jornadas/registro_cancelar.html", {**contexto, "error": exc.mensaje}, status=400)
        messages.success(request, _("Su registro a la jornada quedó cancelado; le enviamos un correo con la "
                                    "cancelación para su calendario."))
        return redirect("jornadas:lista")
    return render(request, "jornadas/registro_cancelar.html", contexto)


@require_safe
def registro_listo(request, slug):
    jornada = _jornada_visible(request, slug)
    correo = request.session.pop("jornadas_registro_correo", "")
    return render(request, "jornadas/registro_listo.html", {**_contexto_jornada(jornada), "correo": correo})


@require_safe
def sujetos_opciones(request, slug):
    """<option> elements for the body select, filtered as the person types (htmx)."""
    jornada = _jornada_visible(request, slug)
    q = request.GET.get("q", "")[:100]
    sujetos = list(sujetos_para(jornada.autoridad, q)[:MAX_OPCIONES_SUJETOS])
    return render(request, "jornadas/_sujetos_opciones.html",
                  {"sujetos": sujetos, "q": q, "seleccionado": request.GET.get("sujeto", "")})


# --- survey ----------------------------------------------------------------------------------


SESION_ENCUESTA = "jornadas_encuesta"


@never_cache
@require_safe
def encuesta(request, token):
    """The e-mailed personal link: trade the token for a session value and go to the one token-free
    form URL, so the access log holds the same POST for everyone (see Encuesta)."""
    # The personal token is the key: whoever holds it is the one related to this registration.
    registro = obtener_o_rechazar(request.user, Registro.objects.all(), token_encuesta=token)
    request.session[SESION_ENCUESTA] = registro.token_encuesta
    return redirect("jornadas:encuesta_responder")


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def encuesta_responder(request):
    token = request.session.get(SESION_ENCUESTA, "")
    registro = Registro.objects.select_related("jornada", "jornada__ciclo", "jornada__autoridad").filter(
        token_encuesta=token).first() if token else None
    es_post = request.method == "POST"
    if registro is None:
        contexto = {"aviso": _("Para responder la encuesta abra el enlace personal que recibió por correo "
                               "electrónico.")}
        return render(request, "jornadas/encuesta.html", contexto, status=403 if es_post else 200)
    jornada = registro.jornada
    mostrar_autoridad(request, jornada.autoridad)
    contexto = {"jornada": jornada, "minimo": selectors.minimo_grupo()}
    if registro.encuesta_respondida_en is not None:
        contexto["aviso"] = _("Esta encuesta ya fue respondida con este enlace. ¡Gracias por su participación!")
        return render(request, "jornadas/encuesta.html", contexto, status=409 if es_post else 200)
    if not registro.asistio:
        contexto["aviso"] = _("La encuesta se habilita cuando se registra su asistencia a la jornada.")
        return render(request, "jornadas/encuesta.html", contexto, status=403 if es_post else 200)
    if not jornada.ha_comenzado():
        contexto["aviso"] = _("La encuesta se abre cuando comienza la jornada, el %(f)s.") % {"f": fecha_hora(jornada.inicio)}
        return render(request, "jornadas/encuesta.html", contexto, status=403 if es_post else 200)
    encuesta_ = services.encuesta_para_jornada(jornada)
    try:
        services.encuesta_abierta_o_error(encuesta_, jornada, timezone.now())
    except ErrorDominio as exc:
        contexto["aviso"] = exc.mensaje
        return render(request, "jornadas/encuesta.html", contexto, status=403 if es_post else 200)
    form = EncuestaForm(request.POST or None, preguntas=encuesta_.preguntas.order_by("orden", "pk"))
    if es_post:
        if form.is_valid():
            try:
                services.encuesta_responder(token=token, respuestas=form.respuestas())
            except ErrorDominio as exc:
                campo = exc.campo if exc.campo in form.fields else None
                form.add_error(campo, exc.mensaje)
            else:
                request.session.pop(SESION_ENCUESTA, None)
                messages.success(request, _("Gracias: su respuesta quedó registrada de forma anónima."))
                return redirect("jornadas:encuesta_gracias")
        return render(request, "jornadas/encuesta.html", {**contexto, "encuesta": encuesta_, "form": form},
                      status=400)
    return render(request, "jornadas/encuesta.html", {**contexto, "encuesta": encuesta_, "form": form})


@require_safe
def encuesta_gracias(request):
    return render(request, "jornadas/encuesta_gracias.html")
