"""Django's Redis cache, keeping one redis.Redis client per connection pool.

Django's RedisCacheClient makes a new redis.Redis for every cache call; with redis-py 8 that
constructor (its response callbacks, its event dispatcher) cost ~0.14 ms, more than the round trip
to Redis on loopback, and a citizen's submission makes four cache calls (issue 11's profile: 8 % of
a worker's time). The client is safe to share: it takes a connection from the pool for each command.
"""

from __future__ import annotations

from django.core.cache.backends import redis as django_redis


class RedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this object: their ids stay theirs
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
