"""Forms of the ruling pages: parse only; the services decide what is allowed."""

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _

from core import firma_digital, sellos

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


class FirmarEfirmaForm(forms.Form):
    """A juror's signing act with their own e.firma: the certificate (.cer), the encrypted private key
    (.key) and its passphrase, read in memory for this request only (never stored, never logged);
    the certificate must be valid now and be the account holder's (core.firma_digital)."""

    MAX_BYTES = 64 * 1024

    confirmar = forms.BooleanField(
        label=_("Confirmo que el Jurado Calificador deliberó y firmo este dictamen con mi e.firma. Una vez emitido "
                "es definitivo e inapelable."),
        required=True, error_messages={"required": _("Marque la confirmación para firmar el dictamen.")},
    )
    certificado = forms.FileField(
        label=_("Certificado de su e.firma (.cer)"), widget=forms.ClearableFileInput(attrs={"accept": ".cer"}),
        error_messages={"required": _("Adjunte el certificado (.cer) de su e.firma.")})
    clave_privada = forms.FileField(
        label=_("Clave privada de su e.firma (.key)"), widget=forms.ClearableFileInput(attrs={"accept": ".key"}),
        help_text=_("El portal la usa solo para esta firma: no la guarda."),
        error_messages={"required": _("Adjunte la clave privada (.key) de su e.firma.")})
    contrasena = forms.CharField(
        label=_("Contraseña de la clave privada"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Escriba la contraseña de su clave privada.")})

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        self.firmante = None
        super().__init__(*args, **kwargs)

    def _leer(self, campo):
        archivo = self.cleaned_data.get(campo)
        if archivo is None:
            return None
        if archivo.size > self.MAX_BYTES:
            self.add_error(campo, _("El archivo es demasiado grande para ser parte de una e.firma."))
            return None
        return archivo.read()

    def clean(self):
        datos = super().clean()
        cer, key = self._leer("certificado"), self._leer("clave_privada")
        contrasena = datos.get("contrasena")
        if cer is None or key is None or not contrasena or self.errors:
            return datos
        user = self.request.user
        try:
            self.firmante = firma_digital.cargar_efirma(
                certificado=cer, clave_privada=key, contrasena=contrasena,
                nombre_esperado=user.get_full_name() if settings.FIRMA_EXIGIR_NOMBRE else None,
                revocados=frozenset(int(s, 16) for s in settings.FIRMA_CERTIFICADOS_REVOCADOS),
                crls=sellos.revocacion(), raices=sellos.raices())
        except firma_digital.FirmaRechazada as exc:
            self.add_error(exc.campo if exc.campo in self.fields else None, exc.mensaje)
        datos["contrasena"] = ""  # never kept
        return datos


class RevocarForm(forms.Form):
    motivo = forms.CharField(label=_("Motivo de la revocación"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Se mostrará en la página de verificación del reconocimiento."))
