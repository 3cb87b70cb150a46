"""Demo accounts, one per role, for `make run` and the browser tests. Never in production."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from netralitas.enums import OrganisationKind, Role
from netralitas.models import Organisation
from netralitas.services import set_membership

DEMO_REGION = "Kabupaten Sleman"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    organisation_kind: str
    region_name: str | None = None


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Administrator Portal", Role.ADMIN, OrganisationKind.KEMENPANRB),
    DemoAccount(
        "operator.sleman", "Operator BKPSDM Sleman", Role.OPERATOR, OrganisationKind.PEMDA_KABUPATEN, DEMO_REGION
    ),
    DemoAccount("satgas.sleman", "Anggota Satgas Sleman", Role.SATGAS, OrganisationKind.PEMDA_KABUPATEN, DEMO_REGION),
    # The national Satgas at BKN verifies reports outside an election (reports.services.route_report).
    DemoAccount("satgas.bkn", "Anggota Satgas Nasional BKN", Role.SATGAS, OrganisationKind.BKN),
    DemoAccount(
        "bawaslu.sleman", "Petugas Bawaslu Sleman", Role.BAWASLU, OrganisationKind.BAWASLU_KABKOTA, DEMO_REGION
    ),
    DemoAccount("rekomendasi.bkn", "Petugas Rekomendasi BKN", Role.AUTHORITY, OrganisationKind.BKN),
    DemoAccount("ppk.sleman", "Pj Bupati Sleman", Role.PPK, OrganisationKind.PEMDA_KABUPATEN, DEMO_REGION),
    DemoAccount("wasdal.bkn", "Petugas Wasdal BKN", Role.BKN, OrganisationKind.BKN),
    DemoAccount("pemantau.kemendagri", "Pemantau Kemendagri", Role.NATIONAL_VIEWER, OrganisationKind.KEMENDAGRI),
)


def demo_organisation(account: DemoAccount) -> Organisation:
    qs = Organisation.objects.filter(kind=account.organisation_kind)
    if account.region_name:
        qs = qs.filter(region__name=account.region_name)
    return qs.get()


@dataclass(frozen=True)
class DemoLogin:
    """What a person trying the portal needs to sign in as one demo account."""

    account: DemoAccount
    password: str
    totp_secret: str  # base32, as an authenticator app takes it
    totp_uri: str  # otpauth://…, what the QR code would carry


@transaction.atomic
def create_demo_accounts(password: str | None = None) -> list[DemoLogin]:
    """Create or reset the demo accounts, each enrolled for the second factor; returns how to sign in.

    Side effects: sets every demo account's password, membership and role group; gives each a confirmed
    TOTP device, keeping the key of an existing one (an authenticator app set up before keeps working).
    Raises Organisation.DoesNotExist when reference data is not loaded.
    """
    User = get_user_model()
    created = []
    for account in DEMO_ACCOUNTS:
        secret = password or secrets.token_urlsafe(12)
        first, _, last = account.full_name.partition(" ")
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first, last
        user.email = f"{account.username}@demo.netralitas.local"
        user.is_staff = True
        user.set_password(secret)
        user.save()
        set_membership(user, demo_organisation(account), account.role)
        created.append(demo_login(user, account, secret))
    return created


def demo_login(user, account: DemoAccount, password: str) -> DemoLogin:
    """Enrol ``user`` for the second factor (keeping an existing key) and say how to sign in as them."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from netralitas.security.twofactor import TOTP_NAME, base32_secret, provisioning_uri

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=True)
    return DemoLogin(account, password, base32_secret(device).replace(" ", ""), provisioning_uri(device))
