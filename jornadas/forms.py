"""Forms: thin parsing. The rules that matter (window, capacity, one answer) live in services."""

from django import forms
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from practicas.models import SujetoObligado

from . import importacion
from .models import Ciclo, Jornada, Pregunta
from .selectors import etiqueta_escala

FORMATO_FECHA_HORA = "%Y-%m-%dT%H:%M"


def _fecha_hora():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=FORMATO_FECHA_HORA)


def sujetos_para(autoridad, q: str = ""):
    """Active bodies of the authority's entity, optionally filtered by words of their name/acronym."""
    qs = SujetoObligado.objects.filter(activo=True)
    if autoridad is not None and autoridad.entidad_clave:
        qs = qs.filter(entidad_clave=autoridad.entidad_clave)
    for palabra in q.split()[:6]:
        qs = qs.filter(Q(nombre__icontains=palabra) | Q(siglas__icontains=palabra))
    return qs.order_by("nombre")


class SujetoChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.nombre} ({obj.siglas})" if obj.siglas else obj.nombre


# --- public registration ---------------------------------------------------------------------


class RegistroForm(forms.Form):
    nombre = forms.CharField(label=gettext_lazy("Nombre completo"), max_length=200,
                             widget=forms.TextInput(attrs={"autocomplete": "name"}))
    correo = forms.EmailField(label=gettext_lazy("Correo electrónico institucional"), max_length=254,
                              widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                              help_text=gettext_lazy("Le enviaremos la confirmación y, después de la jornada, "
                                                     "el enlace a la encuesta."))
    sujeto = SujetoChoiceField(label=gettext_lazy("Sujeto obligado"), queryset=SujetoObligado.objects.none(),
                               empty_label=gettext_lazy("Elija su sujeto obligado"))
    cargo = forms.CharField(label=gettext_lazy("Cargo"), max_length=200,
                            widget=forms.TextInput(attrs={"autocomplete": "organization-title"}))
    acepta_aviso = forms.BooleanField(label=gettext_lazy("He leído el aviso de privacidad y acepto el tratamiento "
                                                         "de mis datos para esta jornada."))
    # Honeypot: hidden from people, filled by naive bots.
    sitio_web = forms.CharField(required=False, label=gettext_lazy("No llene este campo"),
                                widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))

    def __init__(self, *args, autoridad=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sujeto"].queryset = sujetos_para(autoridad)

    def clean_nombre(self):
        return " ".join(self.cleaned_data["nombre"].split())

    def clean_correo(self):
        return self.cleaned_data["correo"].strip().lower()

    def es_bot(self) -> bool:
        return bool(self.cleaned_data.get("sitio_web"))


# --- panel: cycles and sessions ---------------------------------------------------------------


class CicloForm(forms.ModelForm):
    class Meta:
        model = Ciclo
        fields = ["autoridad", "nombre", "slug", "anio", "descripcion"]
        help_texts = {"slug": gettext_lazy("Se usa en las direcciones; vacío: se toma del nombre.")}

    def __init__(self, *args, autoridades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autoridad"].queryset = autoridades
        self.fields["slug"].required = False
        if self.instance.pk or autoridades.count() == 1:
            self.fields["autoridad"].initial = self.instance.autoridad_id if self.instance.pk else autoridades.first()
            self.fields["autoridad"].widget = forms.HiddenInput()
            self.fields["autoridad"].disabled = bool(self.instance.pk)

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("nombre", ""))[:100]
        return _slug_unico(Ciclo, slug or "ciclo", self.instance.pk)


def _slug_unico(modelo, base, pk=None):
    slug, n = base, 2
    while modelo.objects.filter(slug=slug).exclude(pk=pk).exists():
        slug = f"{base[:110]}-{n}"
        n += 1
    return slug


RESERVADOS = {"nueva", "ciclos", "encuesta"}  # path segments next to <slug> in the URLs


class JornadaForm(forms.ModelForm):
    enlace_virtual = forms.URLField(label=gettext_lazy("enlace de la sesión virtual"), required=False,
                                    assume_scheme="https", max_length=200)

    class Meta:
        model = Jornada
        fields = ["autoridad", "ciclo", "numero", "titulo", "slug", "inicio", "fin", "coordinador",
                  "cargo_coordinador", "temas", "modalidad", "sede", "enlace_virtual", "cupo", "registro_abre",
                  "registro_cierra", "fase", "publicada", "constancia_requiere_encuesta"]
        widgets = {
            "inicio": _fecha_hora(), "fin": _fecha_hora(), "registro_abre": _fecha_hora(),
            "registro_cierra": _fecha_hora(), "temas": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "slug": gettext_lazy("Se usa en la dirección pública; vacío: se toma del título."),
            "registro_cierra": gettext_lazy("Vacío: el registro cierra al iniciar la jornada."),
            "publicada": gettext_lazy("Solo las jornadas publicadas aparecen en el portal y aceptan registros."),
        }

    def __init__(self, *args, autoridades, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["autoridad"].queryset = autoridades
        self.fields["ciclo"].queryset = Ciclo.objects.filter(autoridad__in=autoridades).order_by("-anio", "nombre")
        self.fields["slug"].required = False
        for nombre in ("inicio", "fin", "registro_abre", "registro_cierra"):
            self.fields[nombre].input_formats = [FORMATO_FECHA_HORA, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        if self.instance.pk or autoridades.count() == 1:
            self.fields["autoridad"].initial = self.instance.autoridad_id if self.instance.pk else autoridades.first()
            self.fields["autoridad"].widget = forms.HiddenInput()
            self.fields["autoridad"].disabled = bool(self.instance.pk)

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("titulo", ""))[:100]
        if slug in RESERVADOS:
            slug = f"jornada-{slug}"
        return _slug_unico(Jornada, slug or "jornada", self.instance.pk)

    def clean(self):
        datos = super().clean()
        modalidad = datos.get("modalidad")
        if modalidad in (Jornada.Modalidad.PRESENCIAL, Jornada.Modalidad.MIXTA) and not datos.get("sede"):
            self.add_error("sede", _("Indique la sede de una jornada presencial o mixta."))
        if modalidad in (Jornada.Modalidad.VIRTUAL, Jornada.Modalidad.MIXTA) and not datos.get("enlace_virtual"):
            self.add_error("enlace_virtual", _("Indique el enlace de una jornada virtual o mixta."))
        inicio, fin = datos.get("inicio"), datos.get("fin")
        if inicio and fin and fin <= inicio:
            self.add_error("fin", _("El término debe ser posterior al inicio."))
        abre, cierra = datos.get("registro_abre"), datos.get("registro_cierra")
        if abre and cierra and cierra <= abre:
            self.add_error("registro_cierra", _("El cierre del registro debe ser posterior a su apertura."))
        ciclo, autoridad = datos.get("ciclo"), datos.get("autoridad")
        if ciclo and autoridad and ciclo.autoridad_id != autoridad.pk:
            self.add_error("ciclo", _("El ciclo pertenece a otra autoridad."))
        cupo = datos.get("cupo")
        if cupo is not None and self.instance.pk:
            registrados = self.instance.registros.count()
            if cupo < registrados:
                self.add_error("cupo", _("Ya hay %(n)s personas registradas; el cupo no puede ser menor.")
                               % {"n": registrados})
        return datos


# --- panel: attendance -----------------------------------------------------------------------


class ImportarAsistenciaForm(forms.Form):
    archivo = forms.FileField(
        label=gettext_lazy("Lista de asistencia (CSV, XLSX u ODS)"),
        help_text=gettext_lazy("Columnas: nombre, correo, sujeto obligado, cargo. Sirven la hoja de firmas "
                               "capturada o el reporte de asistencia de la videollamada. UTF-8, UTF-16 o Latin-1; "
                               "primero verá una vista previa sin guardar nada."),
    )

    minimo_minutos = forms.IntegerField(
        label=gettext_lazy("Mínimo de minutos en la reunión (opcional)"), required=False, min_value=0,
        max_value=24 * 60,
        help_text=gettext_lazy("Con un reporte de Zoom o Teams que traiga la duración: quien estuvo menos no se "
                               "importa (se suman sus entradas). Vacío: no se aplica."),
    )

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > importacion.MAX_BYTES:
            raise forms.ValidationError(_("El archivo excede 5 MB."))
        return archivo


class ParticipanteForm(forms.Form):
    nombre = forms.CharField(label=gettext_lazy("Nombre completo"), max_length=200)
    correo = forms.EmailField(label=gettext_lazy("Correo electrónico"))
    sujeto = SujetoChoiceField(label=gettext_lazy("Sujeto obligado"), queryset=SujetoObligado.objects.none(),
                               required=False, empty_label=gettext_lazy("Sin sujeto obligado"))
    cargo = forms.CharField(label=gettext_lazy("Cargo"), max_length=200, required=False)

    def __init__(self, *args, autoridad=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sujeto"].queryset = sujetos_para(autoridad)


# --- survey ----------------------------------------------------------------------------------


class EncuestaForm(forms.Form):
    """One field per question, named p<id>; the service checks the answers again."""

    def __init__(self, *args, preguntas, **kwargs):
        super().__init__(*args, **kwargs)
        self.preguntas = list(preguntas)
        for p in self.preguntas:
            requerido = p.obligatoria
            if p.tipo == Pregunta.Tipo.UNICA:
                campo = forms.ChoiceField(choices=[(o, o) for o in p.opciones], widget=forms.RadioSelect,
                                          required=requerido)
            elif p.tipo == Pregunta.Tipo.MULTIPLE:
                campo = forms.MultipleChoiceField(choices=[(o, o) for o in p.opciones],
                                                  widget=forms.CheckboxSelectMultiple, required=requerido,
                                                  help_text=_("Puede elegir más de una opción."))
            elif p.tipo == Pregunta.Tipo.ESCALA:
                campo = forms.TypedChoiceField(choices=[(v, etiqueta_escala(v)) for v in range(1, 6)], coerce=int,
                                               widget=forms.RadioSelect, required=requerido)
            else:
                campo = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=requerido,
                                        max_length=2000)
            campo.label = p.texto
            self.fields[f"p{p.pk}"] = campo

    def respuestas(self) -> dict:
        return {p.pk: self.cleaned_data.get(f"p{p.pk}") for p in self.preguntas}
