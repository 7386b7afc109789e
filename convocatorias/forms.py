"""Forms of the staff panel for calls. They parse and validate input; services write."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.models import AutoridadGarante, OrdenGobierno, TipoSujeto

from .models import Convocatoria
from .services import CAMPOS_CONVOCATORIA


class FechaHoraLocalInput(forms.DateTimeInput):
    """A datetime-local input. Values are shown and read in the current time zone
    (settings.TIME_ZONE, America/Mexico_City) by Django's DateTimeField; seconds allowed so a
    deadline can be 23:59:59."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"step": "1", **(attrs or {})}, format="%Y-%m-%dT%H:%M:%S")


class ConvocatoriaForm(forms.ModelForm):
    """The call's data. Fields its state no longer allows to change are shown disabled."""

    ordenes_elegibles = forms.MultipleChoiceField(
        label=_("Órdenes de gobierno que pueden participar"), choices=OrdenGobierno.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Sujetos obligados de la entidad de la autoridad que convoca; el servidor rechaza a los demás."),
        error_messages={"required": _("Elija al menos un orden de gobierno que pueda participar.")},
    )
    tipos_elegibles = forms.MultipleChoiceField(
        label=_("Tipos de sujeto obligado que pueden participar"), choices=TipoSujeto.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Si no marca ninguno, participan todos los tipos."),
    )

    class Meta:
        model = Convocatoria
        fields = list(CAMPOS_CONVOCATORIA)
        widgets = {
            "objetivo": forms.Textarea(attrs={"rows": 3}),
            "fundamento_legal": forms.Textarea(attrs={"rows": 4}),
            "participantes": forms.Textarea(attrs={"rows": 2}),
            "requisitos": forms.Textarea(attrs={"rows": 3}),
            "modalidades_entrega": forms.Textarea(attrs={"rows": 3}),
            "domicilio_entrega": forms.Textarea(attrs={"rows": 2}),
            "fecha_apertura": FechaHoraLocalInput(),
            "fecha_cierre": FechaHoraLocalInput(),
            "fecha_resultados": FechaHoraLocalInput(),
            "correo_contacto": forms.EmailInput(attrs={"autocomplete": "email"}),
        }
        help_texts = {
            "slug": _("Parte final de la dirección pública, p. ej. reconocimiento-2023. "
                      "Si lo deja vacío se forma con el título y el año."),
            "fecha_apertura": _("Hora de la Ciudad de México."),
            "fecha_cierre": _("Último segundo en que se reciben propuestas, hora de la Ciudad de México "
                              "(p. ej. 30/06/2023 23:59:59)."),
            "fecha_resultados": _("Los resultados quedan bajo reserva hasta este momento (hora de la Ciudad de México)."),
        }

    def __init__(self, *args, editables=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if not self.is_bound and not self.instance.pk and "ordenes_elegibles" not in self.initial:
            self.initial["ordenes_elegibles"] = [OrdenGobierno.ESTATAL, OrdenGobierno.MUNICIPAL]
        autoridad = self.instance.autoridad if self.instance.autoridad_id else None
        if autoridad is not None and autoridad.unidades_lista:
            unidades = autoridad.unidades_lista
            actual = self.instance.unidad_verificadora
            opciones = [("", _("La primera unidad de la autoridad: %(u)s") % {"u": unidades[0]})]
            opciones += [(u, u) for u in unidades]
            if actual and actual not in unidades:
                opciones.append((actual, actual))
            self.fields["unidad_verificadora"] = forms.ChoiceField(
                label=self.fields["unidad_verificadora"].label, choices=opciones, required=False,
                help_text=_("Se nombra en el acuse de recepción y en el tablero del jurado."))
        if editables is not None:
            for nombre, campo in self.fields.items():
                if nombre in CAMPOS_CONVOCATORIA and nombre not in editables:
                    campo.disabled = True

    def clean(self):
        datos = super().clean()
        if not datos.get("slug") and not self.fields["slug"].disabled:
            titulo, anio = datos.get("titulo") or "", datos.get("anio") or ""
            datos["slug"] = slugify(f"{titulo} {anio}")[:120].strip("-")
        return datos

    def datos(self, solo_cambios=False) -> dict:
        """What the service receives: the call's fields only. When editing, only what the person
        changed: inputs drop microseconds, so an untouched date must not count as a change, and
        disabled fields are never input."""
        campos = [c for c in CAMPOS_CONVOCATORIA if c in self.cleaned_data and not self.fields[c].disabled]
        if solo_cambios:
            campos = [c for c in campos if c in self.changed_data]
        return {campo: self.cleaned_data[campo] for campo in campos}


class NuevaConvocatoriaForm(ConvocatoriaForm):
    autoridad = forms.ModelChoiceField(label=_("Autoridad que convoca"), queryset=AutoridadGarante.objects.none())

    class Meta(ConvocatoriaForm.Meta):
        fields = ["autoridad", *CAMPOS_CONVOCATORIA]

    def __init__(self, *args, autoridades=None, **kwargs):
        super().__init__(*args, **kwargs)
        if autoridades is not None:
            self.fields["autoridad"].queryset = autoridades
            unicas = list(autoridades[:2])
            if len(unicas) == 1:
                self.fields["autoridad"].initial = unicas[0].pk


class CriterioForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    numero = forms.IntegerField(label=_("Número"), min_value=1, max_value=99)
    nombre = forms.CharField(label=_("Criterio"), max_length=300)
    descripcion = forms.CharField(label=_("Qué se espera"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    peso = forms.DecimalField(
        label=_("Ponderación"), max_digits=5, decimal_places=2, min_value=Decimal("0.01"),
        max_value=Decimal("100"), initial=Decimal("1.00"),
    )


class BaseCriteriosFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        numeros, vivos = set(), 0
        for form in self.forms:
            vacio = not form.has_changed() and not form.cleaned_data.get("id")
            if vacio or self._should_delete_form(form):
                continue
            vivos += 1
            numero = form.cleaned_data.get("numero")
            if numero in numeros:
                form.add_error("numero", _("Este número ya lo tiene otro criterio."))
            numeros.add(numero)
        if not vivos:
            raise forms.ValidationError(_("La convocatoria necesita al menos un criterio."))

    def filas(self) -> list[dict]:
        filas = []
        for form in self.forms:
            datos = form.cleaned_data
            if not datos or (not form.has_changed() and not datos.get("id")):
                continue
            filas.append({**datos, "eliminar": self._should_delete_form(form)})
        return filas


CriteriosFormSet = forms.formset_factory(
    CriterioForm, formset=BaseCriteriosFormSet, extra=1, can_delete=True, max_num=30, validate_max=True
)


class MiembroJuradoForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cargo = forms.CharField(label=_("Cargo"), max_length=300)
    nombre = forms.CharField(label=_("Nombre de la persona titular"), max_length=200, required=False)
    correo = forms.EmailField(
        label=_("Cuenta en el portal (correo)"), required=False,
        help_text=_("Opcional: la cuenta con la que esta persona calificará. Puede asignarse después."),
    )
    orden = forms.IntegerField(label=_("Orden"), min_value=0, max_value=99, required=False)

    def clean_correo(self):
        correo = (self.cleaned_data.get("correo") or "").strip().lower()
        if not correo:
            self.cuenta = None
            return ""
        self.cuenta = get_user_model().objects.filter(email__iexact=correo).first()
        if self.cuenta is None:
            raise forms.ValidationError(_("No hay una cuenta con ese correo. Pida a la persona que se registre "
                                          "o deje el campo vacío."))
        return correo


class BaseJuradoFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        correos = set()
        for form in self.forms:
            if self._should_delete_form(form) or not form.cleaned_data:
                continue
            correo = form.cleaned_data.get("correo")
            if correo and correo in correos:
                form.add_error("correo", _("Esta cuenta ya ocupa otro lugar del jurado."))
            correos.add(correo)

    def filas(self) -> list[dict]:
        filas = []
        self.formas_de_filas = []  # the form behind each row, to put a service error next to its field
        for form in self.forms:
            datos = form.cleaned_data
            if not datos or (not form.has_changed() and not datos.get("id")):
                continue
            filas.append({
                "id": datos.get("id"), "cargo": datos.get("cargo"), "nombre": datos.get("nombre"),
                "usuario": getattr(form, "cuenta", None), "orden": datos.get("orden"),
                "eliminar": self._should_delete_form(form),
            })
            self.formas_de_filas.append(form)
        return filas

    def error_de_fila(self, exc) -> bool:
        """Attach a service error about one row (ErrorIntegrante) to that row's field; False if it
        names no row."""
        indice = getattr(exc, "indice", None)
        if indice is None or indice >= len(getattr(self, "formas_de_filas", [])):
            return False
        form = self.formas_de_filas[indice]
        campo = {"usuario": "correo"}.get(exc.campo, exc.campo)
        form.add_error(campo if campo in form.fields else None, exc.mensaje)
        return True


JuradoFormSet = forms.formset_factory(
    MiembroJuradoForm, formset=BaseJuradoFormSet, extra=1, can_delete=True, max_num=30, validate_max=True
)


class DocumentoForm(forms.Form):
    titulo = forms.CharField(label=_("Título del documento"), max_length=200,
                             help_text=_("Por ejemplo: Bases de la convocatoria, Formulario de registro."))
    archivo = forms.FileField(label=_("Archivo"), help_text=_("PDF, Word, OpenDocument, Excel o CSV."))
