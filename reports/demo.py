"""A handful of demo reports for `make run`. Never in production."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from netralitas.elections import election_context
from netralitas.enums import EmployeeStatus, OrganisationKind
from netralitas.models import Organisation, Region, ViolationType
from reports.enums import Confidentiality, ReportKind
from reports.models import Report, Terlapor
from reports.pins import new_tracking_code


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
