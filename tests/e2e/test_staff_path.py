"""Issue 12's browser test: a new report taken from the workspace to a recorded sanction by clicking only.

Bawaslu Sleman, BKN's recommending officer, the PPK of Pemda Sleman and BKN's wasdal sign in in turn (the login
page is the only URL typed) and move the case from their workspace on a 390x844 phone; no page they visit
scrolls sideways there nor on a 1366x768 laptop. One pass covers both screens: each page is measured as the
phone loaded it, then switched to the laptop's screen (a desktop browser: no phone emulation, scale 1) and
measured again; every element clicked, ticked, chosen or typed into on the phone is first checked usable on
the laptop too (Playwright's actionability checks: visible, stable, enabled, not covered).
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netralitas.enums import Role
from netralitas.models import Organisation, ViolationType
from reports.enums import CaseStatus
from reports.models import Report
from sanctions.models import Decision
from tests.e2e.conftest import PHONE, sideways_overflow, staff_login
from tests.e2e.test_ppk_decision import SIGNED_SK
from tests.factories import ReportFactory, TerlaporFactory

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"
VIEWPORTS = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def browser_settings(settings, tmp_path, reference_data):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


@pytest.fixture
def new_report(reference_data, make_staff) -> Report:
    """A report just received by Bawaslu Sleman about a PNS of Pemda Sleman, and the four officers."""
    intake = Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman")
    make_staff("bawaslu.sleman", intake, Role.BAWASLU, password=PASSWORD)
    make_staff("rekomendasi.bkn", Organisation.objects.get(kind="bkn"), Role.AUTHORITY, password=PASSWORD)
    make_staff("ppk.sleman", Organisation.objects.get(name="Pemerintah Kabupaten Sleman"), Role.PPK, password=PASSWORD)
    make_staff("wasdal.bkn", Organisation.objects.get(kind="bkn"), Role.BKN, password=PASSWORD)
    report = ReportFactory(intake_organisation=intake, incident_date=timezone.localdate())
    TerlaporFactory(report=report, name="Budi Santoso", position="Camat Depok")
    return report


def screen_metrics(size: str) -> dict:
    """Chromium's device metrics for ``size``: the phone as conftest.PHONE emulates it, the laptop plain."""
    phone = size == "phone"
    width, height = VIEWPORTS[size]["width"], VIEWPORTS[size]["height"]
    return {
        "width": width,
        "height": height,
        "screenWidth": width,
        "screenHeight": height,
        "deviceScaleFactor": PHONE["device_scale_factor"] if phone else 1,
        "mobile": phone,
        "screenOrientation": {"angle": 0, "type": "portraitPrimary" if phone else "landscapePrimary"},
    }


class Visit:
    """Signs officers in on a phone and records each page's sideways overflow on the phone and on the laptop."""

    def __init__(self, new_page, base: str):
        self.new_page, self.base = new_page, base
        self.overflows: dict[str, list[tuple[str, int]]] = {size: [] for size in VIEWPORTS}
        self.screens: dict[int, object] = {}  # id(page) -> its DevTools session

    def sign_in(self, username: str):
        page = self.new_page(phone=True)
        page.set_viewport_size(VIEWPORTS["phone"])
        self.screens[id(page)] = page.context.new_cdp_session(page)
        staff_login(page, self.base, username, PASSWORD, next_url="/kerja/")
        self.check(page)
        return page

    def switch(self, page, size: str) -> None:
        self.screens[id(page)].send("Emulation.setDeviceMetricsOverride", screen_metrics(size))

    def overflow(self, page, size: str) -> int:
        return sideways_overflow(page, VIEWPORTS[size]["width"])

    def check(self, page) -> None:
        page.wait_for_load_state()
        path = page.url.removeprefix(self.base)
        self.overflows["phone"].append((path, self.overflow(page, "phone")))
        self.switch(page, "laptop")
        self.overflows["laptop"].append((path, self.overflow(page, "laptop")))
        self.switch(page, "phone")

    def usable_on_the_laptop(self, page, *checks) -> None:
        self.switch(page, "laptop")
        for check in checks:
            check()
        self.switch(page, "phone")

    def click(self, page, locator) -> None:
        self.usable_on_the_laptop(page, lambda: locator.click(trial=True))
        locator.click()
        self.check(page)

    def tick(self, page, locator) -> None:
        self.usable_on_the_laptop(page, lambda: locator.check(trial=True))
        locator.check()

    def type(self, page, locator, text: str) -> None:
        self.usable_on_the_laptop(page, expect(locator).to_be_visible, expect(locator).to_be_editable)
        locator.fill(text)

    def choose(self, page, locator, **option) -> None:
        self.usable_on_the_laptop(page, expect(locator).to_be_visible, expect(locator).to_be_enabled)
        locator.select_option(**option)


def open_from_queue(visit: Visit, page, queue: str, text: str) -> None:
    item = page.locator(f'[data-queue="{queue}"] [data-testid="queue-item"]').filter(has_text=text)
    visit.click(page, item.locator("a.fw-semibold"))


def take_action(visit: Visit, page, name: str, success: str, fill=None, button: str = "Ya, lanjutkan") -> None:
    visit.click(page, page.locator(f"a.triage-action[data-action='{name}']").first)
    if fill is not None:
        fill(page)
    visit.click(page, page.get_by_role("button", name=button))
    expect(page.locator("ul.messagelist li.success")).to_have_text(success)


def test_a_new_report_reaches_a_recorded_sanction_by_clicks_only(live_server, new_page, browser_settings, new_report):
    base, code, today = live_server.url, new_report.tracking_code, timezone.localdate().isoformat()
    visit = Visit(new_page, base)

    # Bawaslu Sleman: from "to verify" in the workspace, verify, register, record the kajian, forward.
    bawaslu = visit.sign_in("bawaslu.sleman")
    open_from_queue(visit, bawaslu, "reports.to_verify", code)
    expect(bawaslu.get_by_test_id("report-status")).to_have_text("Diterima")
    take_action(visit, bawaslu, "verifikasi", f"Laporan {code} mulai diverifikasi.")
    take_action(
        visit,
        bawaslu,
        "registrasi",
        f"Laporan {code} diregistrasi.",
        lambda p: (
            visit.tick(p, p.get_by_label("Syarat formal terpenuhi")),
            visit.tick(p, p.get_by_label("Syarat materiel terpenuhi")),
        ),
    )
    take_action(
        visit,
        bawaslu,
        "kajian",
        f"Hasil kajian laporan {code} dicatat.",
        lambda p: (
            visit.tick(p, p.get_by_label("Memenuhi unsur pelanggaran netralitas", exact=True)),
            visit.type(p, p.get_by_label("Pertimbangan"), "Rekaman video dan dua saksi bersesuaian."),
        ),
        button="Catat hasil kajian",
    )
    take_action(
        visit,
        bawaslu,
        "teruskan",
        f"Laporan {code} diteruskan ke lembaga pemberi rekomendasi.",
        lambda p: visit.type(p, p.get_by_label("Nomor surat penerusan"), "B-77/PM.06/K.DI-04/2026"),
    )
    expect(bawaslu.get_by_test_id("case-status")).to_have_text("Klarifikasi")

    # BKN's recommending officer: from "forwarded to your organisation", issue the recommendation.
    bkn = visit.sign_in("rekomendasi.bkn")
    open_from_queue(visit, bkn, "reports.forwarded_to_authority", code)
    visit.click(bkn, bkn.locator("a.triage-action[data-action='rekomendasi']").first)
    visit.type(
        bkn, bkn.get_by_label("Temuan/fakta"), "Terlapor berpidato mengajak warga memilih pasangan calon nomor 2."
    )
    visit.choose(bkn, bkn.get_by_label("Jenis pelanggaran"), label="B8 · " + ViolationType.objects.get(code="B8").title)
    visit.choose(bkn, bkn.locator("#id_track"), value="disiplin")
    visit.choose(bkn, bkn.locator("#id_level"), value="berat")
    visit.tick(bkn, bkn.get_by_label("Penurunan jabatan setingkat lebih rendah selama 12 bulan"))
    visit.type(bkn, bkn.get_by_label("Pertimbangan"), "Rekaman video dan dua saksi menguatkan.")
    visit.type(bkn, bkn.get_by_label("Nomor surat"), "B-1024/R/BKN/XI/2026")
    visit.type(bkn, bkn.get_by_label("Tanggal surat"), today)
    visit.click(bkn, bkn.get_by_role("button", name="Terbitkan rekomendasi"))
    expect(bkn.locator("ul.messagelist li.success")).to_have_text("Rekomendasi untuk Budi Santoso diterbitkan.")
    expect(bkn.get_by_test_id("case-status")).to_have_text("Menunggu tindak lanjut PPK")

    # The PPK: from "recommendations awaiting the PPK", record the decision with the signed SK.
    ppk = visit.sign_in("ppk.sleman")
    open_from_queue(visit, ppk, "sanctions.awaiting_ppk", "Budi Santoso")
    form = ppk.get_by_test_id("form-keputusan")
    visit.type(ppk, form.get_by_label("Nomor SK"), "800/321/KEP.BUP/2026")
    visit.type(ppk, form.get_by_label("Tanggal SK"), today)
    expect(form.get_by_label("Jenis sanksi")).to_have_value(
        str(Report.objects.get(pk=new_report.pk).terlapor.get().recommendation.sanction_kinds.get().pk)
    )
    visit.type(ppk, form.get_by_label("Berlaku sejak"), today)
    visit.choose(ppk, form.get_by_role("combobox", name="Pemeriksa"), label="Tim Pemeriksa")
    visit.type(ppk, form.get_by_label("Tanggal pemeriksaan"), today)
    visit.type(
        ppk, form.get_by_label("Ringkasan berita acara pemeriksaan"), "Terlapor mengakui berpidato di balai desa."
    )
    form.get_by_label("SK bertanda tangan (PDF)").set_input_files(
        files=[{"name": "sk-bupati-sleman.pdf", "mimeType": "application/pdf", "buffer": SIGNED_SK}]
    )
    visit.click(ppk, form.get_by_role("button", name="Kirim keputusan"))
    expect(ppk.get_by_test_id("case-status")).to_have_text("Sanksi dijatuhkan")

    # BKN's wasdal: the recorded sanction, reached from the header's records and the work group.
    wasdal = visit.sign_in("wasdal.bkn")
    visit.click(wasdal, wasdal.get_by_test_id("nav-admin"))
    visit.click(wasdal, wasdal.locator("#content-main").get_by_role("link", name="Keputusan PPK", exact=True))
    expect(wasdal.locator("#result_list")).to_contain_text("800/321/KEP.BUP/2026")

    case = Report.objects.get(pk=new_report.pk).terlapor.get()
    assert case.case_status == CaseStatus.SANCTIONED
    assert Decision.objects.get(terlapor=case).sk_number == "800/321/KEP.BUP/2026"
    for size, overflows in visit.overflows.items():
        wider = [(path, px) for path, px in overflows if px > 0]
        assert not wider, f"wider than the {size} by (path, px): {wider}"
        assert len(overflows) == 20, size
