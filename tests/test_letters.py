"""The recommendation letter PDF: what the PPK reads, and what it must never carry."""

from __future__ import annotations

import re

from netralitas.enums import Level, Track
from netralitas.models import SanctionKind, ViolationType
from reports.letters import copy_recipients, recommendation_letter_pdf
from reports.recommendations import issue_recommendation
from tests.test_recommendations import LETTER_DATE, case_in_clarification

_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_SHOWN = re.compile(rb"\(((?:[^()\\]|\\.)*)\)\s*Tj")
_ESCAPE = re.compile(rb"\\([0-7]{1,3}|.)", re.S)
_SIMPLE = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _unescape(match: re.Match) -> bytes:
    code = match.group(1)
    if code[:1].isdigit():
        return bytes([int(code, 8)])
    return _SIMPLE.get(code, code)


def pdf_lines(data: bytes) -> list[str]:
    """The text lines shown on the pages of an uncompressed reportlab PDF (content streams only)."""
    lines = []
    for stream in _STREAM.findall(data):
        for shown in _SHOWN.findall(stream):
            lines.append(_ESCAPE.sub(_unescape, shown).decode("cp1252"))
    return lines


def letter_for(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    recommendation = issue_recommendation(
        terlapor,
        actor=cast["authority_bkn"],
        finding="Terlapor hadir dan mengacungkan simbol dukungan pada kampanye pasangan calon.",
        violation_type=ViolationType.objects.get(code="B4"),
        track=Track.DISIPLIN,
        level=Level.BERAT,
        sanction_kinds=list(
            SanctionKind.objects.filter(code__in=["berat-penurunan-jabatan", "berat-pembebasan-jabatan"])
        ),
        reasoning="Keterangan saksi dan foto bersesuaian.",
        letter_number="R-101/KASN/04/2024",
        letter_date=LETTER_DATE,
    )
    return recommendation


def test_letter_carries_the_case_the_ppk_and_the_deadline(cast, organisations):
    recommendation = letter_for(cast, organisations)

    data = recommendation_letter_pdf(recommendation)

    assert data.startswith(b"%PDF-")
    lines = pdf_lines(data)
    # Paragraphs wrap and bold runs are separate strings: compare running text with spaces collapsed.
    text = " ".join(" ".join(lines).split())
    for expected_line in (
        "KOMISI APARATUR SIPIL NEGARA (KASN)",
        "R-101/KASN/04/2024",
        "1 April 2024",
        "Rekomendasi atas Pelanggaran Netralitas ASN",
        "Yth.",
        "Bupati Sleman",
        "Sutrisno Hadi",
        "197806122005011003",
        "Kepala Seksi Pemerintahan",
        "Kecamatan Depok",
        "Pemerintah Kabupaten Sleman",
        "Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        "Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
        "Keterangan saksi dan foto bersesuaian.",
        "Tembusan:",
        "Kepala Badan Kepegawaian Negara",
        "Ketua Badan Pengawas Pemilihan Umum Republik Indonesia",
        "Ketua Bawaslu Kabupaten Sleman",
    ):
        assert expected_line in lines, expected_line
    for expected_text in (
        "Nomor : R-101/KASN/04/2024 Tanggal : 1 April 2024 Lampiran : - Hal : Rekomendasi atas Pelanggaran",
        "NIP : 197806122005011003",
        "B4 · Menghadiri deklarasi/kampanye pasangan bakal calon",
        "Disiplin (PP 94/2021), Hukuman disiplin berat",
        "kami meminta Bupati Sleman menindaklanjuti rekomendasi ini",
        "di atas paling lambat 29 April 2024 (14 hari kerja) sejak tanggal surat ini",
        "Dasar hukum: SKB Netralitas ASN 2022",
        "PP 94/2021 Pasal 8 ayat (4)",
    ):
        assert expected_text in text, expected_text


def test_letter_never_carries_the_reporter(cast, organisations):
    recommendation = letter_for(cast, organisations)
    report = recommendation.terlapor.report

    data = recommendation_letter_pdf(recommendation)

    text = "\n".join(pdf_lines(data))
    assert "Sutrisno Hadi" in text  # the extraction works on this letter
    for secret in (
        report.reporter_name,
        "Rahasia",
        report.reporter_nik,
        report.reporter_phone,
        report.reporter_email,
        report.reporter_address,
        report.tracking_code,
    ):
        assert secret not in text
        assert secret.encode() not in data


def test_letter_names_an_acting_ppk_and_is_deterministic(cast, organisations):
    recommendation = letter_for(cast, organisations)
    pemda = recommendation.addressed_to
    pemda.ppk_acting = True
    pemda.save(update_fields=["ppk_acting"])

    first = recommendation_letter_pdf(recommendation)

    assert "Pj Bupati Sleman" in pdf_lines(first)
    assert recommendation_letter_pdf(recommendation) == first


def test_copies_go_to_the_bawaslu_of_the_region_when_another_body_received_the_report(cast, organisations):
    recommendation = letter_for(cast, organisations)
    report = recommendation.terlapor.report
    report.intake_organisation = organisations["pemda_sleman"]
    report.save(update_fields=["intake_organisation"])

    assert copy_recipients(recommendation) == [
        "Kepala Badan Kepegawaian Negara",
        "Ketua Badan Pengawas Pemilihan Umum Republik Indonesia",
        "Ketua Bawaslu Kabupaten Sleman",
    ]

    report.intake_organisation = organisations["bawaslu_diy"]
    report.save(update_fields=["intake_organisation"])
    assert copy_recipients(recommendation)[-1] == "Ketua Bawaslu Provinsi Daerah Istimewa Yogyakarta"
