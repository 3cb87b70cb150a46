"""Staff pages fit their screens (issue 12): the admin's report page and the recommendation form at 1366 px,
the PPK's inbox on a 390 px phone, without sideways scrolling (document width <= window width)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from netralitas.enums import Level, Role, Track
from netralitas.models import Organisation, SanctionKind, ViolationType
from reports import assessment, recommendations, triage
from tests.e2e.conftest import sideways_overflow, staff_login
from tests.factories import ReportFactory, TerlaporFactory

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def browser_settings(settings, tmp_path, reference_data):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


def laptop(new_page):
    page = new_page()
    page.set_viewport_size(LAPTOP)
    return page


PHONE_WIDTH = 390


@pytest.fixture
def cases(reference_data, make_staff):
    """Two Pemda Sleman cases of Bawaslu Sleman: one forwarded to BKN (its recommendation form), one at the PPK."""
    intake = Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman")
    bawaslu = make_staff("bawaslu.sleman", intake, Role.BAWASLU, password=PASSWORD)
    authority = make_staff("rekomendasi.bkn", Organisation.objects.get(kind="bkn"), Role.AUTHORITY, password=PASSWORD)
    make_staff("ppk.sleman", Organisation.objects.get(name="Pemerintah Kabupaten Sleman"), Role.PPK, password=PASSWORD)
    found = []
    for name, recommend in (("Budi Santoso Wicaksono Adiputra", False), ("Sri Lestari Handayani Kusumawati", True)):
        report = ReportFactory(
            intake_organisation=intake,
            received_at=timezone.now() - timedelta(days=10),
            reporter_email="siti.pelapor@example.org",
        )
        terlapor = TerlaporFactory(
            report=report, name=name, position="Kepala Bidang Perencanaan dan Pengendalian Pembangunan Daerah"
        )
        triage.start_verification(report, actor=bawaslu)
        triage.register_report(report, actor=bawaslu)
        assessment.record_kajian(report, actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi.")
        assessment.forward_report(report, actor=bawaslu, on=timezone.localdate() - timedelta(days=4))
        terlapor.refresh_from_db()
        if recommend:
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
        found.append((report, terlapor))
    return found


def test_staff_pages_fit_the_laptop_and_the_phone(live_server, new_page, browser_settings, cases):
    base = live_server.url
    (forwarded_report, forwarded), (_recommended_report, _recommended) = cases
    widths = {}

    bawaslu = laptop(new_page)
    staff_login(
        bawaslu, base, "bawaslu.sleman", PASSWORD, next_url=f"/admin/reports/report/{forwarded_report.pk}/change/"
    )
    widths["report page at 1366"] = sideways_overflow(bawaslu, LAPTOP["width"])

    authority = laptop(new_page)
    form = f"/admin/reports/terlapor/{forwarded.pk}/tindakan/rekomendasi/"
    staff_login(authority, base, "rekomendasi.bkn", PASSWORD, next_url="/kerja/")
    authority.goto(base + form)
    authority.wait_for_url(base + form)
    widths["recommendation form at 1366"] = sideways_overflow(authority, LAPTOP["width"])

    ppk = new_page(phone=True)
    staff_login(ppk, base, "ppk.sleman", PASSWORD, next_url="/sanksi/")
    widths["PPK inbox at 390"] = sideways_overflow(ppk, PHONE_WIDTH)

    assert widths == {"report page at 1366": 0, "recommendation form at 1366": 0, "PPK inbox at 390": 0}


def test_every_page_of_each_roles_staff_bar_fits_a_phone(live_server, new_page, browser_settings, cases, make_staff):
    """Each officer's own pages (every link of their staff bar, and the case pages) on a 390 px phone."""
    base = live_server.url
    (forwarded_report, forwarded), (recommended_report, _recommended) = cases
    make_staff("wasdal.bkn", Organisation.objects.get(kind="bkn"), Role.BKN, password=PASSWORD)
    case_pages = {
        "bawaslu.sleman": [
            f"/admin/reports/report/{forwarded_report.pk}/change/",
            f"/admin/reports/terlapor/{forwarded.pk}/change/",
        ],
        "rekomendasi.bkn": [f"/admin/reports/terlapor/{forwarded.pk}/tindakan/rekomendasi/"],
        "ppk.sleman": [f"/admin/reports/report/{recommended_report.pk}/change/"],
        "wasdal.bkn": [],
    }
    wider, seen = [], {}
    for username, extra in case_pages.items():
        page = new_page(phone=True)
        staff_login(page, base, username, PASSWORD, next_url="/kerja/")
        links = page.locator(".nt-staffbar__links a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        seen[username] = len(links)
        for path in ["/kerja/", *links, *extra]:
            page.goto(base + path)
            if (px := sideways_overflow(page, PHONE_WIDTH)) > 0:
                wider.append((username, path, px))
    assert wider == []
    assert all(count >= 4 for count in seen.values()), seen
