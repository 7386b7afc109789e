from django import forms
from django.contrib.auth import password_validation
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.models import NOMBRES_ENTIDADES, Usuario

from .models import Practica, SujetoObligado


class SujetoConEntidadField(forms.ModelChoiceField):
    """A body with its state: one instance hosts the bodies of several entities, and names repeat
    ("Secretaría de Cultura" in two states)."""

    def label_from_instance(self, obj):
        entidad = NOMBRES_ENTIDADES.get(obj.entidad_clave)
        return f"{obj.nombre} — {entidad}" if entidad else obj.nombre


def _sujetos_activos():
    return SujetoObligado.objects.filter(activo=True).order_by("entidad_clave", "nombre")


class AvisoPrivacidadMixin(forms.Form):
    """A form that collects personal data: the privacy notice is linked and must be accepted."""

    acepta_aviso = forms.BooleanField(
        label=_("He leído el aviso de privacidad y acepto el tratamiento de mis datos para gestionar mi "
                "participación como enlace."),
        error_messages={"required": _("Para continuar, lea el aviso de privacidad y marque esta casilla.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["acepta_aviso"].help_text = format_html(
            '<a href="{}">{}</a>', reverse("core:aviso_privacidad"),
            _("Aviso de privacidad de las autoridades garantes del portal"))


class RegistroForm(AvisoPrivacidadMixin, forms.Form):
    """Whether the address already has an account is never said here (services.cuenta_registrar
    answers the same and writes to the address either way)."""

    first_name = forms.CharField(label=_("Nombre(s)"), max_length=150)
    last_name = forms.CharField(label=_("Apellidos"), max_length=150)
    email = forms.EmailField(label=_("Correo electrónico institucional"))
    password1 = forms.CharField(label=_("Contraseña"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=password_validation.password_validators_help_text_html())
    password2 = forms.CharField(label=_("Confirme la contraseña"),
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    sujeto = SujetoConEntidadField(
        label=_("Sujeto obligado que representa"), queryset=_sujetos_activos(),
        help_text=_("El personal del órgano garante revisará y aprobará su solicitud."),
    )
    cargo = forms.CharField(label=_("Cargo"), max_length=200)
    area = forms.CharField(label=_("Área de adscripción"), max_length=200, required=False)
    field_order = ["first_name", "last_name", "email", "password1", "password2", "sujeto", "cargo", "area",
                   "acepta_aviso"]

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Las contraseñas no coinciden."))
        elif p1:
            user = Usuario(email=data.get("email", ""), first_name=data.get("first_name", ""),
                                    last_name=data.get("last_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class SolicitudEnlaceForm(AvisoPrivacidadMixin, forms.Form):
    sujeto = SujetoConEntidadField(label=_("Sujeto obligado"), queryset=_sujetos_activos())
    cargo = forms.CharField(label=_("Cargo"), max_length=200)
    area = forms.CharField(label=_("Área de adscripción"), max_length=200, required=False)
    field_order = ["sujeto", "cargo", "area", "acepta_aviso"]

    def datos(self) -> dict:
        return {c: self.cleaned_data[c] for c in ("sujeto", "cargo", "area")}


class NuevaPracticaForm(forms.Form):
    sujeto = forms.ModelChoiceField(label=_("Sujeto obligado"), queryset=SujetoObligado.objects.none())
    nombre = forms.CharField(label=_("Nombre de la práctica"), max_length=300)

    def __init__(self, *args, sujetos=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sujeto"].queryset = sujetos if sujetos is not None else SujetoObligado.objects.none()
        if sujetos is not None and len(sujetos) == 1:
            self.fields["sujeto"].initial = sujetos[0].pk


class PracticaForm(forms.ModelForm):
    url_publicacion = forms.URLField(
        label=_("Dirección (URL) donde se publica"), max_length=500, required=False, assume_scheme="https",
        help_text=_("Dirección completa, empezando con https://"),
    )

    class Meta:
        model = Practica
        fields = [
            "nombre", "area_responsable", "contacto_nombre", "contacto_cargo", "contacto_correo",
            "contacto_telefono", "descripcion", "necesidad_informacion", "identificacion_necesidad",
            "poblacion_objetivo", "url_publicacion", "fecha_inicio",
        ]
        widgets = {
            "descripcion": forms.Textarea(attrs={"rows": 5}),
            "necesidad_informacion": forms.Textarea(attrs={"rows": 3}),
            "identificacion_necesidad": forms.Textarea(attrs={"rows": 3}),
            "poblacion_objetivo": forms.Textarea(attrs={"rows": 2}),
            "fecha_inicio": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "contacto_correo": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contacto_telefono": forms.TextInput(attrs={"autocomplete": "tel"}),
        }
        help_texts = {
            "descripcion": _("¿En qué consiste la práctica y qué información publica?"),
            "url_publicacion": _("Dirección completa, empezando con https://"),
        }


class RecepcionForm(forms.Form):
    """Staff record when a paper or e-mail submission was received."""

    recibida_en = forms.DateTimeField(
        label=_("Fecha y hora de recepción"),
        help_text=_("Hora de la Ciudad de México, con segundos si los conoce (p. ej. 30/06/2023 23:59:59)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local", "step": "1"}, format="%Y-%m-%dT%H:%M:%S"),
        input_formats=["%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S",
                       "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"],
    )


class RegistroRecibidaForm(forms.Form):
    sujeto = forms.ModelChoiceField(label=_("Sujeto obligado"), queryset=SujetoObligado.objects.filter(activo=True))
    canal = forms.ChoiceField(
        label=_("Canal de recepción"),
        choices=[(Practica.Canal.PAPEL, Practica.Canal.PAPEL.label), (Practica.Canal.CORREO, Practica.Canal.CORREO.label)],
    )
    nombre = forms.CharField(label=_("Nombre de la práctica"), max_length=300)

    def __init__(self, *args, convocatoria=None, **kwargs):
        super().__init__(*args, **kwargs)
        if convocatoria is not None:  # only the bodies the call admits (Convocatoria.admite)
            self.fields["sujeto"].queryset = SujetoObligado.objects.filter(convocatoria.q_sujetos_elegibles())
            self.fields["sujeto"].help_text = _("Pueden participar: %(e)s") % {
                "e": convocatoria.descripcion_elegibilidad}
            self.fields["sujeto"].error_messages["invalid_choice"] = _(
                "Ese sujeto obligado no puede participar en esta convocatoria.")
