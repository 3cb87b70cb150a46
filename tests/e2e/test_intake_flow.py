"""A citizen files a report with a photo from a phone, keeps the code and PIN, and finds it at /status/."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from reports.models import Report
from reports.pins import check_pin
from tests.e2e.conftest import choose_in_combobox

pytestmark = pytest.mark.browser


@pytest.fixture
def intake_settings(settings, tmp_path, reference_data):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    # As in production: the form page and the routing from the process's reference copies (issue 11).
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The live server serves /static/ through the finders, which know js/intake.js but not the
    # manifest's hashed name: unhashed URLs, so the page's script loads.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()
    return settings


def photo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_citizen_files_a_report_with_a_photo_on_a_phone(live_server, phone_page, intake_settings):
    page = phone_page
    jpeg = photo()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.goto(live_server.url + "/lapor/")
    expect(page.locator("h1")).to_have_text("Laporkan pelanggaran netralitas ASN")

    page.get_by_label("Nama lengkap").fill("Siti Rahmawati")
    page.get_by_label("NIK").fill("3404015205900002")
    page.get_by_label("Alamat").fill("Jl. Kaliurang km 5, Sleman")
    page.get_by_label("Nomor telepon/WhatsApp").fill("0812 3456 7890")
    page.get_by_label("Saya setuju data pribadi saya diproses").check()

    page.locator("#id_terlapor-0-name").fill("Budi Santoso")
    page.locator("#id_terlapor-0-nip").fill("197806122005011003")
    page.locator("#id_terlapor-0-position").fill("Camat")
    # The instansi is found by typing (a combobox over a text box), chosen with the keyboard.
    choose_in_combobox(page, "id_terlapor-0-instansi", "sleman", "Pemerintah Kabupaten Sleman")
    expect(page.locator("#id_terlapor-0-instansi")).to_have_value("Pemerintah Kabupaten Sleman")
    page.locator("#id_terlapor-0-employee_status_0").check()

    page.locator("#id_incident_date").fill(yesterday)
    page.locator("#id_learned_date").fill(yesterday)
    page.locator("#id_provinsi").select_option(label="Daerah Istimewa Yogyakarta")
    # Kab/kota: the combobox searches only the chosen provinsi.
    page.locator("#id_kabkota").fill("kab")
    expect(page.locator("#id_kabkota_listbox").get_by_role("option")).to_have_count(4)  # DIY's four kabupaten
    choose_in_combobox(page, "id_kabkota", "sleman", "Kabupaten Sleman")
    page.get_by_label("Tempat kejadian").fill("Balai Desa Caturtunggal")
    page.get_by_label("Uraian kejadian").fill(
        "Camat Depok berpidato mengajak warga memilih calon nomor 2 di balai desa."
    )
    page.locator("#id_evidence_files").set_input_files(
        files=[{"name": "foto-bukti.jpg", "mimeType": "image/jpeg", "buffer": jpeg}]
    )
    page.locator("#submit-report").click()

    page.wait_for_url("**/lapor/tanda-terima/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    pin = page.get_by_test_id("pin").inner_text().strip()
    expect(page.get_by_test_id("sha256")).to_have_text(hashlib.sha256(jpeg).hexdigest())
    expect(page.get_by_text("Simpan PIN ini, tidak akan ditampilkan lagi.")).to_be_visible()
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    report = Report.objects.get(tracking_code=code)
    assert check_pin(pin, report.pin_hash)
    assert [t.name for t in report.terlapor.all()] == ["Budi Santoso"]
    assert [e.sha256 for e in report.evidence.all()] == [hashlib.sha256(jpeg).hexdigest()]

    # The status page (issue 3 §4) finds it with the code and the PIN.
    page.goto(live_server.url + "/status/")
    page.locator("#id_tracking_code").fill(code)
    page.locator("#id_pin").fill(pin)
    page.get_by_role("button", name="Lihat status").click()
    page.wait_for_url("**/status/laporan/")
    expect(page.locator("dd.font-monospace").first).to_have_text(code)
    expect(page.locator(".status-label")).to_have_text("Diterima")


def test_errors_are_summarised_focused_and_adding_a_terlapor_needs_no_reload(live_server, page, intake_settings):
    page.goto(live_server.url + "/lapor/")
    page.locator("#add-terlapor").click()
    expect(page.locator("fieldset.terlapor-form")).to_have_count(2)
    expect(page.locator('input[name="terlapor-TOTAL_FORMS"]')).to_have_value("2")
    expect(page.locator("#id_terlapor-1-name")).to_be_focused()
    assert page.url == live_server.url + "/lapor/"  # no round trip
    expect(page.get_by_role("combobox", name="Instansi")).to_have_count(2)

    page.locator("#id_terlapor-1-name").fill("ASN Kedua")
    page.locator("#submit-report").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Uraian kejadian: Bidang ini tidak boleh kosong.")).to_have_attribute(
        "href", "#id_description"
    )
    expect(page.locator("#id_terlapor-1-name")).to_have_value("ASN Kedua")  # kept across the round trip

    page.get_by_label("Anonim: Anda tidak mengisi identitas.").check()
    expect(page.locator("#identity-fields")).to_be_hidden()
