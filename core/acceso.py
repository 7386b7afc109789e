"""The 403/404 rule, written once, for every panel, public, file and API view.

    not among the objects the person is related to (or not at all)  -> 404, so ids and slugs
                                                                        cannot be probed
    related, but the `rules` permission says no                      -> 403
    allowed                                                          -> the object

What "related" means is each app's business (the calls of one's authority, the practices of one's
body, a call one judges): the app scopes a queryset in its selectors and passes it in, so core knows
no app. `puerta` names the permission everyone who can be related to such objects holds (for the
staff panel, `core.acceder_panel`): whoever lacks it has no business in that part of the site and
gets 403 for any id, existing or not, so the answer tells an outsider nothing either.
"""

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404


def obtener_o_rechazar(user, relacionados: QuerySet | type[Model], permiso: str | None = None, *,
                       puerta: str | None = None, sobre: Callable | None = None, **lookup) -> Model:
    """The object of `relacionados` matching `lookup` if `user` may `permiso` it (None: being
    related is enough); Http404 or PermissionDenied otherwise, as the module says. `sobre(objeto)`
    names what the permission is about when that is not the object itself (a support's practice)."""
    if isinstance(relacionados, type):
        relacionados = relacionados._default_manager.all()
    try:
        objeto = relacionados.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError) as exc:
        # A malformed id is as unknown as a missing one.
        if puerta is not None and not user.has_perm(puerta):
            raise PermissionDenied from exc
        # The message Django's get_object_or_404 gives (and DRF passes on as "detail").
        raise Http404(f"No {relacionados.model._meta.object_name} matches the given query.") from exc
    if permiso is not None and not user.has_perm(permiso, objeto if sobre is None else sobre(objeto)):
        raise PermissionDenied
    return objeto


class AccesoVistaMixin:
    """Django class-based views (SingleObjectMixin): `get_queryset()` is the related scope,
    `permiso` the rules permission on the object, `puerta` as in obtener_o_rechazar."""

    permiso: str | None = None
    puerta: str | None = None

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        if self.pk_url_kwarg in self.kwargs:
            lookup = {"pk": self.kwargs[self.pk_url_kwarg]}
        else:
            lookup = {self.get_slug_field(): self.kwargs[self.slug_url_kwarg]}
        return obtener_o_rechazar(self.request.user, queryset, self.permiso, puerta=self.puerta, **lookup)


class AccesoApiMixin:
    """DRF viewsets: `get_object` through the same rule. `get_queryset()` (with the request's filters)
    is the related scope; `permiso_objeto` the rules permission on the object (None for public data,
    where the queryset alone says what anyone may read)."""

    permiso_objeto: str | None = None
    puerta: str | None = None

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        clave = self.lookup_url_kwarg or self.lookup_field
        objeto = obtener_o_rechazar(self.request.user, queryset, self.permiso_objeto, puerta=self.puerta,
                                    **{self.lookup_field: self.kwargs[clave]})
        self.check_object_permissions(self.request, objeto)
        return objeto
