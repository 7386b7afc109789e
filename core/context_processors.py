from .models import AutoridadGarante


def portal(request):
    """The authority that heads the portal: name, logo and contact in the frame."""
    autoridad = getattr(request, "_autoridad_principal", None)
    if autoridad is None:
        autoridad = AutoridadGarante.objects.order_by("-principal", "pk").first()
        request._autoridad_principal = autoridad
    return {"autoridad_portal": autoridad}
