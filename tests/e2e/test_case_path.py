"""The whole path in a browser: a citizen's report at /lapor/, Bawaslu's triage in the admin, BKN's recommendation.

The accounts are demo-like staff created here with known passwords; the report is about a
regional election running today, so the intake routes it to Bawaslu Kabupaten Sleman.
"""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from netralitas.enums import ElectionKind, ElectionScope, PhaseKind, Role
from netralitas.models import Election, ElectionPhase, Organisation, Region
from reports.enums import CaseStatus, ReportStatus
from reports.models import Recommendation, Report
from tests.e2e.conftest import staff_login

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"


@pytest.fixture
def case_path_settings(settings, tmp_path, reference_data):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The live server serves /static/ through the finders (no manifest): unhashed URLs.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    return settings


@pytest.fixture
def election_today(reference_data):
    """A regional election in Sleman whose campaign runs today (the reference elections are in 2024)."""
    today = timezone.localdate()
    election = Election.objects.create(
        name="Pemilihan uji Kabupaten Sleman", kind=ElectionKind.PILKADA, scope=ElectionScope.REGIONAL
    )
    election.regions.add(Region.objects.get(name="Kabupaten Sleman"))
    ElectionPhase.objects.create(
        election=election, kind=PhaseKind.KAMPANYE, start=today - timedelta(days=20), end=today + timedelta(days=10)
    )
    ElectionPhase.objects.create(
        election=election,
        kind=PhaseKind.PEMUNGUTAN,
        start=today + timedelta(days=14),
        end=today + timedelta(days=14),
    )
    return election


@pytest.fixture
def demo_staff(reference_data, make_staff):
    bawaslu = Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman")
    bkn = Organisation.objects.get(kind="bkn")
    return {
        "bawaslu": make_staff("bawaslu.sleman", bawaslu, Role.BAWASLU, password=PASSWORD),
        "authority": make_staff("rekomendasi.bkn", bkn, Role.AUTHORITY, password=PASSWORD),
    }


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def file_a_report(page, base_url: str) -> str:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.goto(base_url + "/lapor/")
    page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    page.get_by_label("NIK").fill("3404015205900002")
    page.get_by_label("Alamat").fill("Jl. Kaliurang km 5, Sleman")
    page.get_by_label("Nomor telepon/WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Saya setuju data pribadi saya diproses").check()
    page.locator("#id_terlapor-0-name").fill("Budi Santoso")
    page.locator("#id_terlapor-0-nip").fill("197806122005011003")
    page.locator("#id_terlapor-0-position").fill("Camat")
    page.get_by_role("searchbox", name="Cari instansi").first.fill("sleman")
    page.locator("#id_terlapor-0-instansi").select_option(label="Pemerintah Kabupaten Sleman")
    page.locator("#id_terlapor-0-employee_status_0").check()
    page.locator("#id_incident_date").fill(yesterday)
    page.locator("#id_learned_date").fill(yesterday)
    page.locator("#id_provinsi").select_option(label="Daerah Istimewa Yogyakarta")
    page.locator("#id_kabkota").select_option(label="Kabupaten Sleman")
    page.get_by_label("Tempat kejadian").fill("Balai Desa Caturtunggal")
    page.get_by_label("Uraian kejadian").fill(
        "Camat Depok berpidato mengajak warga memilih calon nomor 2 di balai desa."
    )
    page.locator("#id_evidence_files").set_input_files(
        files=[{"name": "foto-bukti.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
    )
    page.locator("#submit-report").click()
    page.wait_for_url("**/lapor/tanda-terima/")
    return page.get_by_test_id("tracking-code").inner_text().strip()


def log_in(page, base_url: str, username: str) -> None:
    staff_login(page, base_url, username, PASSWORD)


def take_action(page, name: str, success: str) -> None:
    """Click an action button on the case page, confirm, and read the success message."""
    page.locator(f"a.triage-action[data-action='{name}']").click()
    page.get_by_role("button", name="Ya, lanjutkan").click()
    expect(page.locator("ul.messagelist li.success")).to_have_text(success)


def test_citizen_report_to_recommendation(live_server, new_page, case_path_settings, election_today, demo_staff):
    base = live_server.url
    code = file_a_report(new_page(), base)
    report = Report.objects.get(tracking_code=code)
    assert report.intake_organisation.name == "Bawaslu Kabupaten Sleman"

    # Bawaslu Sleman: find it by its code, verify, register, start the kajian, forward.
    officer = new_page()
    log_in(officer, base, "bawaslu.sleman")
    officer.goto(base + "/admin/reports/report/")
    officer.locator("#searchbar").fill(code)
    officer.locator("#searchbar").press("Enter")
    officer.get_by_role("link", name=code, exact=True).click()
    expect(officer.get_by_test_id("report-status")).to_have_text("Diterima")
    expect(officer.locator("fieldset").filter(has_text="Identitas pelapor")).to_contain_text("Siti Rahmawati")
    take_action(officer, "verifikasi", f"Laporan {code} mulai diverifikasi.")
    take_action(officer, "registrasi", f"Laporan {code} diregistrasi.")
    take_action(officer, "kajian", f"Kajian laporan {code} dimulai.")
    take_action(officer, "teruskan", f"Laporan {code} diteruskan ke lembaga pemberi rekomendasi.")
    expect(officer.get_by_test_id("report-status")).to_have_text("Diteruskan ke lembaga pemberi rekomendasi")
    expect(officer.get_by_test_id("case-status")).to_have_text("Klarifikasi")

    # BKN's recommending officer: open the case and issue the recommendation.
    bkn = new_page()
    log_in(bkn, base, "rekomendasi.bkn")
    bkn.goto(base + "/admin/reports/terlapor/")
    bkn.locator("#searchbar").fill(code)
    bkn.locator("#searchbar").press("Enter")
    bkn.get_by_role("link", name="Budi Santoso").click()
    expect(bkn.get_by_test_id("case-status")).to_have_text("Klarifikasi")
    expect(bkn.locator("body")).not_to_contain_text("Siti Rahmawati")  # the reporter stays with the intake
    bkn.locator("a.triage-action[data-action='rekomendasi']").click()
    bkn.get_by_label("Temuan/fakta").fill("Terlapor berpidato mengajak warga memilih pasangan calon nomor 2.")
    bkn.get_by_label("Jenis pelanggaran").select_option(label="B8 · " + _title("B8"))
    bkn.locator("#id_track").select_option("disiplin")
    bkn.locator("#id_level").select_option("berat")
    bkn.get_by_label("Penurunan jabatan setingkat lebih rendah selama 12 bulan").check()
    bkn.get_by_label("Pertimbangan").fill("Rekaman video dan dua saksi menguatkan.")
    bkn.get_by_label("Nomor surat").fill("B-1024/R/BKN/XI/2026")
    bkn.get_by_label("Tanggal surat").fill(timezone.localdate().isoformat())
    bkn.get_by_role("button", name="Terbitkan rekomendasi").click()
    expect(bkn.locator("ul.messagelist li.success")).to_have_text("Rekomendasi untuk Budi Santoso diterbitkan.")
    expect(bkn.get_by_test_id("case-status")).to_have_text("Menunggu tindak lanjut PPK")

    letter = bkn.get_by_test_id("letter-download")
    with bkn.expect_download() as download:
        letter.click()
    assert download.value.suggested_filename == "rekomendasi-B-1024-R-BKN-XI-2026.pdf"
    response = bkn.request.get(base + letter.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    report.refresh_from_db()
    case = report.terlapor.get()
    assert (report.status, case.case_status) == (ReportStatus.FORWARDED, CaseStatus.AWAITING_PPK)
    assert Recommendation.objects.get(terlapor=case).letter_number == "B-1024/R/BKN/XI/2026"


def _title(code: str) -> str:
    from netralitas.models import ViolationType

    return ViolationType.objects.get(code=code).title
