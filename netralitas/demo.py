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


@transaction.atomic
def create_demo_accounts(password: str | None = None) -> list[tuple[DemoAccount, str]]:
    """Create or reset the demo accounts; returns each with its (new) password.

    Side effects: sets every demo account's password, membership and role group.
    Raises Organisation.DoesNotExist when reference data is not loaded.
    """
    User = get_user_model()
    created = []
    for account in DEMO_ACCOUNTS:
        secret = password or secrets.token_urlsafe(9)
        first, _, last = account.full_name.partition(" ")
        user, _ = User.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = first, last
        user.email = f"{account.username}@demo.netralitas.local"
        user.is_staff = True
        user.set_password(secret)
        user.save()
        set_membership(user, demo_organisation(account), account.role)
        created.append((account, secret))
    return created
