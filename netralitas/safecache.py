"""Cache calls for the public path that never raise: Redis when it answers, this process's memory when not.

Rate limits, anti-bot tokens and sessions live in the cache (Redis in production). A citizen's
report must not be lost because Redis is down, so every call here catches the cache's error,
logs it once per outage, and falls back to a per-process memory store: limits keep holding per
worker (a little looser across workers), nothing raises. After a failure Redis is left alone for
RETRY_SECONDS, so a dead server costs one connection attempt per process every few seconds, not
one per request.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0
_fallback = LocMemCache("netralitas-safecache-fallback", {"OPTIONS": {"MAX_ENTRIES": 50_000}})
_down_until = 0.0
_lock = threading.Lock()


def fallback_store() -> BaseCache:
    """The process-local store used while the shared cache is unreachable."""
    return _fallback


def shared_cache_up() -> bool:
    """False while a recent failure keeps the shared cache out of use."""
    return time.monotonic() >= _down_until


def mark_down(exc: BaseException) -> None:
    """Keep the shared cache out of use for RETRY_SECONDS; log the first failure of an outage."""
    global _down_until
    with _lock:
        was_up = time.monotonic() >= _down_until
        _down_until = time.monotonic() + RETRY_SECONDS
    if was_up:
        logger.warning("cache unreachable, using process memory for %.0f s: %s", RETRY_SECONDS, exc.__class__.__name__)


def reset() -> None:
    """Forget a recorded outage and the fallback's contents (tests)."""
    global _down_until
    _down_until = 0.0
    _fallback.clear()


def _call(method: str, key: str, *args: Any, **kwargs: Any) -> Any:
    shared = caches["default"]  # constructing the backend opens no connection
    if shared_cache_up():
        try:
            return getattr(shared, method)(key, *args, **kwargs)
        except ValueError:
            raise  # incr of a missing key: the caller handles it, the cache is fine
        except Exception as exc:  # noqa: BLE001 - redis-py and its pool raise many kinds
            mark_down(exc)
    # The shared cache's prefix keeps the fallback's keys apart per site (and per test).
    return getattr(_fallback, method)(f"{shared.key_prefix}:{key}", *args, **kwargs)


def add(key: str, value: Any, timeout: int) -> bool:
    return _call("add", key, value, timeout=timeout)


def set(key: str, value: Any, timeout: int) -> None:  # noqa: A001 - the cache's own name
    _call("set", key, value, timeout=timeout)


def get(key: str, default: Any = None) -> Any:
    return _call("get", key, default)


def incr(key: str) -> int:
    """Increment ``key``; ValueError when it does not exist (as Django's caches do)."""
    return _call("incr", key)


def count(key: str, timeout: int) -> int:
    """Add one to the counter ``key`` (created for ``timeout`` seconds when missing); the new value. Never raises.

    On Redis one round trip (SET NX EX and INCR in one MULTI), where add-then-incr took three.
    """
    shared = caches["default"]
    if shared_cache_up():
        try:
            client = getattr(shared, "_cache", None)
            if hasattr(client, "get_client"):  # django.core.cache.backends.redis.RedisCache
                full_key = shared.make_and_validate_key(key)
                pipe = client.get_client(full_key, write=True).pipeline(transaction=True)
                pipe.set(full_key, 0, ex=timeout, nx=True)
                pipe.incr(full_key)
                return int(pipe.execute()[1])
            return _add_or_incr(shared, key, timeout)
        except Exception as exc:  # noqa: BLE001 - redis-py and its pool raise many kinds
            mark_down(exc)
    return _add_or_incr(_fallback, f"{shared.key_prefix}:{key}", timeout)


def count_and_get(key: str, timeout: int, reads: Sequence[str] = ()) -> tuple[int, list[Any]]:
    """count(key, timeout) and the values of the keys ``reads`` (None when missing). Never raises.

    On Redis one round trip: SET NX EX, INCR and a GET per read in one MULTI.
    """
    shared = caches["default"]
    if shared_cache_up():
        try:
            client = getattr(shared, "_cache", None)
            if hasattr(client, "get_client"):  # django.core.cache.backends.redis.RedisCache
                full_key = shared.make_and_validate_key(key)
                pipe = client.get_client(full_key, write=True).pipeline(transaction=True)
                pipe.set(full_key, 0, ex=timeout, nx=True)
                pipe.incr(full_key)
                for read in reads:
                    pipe.get(shared.make_and_validate_key(read))
                answers = pipe.execute()
                values = [None if raw is None else client._serializer.loads(raw) for raw in answers[2:]]
                return int(answers[1]), values
            return _add_or_incr(shared, key, timeout), [shared.get(read) for read in reads]
        except Exception as exc:  # noqa: BLE001 - redis-py and its pool raise many kinds
            mark_down(exc)
    prefix = shared.key_prefix
    used = _add_or_incr(_fallback, f"{prefix}:{key}", timeout)
    return used, [_fallback.get(f"{prefix}:{read}") for read in reads]


def add_then_count(key: str, value: Any, timeout: int, counter: str, counter_timeout: int) -> bool:
    """add(key, value, timeout) and, when it added, count(counter, counter_timeout). Never raises.

    On Redis one round trip: SET NX EX of ``key`` and the counter's SET NX EX and INCR in one MULTI;
    when ``key`` was there already, a second one takes the count back (DECR).
    """
    shared = caches["default"]
    if shared_cache_up():
        try:
            client = getattr(shared, "_cache", None)
            if hasattr(client, "get_client"):  # django.core.cache.backends.redis.RedisCache
                full_key, full_counter = shared.make_and_validate_key(key), shared.make_and_validate_key(counter)
                redis = client.get_client(full_key, write=True)
                pipe = redis.pipeline(transaction=True)
                pipe.set(full_key, client._serializer.dumps(value), ex=shared.get_backend_timeout(timeout), nx=True)
                pipe.set(full_counter, 0, ex=counter_timeout, nx=True)
                pipe.incr(full_counter)
                added = bool(pipe.execute()[0])
                if not added:
                    redis.decr(full_counter)
                return added
            return shared.add(key, value, timeout=timeout) and bool(_add_or_incr(shared, counter, counter_timeout))
        except Exception as exc:  # noqa: BLE001 - redis-py and its pool raise many kinds
            mark_down(exc)
    prefix = shared.key_prefix
    if not _fallback.add(f"{prefix}:{key}", value, timeout=timeout):
        return False
    _add_or_incr(_fallback, f"{prefix}:{counter}", counter_timeout)
    return True


def uncount(key: str, timeout: int) -> None:
    """Take one back from the counter ``key`` (kept for ``timeout`` seconds). Never raises."""
    shared = caches["default"]
    if shared_cache_up():
        try:
            client = getattr(shared, "_cache", None)
            if hasattr(client, "get_client"):
                full_key = shared.make_and_validate_key(key)
                pipe = client.get_client(full_key, write=True).pipeline(transaction=True)
                pipe.decr(full_key)
                pipe.expire(full_key, timeout)  # a counter that expired meanwhile must not stay forever
                pipe.execute()
                return
            shared.decr(key)
            return
        except ValueError:  # decr of a missing key (Django's caches): nothing to take back
            return
        except Exception as exc:  # noqa: BLE001
            mark_down(exc)
    with contextlib.suppress(ValueError):
        _fallback.decr(f"{shared.key_prefix}:{key}")


def _add_or_incr(cache: BaseCache, key: str, timeout: int) -> int:
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=timeout)
        return 1


def delete(key: str) -> None:
    _call("delete", key)
