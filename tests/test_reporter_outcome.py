"""Issue 10, finding 7: the reporter is told the outcome per terlapor, with dates and what happens next, and
is e-mailed at registration, forwarding, recommendation and closure with the absolute link (never the PIN)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.test import Client

from netralitas.models import OutboxMessage
from reports.casework import close_case_left_service, declare_not_proven
from reports.enums import LeftServiceReason, ReportStatus
from reports.models import Report, Terlapor
from reports.pins import hash_pin
from tests.factories import KajianFactory, ReportFactory, TerlaporFactory
from tests.test_recommendations import forward_to_clarification, officer_of, recommend
from tests.test_sanctions_services import TODAY, at, decide

SITE = "https://netralitas.example.go.id"
CODE, PIN = "NTR-7K3M-Q9XD", "K7QM-3XWD-9PHT-R2NB"
SANCTION = "Penurunan jabatan setingkat lebih rendah selama 12 bulan"


@pytest.fixture(autouse=True)
def env(settings, tmp_path):
    settings.SITE_URL = SITE
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    with at(TODAY):
        yield


def opened(report: Report) -> str:
    from reports.public.antibot import issue_timer

    client = Client()
    client.get("/status/")
    response = client.post(
        "/status/", {"tracking_code": report.tracking_code, "pin": PIN, "form_ts": issue_timer(), "situs_web": ""}
    )
    assert response.status_code == 303
    return re.sub(r"\s+", " ", client.get("/status/laporan/").content.decode())


def reported(organisations, *names: str, email: str = "siti@example.org") -> Report:
    report = ReportFactory(
        tracking_code=CODE,
        pin_hash=hash_pin(PIN),
        intake_organisation=organisations["bawaslu_sleman"],
        reporter_email=email,
    )
    for name in names:
        TerlaporFactory(report=report, name=name, nip="")
    return report


def test_status_page_names_each_terlapors_outcome_with_dates_and_next_step(cast, organisations):
    report = reported(organisations, "Agus Tidak Terbukti", "Budi Direkomendasikan", "Citra Disanksi", "Dedi Pensiun")
    from reports.register import link_register

    first, second, third, fourth = forward_to_clarification(report, cast["bawaslu_sleman"])
    link_register(report)  # the register records why an ASN left service
    fourth.refresh_from_db()
    authority = cast["authority_bkn"]
    declare_not_proven(first, actor=authority, reasoning="Foto tidak menunjukkan terlapor.")
    recommend(second, officer_of(second), letter_number="R-201/BKN/2024")
    recommend(third, officer_of(third), letter_number="R-202/BKN/2024")
    decide(Terlapor.objects.get(pk=third.pk), cast["ppk_sleman"])
    close_case_left_service(fourth, actor=authority, reason=LeftServiceReason.RETIRED)

    html = opened(report)
    cases = re.findall(r'<li class="border rounded p-3 mb-3 case-outcome".*?</li>\s*</ul>\s*</li>', html)
    assert len(cases) == 4
    assert "Terlapor 1: Agus Tidak Terbukti" in cases[0]
    assert "Tidak terbukti melanggar netralitas." in cases[0]
    assert "Penanganan untuk ASN ini selesai." in cases[0]
    assert (
        "Terbukti. Komisi Aparatur Sipil Negara (KASN) menerbitkan rekomendasi tanggal 1 April 2024: "
        "jalur Disiplin (PP 94/2021), tingkat Hukuman disiplin berat." in cases[1]
    )
    assert (
        "Berikutnya:</strong> Bupati Sleman wajib menjatuhkan sanksi sesuai rekomendasi paling lambat 29 April 2024."
        in (cases[1])
    )
    assert f'<span class="badge text-bg-secondary case-status">Sanksi dijatuhkan: {SANCTION}</span>' in cases[2]
    assert f"Sanksi dijatuhkan: {SANCTION} (SK tanggal 19 April 2024)." in cases[2]
    assert "ASN ini sudah keluar dari dinas (Pensiun), sehingga sanksi tidak dapat dijatuhkan." in cases[3]
    assert '<time datetime="2024-04-22">22 April 2024</time>: Sanksi dijatuhkan' in cases[2]
    # The timeline names statuses, not "Status berubah".
    assert '<span class="fw-semibold">Status berubah</span>' not in html
    assert '<span class="fw-semibold">Diteruskan ke lembaga pemberi rekomendasi</span>' in html


def test_the_pending_completion_request_shows_its_deadline(cast, organisations):
    from reports.triage import request_completion, start_verification

    report = reported(organisations, "Budi")
    start_verification(report, actor=cast["bawaslu_sleman"])
    request_completion(report, actor=cast["bawaslu_sleman"], message="Kirim foto yang lebih jelas.")
    html = opened(report)
    assert "Kirim kelengkapan paling lambat 25 April 2024." in html


def test_reporter_is_emailed_at_registration_forwarding_recommendation_and_closure(cast, organisations):
    from reports.assessment import forward_report, start_kajian
    from reports.triage import register_report, start_verification

    report = reported(organisations, "Citra Disanksi")
    Report.objects.filter(pk=report.pk).update(received_at=datetime(2024, 3, 20, 2, 0, tzinfo=UTC))
    report.refresh_from_db()
    bawaslu = cast["bawaslu_sleman"]
    start_verification(report, actor=bawaslu)
    register_report(report, actor=bawaslu)
    start_kajian(report, actor=bawaslu)
    KajianFactory(report=report, recorded_by=bawaslu)
    forward_report(report, actor=bawaslu, on=date(2024, 3, 28))
    terlapor = Terlapor.objects.get(report=report)
    recommend(terlapor, officer_of(terlapor), letter_number="R-301/BKN/2024")
    decide(Terlapor.objects.get(pk=terlapor.pk), cast["ppk_sleman"])
    assert Report.objects.get(pk=report.pk).status == ReportStatus.CLOSED

    to_reporter = list(OutboxMessage.objects.filter(recipient="siti@example.org").order_by("pk"))
    assert [message.subject for message in to_reporter] == [
        f"Laporan {CODE} diregistrasi",
        f"Laporan {CODE} diteruskan untuk rekomendasi",
        f"Laporan {CODE}: rekomendasi sanksi diterbitkan",
        f"Laporan {CODE} selesai ditangani",
    ]
    for message in to_reporter:
        assert f"{SITE}/status/" in message.body
        assert PIN not in message.body and PIN.replace("-", "") not in message.body
    assert "Jalur dan tingkat: Disiplin (PP 94/2021), Hukuman disiplin berat" in to_reporter[2].body
    assert "paling lambat 29 April 2024" in to_reporter[2].body
    assert f"1. Citra Disanksi: Sanksi dijatuhkan: {SANCTION}" in to_reporter[3].body


def test_staff_emails_carry_the_absolute_link_where_they_act(cast, organisations, make_staff):
    from netralitas.enums import Role

    ppk = make_staff("ppk.sleman.surel", organisations["pemda_sleman"], Role.PPK)
    ppk.email = "ppk@slemankab.example"
    ppk.save()
    report = reported(organisations, "Budi")
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"])[0]
    recommend(terlapor, officer_of(terlapor), letter_number="R-401/BKN/2024")
    message = OutboxMessage.objects.get(recipient="ppk@slemankab.example")
    assert f"{SITE}/sanksi/perkara/{terlapor.pk}/" in message.body


def test_request_for_information_links_the_status_page_absolutely(cast, organisations):
    from reports.triage import request_completion, start_verification

    report = reported(organisations, "Budi")
    start_verification(report, actor=cast["bawaslu_sleman"])
    request_completion(report, actor=cast["bawaslu_sleman"], message="Kirim foto yang lebih jelas.")
    message = OutboxMessage.objects.get(recipient="siti@example.org")
    assert f"Kirimkan kelengkapannya di {SITE}/status/ dengan kode pelacakan dan PIN Anda." in message.body
