"""The landing page, the language switch and /healthz."""

import json

import pytest
from django.db import OperationalError
from django.test import Client


def test_landing_page_in_indonesian_with_links_and_catalogue(client, reference_data):
    page = client.get("/")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="id">' in html
    assert "Laporkan ASN yang tidak netral dalam pemilu dan pilkada" in html
    assert 'href="/lapor/"' in html and 'href="/status/"' in html
    # Every active catalogue row is explained to citizens.
    for code in ("A1", "A7", "B1", "B5", "B13"):
        assert f'<span class="violation-code fw-semibold">{code}</span>' in html
    assert "<script" not in html.replace('<script src="', "")  # no inline script: a strict CSP holds


def test_language_switch_to_english_and_back(reference_data):
    client = Client(enforce_csrf_checks=True)
    client.get("/")
    token = client.cookies["csrftoken"].value
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Report civil servants who are not neutral in elections" in html
    client.post("/i18n/setlang/", {"language": "id", "next": "/", "csrfmiddlewaretoken": token})
    assert '<html lang="id">' in client.get("/").content.decode()


def test_language_switch_refuses_a_post_without_csrf(reference_data):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 403


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"] == {"ok": True, "mode": "eager"}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from netralitas import health

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(health.connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["database"] == {"ok": False, "error": "OperationalError"}
    assert (body["status"], body["submissions"]) == ("down", False)


@pytest.mark.django_db
def test_healthz_degraded_but_up_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    body = json.loads(response.content)
    assert response.status_code == 200
    assert body["status"] == "degraded"
    assert body["broker"]["ok"] is False
    assert body["broker"]["mode"] == "redis"


def test_browser_language_does_not_override_indonesian(client, reference_data):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="id">' in html
