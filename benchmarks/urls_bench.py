"""The portal's URLs plus a bare view that returns a fixed string through the same middleware:
the floor the catalogue's throughput is compared with. Only for benchmarks (settings_bench)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.http import require_safe

from config.urls import urlpatterns as urlpatterns_portal


@require_safe
def desnudo(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/desnudo/", desnudo, name="bench_desnudo"), *urlpatterns_portal]
