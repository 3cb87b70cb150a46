"""The receipt e-mail of a new report, written without the template engine (issue 11: ~1 ms per report).

The expected texts are what templates/emails/report_received-{subject,body}.txt wrote, in both languages
and through each branch (election, late, files, links): the Python receipt keeps them byte for byte.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.test.signals import template_rendered
from django.utils import translation

from netralitas.models import Election
from reports import emails
from reports.enums import EvidenceKind, ReportStatus
from reports.models import Evidence, Report

STATUS_URL = "https://netralitas.example/status/"
SHA_A, SHA_B = "a" * 64, "b" * 64


def receipt(language, *, election=False, late=False, files=0, links=0) -> tuple[str, str]:
    report = Report(
        tracking_code="NTR-ABCD-2345",
        received_at=datetime(2026, 3, 10, 2, 5, tzinfo=UTC),  # 09:05 in Jakarta
        status=ReportStatus.RECEIVED,
        election=Election(name="Pilkada Serentak 2024") if election else None,
        period_phase="kampanye" if election else "",
        reported_late=late,
    )
    stored = [
        Evidence(kind=EvidenceKind.FILE, original_name="foto <1>.jpg", size=20481, sha256=SHA_A),
        Evidence(kind=EvidenceKind.FILE, original_name="video.mp4", size=5, sha256=SHA_B),
    ][:files]
    stored += [
        Evidence(kind=EvidenceKind.LINK, url="https://www.instagram.com/p/abc123/?a=1&b=2"),
        Evidence(kind=EvidenceKind.LINK, url="https://youtu.be/x"),
    ][:links]
    with translation.override(language):
        return emails.report_received_message(report, stored, status_url=STATUS_URL)


ID_TRACK = (
    "Pantau laporan Anda di https://netralitas.example/status/ dengan kode pelacakan dan PIN yang ditampilkan "
    "sesudah laporan terkirim. Demi keamanan, PIN tidak pernah dikirim lewat surel; bila PIN hilang, laporan "
    "tetap ditangani tetapi Anda tidak dapat memantaunya.\n\n"
)
ID_LATE = (
    "Laporan ini melewati batas 7 hari sejak kejadian diketahui. Laporan tetap diterima dan dicatat terlambat; "
    "petugas akan menilai apakah masih dapat diregistrasi.\n\n"
)
ID_END = "Surel ini dikirim otomatis oleh portal Netralitas ASN. Jangan membalas surel ini.\n\n"
ID_HEAD = (
    "Laporan Anda tentang netralitas ASN sudah kami terima.\n\n"
    "Kode pelacakan: NTR-ABCD-2345\n"
    "Diterima: 10 Maret 2026, 09:05 WIB\n"
    "Status: Diterima\n"
)
EN_TRACK = (
    "Follow your report at https://netralitas.example/status/ with the tracking code and PIN shown after the "
    "report was submitted. For security, the PIN is never sent by email; if you lose the PIN, the report is still "
    "handled but you cannot follow it.\n\n"
)
EN_HEAD = (
    "We have received your report on civil service neutrality.\n\n"
    "Tracking code: NTR-ABCD-2345\n"
    "Received: 10 March 2026, 09:05 WIB\n"
    "Status: Received\n"
)
EN_END = "This email was sent automatically by the Civil Service Neutrality portal. Please do not reply to it.\n\n"


def test_the_full_receipt_in_indonesian():
    subject, body = receipt("id", election=True, late=True, files=2, links=2)
    assert subject == "Tanda terima laporan NTR-ABCD-2345"
    assert body == (
        ID_HEAD
        + "Pemilihan: Pilkada Serentak 2024 (Selama masa kampanye)\n\n"
        + ID_TRACK
        + ID_LATE
        + "Bukti berkas (sidik SHA-256):\n"
        f"- foto <1>.jpg (20481 bita)\n  SHA-256: {SHA_A}\n"
        f"- video.mp4 (5 bita)\n  SHA-256: {SHA_B}\n\n"
        "Bukti tautan:\n- https://www.instagram.com/p/abc123/?a=1&b=2\n- https://youtu.be/x\n\n" + ID_END
    )


def test_the_full_receipt_in_english():
    subject, body = receipt("en", election=True, late=True, files=2, links=2)
    assert subject == "Receipt for report NTR-ABCD-2345"
    assert body == (
        EN_HEAD
        + "Election: Pilkada Serentak 2024 (During the campaign period)\n\n"
        + EN_TRACK
        + "This report was made more than 7 days after the incident became known. It is still accepted and "
        "recorded as late; officers will assess whether it can still be registered.\n\n"
        "Evidence files (SHA-256 fingerprint):\n"
        f"- foto <1>.jpg (20481 bytes)\n  SHA-256: {SHA_A}\n"
        f"- video.mp4 (5 bytes)\n  SHA-256: {SHA_B}\n\n"
        "Evidence links:\n- https://www.instagram.com/p/abc123/?a=1&b=2\n- https://youtu.be/x\n\n" + EN_END
    )


@pytest.mark.parametrize(
    ("language", "options", "expected"),
    [
        ("id", {}, ID_HEAD + "\n" + ID_TRACK + ID_END),
        (
            "en",
            {"files": 1},
            EN_HEAD
            + "\n"
            + EN_TRACK
            + f"Evidence files (SHA-256 fingerprint):\n- foto <1>.jpg (20481 bytes)\n  SHA-256: {SHA_A}\n\n"
            + EN_END,
        ),
        (
            "id",
            {"late": True, "links": 1},
            ID_HEAD
            + "\n"
            + ID_TRACK
            + ID_LATE
            + "Bukti tautan:\n- https://www.instagram.com/p/abc123/?a=1&b=2\n\n"
            + ID_END,
        ),
    ],
)
def test_each_part_shows_only_when_it_applies(language, options, expected):
    assert receipt(language, **options)[1] == expected


def test_the_receipt_renders_no_template():
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        receipt("id", election=True, late=True, files=1, links=1)
    finally:
        template_rendered.disconnect(record)
    assert rendered == []
