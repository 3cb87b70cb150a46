"""The status lookup's answer to a wrong code or PIN, served from the process's copy (reports.public.pagecopy).

The form page's copy is held by tests/test_form_page_budget.py; both are compared with the full render byte
for byte, but for the fresh tokens each visitor gets.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.test.signals import template_rendered

from netralitas import refcache
from reports.public.antibot import issue_timer

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')
TIMER_INPUT = re.compile(r'name="form_ts" value="([^"]*)"')
WRONG_PIN = "2345-6789-ABCD-EFGH"  # no report has code NTR-2345-6789 in these tests: the same answer as a wrong PIN


@pytest.fixture(autouse=True)
def guesses_allowed(settings):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "lookup_failed_code": (1000, 3600)}


def _normalised(html: str) -> str:
    html = CSRF_INPUT.sub('name="csrfmiddlewaretoken" value="CSRF"', html)
    return TIMER_INPUT.sub('name="form_ts" value="TIMER"', html)


def _wrong_guess(client: Client, code: str = "NTR-2345-6789", path: str = "/status/"):
    token = client.cookies["csrftoken"].value if "csrftoken" in client.cookies else ""
    data = {"tracking_code": code, "pin": WRONG_PIN, "form_ts": issue_timer(), "csrfmiddlewaretoken": token}
    return client.post(path, data)


VARIANTS = {
    "citizen": ("/status/", "NTR-2345-6789"),
    "english": ("/status/", "NTR-2345-6789"),
    "staff": ("/status/", "NTR-2345-6789"),
    "query": ('/status/?dari=wa&x=<b>"a"', "NTR-2345-6789"),
    "typed": ("/status/", ' "ntr 2345-6789"&<'),  # what the citizen typed, written back as the widget writes it
}


@pytest.mark.django_db
@pytest.mark.parametrize("variant", VARIANTS)
def test_the_process_copy_of_the_mismatch_page_is_the_full_render_byte_for_byte(variant, cast, settings):
    path, code = VARIANTS[variant]
    client = Client(enforce_csrf_checks=True)
    if variant == "english":
        client.cookies["django_language"] = "en"
    if variant == "staff":
        client.force_login(cast["operator_sleman"])
    client.get("/status/")  # the CSRF cookie, as a browser has it
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 0  # no process copies: rendered in full
    full = _wrong_guess(client, code, path)
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    try:
        built = _wrong_guess(client, code, path)  # renders the page once, with markers where the values go
        served = _wrong_guess(client, code, path)  # from the process copy
    finally:
        refcache.clear()
    pages = [response.content.decode() for response in (full, built, served)]
    assert [response.status_code for response in (full, built, served)] == [200, 200, 200]
    assert _normalised(pages[1]) == _normalised(pages[0])
    assert _normalised(pages[2]) == _normalised(pages[0])
    assert [full.headers.get(name) for name in ("Cache-Control", "Vary", "Content-Type")] == [
        served.headers.get(name) for name in ("Cache-Control", "Vary", "Content-Type")
    ]
    assert [(len(CSRF_INPUT.findall(page)), len(TIMER_INPUT.findall(page))) for page in pages] == [(2, 1)] * 3
    mismatch = "The code or PIN does not match." if variant == "english" else "Kode atau PIN tidak cocok."
    assert f'<p class="mb-1">{mismatch}</p>' in pages[2]
    assert WRONG_PIN not in pages[2]  # the PIN is never written back
    typed = {"typed": " &quot;ntr 2345-6789&quot;&amp;&lt;"}.get(variant, code)
    assert f'name="tracking_code" value="{typed}"' in pages[2]
    # The timer travels with the form (carried), the CSRF secret gets a fresh mask each time.
    first_csrf, second_csrf = CSRF_INPUT.findall(pages[1]), CSRF_INPUT.findall(pages[2])
    assert first_csrf[0] == first_csrf[1] and second_csrf[0] == second_csrf[1] and first_csrf != second_csrf


@pytest.mark.django_db
def test_a_warm_mismatch_page_renders_no_template(settings):
    client = Client()
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    rendered = []

    def count(sender, template, context, **kwargs):
        rendered.append(template.name)

    try:
        _wrong_guess(client)
        template_rendered.connect(count)
        try:
            response = _wrong_guess(client)
        finally:
            template_rendered.disconnect(count)
    finally:
        refcache.clear()
    assert (response.status_code, rendered) == (200, [])
    assert "Kode atau PIN tidak cocok." in response.content.decode()


@pytest.mark.django_db
def test_a_waiting_message_is_shown_with_the_mismatch(settings):
    """A message waiting in the session (access ended, say) is shown once, as the full render shows it."""
    client = Client()
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    try:
        _wrong_guess(client)  # the copy exists
        assert client.get("/status/laporan/")["Location"] == "/status/"  # no access: a message for the next page
        html = _wrong_guess(client).content.decode()
        again = _wrong_guess(client).content.decode()
    finally:
        refcache.clear()
    message = "Masukkan kode pelacakan dan PIN untuk melihat laporan Anda."
    assert (html.count(message), again.count(message)) == (1, 0)
    assert "Kode atau PIN tidak cocok." in html and "Kode atau PIN tidak cocok." in again
