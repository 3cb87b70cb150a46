"""Issue 8 in a browser: the accused's pemda sees the case without the reporter; the intake's verifier opens it, logged.

A confidential report during Pilkada 2024 about a Sleman official, received by Bawaslu Sleman,
with a witness and a photo whose EXIF names the photographer. The Satgas member and the PPK of
Pemerintah Kabupaten Sleman open the report and see no identity, no witness and no "Berkas
asli"; Bawaslu Sleman's officer opens the identity with a reason, and the opening appears in
the report's access log.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from netralitas.enums import Role
from netralitas.models import Election, Organisation, Region
from reports.evidence import store_evidence_file
from reports.models import SealedAccess
from tests.e2e.conftest import staff_login
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_whistleblower import EXIF_ARTIST, jpeg_with_reporter_metadata

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"
REPORTER, NIK, WITNESS = "Sri Wahyuni Lestari", "3404014107880003", "Hendra Kurniawan"
REASON = "Menghubungi pelapor untuk klarifikasi waktu kejadian."


@pytest.fixture
def sealed_report(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    report = ReportFactory(
        intake_organisation=Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman"),
        region=Region.objects.get(name="Kabupaten Sleman"),
        election=Election.objects.get(name="Pilkada Serentak 2024"),
        period_phase="kampanye",
        reporter_name=REPORTER,
        reporter_nik=NIK,
        reporter_email="sri.pelapor@example.org",
        witnesses=f"{WITNESS}, 0813 1122 3344",
    )
    TerlaporFactory(
        report=report,
        name="Sutrisno Hadi",
        instansi=Organisation.objects.get(kind="pemda_kabupaten", region__name="Kabupaten Sleman"),
    )
    store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_reporter_metadata()), report=report)
    return report


@pytest.fixture
def sleman_staff(reference_data, make_staff):
    pemda = Organisation.objects.get(kind="pemda_kabupaten", region__name="Kabupaten Sleman")
    bawaslu = Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman")
    return {
        "satgas.sleman": make_staff("satgas.sleman", pemda, Role.SATGAS, password=PASSWORD),
        "ppk.sleman": make_staff("ppk.sleman", pemda, Role.PPK, password=PASSWORD),
        "bawaslu.sleman": make_staff("bawaslu.sleman", bawaslu, Role.BAWASLU, password=PASSWORD),
    }


def open_report(page, base: str, username: str, report) -> None:
    staff_login(page, base, username, PASSWORD)
    page.goto(f"{base}/admin/reports/report/{report.pk}/change/")
    expect(page.get_by_test_id("report-status")).to_have_text("Diterima")


@pytest.mark.parametrize("username", ["satgas.sleman", "ppk.sleman"])
def test_the_accused_pemda_sees_no_reporter_no_witness_no_original(
    live_server, new_page, sealed_report, sleman_staff, username
):
    page = new_page()
    open_report(page, live_server.url, username, sealed_report)

    body = page.locator("body")
    expect(page.get_by_test_id("reporter-sealed")).to_contain_text("dirahasiakan")
    for hidden in (REPORTER, NIK, WITNESS, "Berkas asli", "foto.jpg"):
        expect(body).not_to_contain_text(hidden)
    expect(page.get_by_test_id("unseal-identity")).to_have_count(0)
    expect(page.get_by_role("link", name="Salinan tanpa metadata")).to_have_count(1)
    assert SealedAccess.objects.count() == 0


def test_the_intake_verifier_opens_the_identity_and_the_opening_is_logged(
    live_server, new_page, sealed_report, sleman_staff
):
    base = live_server.url
    page = new_page()
    open_report(page, base, "bawaslu.sleman", sealed_report)
    expect(page.locator("body")).not_to_contain_text(REPORTER)  # sealed by default, even for the verifier
    expect(page.get_by_test_id("unseal-original")).to_have_text("Berkas asli (dicatat)")

    page.get_by_test_id("unseal-identity").click()
    page.get_by_test_id("unseal-submit").click()  # no reason: refused next to the field
    expect(page.locator(".errorlist")).to_contain_text("Tuliskan alasan membuka data ini")
    page.get_by_label("Alasan membuka").fill(REASON)
    page.get_by_test_id("unseal-submit").click()

    expect(page.get_by_test_id("reporter-name")).to_have_text(REPORTER)
    expect(page.get_by_test_id("witnesses")).to_contain_text(WITNESS)
    expect(page.get_by_test_id("unsealed-note")).to_contain_text("dicatat dalam log akses")
    page.get_by_role("link", name="Kembali ke laporan").click()
    row = page.get_by_test_id("access-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("bawaslu.sleman")
    expect(row).to_contain_text("Identitas pelapor dan saksi")
    expect(row).to_contain_text(REASON)
    expect(page.locator("body")).not_to_contain_text(EXIF_ARTIST)

    access = SealedAccess.objects.get()
    assert (access.report, access.actor.username, access.item, access.reason) == (
        sealed_report,
        "bawaslu.sleman",
        "identity",
        REASON,
    )
