"""Retention: the reporter's identity, the witnesses and the original evidence of a report closed for longer
than the period (data an administrator keeps, 5 years by default) are purged; not a day before; the case,
its events, the evidence hashes and the clean copies stay; every purge is an event."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from reports import triage
from reports.enums import EvidenceKind, ReportStatus
from reports.evidence import store_evidence_file, store_evidence_link
from reports.models import Evidence, Report, ReportEvent, Terlapor
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import MINIMAL_PDF, jpeg_with_gps

CLOSED_AT = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)  # 10:00 in Jakarta
IDENTITY = {
    "reporter_name": "Rahasia Pelapor Wijaya",
    "reporter_nik": "3404015508910002",
    "reporter_address": "Jalan Kaliurang km 9",
    "reporter_phone": "081234567890",
    "reporter_email": "saksi.rahasia@example.org",
}
WITNESSES = "Pak Harjo (ketua RT), 0812-1111-2222"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")


def media(name: str) -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT) / name


@pytest.fixture
def closed_report(cast, organisations) -> Report:
    """A Sleman report with a photo (and its clean copy), a PDF and a link, rejected at CLOSED_AT."""
    with time_machine.travel(CLOSED_AT - timedelta(days=10), tick=False):
        report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"], witnesses=WITNESSES, **IDENTITY)
        TerlaporFactory(report=report, name="Sutrisno Hadi", instansi=organisations["pemda_sleman"])
        store_evidence_file(SimpleUploadedFile("rumah-wijaya.jpg", jpeg_with_gps()), report=report)
        store_evidence_file(SimpleUploadedFile("surat.pdf", MINIMAL_PDF), report=report)
        store_evidence_link("https://www.instagram.com/p/abc123/", report=report)
    with time_machine.travel(CLOSED_AT, tick=False):
        triage.reject_report(report, actor=cast["bawaslu_sleman"], reason="Kejadian di luar masa pelaporan.")
    return Report.objects.get(pk=report.pk)


def purge_at(moment: datetime) -> int:
    from reports.retention import purge_due_sealed_data

    with time_machine.travel(moment, tick=False):
        return purge_due_sealed_data()


def identity_of(report: Report) -> dict:
    report.refresh_from_db()
    return {field: getattr(report, field) for field in (*IDENTITY, "witnesses")}


def test_nothing_is_purged_a_day_before_five_years(closed_report):
    files = [media(e.file.name) for e in closed_report.evidence.filter(kind=EvidenceKind.FILE)]

    assert purge_at(CLOSED_AT + relativedelta(years=5) - timedelta(days=1)) == 0

    assert identity_of(closed_report) == {**IDENTITY, "witnesses": WITNESSES}
    assert all(path.exists() for path in files)
    assert not ReportEvent.objects.filter(report=closed_report, kind="purged").exists()


def test_five_years_after_closing_identity_witnesses_and_originals_go_and_the_case_stays(closed_report):
    photo, pdf = closed_report.evidence.filter(kind=EvidenceKind.FILE).order_by("pk")
    originals = [media(photo.file.name), media(pdf.file.name)]
    clean_copy = media(photo.shared_copy.name)
    clean_bytes = clean_copy.read_bytes()
    hashes = {e.pk: e.sha256 for e in closed_report.evidence.all()}
    events_before = list(ReportEvent.objects.filter(report=closed_report).values_list("pk", "kind"))

    assert purge_at(CLOSED_AT + relativedelta(years=5)) == 1

    assert identity_of(closed_report) == dict.fromkeys((*IDENTITY, "witnesses"), "")
    assert not any(path.exists() for path in originals)
    assert clean_copy.read_bytes() == clean_bytes
    evidence = {e.pk: e for e in Evidence.objects.filter(report=closed_report)}
    assert {pk: e.sha256 for pk, e in evidence.items()} == hashes
    assert evidence[photo.pk].file.name == "" and evidence[photo.pk].shared_copy.name == photo.shared_copy.name
    assert evidence[pdf.pk].file.name == "" and evidence[photo.pk].original_name == ""
    assert [e.url for e in evidence.values() if e.kind == EvidenceKind.LINK] == ["https://www.instagram.com/p/abc123/"]
    assert Terlapor.objects.filter(report=closed_report).get().name == "Sutrisno Hadi"
    assert closed_report.status == ReportStatus.REJECTED
    events = list(ReportEvent.objects.filter(report=closed_report).values_list("pk", "kind"))
    assert events[:-1] == events_before
    purge = ReportEvent.objects.filter(report=closed_report).last()
    assert (purge.kind, purge.actor, purge.is_public) == ("purged", None, False)
    assert purge.note == (
        "Masa retensi 5 tahun berakhir: identitas pelapor (nama, NIK, alamat, telepon, surel), saksi, "
        "dan 2 berkas bukti asli dihapus. Kode hash SHA-256 dan salinan tanpa metadata tetap disimpan."
    )


def test_a_second_run_purges_nothing_more(closed_report):
    assert purge_at(CLOSED_AT + relativedelta(years=6)) == 1
    assert purge_at(CLOSED_AT + relativedelta(years=6, days=1)) == 0
    assert ReportEvent.objects.filter(report=closed_report, kind="purged").count() == 1


def test_an_open_report_is_never_purged_however_old(cast, organisations):
    with time_machine.travel(CLOSED_AT, tick=False):
        report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"], **IDENTITY)
        triage.start_verification(report, actor=cast["bawaslu_sleman"])

    assert purge_at(CLOSED_AT + relativedelta(years=10)) == 0
    report.refresh_from_db()
    assert report.reporter_nik == IDENTITY["reporter_nik"]


def test_the_period_is_data_an_administrator_changes(closed_report, cast):
    from netralitas.security.models import RetentionPolicy

    policy = RetentionPolicy.objects.get()
    assert policy.years == 5 and "Pelindungan Data Pribadi" in policy.legal_basis
    admin = Client()
    admin.force_login(cast["admin"])
    page = admin.get(f"/admin/security/retentionpolicy/{policy.pk}/change/")
    assert page.status_code == 200 and 'name="years"' in page.content.decode()
    RetentionPolicy.objects.filter(pk=policy.pk).update(years=3)

    assert purge_at(CLOSED_AT + relativedelta(years=3) - timedelta(days=1)) == 0
    assert purge_at(CLOSED_AT + relativedelta(years=3)) == 1


def test_the_periodic_task_purges_and_is_in_the_beat_schedule(closed_report, celery_eager):
    from netralitas.celery import app
    from reports.tasks import task_purge_sealed_data

    with time_machine.travel(CLOSED_AT + relativedelta(years=5, days=1), tick=False):
        task_purge_sealed_data.delay()

    assert identity_of(closed_report)["reporter_nik"] == ""
    entry = app.conf.beat_schedule["purge-sealed-data"]
    assert entry["task"] == "reports.purge_sealed_data"


def test_the_dry_run_lists_what_would_go_and_changes_nothing(closed_report):
    out = io.StringIO()
    with time_machine.travel(CLOSED_AT + relativedelta(years=5, days=1), tick=False):
        call_command("purge_sealed_data", "--dry-run", stdout=out)

    text = out.getvalue()
    assert f"{closed_report.tracking_code} (ditutup 2026-03-02)" in text
    assert "identitas pelapor (nama, NIK, alamat, telepon, surel), saksi, 2 berkas bukti asli" in text
    assert "Uji coba: 1 laporan akan dibersihkan, tidak ada yang diubah." in text
    assert all(value not in text for value in IDENTITY.values())
    assert identity_of(closed_report)["reporter_name"] == IDENTITY["reporter_name"]
    assert not ReportEvent.objects.filter(report=closed_report, kind="purged").exists()


def test_the_command_purges_without_dry_run(closed_report):
    out = io.StringIO()
    with time_machine.travel(CLOSED_AT + relativedelta(years=5, days=1), tick=False):
        call_command("purge_sealed_data", stdout=out)

    assert "1 laporan dibersihkan." in out.getvalue()
    assert identity_of(closed_report)["reporter_email"] == ""


def test_the_purged_fields_are_one_list():
    from reports.retention import PURGED_REPORT_FIELDS

    assert PURGED_REPORT_FIELDS == (
        "reporter_name",
        "reporter_nik",
        "reporter_address",
        "reporter_phone",
        "reporter_email",
        "witnesses",
    )
