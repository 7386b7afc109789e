from django.db.models import Exists, OuterRef

from .models import AutoridadGarante, Usuario


def portal(request):
    """The authority that heads the portal (name, logo, contact in the frame) and the menu's
    roles of the person, in one query each."""
    autoridad = getattr(request, "_autoridad_principal", None)
    if autoridad is None:
        autoridad = AutoridadGarante.objects.order_by("-principal", "pk").first()
        request._autoridad_principal = autoridad
    return {"autoridad_portal": autoridad, "menu": _MenuPerezoso(request)}


class _MenuPerezoso:
    """Evaluated only if the template asks, and then once: is the person an enlace, a juror?"""

    def __init__(self, request):
        self._request = request
        self._roles = None

    def _cargar(self):
        if self._roles is None:
            user = self._request.user
            if not user.is_authenticated:
                self._roles = {"es_enlace": False, "es_jurado": False}
            else:
                from convocatorias.models import MiembroJurado
                from practicas.models import Enlace

                self._roles = (
                    Usuario.objects.filter(pk=user.pk)
                    .annotate(es_enlace=Exists(Enlace.objects.filter(usuario=OuterRef("pk"))),
                              es_jurado=Exists(MiembroJurado.objects.filter(usuario=OuterRef("pk"))))
                    .values("es_enlace", "es_jurado")
                    .first()
                ) or {"es_enlace": False, "es_jurado": False}
        return self._roles

    @property
    def es_enlace(self):
        return self._cargar()["es_enlace"]

    @property
    def es_jurado(self):
        return self._cargar()["es_jurado"]
