"""Lockout (django-axes, database handler): 5 failures lock a username, many usernames lock an address,
an administrator sees the lock and lifts it, and it holds with Redis down."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

PASSWORD = "kata-sandi-uji-123"  # make_staff's
HOME_IP, OTHER_IP = "203.0.113.10", "198.51.100.7"
LOCKED_TEXT = "Terlalu banyak percobaan masuk yang gagal"


def attempt(username: str, password: str, *, ip: str = HOME_IP, client: Client | None = None):
    client = client or Client()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )
    return response, client


def fail(username: str, times: int, *, ip: str = HOME_IP) -> None:
    for _ in range(times):
        attempt(username, "salah-sama-sekali-123", ip=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_sixth_attempt_is_refused_even_with_the_right_password(cast):
    for n in range(4):
        response, _ = attempt("operator.sleman", "salah-sama-sekali-123")
        assert response.status_code == 200, n  # the login form again, with its error
    fifth, _ = attempt("operator.sleman", "salah-sama-sekali-123")
    sixth, client = attempt("operator.sleman", PASSWORD)

    assert fifth.status_code == 429
    assert sixth.status_code == 429
    assert not signed_in(client)
    html = sixth.content.decode()
    assert LOCKED_TEXT in html
    assert "60 menit" in html
    assert '<html lang="id"' in html


def test_the_lock_is_per_username_from_any_address_and_spares_other_usernames(cast):
    fail("operator.sleman", 5)

    same_user_elsewhere, client = attempt("operator.sleman", PASSWORD, ip=OTHER_IP)
    other_user_here, other = attempt("satgas.sleman", PASSWORD)

    assert same_user_elsewhere.status_code == 429 and not signed_in(client)
    assert other_user_here.status_code == 302 and signed_in(other)


def test_twenty_failures_across_usernames_lock_the_address_and_nineteen_do_not(cast):
    for n in range(19):
        attempt(f"tebakan.{n}", "apa-saja-123456")
    nineteen, client = attempt("operator.sleman", PASSWORD)
    assert nineteen.status_code == 302 and signed_in(client)

    attempt("tebakan.19", "apa-saja-123456")
    here, client = attempt("satgas.sleman", PASSWORD)
    elsewhere, other = attempt("satgas.sleman", PASSWORD, ip=OTHER_IP)

    assert here.status_code == 429 and not signed_in(client)
    assert elsewhere.status_code == 302 and signed_in(other)


def test_the_lock_ends_after_sixty_minutes(cast):
    start = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as traveller:
        fail("operator.sleman", 5)
        traveller.shift(timedelta(minutes=59))
        still, _ = attempt("operator.sleman", PASSWORD)
        traveller.shift(timedelta(minutes=61))
        later, client = attempt("operator.sleman", PASSWORD)

    assert still.status_code == 429
    assert later.status_code == 302 and signed_in(client)


def test_the_lock_holds_with_redis_down(cast, settings):
    """Nothing listens on 127.0.0.1:16390: the cache is gone, the database still counts the failures."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:16390/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"

    fail("operator.sleman", 5)
    response, client = attempt("operator.sleman", PASSWORD)

    assert response.status_code == 429 and not signed_in(client)


def test_an_administrator_sees_the_lock_and_lifts_it(cast):
    from netralitas.security.models import SecurityEvent

    fail("operator.sleman", 5)
    admin = Client()
    admin.force_login(cast["admin"])

    page = admin.get("/admin/axes/accessattempt/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "operator.sleman" in html
    assert "Terkunci sampai" in html
    attempt_ids = re.findall(r'name="_selected_action" value="(\d+)"', html)
    assert len(attempt_ids) == 1

    lifted = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "lift_lockouts", "_selected_action": attempt_ids},
        follow=True,
    )

    assert "Kunci dibuka untuk 1 percobaan masuk." in lifted.content.decode()
    response, client = attempt("operator.sleman", PASSWORD)
    assert response.status_code == 302 and signed_in(client)
    event = SecurityEvent.objects.get(kind="lockout_lifted")
    assert (event.user, event.detail["username"]) == (cast["admin"], "operator.sleman")


def test_the_lock_is_hidden_from_staff_who_are_not_administrators(cast):
    fail("operator.sleman", 5)
    ppk = Client()
    ppk.force_login(cast["ppk_sleman"])

    assert ppk.get("/admin/axes/accessattempt/").status_code == 403


@pytest.mark.parametrize("path", ["/admin/login/?next=/admin/"])
def test_the_login_form_says_how_many_attempts_are_allowed_nowhere(cast, path):
    """An attacker learns nothing from the form: the same error for a wrong password and a missing user."""
    wrong_password, _ = attempt("operator.sleman", "salah-sama-sekali-123")
    no_such_user, _ = attempt("tidak.ada", "salah-sama-sekali-123")

    assert wrong_password.status_code == no_such_user.status_code == 200
    error = re.compile(r'<p class="errornote">\s*(.*?)\s*</p>', re.S)
    assert error.search(wrong_password.content.decode())[1] == error.search(no_such_user.content.decode())[1]
