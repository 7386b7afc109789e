# Reconoce: one image for the web (gunicorn + whitenoise), the Celery worker and Celery beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    PRIVATE_MEDIA_ROOT=/data/private \
    MEDIA_ROOT=/data/media \
    RESPALDO_DIR=/respaldos

# WeasyPrint renders every PDF with the system's Pango; the fonts are the ones the PDF templates name.
# pg_dump/pg_restore (manage.py respaldar / restaurar) come from Debian bookworm's client, version 15:
# pg_dump refuses a server newer than itself, so docker-compose.yml runs postgres:15. Named by its
# major version so a base image with another client fails here instead of at the first backup.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
        postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 1000 reconoce \
    && useradd --system --uid 1000 --gid reconoce --home-dir /app --shell /usr/sbin/nologin reconoce

WORKDIR /app

# Dependencies first, so a code change does not reinstall them: the runtime lock (exact versions with
# their hashes, the same as requirements.lock's, without the dev tools). The apps are imported from /app.
COPY requirements-prod.lock ./
RUN pip install --require-hashes -r requirements-prod.lock

COPY . .

# Production settings refuse to start without a real secret: collectstatic gets a throwaway one that
# lives only in this RUN step (it is not kept in any layer or in the image's environment).
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
        ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput -v 0 \
    && python -c 'import weasyprint' \
    && mkdir -p /data/private /data/media /respaldos \
    && chown reconoce:reconoce /data/private /data/media /respaldos

# The commit a backup's manifest records (the image has no .git): docker compose build passes it. Last,
# so a new commit rebuilds nothing above.
ARG RECONOCE_COMMIT=""
ENV RECONOCE_COMMIT=${RECONOCE_COMMIT}

USER reconoce
VOLUME ["/data/private", "/data/media"]
EXPOSE 8000

# gunicorn reads its worker count from WEB_CONCURRENCY; other options from GUNICORN_CMD_ARGS.
ENV WEB_CONCURRENCY=3
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--logger-class", "config.gunicorn_registro.SinTokens"]
