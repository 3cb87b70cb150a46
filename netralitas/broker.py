"""kombu's Redis transport, keeping one redis.Redis client per channel pool (issue 11).

kombu builds a new redis.Redis for every publish (Channel.conn_or_acquire without a client);
with redis-py 8 that constructor costs ~0.14 ms, a quarter of a task's publish, and every
public submission publishes its receipt's delivery task. The client is safe to share: it takes a
connection from the pool for each command (as netralitas.rediscache does for Django's cache).
Registered under the ``redis`` and ``rediss`` URL schemes when netralitas.celery is imported.
"""

from __future__ import annotations

from contextlib import contextmanager

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport import redis as kombu_redis


class Channel(kombu_redis.Channel):
    _shared_client = None

    @contextmanager
    def conn_or_acquire(self, client=None):
        if client:
            yield client
            return
        shared = self._shared_client
        if shared is None or shared.connection_pool is not self.pool:  # a new pool after a reconnect
            shared = self._shared_client = self._create_client()
        yield shared


class Transport(kombu_redis.Transport):
    Channel = Channel


def install() -> None:
    for scheme in ("redis", "rediss"):
        TRANSPORT_ALIASES[scheme] = "netralitas.broker:Transport"
