"""Short-lived per-process copies of the small reference tables read on hot paths.

Every public submission needs the elections and the deadline rules; reading
them from PostgreSQL each time costs more than the rest of the request's
reads together. They change a few times a year, through the admin: a saved
row clears this process's copy at once (signals in NetralitasConfig.ready),
other processes see it within NETRALITAS_REFERENCE_CACHE_SECONDS.

A copy built from other copies (the rendered form page from the provinsi and
the catalogue) counts as loaded when the oldest of them was, so it never
outlives them: the TTL bounds how stale anything here is, however derived.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")
_store: dict[str, tuple[float, object]] = {}
_local = threading.local()  # .building: the load time to record for each copy being built, innermost last


def _now() -> float:
    return time.monotonic()


def _note(loaded_at: float) -> None:
    """A copy loaded at ``loaded_at`` was read: the copy being built is no fresher than it."""
    building = getattr(_local, "building", None)
    if building and loaded_at < building[-1]:
        building[-1] = loaded_at


def cached(key: str, loader: Callable[[], T]) -> T:
    """``loader()``'s value, reused for NETRALITAS_REFERENCE_CACHE_SECONDS (0 = always load)."""
    ttl = settings.NETRALITAS_REFERENCE_CACHE_SECONDS
    if ttl <= 0:
        return loader()
    now = _now()
    hit = _store.get(key)
    if hit is not None and now - hit[0] < ttl:
        _note(hit[0])
        return hit[1]  # type: ignore[return-value]
    building = _local.__dict__.setdefault("building", [])
    building.append(now)
    try:
        value = loader()
    finally:
        loaded_at = building.pop()
    _store[key] = (loaded_at, value)
    _note(loaded_at)
    return value


def clear(*args, **kwargs) -> None:
    """Forget every copy (connected to the reference models' save/delete signals)."""
    _store.clear()
