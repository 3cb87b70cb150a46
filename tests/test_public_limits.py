"""Issue 10, findings 3, 4 and 5: the anti-bot timer, the submission limit and the status lookup limits
treat honest citizens (who make mistakes, and share carrier or office IPs) as people, not bots."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.test import Client, RequestFactory

from netralitas import ratelimit
from reports.models import Report
from reports.pins import hash_pin
from reports.public.antibot import issue_timer
from tests.conftest import NEEDS_REDIS
from tests.factories import ReportFactory
from tests.test_intake import NOW, report_data, text


@pytest.fixture
def places(organisations):
    from netralitas.models import Region

    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    return {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}


@pytest.fixture(autouse=True)
def env(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0


def timer_in(html: str) -> str:
    return re.search(r'name="form_ts" value="([^"]+)"', html)[1]


# ------------------------------------------------------------------ finding 3: the timer


def test_fixing_a_mistake_within_a_second_is_not_treated_as_a_bot(client, places, settings):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 3
    with time_machine.travel(NOW, tick=False) as clock:
        timer = timer_in(text(client.get("/lapor/")))
        clock.shift(timedelta(seconds=40))  # the citizen fills the form
        first = client.post("/lapor/", report_data(places, form_ts=timer, reporter_name=""))
        html = text(first)
        assert "Tulis nama lengkap Anda, atau pilih Anonim." in html
        assert "terlalu cepat" not in html
        carried = timer_in(html)
        assert carried == timer  # issued once per form, carried through the re-render
        clock.shift(timedelta(seconds=0.8))
        fixed = client.post("/lapor/", report_data(places, form_ts=carried))
    assert (fixed.status_code, fixed["Location"]) == (303, "/lapor/tanda-terima/")
    assert Report.objects.count() == 1


def test_a_spent_timer_cannot_send_a_second_report(client, places):
    with time_machine.travel(NOW, tick=True):
        timer = issue_timer()
        assert client.post("/lapor/", report_data(places, form_ts=timer)).status_code == 303
        replay = client.post("/lapor/", report_data(places, form_ts=timer, reporter_name="Siti Lagi"))
    html = text(replay)
    assert replay.status_code == 200
    assert "Formulir ini sudah pernah terkirim." in html
    assert 'value="Siti Lagi"' in html  # nothing typed is lost
    assert timer_in(html) != timer  # a fresh timer, so the person can send if they mean it
    assert Report.objects.count() == 1


@NEEDS_REDIS
def test_timer_is_single_use_in_real_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-antibot-{uuid.uuid4().hex}",
        }
    }
    from reports.public.antibot import consume_timer

    timer = issue_timer()
    assert [consume_timer(timer), consume_timer(timer), consume_timer("form:forged:sig")] == [True, False, False]


# ------------------------------------------------------------------ finding 4: the submission limit


def test_corrections_do_not_use_up_the_hourly_limit(client, places, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit": (10, 3600)}
    with time_machine.travel(NOW, tick=True):
        for _ in range(3):
            assert client.post("/lapor/", report_data(places, form_ts=issue_timer())).status_code == 303
        for number in range(7):
            data = report_data(places, reporter_nik="123") if number % 2 else report_data(places, add_terlapor="1")
            assert client.post("/lapor/", data).status_code == 200
        eleventh = client.post("/lapor/", report_data(places, form_ts=issue_timer()))
    assert eleventh.status_code == 303
    assert Report.objects.count() == 4


def test_successful_reports_are_still_limited(client, places, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit": (2, 3600)}
    with time_machine.travel(NOW, tick=True):
        assert client.post("/lapor/", report_data(places, form_ts=issue_timer())).status_code == 303
        assert client.post("/lapor/", report_data(places, reporter_nik="1")).status_code == 200
        assert client.post("/lapor/", report_data(places, form_ts=issue_timer())).status_code == 303
        third = client.post("/lapor/", report_data(places, form_ts=issue_timer(), reporter_name="Siti Ketiga"))
    assert third.status_code == 429
    assert 'value="Siti Ketiga"' in text(third)
    assert Report.objects.count() == 2


def test_all_posts_have_a_much_higher_cap(client, places, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit_post": (5, 3600)}
    with time_machine.travel(NOW, tick=True):
        answers = [client.post("/lapor/", report_data(places, reporter_nik="1")).status_code for _ in range(6)]
    assert answers == [200, 200, 200, 200, 200, 429]


# ------------------------------------------------------------------ finding 5: /status/

CODE, PIN = "NTR-7K3M-Q9XD", "K7QM-3XWD-9PHT-R2NB"
WRONG = "AAAA-BBBB-CCCC-DDDD"


def lookup(client: Client, code: str, pin: str, **meta):
    return client.post(
        "/status/", {"tracking_code": code, "pin": pin, "form_ts": issue_timer(), "situs_web": ""}, **meta
    )


def test_wrong_guesses_on_other_codes_never_block_the_right_pin(reference_data):
    ReportFactory(tracking_code=CODE, pin_hash=hash_pin(PIN))
    client = Client()  # everyone behind one carrier IP
    for number in range(12):
        assert lookup(client, f"NTR-2345-67{number:02d}", WRONG).status_code == 200
    right = lookup(client, CODE, PIN)
    assert (right.status_code, right["Location"]) == (303, "/status/laporan/")


def test_an_attacked_code_waits_and_no_other(reference_data, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "lookup_failed_code": (3, 3600)}
    ReportFactory(tracking_code=CODE, pin_hash=hash_pin(PIN))
    other = ReportFactory(tracking_code="NTR-2345-6789", pin_hash=hash_pin(PIN))
    attacker = Client(REMOTE_ADDR="198.51.100.7")
    assert [lookup(attacker, CODE, WRONG).status_code for _ in range(3)] == [200, 200, 200]
    owner = Client(REMOTE_ADDR="203.0.113.20")
    blocked = lookup(owner, CODE, PIN)
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan PIN yang salah untuk kode pelacakan ini." in text(blocked)
    assert lookup(owner, other.tracking_code, PIN).status_code == 303


def test_a_high_cap_per_address_refuses_only_wrong_guesses(reference_data, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "lookup_failed": (4, 3600)}
    ReportFactory(tracking_code=CODE, pin_hash=hash_pin(PIN))
    client = Client()
    answers = [lookup(client, f"NTR-2345-67{n:02d}", WRONG).status_code for n in range(6)]
    assert answers == [200, 200, 200, 200, 429, 429]
    assert lookup(client, CODE, PIN).status_code == 303


def test_spoofed_forwarded_for_from_outside_the_proxy_network_is_ignored(reference_data, settings):
    settings.NETRALITAS_TRUSTED_PROXIES = 1
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "lookup_failed": (10, 3600)}
    client = Client(REMOTE_ADDR="203.0.113.50")  # straight to gunicorn, not through the proxy
    answered = 0
    for number in range(60):
        response = lookup(client, f"NTR-3456-{number:04d}", WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        answered += response.status_code == 200
    assert answered == 10


def test_client_ip_counts_trusted_proxies_from_the_right(settings):
    settings.NETRALITAS_TRUSTED_PROXIES = 2
    factory = RequestFactory()
    through_both = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9, 10.0.0.1")
    assert ratelimit.client_ip(through_both) == "198.51.100.9"
    direct = factory.get("/", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="198.51.100.9, 10.0.0.1")
    assert ratelimit.client_ip(direct) == "203.0.113.5"
    inner_not_proxy = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9, 6.6.6.6")
    assert ratelimit.client_ip(inner_not_proxy) == "10.0.0.2"
    garbage = factory.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip, 10.0.0.1")
    assert ratelimit.client_ip(garbage) == "10.0.0.2"
