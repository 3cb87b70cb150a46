"""The staff frame (issue 12 item 2): signing in lands on the workspace, every staff page carries the
staff header with its way back to the workspace and a logout, and the admin index lists the role's
own models first and the reference tables last."""

from __future__ import annotations

import re

from django.test import Client

from tests.twofactor import enrol, next_code

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
