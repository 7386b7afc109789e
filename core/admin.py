"""Django admin for people and authorities (superusers' catalogue upkeep)."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AutoridadGarante,
    DocumentoVerificable,
    FirmanteAutoridad,
    PersonalGarante,
    TareaPendiente,
    Usuario,
)


class SoloConsulta:
    """For a ModelAdmin of records the admin shows and never writes: every field read-only, no add,
    change or delete."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class SoloLecturaAdmin(SoloConsulta, SimpleHistoryAdmin):
    """Records with history that the admin shows and never writes (services write them). A save
    sent anyway, from the change page or from a historical version (simple_history saves a revert
    without asking for the change permission), is answered with a message on the read-only page,
    never a 500."""

    def mensaje_solo_lectura(self, obj) -> str:
        return gettext("Este registro solo se consulta aquí; se modifica desde el panel, con su historial.")

    def _rechazar(self, request, object_id):
        messages.error(request, self.mensaje_solo_lectura(self.get_object(request, object_id)))
        opts = self.model._meta
        return redirect(f"admin:{opts.app_label}_{opts.model_name}_change", object_id)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id is not None:
            return self._rechazar(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            return self._rechazar(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)


class UsuarioCreationForm(AdminUserCreationForm):
    """E-mail is the login; the model copies it into username on save."""

    class Meta(AdminUserCreationForm.Meta):
        model = Usuario
        fields = ("email",)


class UsuarioChangeForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = Usuario


class PersonalDeUsuarioInline(admin.TabularInline):
    model = PersonalGarante
    extra = 0
    autocomplete_fields = ["autoridad"]
    verbose_name = _("adscripción a una autoridad")
    verbose_name_plural = _("adscripciones a autoridades (personal del garante)")


@admin.register(Usuario)
class UsuarioAdmin(UserAdmin):
    form = UsuarioChangeForm
    add_form = UsuarioCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Datos personales"), {"fields": ("first_name", "last_name", "telefono")}),
        (_("Permisos"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Fechas"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )
    list_display = ("email", "first_name", "last_name", "is_active", "is_superuser")
    list_filter = ("is_active", "is_superuser", "personal__autoridad")
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    inlines = [PersonalDeUsuarioInline]


class PersonalInline(admin.TabularInline):
    model = PersonalGarante
    extra = 0
    autocomplete_fields = ["usuario"]


class FirmanteInline(admin.TabularInline):
    model = FirmanteAutoridad
    extra = 0


@admin.register(AutoridadGarante)
class AutoridadGaranteAdmin(SimpleHistoryAdmin):
    list_display = ("siglas", "nombre", "entidad_clave")
    search_fields = ("siglas", "nombre")
    prepopulated_fields = {"slug": ("siglas",)}
    inlines = [FirmanteInline, PersonalInline]


@admin.register(PersonalGarante)
class PersonalGaranteAdmin(admin.ModelAdmin):
    list_display = ("usuario", "autoridad", "cargo", "unidad")
    list_filter = ("autoridad",)
    search_fields = ("usuario__email", "usuario__first_name", "usuario__last_name", "cargo")
    list_select_related = ("usuario", "autoridad")
    autocomplete_fields = ["usuario", "autoridad"]


@admin.register(DocumentoVerificable)
class DocumentoVerificableAdmin(SoloLecturaAdmin):
    """Issued documents are records: readable here, changed only by the services that issue,
    regenerate or revoke them."""

    list_display = ("folio", "tipo", "estado_pdf", "visible_desde", "vigente_hasta", "revocado_en")
    list_filter = ("tipo", "estado_pdf")
    search_fields = ("folio", "titulo")
    # The file lives in private storage, which has no URL: it is shown as links to the
    # permission-checked views (download and public verification), never as the field itself.
    fields = [f.name for f in DocumentoVerificable._meta.fields if f.name not in ("id", "archivo")] + ["descargar"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("archivo"))
    def descargar(self, obj):
        verificar = format_html('<a href="{}">{}</a>', reverse("core:verificar", kwargs={"codigo": obj.codigo}),
                                _("Página de verificación"))
        if obj.estado_pdf != DocumentoVerificable.EstadoPDF.LISTA or not obj.archivo:
            return format_html("{} · {}", obj.get_estado_pdf_display(), verificar)
        descarga = reverse("core:documento", kwargs={"codigo": obj.codigo})
        return format_html('<a href="{}">{}</a> · {}', descarga, _("Descargar PDF"), verificar)


@admin.register(TareaPendiente)
class TareaPendienteAdmin(SoloConsulta, admin.ModelAdmin):
    """The outbox, to look at during an outage: what waits for the broker, what a worker holds, and
    the last error. core.relevo writes and deletes it; nobody edits it by hand."""

    list_display = ["pk", "nombre", "creada", "enviada_en", "iniciada_en", "envios", "ultimo_error"]
    list_filter = ["nombre"]
