"""The staff frame (issue 12 item 2): signing in lands on the workspace, every staff page carries the
staff header with its way back to the workspace and a logout, and the admin index lists the role's
own models first and the reference tables last."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from tests.test_headers import crawled_routes
from tests.test_idor import module_world, world  # noqa: F401  (the IDOR world: real objects for every URL with an id)
from tests.twofactor import enrol, next_code
from tests.urlcrawl import PUBLIC_ROUTES, SIGN_IN_ROUTES, urls_for

PASSWORD = "kata-sandi-uji-123"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]


def test_signing_in_without_next_lands_on_the_workspace(cast):
    device = enrol(cast["ppk_sleman"])
    client = Client(enforce_csrf_checks=True)
    login_page = client.get("/admin/login/").content.decode()
    assert re.search(r'name="next" value="([^"]*)"', login_page)[1] == "/kerja/"

    password = client.post(
        "/admin/login/",
        {"username": "ppk.sleman", "password": PASSWORD, "next": "/kerja/", "csrfmiddlewaretoken": _token(login_page)},
    )
    assert (password.status_code, password["Location"]) == (302, "/kerja/")
    gate = client.get("/kerja/")
    assert (gate.status_code, gate["Location"]) == (302, "/masuk/kode/?next=/kerja/")

    # The code page reached without a next (a bookmark) also ends on the workspace.
    code_page = client.get("/masuk/kode/").content.decode()
    done = client.post("/masuk/kode/", {"code": next_code(device), "csrfmiddlewaretoken": _token(code_page)})
    assert (done.status_code, done["Location"]) == (302, "/kerja/")
    assert client.get("/kerja/").status_code == 200
    # Signed in, the login page itself sends the officer to the workspace too.
    assert client.get("/admin/login/")["Location"] == "/kerja/"


def test_an_explicit_next_is_still_followed(cast):
    client = Client()
    enrol(cast["ppk_sleman"])
    login = client.post("/admin/login/?next=/sanksi/", {"username": "ppk.sleman", "password": PASSWORD})
    assert (login.status_code, login["Location"]) == (302, "/sanksi/")


# --- every staff page in the frame, crawled as each role ---------------------------------------------

STAFF_ROLES = [
    "admin",
    "operator_sleman",
    "satgas_sleman",
    "bawaslu_sleman",
    "authority_bkn",
    "ppk_sleman",
    "wasdal_bkn",
    "viewer",
]


def frame_problems(url: str, html: str) -> list[str]:
    found = []
    if 'data-testid="staff-header"' not in html:
        found.append("no staff header")
    if 'data-testid="nav-admin"' not in html:
        found.append("no link to the admin's index")
    if not re.search(
        r'<form[^>]*action="/admin/logout/"[^>]*>\s*<input[^>]*csrfmiddlewaretoken[^>]*>\s*'
        r'<button[^>]*data-testid="logout"',
        html,
    ):
        found.append("no logout")
    crumb = re.search(r'class="nt-crumbs__root" href="/kerja/"|<li class="breadcrumb-item"><a href="/kerja/">', html)
    # The workspace itself and the sign-in steps (backup codes, re-authentication) need no way back.
    if url != "/kerja/" and not url.startswith("/masuk/") and not crumb:
        found.append("no breadcrumb back to the workspace")
    return found


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_staff_page_renders_the_staff_frame(world, cast, role):  # noqa: F811
    client = Client()
    client.force_login(cast[role])
    problems: list[str] = []
    framed = 0
    for route in crawled_routes(role):
        if route in PUBLIC_ROUTES or route in SIGN_IN_ROUTES:
            continue
        for url in urls_for(route, world):
            response = client.get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            found = frame_problems(url, response.content.decode())
            problems += [f"{url}: {problem}" for problem in found]
            framed += not found
    assert problems == [], "\n".join(problems)
    assert framed > 10


# --- the admin index per role ----------------------------------------------------------------------


def index_of(client: Client) -> list[tuple[str, list[str]]]:
    app_list = client.get("/admin/").context["app_list"]
    return [(str(app["name"]), [model["object_name"] for model in app["models"]]) for app in app_list]


def test_the_admin_index_puts_a_verifiers_work_first_and_reference_tables_last(cast):
    client = Client()
    client.force_login(cast["bawaslu_sleman"])
    assert index_of(client) == [
        ("Pekerjaan Anda", ["Report", "Terlapor", "Recommendation", "Person", "ExternalReference"]),
        ("Laporan", ["SealedAccess", "ReportEvent", "CaseEvent"]),
        ("Sanksi", ["Escalation", "Decision", "Block", "SanctionEvent"]),
        (
            # By their Indonesian names: aturan pengingat, aturan tenggat, hari libur, jenis sanksi, ...
            "Data rujukan",
            [
                "ReminderRule",
                "DeadlineRule",
                "Holiday",
                "SanctionKind",
                "ViolationType",
                "PreventionItem",
                "RecommendingAuthority",
                "Organisation",
                "Election",
                "AuthorityTransition",
                "Region",
            ],
        ),
    ]


def test_the_admin_index_puts_a_ppks_work_first(cast):
    client = Client()
    client.force_login(cast["ppk_sleman"])
    index = index_of(client)
    assert index[0] == ("Pekerjaan Anda", ["Recommendation", "Decision", "Terlapor"])
    assert [name for name, _models in index] == ["Pekerjaan Anda", "Laporan", "Sanksi", "Data rujukan"]
    # The sidebar of every admin page follows the same order.
    sidebar = client.get("/admin/reports/report/").context["available_apps"]
    assert [str(app["name"]) for app in sidebar] == ["Pekerjaan Anda", "Laporan", "Sanksi", "Data rujukan"]
    # An app's own index is unchanged: all its models the role may see.
    assert [m["object_name"] for m in client.get("/admin/sanctions/").context["app_list"][0]["models"]] == [
        "Escalation",
        "Decision",
        "Block",
        "SanctionEvent",
    ]
