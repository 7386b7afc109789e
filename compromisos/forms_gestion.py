"""Forms of the enlace's and the staff's pages for cartas compromiso. They only read what was typed;
the rules live in services (an ErrorDominio with `.campo` comes back to the field it names)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from practicas.forms import SujetoConEntidadField
from practicas.models import Practica, SujetoObligado

from .models import PracticaComprometida

FECHA = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ayuda_firmada() -> str:
    """Formats and size limit, said before the file is chosen."""
    return _("PDF, JPG o PNG de la carta con firma autógrafa; tamaño máximo: %(m)s.") % {
        "m": filesizeformat(settings.SOPORTE_MAX_BYTES)}


class CartaForm(forms.Form):
    sujeto = SujetoConEntidadField(label=_("Sujeto obligado que firma la carta"),
                                   queryset=SujetoObligado.objects.none())
    firmante_nombre = forms.CharField(label=_("Nombre de quien firma"), max_length=200)
    firmante_cargo = forms.CharField(label=_("Cargo de quien firma"), max_length=200)
    fecha = forms.DateField(label=_("Fecha de la carta"), widget=FECHA)
    carta_firmada = forms.FileField(label=_("Carta firmada (opcional por ahora)"), required=False,
                                    widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, sujetos=None, con_sujeto=True, con_firmada=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carta_firmada"].help_text = ayuda_firmada()
        if con_firmada:
            self.fields["carta_firmada"].label = _("Reemplazar la carta firmada (opcional)")
        if not con_sujeto:  # editing: the body of a letter does not change
            del self.fields["sujeto"]
            return
        self.fields["sujeto"].queryset = sujetos if sujetos is not None else SujetoObligado.objects.none()
        opciones = list(self.fields["sujeto"].queryset[:2])
        if len(opciones) == 1:
            self.fields["sujeto"].initial = opciones[0].pk


class PracticaComprometidaForm(forms.Form):
    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
    titulo = forms.CharField(label=_("Título o tema de la práctica"), max_length=300)
    necesidad = forms.CharField(label=_("Necesidad de información que atenderá"),
                                widget=forms.Textarea(attrs={"rows": 2}))
    area_responsable = forms.CharField(label=_("Área responsable"), max_length=300)
    fecha_meta = forms.DateField(label=_("Fecha compromiso"), widget=FECHA,
                                 help_text=_("Cuándo quedará publicada la práctica."))


class BasePracticasFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Quitar esta práctica de la carta")

    def filas(self) -> list[dict]:
        """The rows kept (not marked to remove), as services expect them."""
        filas = []
        for form in self.forms:
            datos = getattr(form, "cleaned_data", None) or {}
            if not datos or datos.get("DELETE"):
                continue
            filas.append({c: datos[c] for c in ("pk", "titulo", "necesidad", "area_responsable", "fecha_meta")})
        return filas


PracticasFormSet = forms.formset_factory(
    PracticaComprometidaForm, formset=BasePracticasFormSet, extra=0, min_num=1, validate_min=True,
    can_delete=True, max_num=50, validate_max=True)


class FirmadaForm(forms.Form):
    carta_firmada = forms.FileField(label=_("Carta firmada"),
                                    widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carta_firmada"].help_text = ayuda_firmada()


class DevolverForm(forms.Form):
    motivo = forms.CharField(
        label=_("Motivos de la devolución"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("El sujeto obligado los leerá para corregir la carta y presentarla de nuevo."))


class PracticaPostuladaField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.folio} · {obj.nombre} ({obj.convocatoria.titulo})"


class SeguimientoForm(forms.Form):
    estado = forms.ChoiceField(label=_("Avance"), choices=[(e.value, e.label) for e in
                                                          PracticaComprometida.ESTADOS_MANUALES],
                               widget=forms.RadioSelect)
    url_publicacion = forms.URLField(label=_("Dirección (URL) donde se publica"), max_length=500, required=False,
                                     assume_scheme="https",
                                     help_text=_("Necesaria para «Publicada»; dirección completa, con https://"))
    practica = PracticaPostuladaField(label=_("Práctica enviada a la convocatoria"), required=False,
                                      queryset=Practica.objects.none(), empty_label=_("Elija una práctica"),
                                      help_text=_("Necesaria para «Postulada»: la práctica que el sujeto obligado "
                                                  "envió a una convocatoria de la autoridad."))

    def __init__(self, *args, postulables=None, **kwargs):
        super().__init__(*args, **kwargs)
        if postulables is not None:
            self.fields["practica"].queryset = postulables


class CompromisoField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(t)s (carta del %(f)s)") % {"t": obj.titulo, "f": obj.carta.fecha.strftime("%d/%m/%Y")}


class VincularForm(forms.Form):
    compromiso = CompromisoField(label=_("Práctica comprometida que cumple"), empty_label=_("Elija un compromiso"),
                                 queryset=PracticaComprometida.objects.none())

    def __init__(self, *args, compromisos=None, **kwargs):
        super().__init__(*args, **kwargs)
        if compromisos is not None:
            self.fields["compromiso"].queryset = compromisos
