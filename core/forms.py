"""Forms of the panel's authorities page. They parse and validate input; core.services writes."""

import logging
import uuid

import filetype
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from . import sitio
from .correo import correo_construir
from .models import NOMBRES_ENTIDADES, AutoridadGarante
from .services import CAMPOS_AUTORIDAD, CAMPOS_IDENTIDAD, MAX_FIRMANTES

LOGO_MAX_BYTES = 1024 * 1024
# By content, never by name. SVG is refused: it is a document that can carry scripts and links.
LOGO_FORMATOS = {"png": "png", "jpg": "jpg"}


class ColorInput(forms.TextInput):
    input_type = "color"


class LogoField(forms.ImageField):
    """A PNG or JPEG image of at most LOGO_MAX_BYTES, checked by its bytes; stored under a random
    name with the extension its content has."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        if data.size > LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("El logotipo pesa %(t)s; el máximo es %(m)s. Reduzca la imagen y vuelva a elegirla."),
                params={"t": filesizeformat(data.size), "m": filesizeformat(LOGO_MAX_BYTES)}, code="tamano")
        tipo = filetype.guess(data.read(261))
        data.seek(0)
        if tipo is None or tipo.extension not in LOGO_FORMATOS:
            raise forms.ValidationError(
                _("El logotipo debe ser una imagen PNG o JPEG (se revisa el contenido, no el nombre); «%(n)s» no "
                  "lo es. Elija otro archivo."), params={"n": data.name}, code="formato")
        imagen = super().to_python(data)
        imagen.name = f"{uuid.uuid4().hex}.{LOGO_FORMATOS[tipo.extension]}"
        return imagen


def _entidades():
    return [("", _("— Elija la entidad —")),
            *((clave, f"{clave} · {nombre}") for clave, nombre in NOMBRES_ENTIDADES.items())]


class AutoridadForm(forms.ModelForm):
    """The authority's data. `identidad=False` (its own staff) shows acronym, slug and entidad
    disabled: only an administrator changes them."""

    entidad_clave = forms.ChoiceField(
        label=_("Entidad federativa"), choices=_entidades,
        help_text=_("Sus sujetos obligados son los de esta entidad (clave INEGI)."),
    )

    sitio_web = forms.URLField(label=_("Sitio web"), max_length=200, required=False, assume_scheme="https",
                               widget=forms.URLInput(attrs={"autocomplete": "url"}))

    class Meta:
        model = AutoridadGarante
        fields = list(CAMPOS_AUTORIDAD)
        field_classes = {"logo": LogoField}
        widgets = {
            "domicilio": forms.Textarea(attrs={"rows": 3}),
            "aviso_privacidad": forms.Textarea(attrs={"rows": 6}),
            "unidades": forms.Textarea(attrs={"rows": 4}),
            "color_primario": ColorInput(attrs={"class": "form-control-color"}),
            "correo_contacto": forms.EmailInput(attrs={"autocomplete": "off"}),
            "telefono": forms.TextInput(attrs={"autocomplete": "off"}),
            "remitente_correo": forms.EmailInput(attrs={"autocomplete": "off"}),
            "remitente_nombre": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        help_texts = {
            "slug": _("Se usa en las direcciones y en los filtros de datos, p. ej. «cotai». Si lo deja vacío se "
                      "forma con las siglas."),
            "logo": _("PNG o JPEG de hasta 1 MB; aparece en el encabezado de sus páginas y en sus documentos."),
            "aviso_privacidad": _("El aviso que se muestra en sus formularios de registro."),
        }

    def __init__(self, *args, identidad=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if not identidad:
            for campo in CAMPOS_IDENTIDAD:
                self.fields[campo].disabled = True
                self.fields[campo].required = False
        elif self.instance.pk is None:
            self.fields["entidad_clave"].initial = ""

    def clean(self):
        datos = super().clean()
        if not self.fields["slug"].disabled and not datos.get("slug") and datos.get("siglas"):
            datos["slug"] = slugify(datos["siglas"])[:50]
        return datos

    def datos(self) -> dict:
        """What the service receives: the fields the person may change, and of those (when editing)
        only the ones they changed."""
        campos = [c for c in CAMPOS_AUTORIDAD if c in self.cleaned_data and not self.fields[c].disabled]
        if self.instance.pk is not None:
            campos = [c for c in campos if c in self.changed_data]
        return {c: self.cleaned_data[c] for c in campos}


# --- signers ---------------------------------------------------------------------------------

class FirmanteForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    nombre = forms.CharField(label=_("Nombre de quien firma"), max_length=200)
    cargo = forms.CharField(label=_("Cargo"), max_length=300)
    orden = forms.IntegerField(label=_("Orden"), min_value=0, max_value=99, required=False,
                               help_text=_("De izquierda a derecha al pie del documento."))


class BaseFirmantesFormSet(forms.BaseFormSet):
    def filas(self) -> list[dict]:
        filas = []
        for form in self.forms:
            datos = form.cleaned_data
            if not datos or (not form.has_changed() and not datos.get("id")):
                continue
            filas.append({**datos, "eliminar": self._should_delete_form(form)})
        return filas


FirmantesFormSet = forms.formset_factory(
    FirmanteForm, formset=BaseFirmantesFormSet, extra=1, can_delete=True, max_num=MAX_FIRMANTES,
    validate_max=True,
)


# --- staff -----------------------------------------------------------------------------------

class PersonalForm(forms.Form):
    cargo = forms.CharField(label=_("Cargo"), max_length=200, required=False)
    unidad = forms.CharField(label=_("Unidad administrativa"), max_length=200, required=False)

    def __init__(self, *args, unidades=(), **kwargs):
        super().__init__(*args, **kwargs)
        if unidades:
            self.fields["unidad"].help_text = _("Unidades de la autoridad: %(u)s.") % {"u": "; ".join(unidades)}


class PersonalNuevoForm(PersonalForm):
    correo = forms.EmailField(
        label=_("Correo de la cuenta"), max_length=254,
        help_text=_("La persona ya debe tener una cuenta en el portal con este correo."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    field_order = ["correo", "cargo", "unidad"]


class EntrarForm(AuthenticationForm):
    """Django's sign-in form with its refusal in plain Spanish (the stock one reads «Note que puede
    que ambos campos…»); it still says nothing about whether the address has an account."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("El correo electrónico o la contraseña no son correctos. Revise que el correo sea el "
                           "de su cuenta; la contraseña distingue mayúsculas y minúsculas."),
        "inactive": _("Esta cuenta no está activa. Si acaba de registrarse, confírmela con el enlace que le "
                      "enviamos por correo."),
    }


logger = logging.getLogger(__name__)


class RestablecerContrasenaForm(PasswordResetForm):
    """Django's password reset, its e-mail written like every other one (core.correo: text and HTML
    in the instance's frame) instead of from Django's registration templates."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        url = sitio.url_de("password_reset_confirm", uidb64=context["uid"], token=context["token"])
        try:
            correo_construir(plantilla="core/correos/restablecer", contexto={"url": url}, para=[to_email]).send()
        except Exception:  # as Django's: the page says the same whether or not a mail could go
            logger.exception("No se pudo enviar el correo para restablecer la contraseña de %s", context["user"].pk)


class VerificarArchivoForm(forms.Form):
    """A PDF to check on the verification page: read in memory, never stored."""

    archivo = forms.FileField(label=_("Archivo PDF del documento"),
                              widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["archivo"].help_text = _("PDF de un dictamen, reconocimiento, constancia, acuse o carta "
                                             "compromiso; tamaño máximo: %(m)s. El archivo no se guarda.") % {
            "m": filesizeformat(settings.VERIFICAR_MAX_BYTES)}

    def clean_archivo(self):
        archivo = self.cleaned_data["archivo"]
        if archivo.size > settings.VERIFICAR_MAX_BYTES:
            raise forms.ValidationError(_("El archivo pesa %(t)s; el máximo es %(m)s.") % {
                "t": filesizeformat(archivo.size), "m": filesizeformat(settings.VERIFICAR_MAX_BYTES)})
        inicio = archivo.read(1024)
        archivo.seek(0)
        if b"%PDF-" not in inicio:
            raise forms.ValidationError(_("El archivo no es un PDF."))
        return archivo
