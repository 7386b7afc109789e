"""Forms for constancias: the template (texts and signers as rows) and revocation."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.errors import ErrorDominio

from . import constancias
from .models import PlantillaConstancia

MAX_FIRMANTES = 4


class PlantillaConstanciaForm(forms.ModelForm):
    class Meta:
        model = PlantillaConstancia
        fields = ["titulo", "cuerpo", "pie"]
        widgets = {
            "cuerpo": forms.Textarea(attrs={"rows": 5}),
            "pie": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "cuerpo": _("Puede usar {nombre}, {sujeto}, {del_sujeto} (con su artículo: «del Ayuntamiento de…», "
                        "«de la Secretaría de…»), {jornada}, {fecha}, {horario} («de las 10:00 a las 12:00 h (2 horas)»), "
                        "{duracion} («2 horas») y {coordinador}; se sustituyen por los "
                        "datos de cada asistente. Para escribir una llave, duplíquela: «{{» o «}}»."),
            "pie": _("Texto fijo al pie (por ejemplo, lugar de expedición). No admite campos."),
        }

    def clean_cuerpo(self):
        cuerpo = self.cleaned_data["cuerpo"]
        try:
            constancias.validar_texto(cuerpo)
        except ErrorDominio as exc:
            raise forms.ValidationError(exc.mensaje) from exc
        return cuerpo


class FirmanteForm(forms.Form):
    nombre = forms.CharField(label=_("Nombre de quien firma"), max_length=200, required=False)
    cargo = forms.CharField(label=_("Cargo"), max_length=200, required=False)

    def clean(self):
        datos = super().clean()
        if datos.get("cargo") and not datos.get("nombre"):
            self.add_error("nombre", _("Escriba el nombre de quien firma con ese cargo."))
        return datos


FirmantesFormSet = forms.formset_factory(FirmanteForm, extra=1, max_num=MAX_FIRMANTES, validate_max=True,
                                         can_delete=True)


def firmantes_de(formset) -> list[dict]:
    """The signer rows kept (not deleted, not empty), in order."""
    filas = []
    for form in formset.forms:
        datos = getattr(form, "cleaned_data", None) or {}
        if datos.get("DELETE") or not (datos.get("nombre") or datos.get("cargo")):
            continue
        filas.append({"nombre": datos["nombre"].strip(), "cargo": datos.get("cargo", "").strip()})
    return filas


class RevocarForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivo de la revocación"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Se publica en la página de verificación de la constancia."),
    )
