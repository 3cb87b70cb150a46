"""Headers on every response, found by crawling every URL of the URLconf as each role: a Content-Security-Policy
without 'unsafe-inline' on every HTML page (the admin and the error pages too), Permissions-Policy everywhere,
Cache-Control: no-store on every staff response and the reporter's pages, Referrer-Policy on public pages."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.test_idor import EXEMPT as IDOR_EXEMPT
from tests.test_idor import (
    REFERENCE_DATA,
    module_world,  # noqa: F401  (the IDOR world, built once per module)
    world,  # noqa: F401  (the IDOR world: real objects for every URL with an id)
)
from tests.test_settings import settings_in_subprocess
from tests.urlcrawl import PUBLIC_ROUTES, REPORTER_ROUTES, routes, urls_for

# One user of every role (and nobody, and a superuser). Staff of the same role in other organisations
# reach the same views through the same visibility rules; tests/test_idor.py covers those differences.
ROLES = [
    "anonymous",
    "superuser",
    "admin",
    "operator_sleman",
    "satgas_sleman",
    "bawaslu_sleman",
    "authority_bkn",
    "ppk_sleman",
    "wasdal_bkn",
    "viewer",
]
# Public pages send nothing to other sites. Every public HTML page holds a form posting back to us (the
# language switch at least): under "no-referrer" Chromium sends it with "Origin: null" and Django's CSRF
# check refuses it (tests/e2e/test_landing.py::test_landing_switches_to_english failed so), so HTML pages
# say "same-origin", which sends nothing cross-origin either; other public responses say "no-referrer".
REFERENCE_DATA_ROUTES = frozenset(
    route
    for route in routes()
    if any(route.startswith(f"admin/netralitas/{model}/") for model in (*REFERENCE_DATA, "electionphase"))
) | frozenset(IDOR_EXEMPT)
PERMISSIONS = ("camera=()", "microphone=()", "geolocation=()", "payment=()")


def problems_of(route: str, url: str, response) -> list[str]:
    found = []
    content_type = response.get("Content-Type", "")
    csp = response.get("Content-Security-Policy", "")
    if content_type.startswith("text/html"):
        if not csp:
            found.append("no Content-Security-Policy")
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"):
            if directive not in csp:
                found.append(f"CSP without {directive}")
    if "unsafe-inline" in csp or "unsafe-eval" in csp:
        found.append(f"unsafe CSP {csp}")
    policy = response.get("Permissions-Policy", "")
    found += [f"Permissions-Policy without {p}" for p in PERMISSIONS if p not in policy]
    staff = route not in PUBLIC_ROUTES
    if (staff or route in REPORTER_ROUTES) and "no-store" not in response.get("Cache-Control", ""):
        found.append(f"Cache-Control {response.get('Cache-Control')!r}")
    if route in PUBLIC_ROUTES:
        wanted = "same-origin" if content_type.startswith("text/html") else "no-referrer"
        if response.get("Referrer-Policy") != wanted:
            found.append(f"Referrer-Policy {response.get('Referrer-Policy')!r}, wanted {wanted!r}")
    return [f"{url} [{response.status_code}]: {problem}" for problem in found]


def crawled_routes(role: str) -> list[str]:
    """Every route for administrators and nobody; for the other roles, every route but the admin pages of
    reference data, which are one view under one rule for every staff user (the administrators' crawl has them)."""
    if role in ("anonymous", "superuser", "admin"):
        return routes()
    return [route for route in routes() if route not in REFERENCE_DATA_ROUTES]


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_with_the_security_headers(world, cast, role):  # noqa: F811
    client = Client()
    if role != "anonymous":
        client.force_login(world["superuser"] if role == "superuser" else cast[role])
    problems: list[str] = []
    html_pages = 0
    for route in crawled_routes(role):
        for url in urls_for(route, world):
            response = client.get(url)
            problems += problems_of(route, url, response)
            html_pages += response.get("Content-Type", "").startswith("text/html")
    assert problems == []
    assert html_pages > (100 if role in ("superuser", "admin") else 10)


def test_the_error_pages_carry_the_policy_too(cast, monkeypatch):
    from netralitas import views

    client = Client(raise_request_exception=False)
    not_found = client.get("/tidak-ada-di-sini/")
    csrf_refused = Client(enforce_csrf_checks=True).post("/lapor/", {})

    def broken():
        raise RuntimeError("rusak")

    monkeypatch.setattr(views.selectors, "violation_catalogue_for_public", broken)
    server_error = client.get("/")

    for response in (not_found, csrf_refused, server_error):
        assert response.status_code in (404, 403, 500)
        assert problems_of("error", "error", response) == [], response.status_code
        assert "no-store" in response["Cache-Control"]


def test_the_policy_has_no_unsafe_inline_and_names_every_source(reference_data):
    csp = Client().get("/")["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["img-src"] == "'self' data:"
    assert directives["form-action"] == "'self'"
    assert directives["base-uri"] == "'none'"


def test_the_admin_lives_where_the_environment_says():
    moved = settings_in_subprocess(
        {"DJANGO_DEBUG": "1", "NETRALITAS_ADMIN_PATH": "kelola-rahasia/"},
        "__import__('django.urls', fromlist=['reverse']).reverse('admin:index')",
    )
    default = settings_in_subprocess(
        {"DJANGO_DEBUG": "1"}, "__import__('django.urls', fromlist=['reverse']).reverse('admin:index')"
    )

    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.strip() == "/kelola-rahasia/"
    assert default.stdout.strip() == "/admin/"
