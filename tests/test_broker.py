"""Against the real Redis: the broker answers, a task is published to it as JSON."""

import json
import os

import pytest

from tests.conftest import NEEDS_REDIS

pytestmark = NEEDS_REDIS


@pytest.mark.django_db
def test_healthz_sees_the_real_broker(client, settings):
    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    body = json.loads(client.get("/healthz").content)
    assert body["broker"]["ok"] is True
    assert body["broker"]["mode"] == "redis"


def test_task_is_published_to_redis_as_json():
    import redis

    from netralitas.celery import app
    from netralitas.tasks import task_sync_holidays

    url = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"  # a database of its own
    queue = "netralitas-test-publish"
    client = redis.Redis.from_url(url)
    client.delete(queue)
    assert app.conf.task_always_eager is False  # REDIS_URL set: tasks go through the broker
    with app.connection_for_write(url) as conn:
        task_sync_holidays.apply_async(connection=conn, queue=queue, routing_key=queue)
    raw = client.lpop(queue)
    assert raw is not None
    message = json.loads(raw)
    assert message["headers"]["task"] == "netralitas.sync_holidays"
    assert message["content-type"] == "application/json"
    client.delete(queue)


def test_cache_is_redis_when_configured(settings):
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "netralitas.rediscache.RedisCache"  # Django's, one client per pool
    cache = caches["default"]
    assert isinstance(cache, RedisCache)
    cache.set("netralitas-test-key", {"a": 1}, 5)
    assert cache.get("netralitas-test-key") == {"a": 1}
    cache.delete("netralitas-test-key")


def test_the_cache_and_the_broker_speak_redis_through_hiredis(settings):
    """redis-py parses replies and packs commands in C when hiredis is installed (requirements.txt, issue 11)."""
    from django.core.cache import caches
    from redis.connection import HiredisRespSerializer, _HiredisParser

    cache = caches["default"]
    cache.set("netralitas-test-hiredis", [1, "a"], 5)
    assert cache.get("netralitas-test-hiredis") == [1, "a"]
    connection = cache._cache.get_client(write=True).connection_pool.get_connection()
    try:
        assert isinstance(connection._parser, _HiredisParser)
        assert isinstance(connection._command_packer, HiredisRespSerializer)
    finally:
        cache._cache.get_client(write=True).connection_pool.release(connection)


def test_publishing_reuses_one_redis_client_per_channel(monkeypatch):
    """kombu made a redis.Redis per publish (~0.14 ms each, issue 11): netralitas.broker keeps one per pool."""
    import redis

    from netralitas import broker
    from netralitas.celery import app
    from netralitas.tasks import task_sync_holidays

    made = []
    create = broker.Channel._create_client
    monkeypatch.setattr(broker.Channel, "_create_client", lambda channel, **kw: made.append(1) or create(channel, **kw))
    url = os.environ["REDIS_URL"]
    queue = "netralitas-test-shared-client"
    client = redis.Redis.from_url(url)
    client.delete(queue)
    with app.connection_for_write(url) as conn:
        assert isinstance(conn.default_channel, broker.Channel)
        task_sync_holidays.apply_async(connection=conn, queue=queue, routing_key=queue)
        first = len(made)  # one per channel used
        for _ in range(3):
            task_sync_holidays.apply_async(connection=conn, queue=queue, routing_key=queue)
    assert client.llen(queue) == 4
    assert 1 <= first <= 2 and len(made) == first
    client.delete(queue)
