"""Forms for admissibility and the jury. They parse and check the shape of what was typed; the
rules (all requirements met to admit, scale, phase) live in services.py, whose ErrorDominio the
views attach to the field it names."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from .models import Admisibilidad

SI, NO = "si", "no"
CUMPLE_OPCIONES = [(SI, _("Sí cumple")), (NO, _("No cumple"))]


class AdmisibilidadForm(forms.Form):
    """The checklist (one yes/no and a note per item) plus the result and its reasons.

    `requisitos` is a list of (clave, texto, cumple, observacion): the practice's saved rows, or the
    call's items when nothing was saved yet."""

    resultado = forms.ChoiceField(
        label=_("Resultado de la verificación"), widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        choices=[(Admisibilidad.Resultado.ADMITIDA, _("Admitida")),
                 (Admisibilidad.Resultado.NO_ADMITIDA, _("No admitida"))],
        error_messages={"required": _("Elija el resultado: admitida o no admitida.")},
    )
    motivos = forms.CharField(
        label=_("Motivos de la no admisión"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatorios si no se admite: el sujeto obligado los leerá."),
    )

    def __init__(self, *args, requisitos, solo_lectura=False, **kwargs):
        self.requisitos = requisitos
        inicial = kwargs.setdefault("initial", {})
        for clave, _texto, cumple, observacion in requisitos:
            inicial.setdefault(f"cumple_{clave}", "" if cumple is None else (SI if cumple else NO))
            inicial.setdefault(f"obs_{clave}", observacion)
        super().__init__(*args, **kwargs)
        for clave, texto, _cumple, _obs in requisitos:
            self.fields[f"cumple_{clave}"] = forms.ChoiceField(
                label=texto, choices=CUMPLE_OPCIONES, required=False,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
            self.fields[f"obs_{clave}"] = forms.CharField(
                label=_("Observación"), required=False, max_length=500)
        if solo_lectura:
            for campo in self.fields.values():
                campo.disabled = True

    def filas(self):
        """(texto, bound cumple field, bound observación field) per checklist item, for the template."""
        return [(texto, self[f"cumple_{clave}"], self[f"obs_{clave}"]) for clave, texto, _c, _o in self.requisitos]

    def clean(self):
        datos = super().clean()
        if datos.get("resultado") == Admisibilidad.Resultado.NO_ADMITIDA and not (datos.get("motivos") or "").strip():
            self.add_error("motivos", _("Escriba los motivos de la no admisión; el sujeto obligado los leerá."))
        return datos

    def requisitos_limpios(self) -> dict[str, tuple[bool | None, str]]:
        """clave -> (cumple, observación), the shape admisibilidad_registrar takes."""
        salida = {}
        for clave, _texto, _c, _o in self.requisitos:
            valor = self.cleaned_data.get(f"cumple_{clave}")
            salida[clave] = ({SI: True, NO: False}.get(valor), self.cleaned_data.get(f"obs_{clave}", ""))
        return salida


class CalificacionForm(forms.Form):
    """One row per criterion: a score on the call's scale and a written reason.

    Saving a draft takes blanks; submitting (`completa=True`) needs every score and reason, and
    each missing one is reported next to its field."""

    def __init__(self, *args, convocatoria, criterios, completa=False, solo_lectura=False, **kwargs):
        self.criterios = criterios
        super().__init__(*args, **kwargs)
        minimo, maximo = Decimal(convocatoria.escala_min), Decimal(convocatoria.escala_max)
        for c in criterios:
            self.fields[f"puntaje_{c.pk}"] = forms.DecimalField(
                label=_("Calificación del criterio %(n)s") % {"n": c.numero},
                min_value=minimo, max_value=maximo, max_digits=5, decimal_places=2, required=completa,
                help_text=_("De %(a)s a %(b)s; admite hasta dos decimales.") % {"a": minimo, "b": maximo},
                error_messages={"required": _("Escriba la calificación de este criterio."),
                                "invalid": _("Escriba un número, por ejemplo 7.5."),
                                "min_value": _("La calificación mínima es %(limit_value)s."),
                                "max_value": _("La calificación máxima es %(limit_value)s."),
                                "max_decimal_places": _("Use como máximo %(max)s decimales.")},
                widget=forms.NumberInput(attrs={"step": "0.01", "min": minimo, "max": maximo,
                                                "inputmode": "decimal"}),
            )
            self.fields[f"motivo_{c.pk}"] = forms.CharField(
                label=_("Motivación del criterio %(n)s") % {"n": c.numero}, required=completa,
                error_messages={"required": _("Escriba la motivación; es obligatoria para enviar.")},
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        if solo_lectura:
            for campo in self.fields.values():
                campo.disabled = True

    def filas(self):
        """(criterio, bound score field, bound reason field) per criterion, for the template."""
        return [(c, self[f"puntaje_{c.pk}"], self[f"motivo_{c.pk}"]) for c in self.criterios]

    def puntajes(self) -> dict[int, tuple[str | None, str]]:
        """criterio_id -> (score, reason), the shape evaluacion_guardar takes."""
        salida = {}
        for c in self.criterios:
            valor = self.cleaned_data.get(f"puntaje_{c.pk}")
            salida[c.pk] = (None if valor is None else str(valor), self.cleaned_data.get(f"motivo_{c.pk}") or "")
        return salida

    def error_de_dominio(self, exc):
        """Attach a service error to the form: its field when it names one, else the whole form."""
        self.add_error(exc.campo if exc.campo in self.fields else None, exc.mensaje)


class MotivoForm(forms.Form):
    """A required written reason: a recusal's conflict of interest, or a reopening."""

    motivo = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": _("Escriba el motivo; queda registrado.")})

    def __init__(self, *args, etiqueta, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["motivo"].label = etiqueta


class SustitucionForm(forms.Form):
    """Who takes the seat (an existing account, by e-mail) and why: the replacement is recorded."""

    correo = forms.EmailField(
        label=_("Cuenta de la persona que ocupará el lugar (correo)"),
        help_text=_("La persona debe tener cuenta en el portal."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Escriba el correo de la cuenta que ocupará el lugar.")},
    )
    motivo = forms.CharField(
        label=_("Motivo de la sustitución"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Queda registrado con su nombre y la fecha."),
        error_messages={"required": _("Escriba el motivo de la sustitución; queda registrado.")},
    )

    def clean_correo(self):
        correo = (self.cleaned_data.get("correo") or "").strip().lower()
        self.cuenta = get_user_model().objects.filter(email__iexact=correo).first()
        if self.cuenta is None:
            raise forms.ValidationError(_("No hay una cuenta con ese correo. Pida a la persona que se registre."))
        return correo
