"""In a browser: the PPK of Pemerintah Kabupaten Sleman opens the inbox, records the decision with the signed SK,
and the case shows "Sanksi dijatuhkan".

The case is built through the services (triage, then the recommendation), so it arrives at the
PPK exactly as in production; the PPK account is demo-like, with a known password.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netralitas.enums import Level, Role, Track
from netralitas.models import Organisation, SanctionKind, ViolationType
from reports import assessment, recommendations, triage
from reports.enums import CaseStatus
from reports.models import Terlapor
from sanctions.enums import Compliance
from sanctions.models import Decision
from tests.e2e.conftest import staff_login
from tests.factories import ReportFactory, TerlaporFactory

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"
REPORTER_NAME = "Siti Rahmawati Pelapor"
# A minimal valid PDF (what a scanner's "save as PDF" reduces to): header, catalogue, one page, trailer, end marker.
SIGNED_SK = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


@pytest.fixture
def browser_settings(settings, tmp_path, reference_data):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The live server serves /static/ through the finders (no manifest): unhashed URLs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


@pytest.fixture
def case_awaiting_ppk(reference_data, make_staff) -> Terlapor:
    """Budi Santoso of Pemda Sleman, reported to Bawaslu Sleman, recommended (B4, disiplin berat) three days ago."""
    intake = Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman")
    bawaslu = make_staff("bawaslu.sleman", intake, Role.BAWASLU)
    authority = make_staff("rekomendasi.bkn", Organisation.objects.get(kind="bkn"), Role.AUTHORITY)
    report = ReportFactory(
        intake_organisation=intake,
        received_at=timezone.now() - timedelta(days=10),
        reporter_name=REPORTER_NAME,
        reporter_email="siti.pelapor@example.org",
    )
    terlapor = TerlaporFactory(report=report, name="Budi Santoso", position="Camat Depok", work_unit="Kecamatan Depok")
    triage.start_verification(report, actor=bawaslu)
    triage.register_report(report, actor=bawaslu)
    assessment.record_kajian(report, actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi.")
    assessment.forward_report(report, actor=bawaslu, on=timezone.localdate() - timedelta(days=4))
    terlapor.refresh_from_db()
    recommendations.issue_recommendation(
        terlapor,
        actor=authority,
        finding="Terlapor berpidato mengajak warga memilih pasangan calon nomor 2.",
        violation_type=ViolationType.objects.get(code="B4"),
        track=Track.DISIPLIN,
        level=Level.BERAT,
        sanction_kinds=list(SanctionKind.objects.filter(code__in=["berat-penurunan-jabatan"])),
        reasoning="Rekaman video dan dua saksi menguatkan.",
        letter_number="B-2048/R/BKN/XI/2026",
        letter_date=timezone.localdate() - timedelta(days=3),
    )
    terlapor.refresh_from_db()
    assert terlapor.case_status == CaseStatus.AWAITING_PPK
    return terlapor


@pytest.fixture
def ppk(reference_data, make_staff):
    sleman = Organisation.objects.get(name="Pemerintah Kabupaten Sleman")
    return make_staff("ppk.sleman", sleman, Role.PPK, password=PASSWORD)


def test_ppk_records_a_decision_with_the_signed_sk(live_server, page, browser_settings, case_awaiting_ppk, ppk):
    base = live_server.url
    today = timezone.localdate().isoformat()

    staff_login(page, base, "ppk.sleman", PASSWORD, next_url="/sanksi/")

    inbox = page.get_by_test_id("inbox")
    expect(inbox).to_contain_text("Budi Santoso")
    expect(inbox).to_contain_text("B-2048/R/BKN/XI/2026")
    expect(inbox).to_contain_text("hari kerja lagi")
    expect(page.locator("body")).not_to_contain_text(REPORTER_NAME)
    inbox.get_by_role("link", name="Buka perkara Budi Santoso").click()

    expect(page.get_by_test_id("case-status")).to_have_text("Menunggu tindak lanjut PPK")
    expect(page.locator("body")).not_to_contain_text(REPORTER_NAME)
    form = page.get_by_test_id("form-keputusan")
    form.get_by_label("Nomor SK").fill("800/321/KEP.BUP/2026")
    form.get_by_label("Tanggal SK").fill(today)
    form.get_by_label("Jenis sanksi").select_option(label="Penurunan jabatan setingkat lebih rendah selama 12 bulan")
    form.get_by_label("Berlaku sejak").fill(today)
    form.get_by_role("combobox", name="Pemeriksa").select_option(label="Tim Pemeriksa")
    form.get_by_label("Tanggal pemeriksaan").fill(today)
    form.get_by_label("Ringkasan berita acara pemeriksaan").fill("Terlapor mengakui berpidato di balai desa.")
    form.get_by_label("SK bertanda tangan (PDF)").set_input_files(
        files=[{"name": "sk-bupati-sleman.pdf", "mimeType": "application/pdf", "buffer": SIGNED_SK}]
    )
    form.get_by_role("button", name="Kirim keputusan").click()

    expect(page.get_by_test_id("message")).to_have_text(
        "Keputusan PPK (SK 800/321/KEP.BUP/2026) dicatat. Status perkara: Sanksi dijatuhkan."
    )
    expect(page.get_by_test_id("case-status")).to_have_text("Sanksi dijatuhkan")
    expect(page.get_by_test_id("decision")).to_contain_text("Penurunan jabatan setingkat lebih rendah selama 12 bulan")
    expect(page.get_by_test_id("compliance")).to_have_text("Tepat waktu")
    expect(page.get_by_test_id("form-keputusan")).to_have_count(0)

    decision = Decision.objects.get(terlapor=case_awaiting_ppk)
    assert (decision.sk_number, decision.compliance, decision.recorded_by) == (
        "800/321/KEP.BUP/2026",
        Compliance.ON_TIME,
        ppk,
    )
    with decision.signed_sk.open("rb") as stored:
        assert stored.read() == SIGNED_SK
