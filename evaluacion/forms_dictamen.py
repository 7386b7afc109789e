"""Forms of the ruling pages: parse only; the services decide what is allowed."""

from django import forms
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
    confirmar = forms.BooleanField(
        label=_("Confirmo que el Jurado Calificador deliberó y que este dictamen es definitivo e inapelable: "
                "una vez firmado no podrá cambiar."),
        required=True, error_messages={"required": _("Marque la confirmación para firmar el dictamen.")},
    )


class RevocarForm(forms.Form):
    motivo = forms.CharField(label=_("Motivo de la revocación"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Se mostrará en la página de verificación del reconocimiento."))
