"""Two-factor sign-in for staff (django-otp TOTP + backup codes): enrolment from a QR code on the first
sign-in, a code on every later one, and no staff URL at all for a session that passed the password only."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.test_idor import b_texts, module_world, world  # noqa: F401  (the IDOR world: a whole case of organisation B)
from tests.twofactor import code_for_secret, enrol, force_login_password_only, next_code
from tests.urlcrawl import staff_routes, urls_for

PASSWORD = "kata-sandi-uji-123"


def sign_in_with_password(username: str, next_path: str = "/admin/") -> tuple[Client, object]:
    client = Client(enforce_csrf_checks=True)
    client.get(f"/admin/login/?next={next_path}")
    token = client.cookies["csrftoken"].value
    response = client.post(
        f"/admin/login/?next={next_path}",
        {"username": username, "password": PASSWORD, "next": next_path, "csrfmiddlewaretoken": token},
    )
    return client, response


def post_code(client: Client, url: str, code: str, **extra):
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]
    return client.post(url, {"code": code, "csrfmiddlewaretoken": token, **extra})


def secret_on(html: str) -> str:
    return re.search(r'data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)<', html)[1]


# --- no staff URL without the second factor -------------------------------------------------------


@pytest.mark.parametrize("who", ["owner", "superuser"])
def test_a_password_only_session_reaches_no_staff_url(world, who):  # noqa: F811
    """Every route of the URLconf that is not a citizen's page or the sign-in itself, listed automatically."""
    user = world[who]
    enrol(user)
    client = Client()
    force_login_password_only(client, user)
    checked = 0
    for route in staff_routes():
        for url in urls_for(route, world):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                body = b"".join(response.streaming_content) if response.streaming else response.content
                leaked = [t for t in b_texts(world) if t in body.decode(errors="replace")]
                assert leaked == [], f"{method.upper()} {url} shows {leaked}"
                assert response.status_code == 302, f"{method.upper()} {url}: {response.status_code}"
                assert response["Location"].startswith("/masuk/kode/?next="), f"{method.upper()} {url}"
                checked += 1
    assert checked > 150  # the admin, /sanksi/, /dasbor/, /satgas/ and the evidence downloads


def test_the_same_session_gets_its_pages_after_the_code(world):  # noqa: F811
    owner = world["owner"]
    device = enrol(owner)
    client = Client()
    force_login_password_only(client, owner)
    case_page = f"/admin/reports/report/{world['report'].pk}/change/"

    before = client.get(case_page)
    verified = post_code(client, "/masuk/kode/?next=" + case_page, next_code(device), next=case_page)
    after = client.get(case_page)

    assert before.status_code == 302
    assert verified.status_code == 302 and verified["Location"] == case_page
    assert after.status_code == 200 and world["report"].tracking_code in after.content.decode()


def test_public_pages_stay_open_to_a_password_only_session(world):  # noqa: F811
    client = Client()
    force_login_password_only(client, world["owner"])

    assert client.get("/").status_code == 200
    assert client.get("/lapor/").status_code == 200
    assert client.get("/status/").status_code == 200


# --- enrolment on the first sign-in -----------------------------------------------------------------


def test_the_first_sign_in_enrols_totp_from_a_qr_code_and_shows_backup_codes(cast):
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from netralitas.security.models import SecurityEvent

    client, login = sign_in_with_password("ppk.sleman", "/sanksi/")
    assert login.status_code == 302 and login["Location"] == "/sanksi/"
    gate = client.get("/sanksi/")
    assert gate.status_code == 302 and gate["Location"] == "/masuk/aktifkan/?next=/sanksi/"

    page = client.get(gate["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r'data-testid="totp-qr"[^>]*>\s*<svg', html)
    secret = secret_on(html)
    assert len(secret.replace(" ", "")) == 32
    assert not TOTPDevice.objects.filter(user=cast["ppk_sleman"], confirmed=True).exists()

    confirmed = post_code(client, "/masuk/aktifkan/?next=/sanksi/", code_for_secret(secret), next="/sanksi/")

    assert confirmed.status_code == 302 and confirmed["Location"] == "/masuk/kode-cadangan/?next=/sanksi/"
    codes_page = client.get(confirmed["Location"]).content.decode()
    codes = re.findall(r'data-testid="backup-code">([a-z0-9]+)<', codes_page)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=cast["ppk_sleman"]).values_list("token", flat=True)
    )
    assert client.get("/sanksi/").status_code == 200
    assert TOTPDevice.objects.get(user=cast["ppk_sleman"]).confirmed is True
    assert list(
        SecurityEvent.objects.filter(user=cast["ppk_sleman"]).order_by("pk").values_list("kind", flat=True)
    ) == [
        "login",
        "otp_enrolled",
    ]


def test_a_wrong_code_is_refused_at_enrolment_and_at_sign_in(cast):
    client, _ = sign_in_with_password("ppk.sleman", "/sanksi/")
    html = client.get("/masuk/aktifkan/?next=/sanksi/").content.decode()
    wrong = "000000" if code_for_secret(secret_on(html)) != "000000" else "111111"

    refused = post_code(client, "/masuk/aktifkan/?next=/sanksi/", wrong, next="/sanksi/")

    assert refused.status_code == 200
    assert "Kode tidak cocok." in refused.content.decode()
    assert client.get("/sanksi/").status_code == 302

    device = enrol(cast["satgas_sleman"])
    other, _ = sign_in_with_password("satgas.sleman", "/admin/")
    good = next_code(device)
    refused = post_code(other, "/masuk/kode/?next=/admin/", "000000" if good != "000000" else "111111", next="/admin/")
    assert refused.status_code == 200
    assert "Kode tidak cocok." in refused.content.decode()
    assert other.get("/admin/").status_code == 302


def test_a_backup_code_signs_in_once(cast):
    from django_otp.plugins.otp_static.models import StaticDevice

    enrol(cast["satgas_sleman"])
    device = StaticDevice.objects.create(user=cast["satgas_sleman"], name="kode cadangan")
    device.token_set.create(token="k7qm3xwd")

    first, _ = sign_in_with_password("satgas.sleman")
    used = post_code(first, "/masuk/kode/?next=/admin/", "K7QM 3XWD", next="/admin/")
    second, _ = sign_in_with_password("satgas.sleman")
    again = post_code(second, "/masuk/kode/?next=/admin/", "k7qm3xwd", next="/admin/")

    assert used.status_code == 302 and first.get("/admin/").status_code == 200
    assert again.status_code == 200 and "Kode tidak cocok." in again.content.decode()
    assert device.token_set.count() == 0


def test_the_session_key_changes_at_the_password_and_at_the_code(cast):
    device = enrol(cast["satgas_sleman"])
    client = Client()
    session = client.session
    session["kunjungan"] = 1
    session.save()
    anonymous_key = client.cookies["sessionid"].value

    client.post("/admin/login/?next=/admin/", {"username": "satgas.sleman", "password": PASSWORD, "next": "/admin/"})
    password_key = client.cookies["sessionid"].value
    post_code(client, "/masuk/kode/?next=/admin/", next_code(device), next="/admin/")
    verified_key = client.cookies["sessionid"].value

    assert len({anonymous_key, password_key, verified_key}) == 3
    assert client.get("/admin/").status_code == 200


def test_the_code_page_does_not_send_a_visitor_elsewhere(cast):
    device = enrol(cast["satgas_sleman"])
    client, _ = sign_in_with_password("satgas.sleman")

    response = post_code(
        client, "/masuk/kode/?next=https://penipu.example/", next_code(device), next="https://penipu.example/"
    )

    assert response.status_code == 302 and response["Location"] == "/kerja/"  # the workspace, not the other site


# --- the administrator resets a device -----------------------------------------------------------------


def test_an_administrator_resets_a_users_device_and_it_is_audited(cast):
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from netralitas.security.models import SecurityEvent

    target = cast["ppk_sleman"]
    enrol(target)
    StaticDevice.objects.create(user=target, name="kode cadangan").token_set.create(token="abcdefgh")
    admin = Client()
    admin.force_login(cast["admin"])

    listing = admin.get("/admin/auth/user/").content.decode()
    assert "Atur ulang autentikasi dua langkah" in listing
    response = admin.post(
        "/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [target.pk]}, follow=True
    )

    assert "Autentikasi dua langkah 1 pengguna diatur ulang" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert not StaticDevice.objects.filter(user=target).exists()
    event = SecurityEvent.objects.get(kind="otp_reset")
    assert (event.user, event.detail["target"]) == (cast["admin"], "ppk.sleman")
    client, _ = sign_in_with_password("ppk.sleman", "/sanksi/")
    assert client.get("/sanksi/")["Location"] == "/masuk/aktifkan/?next=/sanksi/"


def test_only_an_administrator_may_reset_devices(cast):
    enrol(cast["ppk_sleman"])
    operator = Client()
    operator.force_login(cast["operator_sleman"])

    response = operator.post("/admin/auth/user/", {"action": "reset_second_factor", "_selected_action": [1]})

    assert response.status_code == 403


# --- demo accounts -------------------------------------------------------------------------------------------


def test_demo_accounts_come_enrolled_with_their_secret_printed(reference_data, capsys):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    call_command("load_demo", "--force", "--password", "kata-sandi-demo-123")
    out = capsys.readouterr().out

    devices = TOTPDevice.objects.filter(user__username="ppk.sleman", confirmed=True)
    assert devices.count() == 1
    line = next(row for row in out.splitlines() if row.strip().startswith("ppk.sleman"))
    secret = re.search(r"TOTP ([A-Z2-7]{32})", line)[1]
    assert code_for_secret(secret) == next_code(devices.get())
    assert "otpauth://totp/Netralitas%3Appk.sleman?secret=" + secret in out

    call_command("load_demo", "--force", "--password", "kata-sandi-demo-123")  # a second run keeps the secret
    assert f"TOTP {secret}" in capsys.readouterr().out
