"""The demo world of `make run` and the browser tests: one account per role, a few reports, the Satgas of Sleman.

Tooling, not domain (style.md): no app imports this module; ``manage.py load_demo`` (devdata) calls it.
Never in production.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from netralitas.elections import election_context
from netralitas.enums import EmployeeStatus, OrganisationKind, Role
from netralitas.models import Organisation, Region, ViolationType
from netralitas.services import set_membership
from reports.enums import Confidentiality, ReportKind
from reports.models import Report, Terlapor
from reports.pins import new_tracking_code
from taskforce.enums import SatgasLevel, SatgasRole
from taskforce.models import Satgas, SatgasMember

# --- accounts, one per role ---------------------------------------------------------------------

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


# --- reports (make run) --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoReport:
    marker: str  # kept in `place` so a second run finds the report again
    region: str
    incident: dt.date
    violation: str
    terlapor: str
    nip: str
    position: str
    description: str


DEMO_REPORTS = (
    DemoReport(
        "Balai Desa Caturtunggal [demo-1]",
        "Kabupaten Sleman",
        dt.date(2024, 10, 14),
        "B4",
        "Sutrisno Hadi",
        "197806122005011003",
        "Kepala Seksi Pemerintahan",
        "Terlapor hadir dan berorasi dalam deklarasi pasangan calon bupati, mengenakan kaus pasangan calon.",
    ),
    DemoReport(
        "Akun Facebook pribadi [demo-2]",
        "Kabupaten Sleman",
        dt.date(2024, 10, 30),
        "B6",
        "Rina Wulandari",
        "198503152010012014",
        "Guru SD Negeri",
        "Terlapor membagikan materi kampanye pasangan calon bupati di grup WhatsApp wali murid.",
    ),
    DemoReport(
        "Pasar Godean [demo-3]",
        "Kabupaten Sleman",
        dt.date(2024, 11, 25),
        "B8",
        "Agus Priyanto",
        "197201011998031007",
        "Lurah",
        "Pada masa tenang terlapor membagikan sembako sambil mengajak warga memilih pasangan calon tertentu.",
    ),
    DemoReport(
        "Kantor Kecamatan Depok [demo-4]",
        "Kabupaten Sleman",
        dt.date(2024, 1, 20),
        "A5",
        "Dewi Lestari",
        "199002202015032002",
        "Analis Kepegawaian",
        "Terlapor mengunggah foto bersama calon anggota legislatif dengan pose jari simbol nomor urut.",
    ),
    DemoReport(
        "Alun-alun Utara [demo-5]",
        "Kota Yogyakarta",
        dt.date(2024, 10, 5),
        "B5",
        "Bambang Sasongko",
        "197512122000121001",
        "Staf Dinas Pendidikan",
        "Terlapor tercatat sebagai pengurus partai politik dan hadir dalam rapat partai.",
    ),
)


@transaction.atomic
def create_demo_reports() -> int:
    """Create the demo reports that are missing; returns how many were created."""
    created = 0
    for demo in DEMO_REPORTS:
        if Report.objects.filter(place=demo.marker).exists():
            continue
        region = Region.objects.get(name=demo.region)
        context = election_context(region, demo.incident)
        election, phase = (context[0].election, context[0].phase) if context else (None, "")
        instansi = Organisation.objects.get(
            region=region, kind__in=[OrganisationKind.PEMDA_KABUPATEN, OrganisationKind.PEMDA_KOTA]
        )
        report = Report.objects.create(
            tracking_code=new_tracking_code(),
            kind=ReportKind.LAPORAN,
            intake_organisation=Organisation.objects.get(region=region, kind=OrganisationKind.BAWASLU_KABKOTA),
            confidentiality=Confidentiality.CONFIDENTIAL,
            reporter_name="Warga Demo",
            reporter_nik="3404011201900001",
            reporter_email="pelapor.demo@example.org",
            incident_date=demo.incident,
            learned_date=demo.incident + dt.timedelta(days=1),
            region=region,
            place=demo.marker,
            description=demo.description,
            violation_type=ViolationType.objects.get(code=demo.violation),
            election=election,
            period_phase=phase,
            received_at=timezone.now(),
        )
        Terlapor.objects.create(
            report=report,
            name=demo.terlapor,
            nip=demo.nip,
            position=demo.position,
            instansi=instansi,
            employee_status=EmployeeStatus.PNS,
        )
        created += 1
    return created


# --- the Satgas of Sleman -------------------------------------------------------------------------

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
