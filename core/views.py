from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from convocatorias import selectors as conv_selectors

from .models import AutoridadGarante


@require_GET
def inicio(request):
    abiertas = conv_selectors.convocatorias_abiertas()
    return render(request, "core/inicio.html", {"abiertas": abiertas})


@require_GET
def aviso_privacidad(request):
    autoridades = AutoridadGarante.objects.all()
    return render(request, "core/aviso_privacidad.html", {"autoridades": autoridades})


@login_required
def destino(request):
    """After login, send each person where their work is."""
    if request.user.has_perm("core.acceder_panel"):
        return redirect("panel:inicio")
    return redirect("practicas:mis_practicas")


@require_GET
def salud(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"estado": "ok"})
