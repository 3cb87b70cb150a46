"""The monev of the Satgas of Sleman for April 2024, from a known history: exact figures in the PDF text and XLSX cells.

Five reports about Pemkab Sleman ASN are received in April and walked through the real
workflow on known days (Lebaran 8-15 April and 1 May are holidays); one report before and
one after the period, and one of Kota Yogyakarta, must not count.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from netralitas.authority import authority_in_force
from netralitas.enums import Level, PeriodPhase, Track
from netralitas.models import Region, SanctionKind, ViolationType
from reports.casework import declare_not_proven
from reports.enums import CaseStatus, EventKind, ReportStatus
from reports.models import Report, ReportEvent, Terlapor
from reports.recommendations import issue_recommendation
from reports.workflow import transition_case, transition_report
from sanctions.models import Block
from sanctions.services import record_decision
from taskforce.assignments import assign_team
from taskforce.enums import MonevStatus
from taskforce.models import MonevReport
from taskforce.monev import build_monev
from taskforce.monev_jobs import build_monev_files, request_monev
from tests.factories import ReportFactory, TerlaporFactory
from tests.taskforce.conftest import fresh
from tests.test_evidence import MINIMAL_PDF
from tests.test_recommendations import officer_of

WIB = dt.timezone(dt.timedelta(hours=7))
GENERATED = dt.datetime(2024, 5, 6, 9, tzinfo=WIB)
R, C = ReportStatus, CaseStatus


def on(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(f"{day}T10:00:00+07:00"), tick=False)


def receive(
    organisations, day: str, *, code: str | None, phase: str, names=("Terlapor",), instansi="pemda_sleman", due=None
):
    with on(day):
        report = ReportFactory(
            intake_organisation=organisations["bawaslu_sleman" if instansi == "pemda_sleman" else "bawaslu_yogya"],
            region=Region.objects.get(name="Kabupaten Sleman" if instansi == "pemda_sleman" else "Kota Yogyakarta"),
            violation_type=ViolationType.objects.get(code=code) if code else None,
            period_phase=phase,
            due_date=due,
        )
        ReportEvent.objects.create(report=report, kind=EventKind.SUBMITTED, to_status=R.RECEIVED)
    for name in names:
        TerlaporFactory(report=report, name=name, instansi=organisations[instansi])
    return report


def move(report: Report, day: str, *statuses: str, actor=None) -> None:
    with on(day):
        for to in statuses:
            report.refresh_from_db()
            transition_report(report, to, actor=actor, note="uji", public_message="Mohon lengkapi foto.")


def forward(report: Report, day: str, actor) -> list[Terlapor]:
    move(report, day, R.FORWARDED, actor=actor)
    cases = list(Terlapor.objects.filter(report=report).order_by("pk"))
    with on(day):
        for case in cases:
            Terlapor.objects.filter(pk=case.pk).update(authority=authority_in_force(dt.date(2024, 4, 1)))
            case.refresh_from_db()
            transition_case(case, C.CLARIFICATION, actor=actor)
    return cases


def recommend(case: Terlapor, day: str, actor, number: str) -> None:
    with on(day):
        case.refresh_from_db()
        issue_recommendation(
            case,
            actor=officer_of(case),  # the officer of the case's authority that day (KASN before 4 Sep 2024)
            finding="Hadir pada kampanye.",
            violation_type=ViolationType.objects.get(code="B4"),
            track=Track.DISIPLIN,
            level=Level.BERAT,
            sanction_kinds=[SanctionKind.objects.get(code="berat-penurunan-jabatan")],
            reasoning="Foto dan saksi.",
            letter_number=number,
            letter_date=dt.date.fromisoformat(day),
        )


@pytest.fixture
def history(team, cast, organisations, settings, tmp_path) -> dict:
    settings.MEDIA_ROOT = str(tmp_path / "private")
    bawaslu, authority, ketua = cast["bawaslu_sleman"], cast["authority_bkn"], fresh(team.ketua.user)
    ani, bayu, citra = team.anggota

    # Outside the period or the region: none of these count.
    r7 = receive(organisations, "2024-03-28", code="B4", phase=PeriodPhase.KAMPANYE, due=dt.date(2024, 4, 4))
    receive(organisations, "2024-05-02", code="B4", phase=PeriodPhase.KAMPANYE)
    receive(organisations, "2024-04-05", code="B4", phase=PeriodPhase.KAMPANYE, instansi="pemda_yogya")
    with on("2024-03-29"):
        assign_team(r7, satgas=team.satgas, actor=ketua, lead=ani)

    # R1: verified in 2 days, kajian in 3 working days, one case recommended and sanctioned, one not proven.
    r1 = receive(organisations, "2024-04-01", code="B4", phase=PeriodPhase.KAMPANYE, names=("Sutrisno", "Wahyu"))
    with on("2024-04-02"):
        assign_team(r1, satgas=team.satgas, actor=ketua, lead=ani)
    move(r1, "2024-04-02", R.VERIFYING, actor=bawaslu)
    move(r1, "2024-04-03", R.REGISTERED, actor=bawaslu)
    move(r1, "2024-04-04", R.KAJIAN, actor=bawaslu)
    sutrisno, wahyu = forward(r1, "2024-04-16", bawaslu)
    with on("2024-04-19"):
        wahyu.refresh_from_db()
        declare_not_proven(wahyu, actor=authority, reasoning="Bukan ASN yang dimaksud.")
    recommend(sutrisno, "2024-04-22", authority, "R-1/BKN/2024")
    with on("2024-05-02"):
        sutrisno.refresh_from_db()
        record_decision(
            sutrisno,
            actor=cast["ppk_sleman"],
            sk_number="800/1/SK/2024",
            sk_date=dt.date(2024, 5, 2),
            sanction_kind=SanctionKind.objects.get(code="berat-penurunan-jabatan"),
            examiner="tim_pemeriksa",
            examination_date=dt.date(2024, 4, 30),
            effective_from=dt.date(2024, 5, 2),
            signed_sk=SimpleUploadedFile("sk.pdf", MINIMAL_PDF),
        )

    # R2: asked for more information 4-15 April (the clock stops), kajian late (7 working days), awaiting the PPK.
    r2 = receive(organisations, "2024-04-02", code="B6", phase=PeriodPhase.SEBELUM)
    with on("2024-04-03"):
        assign_team(r2, satgas=team.satgas, actor=ketua, lead=bayu)
    move(r2, "2024-04-03", R.VERIFYING, actor=bawaslu)
    move(r2, "2024-04-04", R.NEEDS_COMPLETION, actor=bawaslu)
    move(r2, "2024-04-15", R.VERIFYING)  # the reporter completes
    move(r2, "2024-04-16", R.REGISTERED, actor=bawaslu)
    move(r2, "2024-04-17", R.KAJIAN, actor=bawaslu)
    (r2_case,) = forward(r2, "2024-04-25", bawaslu)
    recommend(r2_case, "2024-04-29", authority, "R-2/BKN/2024")

    # R3: through everything in two days; the PPK's deadline (3 May) passed; BKN blocked on 4 May.
    r3 = receive(organisations, "2024-04-03", code="B8", phase=PeriodPhase.SESUDAH)
    move(r3, "2024-04-03", R.VERIFYING, R.REGISTERED, R.KAJIAN, actor=bawaslu)
    (r3_case,) = forward(r3, "2024-04-04", bawaslu)
    recommend(r3_case, "2024-04-04", authority, "R-3/BKN/2024")
    with on("2024-04-05"):
        r3_case.refresh_from_db()
        assign_team(r3_case, satgas=team.satgas, actor=ketua, lead=citra)
    Block.objects.create(
        terlapor=r3_case,
        blocked_on=dt.date(2024, 5, 4),
        letter_number="BKN/BLK/1",
        letter_date=dt.date(2024, 5, 4),
        blocked_by=cast["wasdal_bkn"],
    )

    # R4: rejected during the Lebaran holidays, no violation chosen, no election.
    r4 = receive(organisations, "2024-04-10", code=None, phase="")
    move(r4, "2024-04-12", R.REJECTED, actor=bawaslu)

    # R5: received on the last day, still waiting for verification.
    r5 = receive(organisations, "2024-04-30", code="B4", phase=PeriodPhase.KAMPANYE, due=dt.date(2024, 5, 7))
    with on("2024-04-30"):
        assign_team(r5, satgas=team.satgas, actor=ketua, lead=ani)

    assert [Report.objects.get(pk=r.pk).status for r in (r1, r2, r3, r4, r5)] == [
        R.CLOSED,
        R.FORWARDED,
        R.FORWARDED,
        R.REJECTED,
        R.RECEIVED,
    ]
    return {"r1": r1}


def b_title(code: str) -> str:
    return ViolationType.objects.get(code=code).title


EXPECTED = {
    "status": [
        ["Diterima", 1],
        ["Diverifikasi", 0],
        ["Perlu dilengkapi", 0],
        ["Ditolak", 1],
        ["Dicabut pelapor", 0],
        ["Diregistrasi", 0],
        ["Dikaji Bawaslu", 0],
        ["Diteruskan ke lembaga pemberi rekomendasi", 2],
        ["Selesai", 1],
        ["Jumlah", 5],
    ],
    "recommendations": [
        ["ASN terlapor", 6],
        ["Tidak terbukti", 1],
        ["Rekomendasi diterbitkan", 3],
        ["Ditindaklanjuti PPK (sanksi dijatuhkan)", 1],
        ["Menunggu PPK, dalam tenggat", 1],
        ["Menunggu PPK, lewat tenggat", 1],
        ["Tidak dapat ditindaklanjuti", 0],
        ["Tingkat tindak lanjut (%)", 33.3],
    ],
    "steps": [
        ["Verifikasi laporan", "7 hari kalender", 4, 4, 100.0, 1.0],
        ["Kajian Bawaslu", "3 hari kerja", 3, 2, 66.7, 3],
        ["Rekomendasi oleh lembaga", "14 hari kalender", 4, 4, 100.0, 2.5],
        ["Tindak lanjut PPK", "14 hari kerja", 1, 1, 100.0, 7],
    ],
    "blocks": [["Data kepegawaian pernah diblokir BKN", 1], ["Masih diblokir", 1]],
    "members": [
        ["Harda Kiswaya", "Ketua", "Sekretariat Daerah", 0, 0, 0],
        ["Budi Pranowo", "Sekretaris", "BKPSDM", 0, 0, 0],
        ["Ani Lestari", "Anggota", "Inspektorat", 2, 2, 1],
        ["Bayu Saputra", "Anggota", "Kesbangpol", 1, 1, 0],
        ["Citra Dewi", "Anggota", "Bagian Hukum", 1, 1, 1],
    ],
}


def expected_violations() -> list[list]:
    return [
        ["B4", b_title("B4"), 0, 2, 0, 0, 0, 0, 2],
        ["B6", b_title("B6"), 1, 0, 0, 0, 0, 0, 1],
        ["B8", b_title("B8"), 0, 0, 0, 0, 1, 0, 1],
        ["Tidak diketahui", "Pelapor tidak memilih", 0, 0, 0, 0, 0, 1, 1],
        ["Jumlah", "", 1, 2, 0, 0, 1, 1, 5],
    ]


def test_the_figures_are_exact(team, history):
    with time_machine.travel(GENERATED, tick=False):
        figures = build_monev(
            team.satgas, start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 30), user=fresh(team.ketua.user)
        )
    tables = {table["key"]: table["rows"] for table in figures["tables"]}
    assert [t["key"] for t in figures["tables"]] == [
        "status",
        "violation_phase",
        "recommendations",
        "steps",
        "blocks",
        "members",
    ]
    for key, rows in EXPECTED.items():
        assert tables[key] == rows, key
    assert tables["violation_phase"] == expected_violations()
    assert figures["meta"]["reports_received"] == 5
    assert figures["meta"]["period"] == "1 April 2024 – 30 April 2024"


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).split())


def test_the_pdf_and_the_xlsx_carry_the_same_figures(team, history, settings):
    with time_machine.travel(GENERATED, tick=False):
        monev = request_monev(
            team.satgas, actor=fresh(team.ketua.user), start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 30)
        )
    assert (monev.status, monev.progress) == (MonevStatus.DONE, 100)

    text = pdf_text(monev.pdf.read())
    for expected in [
        "SATUAN TUGAS PEMBINAAN DAN PENGAWASAN NETRALITAS PEGAWAI ASN",
        "SATGAS NETRALITAS ASN KABUPATEN SLEMAN",
        "Pemerintah Kabupaten Sleman",
        "LAPORAN MONITORING DAN EVALUASI",
        "Periode 1 April 2024 – 30 April 2024",
        "SK pembentukan Satgas nomor 800/012/Kep.Bup/2024",
        "Diteruskan ke lembaga pemberi rekomendasi 2",
        "Tingkat tindak lanjut (%) 33,3",
        "Verifikasi laporan 7 hari kalender 4 4 100 1",
        "Kajian Bawaslu 3 hari kerja 3 2 66,7 3",
        "Rekomendasi oleh lembaga 14 hari kalender 4 4 100 2,5",
        "Tindak lanjut PPK 14 hari kerja 1 1 100 7",
        "Data kepegawaian pernah diblokir BKN 1",
        "Ani Lestari Anggota Inspektorat 2 2 1",
        "Citra Dewi Anggota Bagian Hukum 1 1 1",
        "Jumlah - 1 2 0 0 1 1 5",
    ]:
        assert expected in text, expected
    assert "Pelapor Rahasia" not in text

    book = load_workbook(BytesIO(monev.xlsx.read()))
    assert book.sheetnames == [
        "Keterangan",
        "Status laporan",
        "Pelanggaran dan tahapan",
        "Rekomendasi",
        "Ketepatan waktu",
        "Pemblokiran",
        "Beban kerja anggota",
    ]

    def cells(sheet: str) -> list[list]:
        return [list(row) for row in book[sheet].iter_rows(min_row=3, values_only=True)]

    assert cells("Status laporan") == EXPECTED["status"]
    # An empty text is an empty cell.
    assert cells("Pelanggaran dan tahapan") == [[None if v == "" else v for v in row] for row in expected_violations()]
    assert cells("Rekomendasi") == EXPECTED["recommendations"]
    assert cells("Ketepatan waktu") == EXPECTED["steps"]
    assert cells("Pemblokiran") == EXPECTED["blocks"]
    assert cells("Beban kerja anggota") == EXPECTED["members"]
    assert [c.value for c in book["Ketepatan waktu"][2]] == [
        "Tahap",
        "Tenggat",
        "Selesai",
        "Tepat waktu",
        "Tepat waktu (%)",
        "Median hari kerja",
    ]
    assert book["Keterangan"]["B1"].value == "Satgas Netralitas ASN Kabupaten Sleman"


def test_a_large_period_is_built_by_the_celery_task_and_shows_progress(
    team, history, settings, celery_eager, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NETRALITAS_MONEV_INLINE_REPORTS = 2  # five reports: too many to build in the request
    from taskforce import monev_jobs

    stages = []
    original = monev_jobs.build_monev

    def watched(*args, progress, **kwargs):
        def record(percent, stage):
            progress(percent, stage)
            stages.append(MonevReport.objects.values_list("status", "progress", "stage").get())

        return original(*args, progress=record, **kwargs)

    monkeypatch.setattr(monev_jobs, "build_monev", watched)
    client = Client()
    client.force_login(team.ketua.user)
    with time_machine.travel(GENERATED, tick=False), django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/satgas/tim/{team.satgas.pk}/monev/", {"start": "2024-04-01", "end": "2024-04-30"})
        queued = MonevReport.objects.values_list("status", flat=True).get()
    assert queued == MonevStatus.QUEUED and len(callbacks) == 1  # the request only queued it
    monev = MonevReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/satgas/monev/{monev.pk}/"
    assert stages[0] == (MonevStatus.RUNNING, 5, "Laporan per status")
    assert stages[-1] == (MonevStatus.RUNNING, 95, "Menyusun berkas")
    assert [s[1] for s in stages] == [5, 20, 40, 55, 75, 85, 95]
    assert (monev.status, monev.progress) == (MonevStatus.DONE, 100)
    assert build_monev_files(monev.pk) is False  # built once: a second delivery does nothing


def test_the_progress_page_refreshes_itself_until_done(team):
    monev = MonevReport.objects.create(
        satgas=team.satgas,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2024, 4, 30),
        requested_by=team.ketua.user,
        status=MonevStatus.RUNNING,
        progress=40,
        stage="Rekomendasi dan tindak lanjut",
    )
    client = Client()
    client.force_login(team.anggota[0].user)
    page = client.get(f"/satgas/monev/{monev.pk}/")
    assert page.status_code == 200 and page["Refresh"] == "3"
    assert re.search(r'<progress[^>]*value="40"', page.content.decode())
    assert "Rekomendasi dan tindak lanjut (40%)" in page.content.decode()
    assert client.get(f"/satgas/monev/{monev.pk}/unduh.pdf").status_code == 404


def test_downloads_are_private_and_checked(team, cast, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    with time_machine.travel(GENERATED, tick=False):
        monev = request_monev(
            team.satgas, actor=fresh(team.ketua.user), start=dt.date(2024, 4, 1), end=dt.date(2024, 4, 30)
        )
    member = Client()
    member.force_login(team.anggota[1].user)
    pdf = member.get(f"/satgas/monev/{monev.pk}/unduh.pdf")
    xlsx = member.get(f"/satgas/monev/{monev.pk}/unduh.xlsx")
    assert (pdf.status_code, pdf["Cache-Control"], pdf["Content-Type"]) == (200, "private, no-store", "application/pdf")
    assert pdf["Content-Disposition"] == f'attachment; filename="monev-satgas-{team.satgas.pk}-20240401-20240430.pdf"'
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    for outsider in (cast["operator_yogya"], cast["satgas_sleman"], cast["ppk_sleman"]):
        other = Client()
        other.force_login(outsider)
        assert other.get(f"/satgas/monev/{monev.pk}/unduh.pdf").status_code == 404, outsider
        assert other.get(f"/satgas/monev/{monev.pk}/").status_code == 404, outsider


def test_an_anggota_cannot_request_a_monev_and_bad_periods_are_refused(team):
    anggota = Client()
    anggota.force_login(team.anggota[0].user)
    assert (
        anggota.post(f"/satgas/tim/{team.satgas.pk}/monev/", {"start": "2024-04-01", "end": "2024-04-30"}).status_code
        == 403
    )
    ketua = Client()
    ketua.force_login(team.ketua.user)
    with time_machine.travel(GENERATED, tick=False):
        response = ketua.post(f"/satgas/tim/{team.satgas.pk}/monev/", {"start": "2024-04-30", "end": "2024-04-01"})
    assert response.status_code == 400
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()
    assert not MonevReport.objects.exists()
