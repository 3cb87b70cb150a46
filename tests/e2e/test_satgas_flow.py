"""In a browser: the ketua of the Satgas of Kabupaten Sleman assigns a new report to a member; the member signs in,
finds it in their workspace and records a monitoring note; the ketua downloads the monev as PDF and XLSX.
"""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from netralitas.enums import Role
from netralitas.models import Organisation
from reports.models import ReportEvent
from taskforce.enums import SatgasRole
from taskforce.models import Assignment, MonitoringNote
from tests.e2e.conftest import staff_login
from tests.factories import ReportFactory, TerlaporFactory
from tests.factories.taskforce import SatgasFactory, SatgasMemberFactory

pytestmark = pytest.mark.browser

PASSWORD = "kata-sandi-demo-123"
REPORTER = "Siti Rahmawati Pelapor"


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
def sleman(reference_data, make_staff) -> dict:
    """The Satgas of Sleman (ketua and two anggota with accounts) and a report about a Pemkab Sleman ASN."""
    pemda = Organisation.objects.get(name="Pemerintah Kabupaten Sleman")
    today = timezone.localdate()
    satgas = SatgasFactory(organisation=pemda, period_start=today - timedelta(days=90))
    people = {}
    for username, name, role in [
        ("ketua.satgas", "Harda Kiswaya", SatgasRole.KETUA),
        ("anggota.satu", "Ani Lestari", SatgasRole.ANGGOTA),
        ("anggota.dua", "Bayu Saputra", SatgasRole.ANGGOTA),
    ]:
        user = make_staff(username, pemda, Role.SATGAS, password=PASSWORD)
        user.email = f"{username}@sleman.example.go.id"
        user.save()
        people[username] = SatgasMemberFactory(
            satgas=satgas, user=user, name=name, role=role, joined_on=today - timedelta(days=90)
        )
    report = ReportFactory(
        intake_organisation=Organisation.objects.get(kind="bawaslu_kabkota", region__name="Kabupaten Sleman"),
        reporter_name=REPORTER,
        due_date=today + timedelta(days=5),
    )
    TerlaporFactory(report=report, name="Budi Santoso", instansi=pemda)
    return {"satgas": satgas, "report": report, **people}


def test_the_ketua_assigns_the_member_notes_and_the_monev_downloads(live_server, new_page, browser_settings, sleman):
    base = live_server.url
    code = sleman["report"].tracking_code

    # The ketua: from the Satgas's page to the open report, assigned to Ani Lestari.
    ketua = new_page()
    staff_login(ketua, base, "ketua.satgas", PASSWORD, next_url="/satgas/")
    ketua.get_by_role("link", name="Satgas Netralitas ASN Kabupaten Sleman").click()
    open_reports = ketua.get_by_test_id("open-reports")
    expect(open_reports).to_contain_text("Budi Santoso")
    expect(open_reports).to_contain_text("belum ditugaskan")
    open_reports.get_by_role("link", name=code).click()
    form = ketua.get_by_test_id("form-assign")
    form.get_by_label("Penanggung jawab perkara").select_option(label="Ani Lestari · Anggota · Inspektorat")
    form.get_by_role("button", name="Simpan penugasan").click()
    expect(ketua.get_by_test_id("message")).to_have_text("Penugasan disimpan; 1 anggota diberi tahu.")
    expect(ketua.get_by_test_id("current-team")).to_contain_text("Ani Lestari · Penanggung jawab perkara")
    expect(ketua.locator("body")).not_to_contain_text(REPORTER)

    # The member: the case waits in the workspace; a monitoring note on it.
    member = new_page()
    staff_login(member, base, "anggota.satu", PASSWORD, next_url="/kerja/")
    queue = member.locator('[data-queue="taskforce.assigned_to_me"]')
    expect(queue.get_by_test_id("queue-count")).to_have_text("1")
    queue.get_by_role("link", name=code).first.click()
    expect(member.get_by_test_id("subject-code")).to_have_text(code)
    note = member.get_by_test_id("form-note")
    note.get_by_label("Catatan pemantauan").fill("Bawaslu Sleman sudah meminta klarifikasi saksi.")
    note.get_by_role("button", name="Simpan catatan").click()
    expect(member.get_by_test_id("message")).to_have_text("Catatan pemantauan disimpan.")
    expect(member.get_by_test_id("notes")).to_contain_text("Bawaslu Sleman sudah meminta klarifikasi saksi.")
    expect(member.get_by_test_id("form-assign")).to_have_count(0)

    # The ketua: the monev of this year, as PDF and XLSX.
    ketua.goto(f"{base}/satgas/tim/{sleman['satgas'].pk}/")
    ketua.get_by_test_id("tab-monev").click()
    monev = ketua.get_by_test_id("form-monev")
    monev.get_by_label("Laporan diterima sejak").fill((timezone.localdate() - timedelta(days=30)).isoformat())
    monev.get_by_label("sampai").fill(timezone.localdate().isoformat())
    monev.get_by_role("button", name="Susun monev").click()
    expect(ketua.get_by_test_id("monev-files")).to_be_visible()
    expect(ketua.get_by_test_id("monev-table-members")).to_contain_text("Ani Lestari")
    with ketua.expect_download() as pdf_download:
        ketua.get_by_test_id("monev-pdf").click()
    with ketua.expect_download() as xlsx_download:
        ketua.get_by_test_id("monev-xlsx").click()

    pdf = Path(pdf_download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).split())
    assert "SATGAS NETRALITAS ASN KABUPATEN SLEMAN" in text
    assert "Diterima 1" in text and "Ani Lestari Anggota Inspektorat 1 1 0" in text
    assert REPORTER not in text
    book = load_workbook(BytesIO(Path(xlsx_download.value.path()).read_bytes()))
    assert [list(r) for r in book["Beban kerja anggota"].iter_rows(min_row=3, values_only=True)] == [
        ["Harda Kiswaya", "Ketua", "Inspektorat", 0, 0, 0],
        ["Ani Lestari", "Anggota", "Inspektorat", 1, 1, 0],
        ["Bayu Saputra", "Anggota", "Inspektorat", 0, 0, 0],
    ]

    assignment = Assignment.objects.get()
    assert (assignment.member.name, assignment.report, assignment.assigned_by.username) == (
        "Ani Lestari",
        sleman["report"],
        "ketua.satgas",
    )
    assert MonitoringNote.objects.get().author.username == "anggota.satu"
    assert ReportEvent.objects.filter(report=sleman["report"], note__contains="Ani Lestari").count() == 1
