"""Signing staff in through the real forms: the password on the admin login, then a computed TOTP code."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from tests.twofactor import enrol, next_code


def sign_in(page, base_url: str, username: str, password: str, next_path: str = "/admin/") -> None:
    """Sign ``username`` in (enrolling a TOTP device first if they have none) and land on ``next_path``."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol(user)
    page.goto(f"{base_url}/admin/login/?next={next_path}")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"{base_url}/masuk/kode/**")
    page.get_by_label("Kode dari aplikasi autentikator atau kode cadangan").fill(next_code(device))
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_url(base_url + next_path)
