"""Short-lived per-process copies of the small reference tables read on hot paths.

Every public submission needs the elections and the deadline rules; reading
them from PostgreSQL each time costs more than the rest of the request's
reads together. They change a few times a year, through the admin: a saved
row clears this process's copy at once (signals in NetralitasConfig.ready),
other processes see it within NETRALITAS_REFERENCE_CACHE_SECONDS.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

T = TypeVar("T")
_store: dict[str, tuple[float, object]] = {}


def cached(key: str, loader: Callable[[], T]) -> T:
    """``loader()``'s value, reused for NETRALITAS_REFERENCE_CACHE_SECONDS (0 = always load)."""
    ttl = settings.NETRALITAS_REFERENCE_CACHE_SECONDS
    if ttl <= 0:
        return loader()
    now = time.monotonic()
    hit = _store.get(key)
    if hit is not None and now - hit[0] < ttl:
        return hit[1]  # type: ignore[return-value]
    value = loader()
    _store[key] = (now, value)
    return value


def clear(*args, **kwargs) -> None:
    """Forget every copy (connected to the reference models' save/delete signals)."""
    _store.clear()
