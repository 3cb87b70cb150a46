"""A demo Satgas of Kabupaten Sleman for `make run`, so the Satgas pages are not empty. Never in production."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib.auth import get_user_model
from django.db import transaction

from netralitas.demo import DEMO_REGION, DemoAccount, DemoLogin, demo_login
from netralitas.enums import OrganisationKind, Role
from netralitas.models import Organisation
from netralitas.services import set_membership
from taskforce.enums import SatgasLevel, SatgasRole
from taskforce.models import Satgas, SatgasMember

DEMO_DECREE = "800/012/Kep.Bup/2024 [demo]"
SECOND_MEMBER = "anggota.satgas.sleman"


@transaction.atomic
def create_demo_satgas(password: str | None = None) -> list[DemoLogin]:
    """Create (or refresh) the demo Satgas Sleman: the demo account satgas.sleman as its ketua, a second member
    with an account of their own, and the sekretaris without one; returns the new account with its password.

    Raises User.DoesNotExist when the demo accounts were not created first (create_demo_accounts).
    """
    User = get_user_model()
    pemda = Organisation.objects.get(kind=OrganisationKind.PEMDA_KABUPATEN, region__name=DEMO_REGION)
    satgas, _ = Satgas.objects.update_or_create(
        decree_number=DEMO_DECREE,
        defaults={
            "name": "Satgas Netralitas ASN Kabupaten Sleman",
            "level": SatgasLevel.REGIONAL,
            "organisation": pemda,
            "decree_date": dt.date(2024, 1, 2),
            "decree_title": "Keputusan Bupati Sleman tentang Satgas Pembinaan dan Pengawasan Netralitas ASN (demo)",
            "period_start": dt.date(2024, 1, 1),
            "address": "Jalan Parasamya No. 1, Beran, Tridadi, Sleman",
        },
    )
    secret = password or secrets.token_urlsafe(9)
    second, _ = User.objects.get_or_create(username=SECOND_MEMBER)
    second.first_name, second.last_name = "Ani", "Lestari"
    second.email = f"{SECOND_MEMBER}@demo.netralitas.local"
    second.is_staff = True
    second.set_password(secret)
    second.save()
    set_membership(second, pemda, Role.SATGAS)
    members = [
        ("Anggota Satgas Sleman", SatgasRole.KETUA, "Sekretariat Daerah", "Sekretaris Daerah", "satgas.sleman"),
        ("Kepala BKPSDM Sleman", SatgasRole.SEKRETARIS, "BKPSDM", "Kepala BKPSDM", None),
        ("Ani Lestari", SatgasRole.ANGGOTA, "Inspektorat", "Inspektur Pembantu", SECOND_MEMBER),
    ]
    for order, (name, role, institution, position, username) in enumerate(members, start=1):
        SatgasMember.objects.update_or_create(
            satgas=satgas,
            name=name,
            defaults={
                "role": role,
                "institution": institution,
                "position": position,
                "joined_on": dt.date(2024, 1, 1),
                "order": order,
                "user": User.objects.get(username=username) if username else None,
            },
        )
    account = DemoAccount(SECOND_MEMBER, "Ani Lestari", Role.SATGAS, OrganisationKind.PEMDA_KABUPATEN, DEMO_REGION)
    return [demo_login(second, account, secret)]
