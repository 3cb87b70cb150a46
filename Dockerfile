# One image for web (gunicorn), worker and beat (celery) and the migrate job.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NETRALITAS_PRIVATE_MEDIA=/app/var/private

# gettext: msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 1000 --user-group --home-dir /app --no-create-home app

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

# Code stays root-owned and read-only to the app user; only var/ is writable.
COPY . .
RUN export DJANGO_DEBUG=0 DJANGO_SECRET_KEY=build-time-only-not-a-secret-0123456789abcdefghijklmnop \
    && python manage.py collectstatic --noinput -v 0 \
    && if [ -d locale ]; then python manage.py compilemessages -v 0; fi \
    && mkdir -p /app/var/private \
    && chown -R app:app /app/var

USER app
EXPOSE 8000

# Django checks the Host header, so ask with the first allowed host (a leading dot
# means "and subdomains"). /healthz answers 503 when the database is down.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as r; h = os.environ.get('DJANGO_ALLOWED_HOSTS', 'localhost').split(',')[0].strip().lstrip('.'); h = 'localhost' if h in ('', '*') else h; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"

CMD ["sh", "-c", "exec gunicorn netralitas.wsgi -b 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
