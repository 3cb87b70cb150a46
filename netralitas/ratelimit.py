"""Fixed-window rate limits in the cache (Redis in production: INCR is atomic across workers)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: int


def client_ip(request: HttpRequest) -> str:
    """The caller's address; X-Forwarded-For is believed only behind NETRALITAS_TRUSTED_PROXIES proxies."""
    hops = settings.NETRALITAS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            return chain[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def limit_for(name: str) -> Limit:
    count, seconds = settings.NETRALITAS_RATE_LIMITS[name]
    return Limit(count=count, seconds=seconds)


def _key(name: str, ident: str, window: int) -> str:
    return f"rl:{name}:{ident}:{window}"


def hit(name: str, ident: str) -> Verdict:
    """Count one attempt of ``name`` by ``ident``; allowed while within the limit."""
    limit = limit_for(name)
    now = int(time.time())
    window = now // limit.seconds
    key = _key(name, ident, window)
    if cache.add(key, 1, timeout=limit.seconds + 5):
        used = 1
    else:
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=limit.seconds + 5)
            used = 1
    retry_after = (window + 1) * limit.seconds - now
    return Verdict(allowed=used <= limit.count, remaining=max(limit.count - used, 0), retry_after=retry_after)


def peek(name: str, ident: str) -> Verdict:
    """The state of ``name`` for ``ident`` without counting an attempt."""
    limit = limit_for(name)
    now = int(time.time())
    window = now // limit.seconds
    used = cache.get(_key(name, ident, window), 0)
    return Verdict(
        allowed=used < limit.count,
        remaining=max(limit.count - used, 0),
        retry_after=(window + 1) * limit.seconds - now,
    )
