"""Issue 10, finding 9: error pages in the site's layout, Indonesian first, with a way back and no detail."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

HEADER = '<a class="navbar-brand fw-semibold" href="/">Netralitas ASN</a>'
WAY_BACK = '<a class="btn btn-primary" href="/">Kembali ke beranda</a>'


def forbidden(request):
    raise PermissionDenied("internal reason never shown")


def broken(request):
    raise ZeroDivisionError("secret detail")


def database_gone(request):
    raise OperationalError("could not connect to server at 10.1.2.3")


urlpatterns = [
    path("uji/terlarang/", forbidden),
    path("uji/rusak/", broken),
    path("uji/basis-data/", database_gone),
]


@pytest.fixture
def site():
    from netralitas import urls

    with override_settings(ROOT_URLCONF="tests.test_error_pages"):
        urlpatterns[3:] = urls.urlpatterns
        yield Client(raise_request_exception=False)
    del urlpatterns[3:]


def page(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.parametrize(
    ("url", "status", "title", "heading"),
    [
        ("/tidak-ada/", 404, "Halaman tidak ditemukan", "Halaman tidak ditemukan"),
        ("/uji/terlarang/", 403, "Akses ditolak", "Akses ditolak"),
        ("/uji/rusak/", 500, "Terjadi kesalahan", "Terjadi kesalahan pada server kami"),
        ("/uji/basis-data/", 503, "Layanan sedang terganggu", "Layanan sedang terganggu"),
    ],
)
def test_error_pages_are_styled_indonesian_with_a_way_back(db, site, url, status, title, heading):
    response = site.get(url)
    html = page(response)
    assert response.status_code == status
    assert f"<title>{title} · Netralitas ASN</title>" in html
    assert f'<h1 class="h2 mb-3">{heading}</h1>' in html
    assert HEADER in html and WAY_BACK in html
    assert '<html lang="id">' in html
    for detail in ("internal reason", "secret detail", "ZeroDivisionError", "10.1.2.3", "Traceback", "Server Error"):
        assert detail not in html


def test_error_pages_follow_the_language_switch(db, site):
    site.cookies["django_language"] = "en"
    html = page(site.get("/tidak-ada/"))
    assert '<html lang="en">' in html
    assert "<title>Page not found · Civil Service Neutrality</title>" in html
    assert "Back to the home page" in html


def test_a_form_sent_without_its_csrf_token_gets_the_styled_403(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/lapor/", {"reporter_name": "Siti"})
    html = page(response)
    assert response.status_code == 403
    assert "<title>Formulir kedaluwarsa · Netralitas ASN</title>" in html
    assert HEADER in html and WAY_BACK in html
    assert "CSRF" not in html
