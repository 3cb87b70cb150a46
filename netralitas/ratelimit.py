"""Fixed-window rate limits in the cache (Redis in production: INCR is atomic across workers).

Every call goes through netralitas.safecache, so a limit never raises: with Redis down it holds
per worker process instead of across them.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

from netralitas import safecache


@dataclass(frozen=True)
class Limit:
    count: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    remaining: int
    retry_after: int


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _is_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.NETRALITAS_TRUSTED_PROXY_NETWORKS)))


def _valid_ip(address: str) -> bool:
    try:
        ipaddress.ip_address(address)
    except ValueError:
        return False
    return True


def client_ip(request: HttpRequest) -> str:
    """The caller's address.

    X-Forwarded-For is read only behind NETRALITAS_TRUSTED_PROXIES proxies, counted from the right
    (each proxy appends the address it received the request from), and only when the request came
    from an address in NETRALITAS_TRUSTED_PROXY_NETWORKS: a client reaching gunicorn directly
    cannot choose its own address by sending the header.
    """
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.NETRALITAS_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not hops or not forwarded or not _is_proxy(remote):
        return remote
    chain = [part.strip() for part in forwarded.split(",") if part.strip()]
    if len(chain) < hops:
        return remote
    # chain[-1] … chain[-(hops - 1)] were appended by our own inner proxies: they must be proxies too.
    if not all(_is_proxy(address) for address in chain[len(chain) - hops + 1 :]):
        return remote
    candidate = chain[-hops]
    return candidate if _valid_ip(candidate) else remote


def limit_for(name: str) -> Limit:
    count, seconds = settings.NETRALITAS_RATE_LIMITS[name]
    return Limit(count=count, seconds=seconds)


def _key(name: str, ident: str, window: int) -> str:
    return f"rl:{name}:{ident}:{window}"


def hit(name: str, ident: str) -> Verdict:
    """Count one attempt of ``name`` by ``ident``; allowed while within the limit. Never raises."""
    limit = limit_for(name)
    now = int(time.time())
    window = now // limit.seconds
    used = safecache.count(_key(name, ident, window), timeout=limit.seconds + 5)
    retry_after = (window + 1) * limit.seconds - now
    return Verdict(allowed=used <= limit.count, remaining=max(limit.count - used, 0), retry_after=retry_after)


def peek(name: str, ident: str) -> Verdict:
    """The state of ``name`` for ``ident`` without counting an attempt: allowed while one more would fit."""
    limit = limit_for(name)
    now = int(time.time())
    window = now // limit.seconds
    used = safecache.get(_key(name, ident, window), 0) or 0
    return Verdict(
        allowed=used < limit.count,
        remaining=max(limit.count - used, 0),
        retry_after=(window + 1) * limit.seconds - now,
    )
