"""A new staff user enrols TOTP from the QR code on the first sign-in, signs in with a computed code and opens
their work; a wrong code is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from netralitas.enums import Role
from tests.twofactor import code_for_secret, next_code

PASSWORD = "kata-sandi-demo-123"


@pytest.fixture
def newcomer(transactional_db, organisations, make_staff):
    return make_staff("ppk.baru", organisations["pemda_sleman"], Role.PPK, password=PASSWORD)


def password_step(page, base: str, next_path: str) -> None:
    page.goto(f"{base}/admin/login/?next={next_path}")
    page.locator("#id_username").fill("ppk.baru")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()


def test_a_new_staff_user_enrols_from_the_qr_code_and_signs_in_with_a_code(live_server, new_page, newcomer, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below must not delay the right one
    base = live_server.url
    page = new_page()

    password_step(page, base, "/sanksi/")
    page.wait_for_url(f"{base}/masuk/aktifkan/?next=/sanksi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Aktifkan autentikasi dua langkah")
    expect(page.get_by_test_id("totp-qr").locator("svg")).to_be_visible()
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Kode dari aplikasi autentikator").fill(code_for_secret(secret))
    page.get_by_role("button", name="Aktifkan").click()

    page.wait_for_url(f"{base}/masuk/kode-cadangan/?next=/sanksi/")
    expect(page.get_by_test_id("backup-code")).to_have_count(10)
    page.get_by_role("link", name="Saya sudah menyimpan kode cadangan, lanjutkan").click()
    page.wait_for_url(f"{base}/sanksi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rekomendasi yang menunggu tindak lanjut PPK")

    # Another day, another browser: the password, then a code; a wrong code first.
    again = new_page()
    password_step(again, base, "/sanksi/")
    again.wait_for_url(f"{base}/masuk/kode/?next=/sanksi/")
    field = again.get_by_label("Kode dari aplikasi autentikator atau kode cadangan")
    device = TOTPDevice.objects.get(user=newcomer)
    right = next_code(device)
    field.fill("000000" if right != "000000" else "111111")
    again.get_by_role("button", name="Verifikasi").click()
    expect(again.locator(".errornote")).to_contain_text("Kode tidak cocok.")
    assert again.url == f"{base}/masuk/kode/?next=/sanksi/"
    again.goto(f"{base}/sanksi/")
    again.wait_for_url(f"{base}/masuk/kode/?next=/sanksi/")

    again.get_by_label("Kode dari aplikasi autentikator atau kode cadangan").fill(right)
    again.get_by_role("button", name="Verifikasi").click()
    again.wait_for_url(f"{base}/sanksi/")
    expect(again.get_by_role("heading", level=1)).to_have_text("Rekomendasi yang menunggu tindak lanjut PPK")
