"""Settings for benchmarks/envios.py and the gunicorn it starts: settings_bench (DEBUG off,
persistent connections) with Celery as in production, not eager: an acuse is queued to a broker
and rendered by a worker later, never inside the request. CELERY_BROKER_URL (Redis) when given,
else kombu's in-memory transport (the message stays in the web process, which is enough to
measure the request). Files go to BENCH_MEDIA (a temporary folder the benchmark removes)."""

from pathlib import Path

from benchmarks.settings_bench import *  # noqa: F403
from config.settings.base import env

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="") or "memory://"
# BENCH_EAGER=1: tasks run in the web process after the commit, as in settings_bench or a deployment
# without CELERY_BROKER_URL (the acuse is then rendered inside the request).
CELERY_TASK_ALWAYS_EAGER = env.bool("BENCH_EAGER", default=False)
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="bench-envios")
_MEDIA = Path(env("BENCH_MEDIA", default="/tmp/reconoce-bench-envios"))  # noqa: S108 - overridden by the benchmark
MEDIA_ROOT = _MEDIA / "media"
PRIVATE_MEDIA_ROOT = _MEDIA / "private"
