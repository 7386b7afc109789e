"""Settings shared by every environment. Values come from the environment (django-environ)
with embedded defaults: no DATABASE_URL means SQLite, no CELERY_BROKER_URL means eager tasks."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.FileAwareEnv(
    DEBUG=(bool, False),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
)
environ.FileAwareEnv.read_env(BASE_DIR / ".env") if (BASE_DIR / ".env").exists() else None

SECRET_KEY = env("SECRET_KEY", default="dev-insegura-no-usar-en-produccion")
DEBUG = env("DEBUG")
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rules.apps.AutodiscoverRulesConfig",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "django_htmx",
    "simple_history",
    "axes",
    "csp",
    "django_celery_beat",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "convocatorias",
    "practicas",
    "evaluacion",
    "jornadas",
    "compromisos",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "core.middleware.SesionInactivaMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
# SQLite with several people at once (the web threads and the worker share the file): every
# transaction takes the write lock when it begins (IMMEDIATE), so one that read first never fails
# with "database is locked" when another writes, it waits its turn (timeout, seconds); WAL lets
# readers and the writer proceed together. Every connection runs these, whichever process opens it.
# Options given in DATABASE_URL's query string win. An in-memory database (the tests') stays in memory mode.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env.int("SQLITE_TIMEOUT", default=20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (Index(include=...)) are PostgreSQL's; SQLite builds them without the included
# columns and says so (models.W040). They serve the public catalogue's count in production.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Rate limits (registration to jornadas) count in the cache: Redis in production so every web
# process shares the counters; a per-process memory cache in the embedded default.
#
# The cache fails safe: on Redis it is django-redis with its exceptions ignored (and logged by the
# "core.cache" logger), short socket timeouts and no retries, so an outage costs a refused
# connection per operation — reads miss and fall through to the database, writes are dropped — and
# never a 500. The catalogue's invalidations notice a dropped write and repeat it
# (evaluacion.cache_catalogo), and rate limits let requests through while they cannot count.
CACHE_TIEMPO_ESPERA = env.float("CACHE_TIEMPO_ESPERA", default=0.5)


def cache_desde_url(url: str) -> dict:
    config = env.cache_url_config(url)
    if config["BACKEND"].endswith(".RedisCache"):
        config["BACKEND"] = "django_redis.cache.RedisCache"
        config.setdefault("OPTIONS", {}).update({
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": CACHE_TIEMPO_ESPERA,
            "SOCKET_TIMEOUT": CACHE_TIEMPO_ESPERA,
            "CONNECTION_POOL_KWARGS": {"retry": None, "retry_on_timeout": False},
        })
    return config


CACHES = {"default": cache_desde_url(env("CACHE_URL", default="locmemcache://"))}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "core.cache"
JORNADAS_REGISTROS_POR_HORA = env.int("JORNADAS_REGISTROS_POR_HORA", default=10)
CUENTAS_REGISTROS_POR_HORA = env.int("CUENTAS_REGISTROS_POR_HORA", default=10)
# Survey anonymity (jornadas.models.EnvioPendiente): answers are written, and results shown, only in
# groups of at least this many; a survey closes this many days after each session unless it has its
# own closing date; pending answers are sealed with this key (empty: derived from SECRET_KEY, and
# SECRET_KEY_FALLBACKS still open what older keys sealed).
JORNADAS_ENCUESTA_MINIMO = env.int("JORNADAS_ENCUESTA_MINIMO", default=5)
JORNADAS_ENCUESTA_DIAS = env.int("JORNADAS_ENCUESTA_DIAS", default=30)
JORNADAS_ENCUESTA_CLAVE = env("JORNADAS_ENCUESTA_CLAVE", default="")
# Per e-mail address too (an address gets at most this many registration or reset e-mails an hour).
CUENTAS_REGISTROS_POR_CORREO = env.int("CUENTAS_REGISTROS_POR_CORREO", default=3)
CUENTAS_RESTABLECER_POR_HORA = env.int("CUENTAS_RESTABLECER_POR_HORA", default=10)
CUENTAS_RESTABLECER_POR_CORREO = env.int("CUENTAS_RESTABLECER_POR_CORREO", default=3)

AUTH_USER_MODEL = "core.Usuario"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sessions of staff and jurors end after this many idle minutes (core.middleware.SesionInactivaMiddleware);
# other sessions last SESSION_COOKIE_AGE (two weeks). Every sign-in gets a new session key.
SESION_INACTIVIDAD_MINUTOS = env.int("SESION_INACTIVIDAD_MINUTOS", default=30)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "portal:inicio_sesion_destino"
LOGOUT_REDIRECT_URL = "portal:inicio"

# django-axes: lock an account+address pair after repeated failures. The account is the e-mail as
# typed, trimmed and in lower case (every spelling of one address is one account, as at sign-in); the
# address is the client's, read as the rate limits read it (core.limites.ip_cliente).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "core.cuentas.usuario_para_axes"
AXES_CLIENT_IP_CALLABLE = "core.cuentas.ip_para_axes"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/bloqueado.html"
# No "AXES: …" lines at start-up and for every login; lockouts are still logged as warnings.
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)

LANGUAGE_CODE = "es-mx"
LANGUAGES = [("es-mx", _("Español (México)"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Mexico_City"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Public media (logos). Supports and PDFs live in PRIVATE_MEDIA_ROOT and are served by views only.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private")))
# Backups (manage.py respaldar / restaurar, core.respaldos): one dated folder each under RESPALDO_DIR
# with the database, both media folders and a manifest; respaldar keeps the newest RESPALDO_CONSERVAR
# (0 keeps them all).
RESPALDO_DIR = Path(env("RESPALDO_DIR", default=str(BASE_DIR / "respaldos")))
RESPALDO_CONSERVAR = env.int("RESPALDO_CONSERVAR", default=0)

# Electronic signatures (core.sellos, core.firma_digital): each authority's seal as <slug>.p12 (or
# <slug>.cer + <slug>.key) in FIRMA_SELLOS_DIR, its secret in SELLO_<SLUG>_CLAVE or
# SELLO_<SLUG>_CLAVE_FILE; the certificates the verification page trusts in FIRMA_RAICES_DIR; an RFC
# 3161 time-stamping service in FIRMA_TSA_URL (none: the signing time is the server's). Outside the
# media folders, so backups never carry a private key.
FIRMA_SELLOS_DIR = Path(env("FIRMA_SELLOS_DIR", default=str(BASE_DIR / "var" / "sellos")))
FIRMA_RAICES_DIR = Path(env("FIRMA_RAICES_DIR", default=str(FIRMA_SELLOS_DIR / "raices")))
FIRMA_TSA_URL = env("FIRMA_TSA_URL", default="")
# The demo's jurors' e.firma files (cargar_demo; never in a real portal).
DEMO_EFIRMA_DIR = Path(env("DEMO_EFIRMA_DIR", default=str(BASE_DIR / "var" / "demo-efirma")))
# A juror's e.firma must be in the name of their account (compared without accents or case).
FIRMA_EXIGIR_NOMBRE = env.bool("FIRMA_EXIGIR_NOMBRE", default=True)
# Revocation data, where the guarantor keeps it: serial numbers (hexadecimal) of revoked certificates,
# and certificate revocation lists (.crl, DER or PEM) of the issuers it trusts in FIRMA_REVOCACION_DIR.
FIRMA_CERTIFICADOS_REVOCADOS = env.list("FIRMA_CERTIFICADOS_REVOCADOS", default=[])
FIRMA_REVOCACION_DIR = Path(env("FIRMA_REVOCACION_DIR", default=str(FIRMA_RAICES_DIR / "revocacion")))
# With a time-stamping service, each signature embeds long-term validation data: may the server ask
# the certificates' own CRL and OCSP addresses for it (the SAT's OCSP, say), or only use the files above?
FIRMA_REVOCACION_EN_LINEA = env.bool("FIRMA_REVOCACION_EN_LINEA", default=False)
# The largest PDF the verification page reads (in memory, never stored), and uploads per address per hour.
VERIFICAR_MAX_BYTES = env.int("VERIFICAR_MAX_BYTES", default=20 * 1024 * 1024)
VERIFICAR_LIMITE_HORA = env.int("VERIFICAR_LIMITE_HORA", default=30)

# Uploads: limits per file and per practice, in bytes.
SOPORTE_MAX_BYTES = env.int("SOPORTE_MAX_BYTES", default=20 * 1024 * 1024)
PRACTICA_MAX_BYTES = env.int("PRACTICA_MAX_BYTES", default=100 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
# The demonstration mailbox (EMAIL_BACKEND=core.buzon.BuzonBackend, what `make run` uses): one file per message.
BUZON_DIR = Path(env("BUZON_DIR", default=str(BASE_DIR / "var" / "buzon")))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Reconoce <no-responder@reconoce.local>")

# Celery: eager unless a broker is configured.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="reconoce")
CELERY_TIMEZONE = TIME_ZONE
# The outbox (core.models.TareaPendiente, core.relevo): every worker sends what is waiting this often,
# so work written while the broker was down leaves a few seconds after it answers again.
RELEVO_INTERVALO = env.float("RELEVO_INTERVALO", default=5.0)
# A started task is taken for dead this long after its hard time limit (covers two machines' clocks).
RELEVO_MARGEN = env.float("RELEVO_MARGEN", default=30.0)
# Soft time limit of a PDF task (one document, or one chunk of constancias); the hard one is 15 s later.
TAREA_PDF_SEGUNDOS = env.int("TAREA_PDF_SEGUNDOS", default=60)
# Publishing fails fast when the broker is down (the outbox keeps the work): no blocking retries.
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis gives an unacknowledged message (acks_late) to another worker after visibility_timeout. It
# must outlast the longest task (hard limits below: 300 s at most) and the longest countdown (40 s);
# a worker that died is found sooner by the outbox (core.relevo: a started task past its hard limit).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
    "socket_timeout": 10,
}
# `make run` (the embedded default) uses kombu's filesystem transport: a folder of message files that
# the web process writes and the worker reads, no server to install. One folder in and out (a single
# queue shared by both ends), another for broadcast control messages; processed files are deleted.
# The outbox still guards every message: a file lost with a crash is sent again by the relay.
if CELERY_BROKER_URL.startswith("filesystem:"):
    COLA_DIR = Path(env("COLA_DIR", default=str(BASE_DIR / "var" / "cola")))
    for _carpeta in ("mensajes", "control", "procesados"):
        (COLA_DIR / _carpeta).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(COLA_DIR / "mensajes"),
        "data_folder_out": str(COLA_DIR / "mensajes"),
        "control_folder": str(COLA_DIR / "control"),
        "processed_folder": str(COLA_DIR / "procesados"),
        "store_processed": False,
        # How often an idle worker looks at the folder, in seconds.
        "polling_interval": 0.5,
    }
# Rendering limits: past the soft limit a task gets SoftTimeLimitExceeded, recorded as a failure and
# retried like any other (core.tasks.reintentar_o_fallar); the hard limit kills a stuck process.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# Constancias per Celery task: each chunk is one WeasyPrint layout (memory grows with it, not with
# the batch); a batch is split into equal chunks of at most this many.
CONSTANCIAS_POR_TAREA = env.int("CONSTANCIAS_POR_TAREA", default=100)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat writes each task's last run to its table as soon as it sends it (by default only every 180 s):
# readiness reads the heartbeat task's (core.salud), a few small writes a minute.
CELERY_BEAT_SYNC_EVERY = 1
# How often beat looks for calls past their deadline and results past their second (seconds): a call
# closes, and results publish, within this much of their time. The walk-through test shortens it.
PROGRAMADOR_SEGUNDOS = env.float("PROGRAMADOR_SEGUNDOS", default=60.0)
CELERY_BEAT_SCHEDULE = {
    # The worker's heartbeat (core.salud): beat sends it through the broker, a worker records the time;
    # /salud/listo/ fails when it is older than SALUD_LATIDO_MAXIMO. A heartbeat nobody took within 25 s
    # expires, so a worker back after an outage does not run a pile of them.
    "core-latido": {
        "task": "core.tasks.latido_task",
        "schedule": 30.0,
        "options": {"expire_seconds": 25},
    },
    "convocatorias-cerrar-vencidas": {
        "task": "convocatorias.tasks.convocatorias_cerrar_vencidas",
        "schedule": PROGRAMADOR_SEGUNDOS,
    },
    # Generated files (acuses, dictámenes, reconocimientos, constancias, reports): queue again the
    # ones left pending, rebuild ready ones whose file went missing.
    "core-barrer-documentos": {
        "task": "core.tasks.documentos_barrer_task",
        "schedule": 300.0,
    },
    # Survey answers left pending when a session's survey closed are written once they form a group.
    "jornadas-agrupar-encuestas": {
        "task": "jornadas.tasks.encuestas_agrupar_task",
        "schedule": 3600.0,
    },
    # Checks state every minute (not a one-shot ETA), so a restart cannot miss the embargo second.
    "evaluacion-publicar-resultados": {
        "task": "evaluacion.tasks.resultados_publicar_pendientes",
        "schedule": PROGRAMADOR_SEGUNDOS,
    },
    # Once a day at 00:05 in CELERY_TIMEZONE (Mexico City): a fixed time of day, not every 86,400 s
    # counted from whenever beat last started. django_celery_beat stores it as a CrontabSchedule.
    "evaluacion-vigencias-diarias": {
        "task": "evaluacion.tasks.vigencias_diarias",
        "schedule": crontab(minute=5, hour=0),
    },
    # Cartas compromiso, daily at 07:00: record what passed its target date, fulfil what a published
    # recognition fulfils (publication already queues it; this catches up), send the reminders.
    "compromisos-seguimiento-diario": {
        "task": "compromisos.tasks.seguimiento_diario_task",
        "schedule": crontab(minute=0, hour=7),
    },
}

# Readiness (/salud/listo/, core.salud): the worker's heartbeat, and beat's record of sending it, may be
# this many seconds old (beat sends it every 30 s).
SALUD_LATIDO_MAXIMO = env.int("SALUD_LATIDO_MAXIMO", default=120)
SALUD_BEAT_MAXIMO = env.int("SALUD_BEAT_MAXIMO", default=120)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # A public, read-only API: no sessions or passwords, so every client is anonymous and rate-limited.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Paginacion",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["core.api.LimiteAnonimo"],
    # Proxies in front of the app whose X-Forwarded-For entries are trusted to find the client's
    # address: 0 reads REMOTE_ADDR only (nothing a client can forge); 1 behind one HTTPS proxy.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
# Error pages (core.views_errores, config.urls handler*): a CSRF failure is a Spanish page (Django's
# reason goes to the log only), and the API's errors carry Spanish messages (Http404, throttling).
CSRF_FAILURE_VIEW = "core.views_errores.csrf_fallido"
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "core.api.manejar_excepcion"
# Requests per anonymous client address (counted in the shared cache), e.g. "120/min" or "5000/day".
API_LIMITE_ANONIMO = env("API_LIMITE_ANONIMO", default="120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Reconoce API",
    "DESCRIPTION": "API de solo lectura del portal: convocatorias, prácticas reconocidas (con los filtros del "
                   "catálogo), sujetos obligados y cifras agregadas de las jornadas de sensibilización. Sin "
                   "autenticación; las respuestas se paginan y cada dirección tiene un límite de consultas.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # No Swagger UI or ReDoc: the documentation page is the portal's own (core.api_documentacion).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums", "core.api.respuestas_de_error"],
}
# Licence of the open data (the DCAT catalogue and the open-data page say it).
DATOS_ABIERTOS_LICENCIA = env("DATOS_ABIERTOS_LICENCIA", default="https://creativecommons.org/licenses/by/4.0/")

# The instance's own identity, for the pages no single authority owns (home, archive, open data,
# accounts); a page of one authority's call, practice, result or session shows that authority's face
# instead (core.cara). One instance hosts several authorities: nothing here names one of them.
PORTAL_NOMBRE = env("PORTAL_NOMBRE", default="Reconoce")
PORTAL_DESCRIPCION = env(
    "PORTAL_DESCRIPCION", default="Portal de los reconocimientos a las prácticas de transparencia proactiva.")
PORTAL_CORREO = env("PORTAL_CORREO", default="")
PORTAL_SITIO_WEB = env("PORTAL_SITIO_WEB", default="")
PORTAL_COLOR = env("PORTAL_COLOR", default="#1f4e79")

# Content-Security-Policy (django-csp): scripts, styles, images and fonts from this site only; no inline
# code. The one inline <style> (the page's authority colour, base.html) carries the request's nonce;
# Bootstrap's icons are data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
# Permissions-Policy (core.middleware): browser features no page of the portal uses, off for every page.
PERMISSIONS_POLICY = {f: [] for f in (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone",
    "payment", "usb")}

# Public base URL of every absolute link (pages, sitemap, open data, API, PDFs, e-mails): core.sitio.
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"cache_una_vez": {"()": "core.cache.UnaVezCadaTanto"},
                "sin_aviso_de_host": {"()": "core.bitacora.SinAvisoDeHost"},
                "sin_traza_en_4xx": {"()": "core.bitacora.SinTrazaEn4xx"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"},
        # Django's own console handler (DEBUG only) would print each record a second time through the
        # root's: its records go to the root's handler alone.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # A refused request is one line, without the traceback of the PermissionDenied or Http404.
        "django.request": {"filters": ["sin_traza_en_4xx"]},
        # Start-up chatter ("logger bridge initialized") on every process.
        "pikepdf": {"level": "WARNING"},
        # django-axes logs four INFO lines per login; lockouts and refusals are warnings.
        "axes": {"level": env("AXES_LOG_LEVEL", default="WARNING")},
        # One line per eager task in the dev server is noise; failures still log as errors.
        "celery.app.trace": {"level": env("CELERY_TRACE_LOG_LEVEL", default="WARNING")},
        # kombu's warning on every connection to the filesystem transport, whose URL has no host.
        "kombu.connection": {"filters": ["sin_aviso_de_host"]},
        # Celery's own INFO lines (connected, ready, each task received); `make run` sets WARNING.
        "celery": {"level": env("CELERY_LOG_LEVEL", default="INFO")},
        # The fail-safe cache's ignored errors: one line now and then, not a traceback per operation.
        "core.cache": {"filters": ["cache_una_vez"]},
        # A signature whose certificate chains to no configured root is an answer the verification page
        # gives («Certificado que el portal no reconoce»), not a fault: no traceback per uploaded file.
        "pyhanko.sign.validation.generic_cms": {"level": "ERROR"},
    },
}
