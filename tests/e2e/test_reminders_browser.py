"""In a browser: after the morning's sweep the PPK signs in, sees the unread count and the reminder, and
follows its link to the case.

The case reaches the PPK through the services (triage, then the recommendation); its deadline is
then set to 8 May 2024 and the sweep runs for that morning, so the test does not depend on today
being a working day (the browser's clock is not moved: its cookies must not look expired).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from netralitas.enums import Level, Role, Track
from netralitas.models import Notification, Organisation, SanctionKind, ViolationType
from netralitas.reminder_sweep import sweep_reminders
from reports import assessment, recommendations, triage
from reports.models import Terlapor
from tests.e2e.conftest import staff_login
from tests.factories import ReportFactory, TerlaporFactory
from tests.reminder_walk import at

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"
DAY = date(2024, 5, 8)


@pytest.fixture
def case_due_today(reference_data, make_staff, settings, tmp_path) -> Terlapor:
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    intake = Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman")
    bawaslu = make_staff("bawaslu.sleman", intake, Role.BAWASLU)
    authority = make_staff("rekomendasi.bkn", Organisation.objects.get(kind="bkn"), Role.AUTHORITY)
    report = ReportFactory(
        intake_organisation=intake,
        received_at=timezone.now() - timedelta(days=10),
        reporter_name="Siti Rahmawati Pelapor",
    )
    terlapor = TerlaporFactory(report=report, name="Budi Santoso", position="Camat Depok")
    triage.start_verification(report, actor=bawaslu)
    triage.register_report(report, actor=bawaslu)
    assessment.start_kajian(report, actor=bawaslu)
    assessment.record_kajian(report, actor=bawaslu, result="memenuhi", reasoning="Unsur terpenuhi.")
    assessment.forward_report(report, actor=bawaslu, on=timezone.localdate() - timedelta(days=5))
    terlapor.refresh_from_db()
    recommendations.issue_recommendation(
        terlapor,
        actor=authority,
        finding="Terlapor berpidato mengajak warga memilih pasangan calon nomor 2.",
        violation_type=ViolationType.objects.get(code="B4"),
        track=Track.DISIPLIN,
        level=Level.BERAT,
        sanction_kinds=list(SanctionKind.objects.filter(code="berat-penurunan-jabatan")),
        reasoning="Rekaman video dan dua saksi menguatkan.",
        letter_number="B-2048/R/BKN/XI/2026",
        letter_date=timezone.localdate() - timedelta(days=3),
    )
    Terlapor.objects.filter(pk=terlapor.pk).update(due_date=DAY)
    return terlapor


def test_the_ppk_sees_the_reminder_after_the_sweep_and_follows_it_to_the_case(
    live_server, page, case_due_today, make_staff, celery_eager
):
    sleman = Organisation.objects.get(name="Pemerintah Kabupaten Sleman")
    ppk = make_staff("ppk.sleman", sleman, Role.PPK, password=PASSWORD)
    sweep_reminders(at(DAY, 6))
    (reminder,) = Notification.objects.filter(user=ppk)
    assert (
        reminder.title == "Tenggat hari ini: Tindak lanjut rekomendasi oleh PPK · Budi Santoso · B-2048/R/BKN/XI/2026"
    )

    base = live_server.url
    staff_login(page, base, "ppk.sleman", PASSWORD)
    expect(page.get_by_test_id("unread-count")).to_have_text(re.compile(r"\b1$"))
    page.get_by_test_id("nav-notifications").click()
    page.wait_for_url(base + "/kerja/notifikasi/")
    item = page.get_by_test_id("notification")
    expect(item).to_have_count(1)
    expect(item).to_have_attribute("data-unread", "1")
    expect(item).to_contain_text("Tenggat 8 Mei 2024: tidak ada hari kerja lagi sebelum tenggat.")
    expect(page.locator("body")).not_to_contain_text("Siti Rahmawati Pelapor")

    item.get_by_role("link", name=reminder.title).click()
    page.wait_for_url(f"{base}/sanksi/perkara/{case_due_today.pk}/")
    expect(page.get_by_test_id("case-status")).to_have_text("Menunggu tindak lanjut PPK")
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    reminder.refresh_from_db()
    assert reminder.read_at is not None
