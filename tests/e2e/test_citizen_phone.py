"""Issue 10 in a phone's browser (390×844): mistakes are forgiven, corrections are not "too fast", ten round
trips do not use up the limit, and the reporter later reads the sanction on /status/."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from reports.models import Report, Terlapor
from tests.e2e.conftest import choose_in_combobox
from tests.test_recommendations import forward_to_clarification, recommend
from tests.test_sanctions_services import decide

pytestmark = pytest.mark.browser

SANCTION = "Penurunan jabatan setingkat lebih rendah selama 12 bulan"


@pytest.fixture
def phone_settings(settings, tmp_path, reference_data):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 3  # as in production
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_citizen_on_a_phone_corrects_mistakes_and_later_reads_the_sanction(
    live_server, phone_page, phone_settings, cast, organisations
):
    page = phone_page
    base = live_server.url
    # time-machine moves the server's clock too (same process): the citizen takes a minute to fill the form.
    with time_machine.travel(timezone.now(), tick=True) as clock:
        yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
        page.goto(base + "/lapor/")
        page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
        page.get_by_label("NIK").fill("3404015205900002")
        page.get_by_label("Alamat").fill("Jl. Kaliurang km 5, Sleman")
        page.get_by_label("Nomor telepon/WhatsApp").fill("0812 3456 7890")
        page.get_by_label("Saya setuju data pribadi saya diproses").check()
        page.locator("#id_terlapor-0-name").fill("Budi Santoso")
        choose_in_combobox(page, "id_terlapor-0-instansi", "kab sleman", "Pemerintah Kabupaten Sleman")
        page.get_by_label("Tidak tahu").first.check()  # the employee status
        page.locator("#id_incident_date").fill(yesterday)
        page.locator("#id_provinsi").select_option(label="Daerah Istimewa Yogyakarta")
        choose_in_combobox(page, "id_kabkota", "sleman", "Kabupaten Sleman")
        page.get_by_label("Tempat kejadian").fill("Balai Desa Caturtunggal")
        page.get_by_label("Uraian kejadian").fill("Pidato ajakan.")  # too short: the first mistake
        page.locator("#id_evidence_files").set_input_files(
            files=[{"name": "foto-bukti.jpg", "mimeType": "image/jpeg", "buffer": photo()}]
        )
        clock.shift(timedelta(seconds=60))
        page.locator("#submit-report").click()
        expect(page.locator("#error-summary")).to_be_focused()

        # Ten round trips with a mistake (citizens behind one carrier IP make many).
        for _ in range(9):
            page.locator("#submit-report").click()
            expect(page.locator("#error-summary")).to_be_visible()
        expect(page.locator("#drafts")).to_contain_text("Sudah diterima: foto-bukti.jpg")

        # The fix, sent at once after the last error page (well inside the 3-second anti-bot minimum,
        # which counts from when the form was first shown): accepted.
        page.get_by_label("Uraian kejadian").fill(
            "Camat Depok berpidato mengajak warga memilih calon nomor 2 di balai desa."
        )
        page.locator("#submit-report").click()
        page.wait_for_url("**/lapor/tanda-terima/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    pin = page.get_by_test_id("pin").inner_text().strip()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # Staff handle it: the recommendation, then the PPK's decision.
    report = Report.objects.get(tracking_code=code)
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"])[0]
    assert terlapor.employee_status == "unknown"
    Terlapor.objects.filter(pk=terlapor.pk).update(employee_status="pns")  # the operator completes the data
    terlapor.refresh_from_db()
    recommend(terlapor, cast["authority_bkn"], letter_number="R-901/BKN/2026")
    decide(Terlapor.objects.get(pk=terlapor.pk), cast["ppk_sleman"])

    # Later, on the same phone: /status/ names the sanction and its kind.
    page.goto(base + "/status/")
    page.locator("#id_tracking_code").fill(code)
    page.locator("#id_pin").fill(pin)
    with time_machine.travel(timezone.now() + timedelta(seconds=10), tick=True):
        page.get_by_role("button", name="Lihat status").click()
        page.wait_for_url("**/status/laporan/")
    expect(page.locator(".status-label")).to_have_text("Selesai")
    outcome = page.locator("#terlapor-1")
    expect(outcome.locator(".case-status")).to_have_text(f"Sanksi dijatuhkan: {SANCTION}")
    expect(outcome).to_contain_text("Terlapor 1: Budi Santoso")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing overflows the phone
