"""Staff panel catalogues: sujetos obligados (list, form, CSV import) and enlace requests."""

import logging
from functools import partial

import django_filters
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from rules.contrib.views import permission_required

from core import listas, sitio
from core.acceso import obtener_o_rechazar
from core.correo import correo_enviar
from core.errors import ErrorDominio
from core.models import NOMBRES_ENTIDADES
from core.rules import autoridades_de
from core.tabular import BorradorImportacion

from . import importacion, selectors, services
from .models import Enlace, Municipio, SujetoObligado

logger = logging.getLogger(__name__)

SESION_IMPORTACION = "importacion_sujetos"
POR_PAGINA = 50


# --- forms -----------------------------------------------------------------------------------

class SujetoFiltro(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Nombre o siglas"), method="buscar")
    orden = django_filters.ChoiceFilter(label=gettext_lazy("Orden de gobierno"), choices=SujetoObligado.Orden.choices,
                                        empty_label=gettext_lazy("Todos"))
    tipo = django_filters.ChoiceFilter(label=gettext_lazy("Tipo"), choices=SujetoObligado.Tipo.choices,
                                       empty_label=gettext_lazy("Todos"))
    activo = django_filters.ChoiceFilter(
        label=gettext_lazy("Situación"), choices=[("1", gettext_lazy("Activos")), ("0", gettext_lazy("Inactivos"))],
        empty_label=gettext_lazy("Todos"), method="filtrar_activo",
    )

    class Meta:
        model = SujetoObligado
        fields = ["q", "orden", "tipo", "activo"]

    def buscar(self, queryset, name, value):
        for palabra in value.split():
            queryset = queryset.filter(Q(nombre__icontains=palabra) | Q(siglas__icontains=palabra))
        return queryset

    def filtrar_activo(self, queryset, name, value):
        return queryset.filter(activo=value == "1")


def _opciones_entidad(claves):
    return [(c, f"{c} — {NOMBRES_ENTIDADES.get(c, c)}") for c in claves]


class SujetoForm(forms.ModelForm):
    """A body of one of the entities the staff member serves (their authorities' jurisdiction)."""

    entidad_clave = forms.ChoiceField(label=gettext_lazy("Entidad federativa"))

    class Meta:
        model = SujetoObligado
        fields = ["nombre", "siglas", "orden", "tipo", "entidad_clave", "municipio", "activo"]
        help_texts = {
            "municipio": gettext_lazy("Obligatorio para los sujetos obligados municipales."),
            "activo": gettext_lazy("Solo los activos aparecen al registrarse como enlace."),
        }

    def __init__(self, *args, entidades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entidad_clave"].choices = _opciones_entidad(entidades)
        self.fields["municipio"].queryset = Municipio.objects.filter(entidad_clave__in=entidades).order_by(
            "entidad_clave", "nombre")
        if len(entidades) == 1:
            self.fields["entidad_clave"].initial = entidades[0]

    def clean(self):
        datos = super().clean()
        municipio = datos.get("municipio")
        if datos.get("orden") == SujetoObligado.Orden.MUNICIPAL and municipio is None:
            self.add_error("municipio", _("Indique el municipio del sujeto obligado municipal."))
        if municipio is not None and datos.get("entidad_clave") and municipio.entidad_clave != datos["entidad_clave"]:
            self.add_error("municipio", _("El municipio no pertenece a la entidad indicada."))
        return datos


class ImportarForm(forms.Form):
    archivo = forms.FileField(
        label=gettext_lazy("Archivo CSV"),
        help_text=gettext_lazy("Columnas: nombre, siglas, orden, tipo, municipio_cvegeo, activo. "
                               "UTF-8 o Latin-1; primero verá una vista previa sin guardar nada."),
    )
    entidad_clave = forms.ChoiceField(
        label=gettext_lazy("Entidad federativa"),
        help_text=gettext_lazy("Los sujetos obligados del archivo pertenecen a esta entidad, una de las que atiende."),
    )

    def __init__(self, *args, entidades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entidad_clave"].choices = _opciones_entidad(entidades)
        if len(entidades) == 1:
            self.fields["entidad_clave"].initial = entidades[0]

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > importacion.MAX_BYTES:
            raise forms.ValidationError(_("El archivo excede 2 MB."))
        return archivo


class ResolverEnlaceForm(forms.Form):
    accion = forms.ChoiceField(choices=[("aprobar", "aprobar"), ("rechazar", "rechazar")])
    motivo = forms.CharField(required=False, max_length=2000)


# --- sujetos obligados -----------------------------------------------------------------------

@login_required
@permission_required("practicas.gestionar_sujetos", raise_exception=True)
@require_safe
def sujetos(request):
    filtro = _filtro_sujetos(request)
    return render(request, "panel/sujetos/lista.html",
                  {"filtro": filtro, "pagina": listas.pagina(request, filtro.qs, POR_PAGINA)})


def _filtro_sujetos(request) -> SujetoFiltro:
    """The catalogue as the list, its pages and its downloads read it (?q=, ?orden=, ?tipo=, ?activo=)."""
    consulta = selectors.sujetos_de_su_jurisdiccion(request.user).select_related("municipio").order_by("nombre", "pk")
    return SujetoFiltro(request.GET or None, queryset=consulta)


def _filas_sujetos(consulta):
    yield [_("Nombre"), _("Siglas"), _("Orden de gobierno"), _("Tipo"), _("Entidad (clave INEGI)"),
           _("Municipio (clave INEGI)"), _("Municipio"), _("Situación")]
    for s in consulta.iterator(chunk_size=500):
        yield [s.nombre, s.siglas, s.get_orden_display(), s.get_tipo_display(), s.entidad_clave,
               s.municipio_id or "", s.municipio.nombre if s.municipio else "",
               _("Activo") if s.activo else _("Inactivo")]


@login_required
@permission_required("practicas.gestionar_sujetos", raise_exception=True)
@require_safe
def sujetos_exportar(request, formato):
    """The catalogue as filtered, every page, as CSV for Excel or XLSX."""
    filtro = _filtro_sujetos(request)
    return listas.descarga(_filas_sujetos(filtro.qs), "sujetos-obligados", formato, _("Sujetos obligados"))


@login_required
@permission_required("practicas.gestionar_sujetos", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def sujeto_form(request, pk=None):
    sujeto = obtener_o_rechazar(request.user, selectors.sujetos_de_su_jurisdiccion(request.user), pk=pk) if pk else None
    form = SujetoForm(request.POST or None, instance=sujeto, entidades=selectors.entidades_gestionables(request.user))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance._history_user = request.user
            sujeto = form.save()
        messages.success(request, _("Se guardó «%(s)s».") % {"s": sujeto})
        return redirect("panel:sujetos")
    return render(request, "panel/sujetos/form.html", {"form": form, "sujeto": sujeto})


@login_required
@permission_required("practicas.gestionar_sujetos", raise_exception=True)
@require_http_methods(["GET", "HEAD", "POST"])
def sujetos_importar(request):
    """Step 1: upload and preview. The decoded text stays in the session, never on disk."""
    form = ImportarForm(request.POST or None, request.FILES or None,
                        entidades=selectors.entidades_gestionables(request.user))
    if request.method == "POST" and form.is_valid():
        texto, codificacion = importacion.decodificar(form.cleaned_data["archivo"].read())
        entidad = form.cleaned_data["entidad_clave"]
        vista = importacion.analizar(texto, entidad_clave=entidad, codificacion=codificacion)
        huella = BorradorImportacion(request.session, SESION_IMPORTACION).guardar(
            nombre=form.cleaned_data["archivo"].name, contenido=texto,
            texto=texto, codificacion=codificacion, entidad_clave=entidad,
        )
        return render(request, "panel/sujetos/vista_previa.html",
                      {"vista": vista, "huella": huella, "nombre": form.cleaned_data["archivo"].name})
    return render(request, "panel/sujetos/importar.html", {"form": form})


@login_required
@permission_required("practicas.gestionar_sujetos", raise_exception=True)
@require_POST
def sujetos_importar_confirmar(request):
    """Step 2: write the previewed file, all or nothing."""
    borrador = BorradorImportacion(request.session, SESION_IMPORTACION)
    guardado = borrador.leer(request.POST.get("huella"))
    if guardado is None or guardado["entidad_clave"] not in selectors.entidades_gestionables(request.user):
        messages.error(request, _("La vista previa ya no está disponible; vuelva a subir el archivo."))
        return redirect("panel:sujetos_importar")
    try:
        vista = importacion.sujetos_importar(
            texto=guardado["texto"], entidad_clave=guardado["entidad_clave"], usuario=request.user,
            codificacion=guardado["codificacion"],
        )
    except ErrorDominio as exc:
        messages.error(request, exc.mensaje)
        vista = importacion.analizar(guardado["texto"], entidad_clave=guardado["entidad_clave"],
                                     codificacion=guardado["codificacion"])
        return render(request, "panel/sujetos/vista_previa.html",
                      {"vista": vista, "huella": guardado["huella"], "nombre": guardado.get("nombre", "")},
                      status=400)
    borrador.descartar()
    messages.success(
        request,
        _("Importación terminada: %(n)s nuevos, %(a)s actualizados, %(s)s sin cambios.")
        % {"n": len(vista.nuevos), "a": len(vista.actualizados), "s": len(vista.sin_cambios)},
    )
    return redirect("panel:sujetos")


# --- enlace requests -------------------------------------------------------------------------

def _notificar_resolucion(enlace_id: int) -> None:
    """Tell the person the result of their request (after commit)."""
    enlace = Enlace.objects.select_related("usuario", "sujeto", "resuelto_por").get(pk=enlace_id)
    # Under the name of the authority that resolved it: the resolver's, of the body's entity.
    autoridad = (autoridades_de(enlace.resuelto_por).filter(entidad_clave=enlace.sujeto.entidad_clave).order_by("pk")
                 .first() if enlace.resuelto_por else None)
    contexto = {"nombre": enlace.usuario.get_full_name() or enlace.usuario.email, "sujeto": enlace.sujeto.nombre,
                "url": sitio.url_de("practicas:mis_practicas")}
    if enlace.estado == Enlace.Estado.APROBADO:
        plantilla = "practicas/correos/enlace_aprobado"
    else:
        plantilla, contexto["motivo"] = "practicas/correos/enlace_rechazado", enlace.motivo
    correo_enviar(plantilla=plantilla, contexto=contexto, para=[enlace.usuario.email], autoridad=autoridad)


POR_PAGINA_ENLACES = 20
TODAS = "todas"


def _estado_enlaces(request) -> str:
    """?estado=: one of Enlace.Estado or «todas»; the pending ones when absent or unknown."""
    estado = request.GET.get("estado", "")
    return estado if estado in {*Enlace.Estado.values, TODAS} else Enlace.Estado.SOLICITADO


def _enlaces_filtrados(request):
    estado, q = _estado_enlaces(request), listas.texto_busqueda(request)
    consulta = selectors.enlaces_de_sus_entidades(request.user).select_related("resuelto_por")
    if estado != TODAS:
        consulta = consulta.filter(estado=estado)
    for palabra in q.split():
        consulta = consulta.filter(
            Q(usuario__first_name__icontains=palabra) | Q(usuario__last_name__icontains=palabra)
            | Q(usuario__email__icontains=palabra) | Q(sujeto__nombre__icontains=palabra)
            | Q(sujeto__siglas__icontains=palabra) | Q(cargo__icontains=palabra))
    return consulta.order_by("solicitado_en", "pk"), estado, q


def _lista_enlaces(request, error=None, status=200):
    consulta, estado, q = _enlaces_filtrados(request)
    contexto = {"pagina": listas.pagina(request, consulta, POR_PAGINA_ENLACES), "estado": estado, "q": q,
                "estados": [*Enlace.Estado.choices, (TODAS, _("Todas"))],
                "pendientes": estado == Enlace.Estado.SOLICITADO,
                "error_pk": error[0] if error else None, "error_mensaje": error[1] if error else "",
                "error_motivo": error[2] if error else ""}
    return render(request, "panel/enlaces/lista.html", contexto, status=status)


@login_required
@permission_required("practicas.resolver_enlaces", raise_exception=True)
@require_safe
def enlaces(request):
    """Requests of the staff member's entities, pending ones first of all: ?estado= shows the
    resolved ones too, ?q= narrows by person, e-mail, position or body, 20 a page."""
    return _lista_enlaces(request)


def _filas_enlaces(consulta):
    yield [_("Nombre"), _("Correo"), _("Cargo"), _("Área"), _("Sujeto obligado"), _("Siglas"), _("Estado"),
           _("Solicitada"), _("Resuelta"), _("Resuelta por"), _("Motivo del rechazo")]
    for e in consulta.iterator(chunk_size=500):
        yield [e.usuario.get_full_name(), e.usuario.email, e.cargo, e.area, e.sujeto.nombre, e.sujeto.siglas,
               e.get_estado_display(), listas.fecha_hora(e.solicitado_en), listas.fecha_hora(e.resuelto_en),
               e.resuelto_por.email if e.resuelto_por else "", e.motivo]


@login_required
@permission_required("practicas.resolver_enlaces", raise_exception=True)
@require_safe
def enlaces_exportar(request, formato):
    consulta, _estado, _q = _enlaces_filtrados(request)
    return listas.descarga(_filas_enlaces(consulta), "solicitudes-de-enlace", formato, _("Solicitudes de enlace"))


@login_required
@permission_required("practicas.resolver_enlaces", raise_exception=True)
@require_POST
def enlace_resolver(request, pk):
    enlace = obtener_o_rechazar(request.user, selectors.enlaces_de_sus_entidades(request.user),
                                "practicas.resolver_enlace", pk=pk)
    form = ResolverEnlaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Elija aprobar o rechazar."))
        return redirect("panel:enlaces")
    aprobar = form.cleaned_data["accion"] == "aprobar"
    try:
        with transaction.atomic():
            enlace = services.enlace_resolver(enlace=enlace, usuario=request.user, aprobar=aprobar,
                                              motivo=form.cleaned_data["motivo"])
            # robust: a mail server failure is logged, it does not undo nor hide the decision.
            transaction.on_commit(partial(_notificar_resolucion, enlace.pk), robust=True)
    except ErrorDominio as exc:
        if exc.campo == "motivo":  # shown on the request's own reason field
            return _lista_enlaces(request, (enlace.pk, exc.mensaje, form.cleaned_data["motivo"]), status=400)
        messages.error(request, exc.mensaje)
        return redirect("panel:enlaces")
    if aprobar:
        messages.success(request, _("Se aprobó a %(u)s como enlace de %(s)s; se le avisó por correo.")
                         % {"u": enlace.usuario, "s": enlace.sujeto})
    else:
        messages.success(request, _("Se rechazó la solicitud de %(u)s; se le avisó por correo con el motivo.")
                         % {"u": enlace.usuario})
    return redirect("panel:enlaces")
