"""The second factor in tests.

tests/conftest.py patches ``Client.force_login`` so that a forced login also passes the second
factor: most tests are about something else and open staff pages right after logging in.
The two-factor tests log in with the password alone through ``force_login_password_only``.
``enrol`` and ``next_code`` let a browser test sign in with a computed TOTP code.
"""

from __future__ import annotations

import time

from django.test import Client

# Django's own force_login, taken before the conftest patch replaces it.
_django_force_login = Client.force_login

TEST_DEVICE_NAME = "perangkat uji"


def force_login_password_only(client: Client, user, backend: str | None = None) -> None:
    """Log ``client`` in as ``user`` with the password step only: no second factor yet."""
    _django_force_login(client, user, backend)


def force_login_verified(client: Client, user, backend: str | None = None) -> None:
    """Log ``client`` in as ``user`` with both factors passed just now (what tests usually want)."""
    _django_force_login(client, user, backend)
    pass_second_factor(client, user)


def pass_second_factor(client: Client, user) -> None:
    """Mark the client's session as having passed the second factor now, with a device of ``user``."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from netralitas.security.session import PROVED_AT

    device = _confirmed_totp(user) or enrol(user, name=TEST_DEVICE_NAME)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[PROVED_AT] = time.time()
    session.save()


def enrol(user, name: str = "aplikasi autentikator"):
    """A confirmed TOTP device for ``user`` (as if they had scanned the QR code)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name=name, confirmed=True)


def code_for_key(hex_key: str, *, t: int | None = None) -> str:
    """The 6-digit TOTP code of a hex key at time step ``t`` (default: now)."""
    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(hex_key))
    if t is not None:
        totp.time = t * totp.step
    return f"{totp.token():06d}"


def code_for_secret(base32_secret: str) -> str:
    """The current code for a base32 secret as an authenticator app reads it from the QR code."""
    from base64 import b32decode

    cleaned = base32_secret.replace(" ", "").upper()
    cleaned += "=" * (-len(cleaned) % 8)
    return code_for_key(b32decode(cleaned).hex())


def next_code(device) -> str:
    """A code the device accepts now: the current step, or the next one when the current was used."""
    device.refresh_from_db()
    now_t = int(time.time()) // device.step
    t = max(now_t, device.last_t + 1)
    assert t <= now_t + device.tolerance, "two sign-ins of one device within one time step: wait for the next"
    return code_for_key(device.key, t=t)


def _confirmed_totp(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
