"""Fixed-window limits in the cache, against locmem and against the real Redis."""

import os

import pytest
import time_machine
from django.test import RequestFactory

from netralitas import ratelimit
from tests.conftest import NEEDS_REDIS


@pytest.fixture
def small_limit(settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit": (3, 60)}


def test_limit_allows_then_refuses_then_resets(small_limit):
    with time_machine.travel("2024-10-01 10:00:05", tick=False):
        verdicts = [ratelimit.hit("submit", "10.0.0.1") for _ in range(4)]
        assert [v.allowed for v in verdicts] == [True, True, True, False]
        assert [v.remaining for v in verdicts] == [2, 1, 0, 0]
        assert verdicts[-1].retry_after == 55
        assert ratelimit.hit("submit", "10.0.0.2").allowed is True  # per client
    with time_machine.travel("2024-10-01 10:01:01", tick=False):
        assert ratelimit.hit("submit", "10.0.0.1").allowed is True


def test_client_ip_ignores_forwarded_for_unless_proxied(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.NETRALITAS_TRUSTED_PROXIES = 0
    assert ratelimit.client_ip(request) == "10.1.1.1"
    settings.NETRALITAS_TRUSTED_PROXIES = 1
    assert ratelimit.client_ip(request) == "203.0.113.9"


@NEEDS_REDIS
def test_limit_holds_in_real_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-rl-{os.getpid()}",
        }
    }
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "lookup": (2, 60)}
    assert [ratelimit.hit("lookup", "10.9.9.9").allowed for _ in range(3)] == [True, True, False]
    assert ratelimit.peek("lookup", "10.9.9.9").allowed is False


@pytest.mark.parametrize("store", ["redis", "memory", "redis down"])
def test_hit_then_peek_gives_what_hit_and_peek_give_in_one_call(settings, store, monkeypatch):
    """The public intake's first cache call (issue 11): one round trip on Redis, the same verdicts everywhere."""
    from django.core.cache import caches

    from netralitas import safecache

    if store == "memory":
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    if store == "redis down":
        monkeypatch.setattr(safecache, "_down_until", float("inf"))  # every call uses the process's memory
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit_post": (3, 3600), "submit": (2, 3600)}
    cache = caches["default"] if store != "redis down" else None
    mark = "antibot:used:nonce-uji"
    if cache is not None:
        cache.set(mark, 1, 60)
    else:
        safecache.add(mark, 1, timeout=60)
    with time_machine.travel("2024-10-01 10:00:05", tick=False):
        first, values = ratelimit.hit_then_peek("submit_post", "submit", "10.0.0.1", reads=[mark])
        assert (first, values) == (ratelimit.Verdict(True, 2, 3595), [1])
        ratelimit.hit("submit", "10.0.0.1")
        ratelimit.hit("submit", "10.0.0.1")  # the hourly limit reached: one more would not fit
        second, values = ratelimit.hit_then_peek("submit_post", "submit", "10.0.0.1", reads=["antibot:used:other"])
        assert (second, values) == (ratelimit.Verdict(False, 0, 3595), [None])
        assert ratelimit.hit_then_peek("submit_post", "submit", "10.0.0.1")[0] == ratelimit.Verdict(False, 0, 3595)
        assert ratelimit.hit("submit_post", "10.0.0.1") == ratelimit.Verdict(False, 0, 3595)  # 4 > 3 posts
