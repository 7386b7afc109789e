"""Django admin for people and authorities (superusers' catalogue upkeep)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AutoridadGarante,
    DocumentoVerificable,
    FirmanteAutoridad,
    PersonalGarante,
    Usuario,
)


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
class DocumentoVerificableAdmin(SimpleHistoryAdmin):
    """Issued documents are records: readable here, changed only by the services that issue,
    regenerate or revoke them."""

    list_display = ("folio", "tipo", "estado_pdf", "visible_desde", "vigente_hasta", "revocado_en")
    list_filter = ("tipo", "estado_pdf")
    search_fields = ("folio", "titulo")
    readonly_fields = [f.name for f in DocumentoVerificable._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
