"""Forms of the ruling pages: parse only; the services decide what is allowed."""

from django import forms
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from .models import Dictamen


class DictamenForm(forms.Form):
    """The draft ruling: decision, reasons per criterion (one field each), considerations and,
    when the decision departs from the proposal, the reason why."""

    decision = forms.ChoiceField(label=_("Decisión del jurado"), choices=Dictamen.Decision.choices, required=False,
                                 widget=forms.RadioSelect)
    consideraciones = forms.CharField(label=_("Consideraciones generales"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 4}))
    motivo_desviacion = forms.CharField(
        label=_("Razón para apartarse de la propuesta"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Obligatoria si la decisión es distinta de la propuesta según la calificación."),
    )

    def __init__(self, *args, dictamen: Dictamen, motivos, **kwargs):
        kwargs.setdefault("initial", {
            "decision": dictamen.decision, "consideraciones": dictamen.consideraciones,
            "motivo_desviacion": dictamen.motivo_desviacion,
            **{f"motivo_{m.criterio_id}": m.texto for m in motivos},
        })
        super().__init__(*args, **kwargs)
        self.criterios = []
        for m in motivos:
            nombre = f"motivo_{m.criterio_id}"
            self.fields[nombre] = forms.CharField(
                label=f"{m.criterio.numero}. {m.criterio.nombre}", required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            self.criterios.append((m.criterio, nombre))

    def motivos(self) -> dict[int, str]:
        return {criterio.pk: self.cleaned_data.get(nombre) or "" for criterio, nombre in self.criterios}

    def campos_motivos(self):
        return [self[nombre] for _criterio, nombre in self.criterios]


class FirmarForm(forms.Form):
    """A juror's own signing act: they confirm and type their password again (re-authentication,
    checked with django.contrib.auth.authenticate, so failures count towards the login lockout)."""

    confirmar = forms.BooleanField(
        label=_("Confirmo que el Jurado Calificador deliberó y firmo este dictamen con mi cuenta. Una vez emitido "
                "es definitivo e inapelable."),
        required=True, error_messages={"required": _("Marque la confirmación para firmar el dictamen.")},
    )
    contrasena = forms.CharField(
        label=_("Su contraseña"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Para firmar, confirme que es usted escribiendo de nuevo su contraseña."),
        error_messages={"required": _("Escriba su contraseña para firmar.")},
    )

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_contrasena(self):
        contrasena = self.cleaned_data.get("contrasena") or ""
        user = getattr(self.request, "user", None)
        if user is None or not user.is_authenticated:
            raise forms.ValidationError(_("Inicie sesión para firmar."))
        confirmado = authenticate(self.request, username=user.get_username(), password=contrasena)
        if confirmado is None or confirmado.pk != user.pk:
            raise forms.ValidationError(_("La contraseña no es correcta; el dictamen no se firmó."))
        return ""  # never kept: the password is only checked


class RevocarForm(forms.Form):
    motivo = forms.CharField(label=_("Motivo de la revocación"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Se mostrará en la página de verificación del reconocimiento."))
