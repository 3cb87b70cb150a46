"""Probes for /healthz. Each returns {"ok": bool, ...} and never raises."""

import time

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    started = time.monotonic()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "vendor": connection.vendor, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_broker() -> dict:
    """PING the Redis broker; eager mode has no broker and reports so."""
    url = settings.CELERY_BROKER_URL
    if not url:
        return {"ok": True, "mode": "eager"}
    import redis

    started = time.monotonic()
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "mode": "redis", "error": exc.__class__.__name__}
    return {"ok": True, "mode": "redis", "ms": round((time.monotonic() - started) * 1000, 1)}


def check_cache() -> dict:
    """Write and read a key in the shared cache; down means rate limits and sessions fall back (never fail)."""
    from django.core.cache import caches

    started = time.monotonic()
    try:
        cache = caches["default"]
        cache.set("healthz", "1", 10)
        if cache.get("healthz") != "1":
            return {"ok": False, "error": "mismatch"}
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_storage() -> dict:
    """The private media folder exists (or can be made) and is writable: evidence files go there."""
    import os

    root = str(settings.MEDIA_ROOT)
    try:
        os.makedirs(root, exist_ok=True)
    except OSError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": os.access(root, os.W_OK | os.X_OK)}
