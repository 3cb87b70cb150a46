"""The second factor (django-otp): a TOTP app enrolled from a QR code, one-time backup codes, resets.

A staff session is verified once django_otp.login has put a confirmed device of the user in it
(django_otp.middleware.OTPMiddleware reads it back on every request).
"""

from __future__ import annotations

import re
from base64 import b32encode
from dataclasses import dataclass

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from netralitas.security import session

TOTP_NAME = "aplikasi autentikator"
BACKUP_NAME = "kode cadangan"
_TOTP_CODE = re.compile(r"\d{6}")
_BACKUP_CODE = re.compile(r"[a-z2-7]{8}")


@dataclass(frozen=True)
class CodeCheck:
    """The result of checking a code: the device that accepted it, or why it was refused."""

    device: TOTPDevice | StaticDevice | None
    refusal: str = ""


def has_confirmed_device(user) -> bool:
    """Whether ``user`` has enrolled an authenticator app (backup codes alone do not count)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def pending_device(user) -> TOTPDevice:
    """The not-yet-confirmed TOTP device ``user`` is enrolling (created with a fresh key when missing)."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def base32_secret(device: TOTPDevice) -> str:
    """The key as an authenticator app shows it, in groups of four: ``ABCD EFGH …``."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return device.config_url


def qr_svg(device: TOTPDevice) -> str:
    """The QR code of the provisioning URI as inline SVG (drawn here: no script, no outside service)."""
    qr = segno.make(provisioning_uri(device), error="m")
    return qr.svg_inline(scale=5, border=2, title=_("Kode QR untuk aplikasi autentikator"))


def normalise_code(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "").lower()


def check_code(user, code: str) -> CodeCheck:
    """Check a TOTP code (6 digits) or a backup code (8 letters/digits) against ``user``'s confirmed devices.

    Side effects: a wrong code slows the device down (1, 2, 4 … seconds); a used backup code is deleted;
    a TOTP code is accepted once (django-otp keeps the last time step).
    """
    code = normalise_code(code)
    if _TOTP_CODE.fullmatch(code):
        devices = TOTPDevice.objects.devices_for_user(user, confirmed=True)
    elif _BACKUP_CODE.fullmatch(code):
        devices = StaticDevice.objects.devices_for_user(user, confirmed=True)
    else:
        return CodeCheck(None, _("Kode tidak cocok. Masukkan 6 angka dari aplikasi, atau kode cadangan 8 karakter."))
    with transaction.atomic():
        for device in devices.select_for_update():
            allowed, why = device.verify_is_allowed()
            if not allowed:
                return CodeCheck(None, _throttled(why))
            if device.verify_token(code):
                return CodeCheck(device)
    return CodeCheck(None, _("Kode tidak cocok. Periksa jam ponsel Anda, lalu masukkan kode yang sedang tampil."))


def confirm_enrolment(user, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm ``device`` with a code read from the user's app; other TOTP devices of the user go.

    Raises nothing; the returned CodeCheck says why a code was refused.
    """
    code = normalise_code(code)
    if not _TOTP_CODE.fullmatch(code):
        return CodeCheck(None, _("Kode tidak cocok. Masukkan 6 angka yang tampil di aplikasi autentikator."))
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user, confirmed=False)
        allowed, why = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(None, _throttled(why))
        if not device.verify_token(code):
            return CodeCheck(
                None, _("Kode tidak cocok. Periksa jam ponsel Anda, lalu masukkan kode yang sedang tampil.")
            )
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return CodeCheck(device)


@transaction.atomic
def issue_backup_codes(user) -> list[str]:
    """Replace ``user``'s backup codes with NETRALITAS_BACKUP_CODES new ones; returns them (shown once)."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.NETRALITAS_BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def backup_codes(user) -> list[str]:
    """The backup codes ``user`` has not used yet."""
    return list(StaticToken.objects.filter(device__user=user).order_by("pk").values_list("token", flat=True))


def complete_sign_in(request: HttpRequest, device) -> None:
    """Mark the session as having passed the second factor with ``device``; a new session key for it."""
    django_otp.login(request, device)
    request.session.cycle_key()
    session.mark_proved(request)


@transaction.atomic
def reset_devices(user) -> int:
    """Delete every device of ``user`` (their app and backup codes): they enrol again at the next sign-in.

    Returns how many devices went.
    """
    devices = [TOTPDevice.objects.filter(user=user), StaticDevice.objects.filter(user=user)]
    count = sum(qs.count() for qs in devices)
    for qs in devices:
        qs.delete()
    return count


def _throttled(why: dict | None) -> str:
    from django.utils import timezone

    until = (why or {}).get("locked_until")
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
    return _("Terlalu banyak kode salah. Tunggu %(seconds)s detik, lalu coba lagi.") % {"seconds": seconds}
