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
