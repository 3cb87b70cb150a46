"""The draft decision letter (SK) PDF: filled from the case and the recorded decision, never the reporter."""

from __future__ import annotations

from datetime import date

from netralitas.enums import Level, Track
from netralitas.models import SanctionKind, ViolationType
from sanctions.letters import decision_letter_pdf
from tests.test_letters import pdf_lines
from tests.test_recommendations import case_in_clarification, recommend
from tests.test_sanctions_pages import REPORTER, awaiting_ppk, decide


def text(data: bytes) -> str:
    """The letter's shown text as one string (reportlab wraps lines at spaces)."""
    return " ".join(pdf_lines(data))


def test_draft_sk_is_filled_from_the_case_with_blanks_for_the_ppk(cast, organisations, settings, tmp_path):
    terlapor = awaiting_ppk(cast, organisations)

    data = decision_letter_pdf(terlapor)

    assert data.startswith(b"%PDF-")
    lines = pdf_lines(data)
    shown = text(data)
    assert lines[1:4] == ["PEMERINTAH KABUPATEN SLEMAN", "KEPUTUSAN BUPATI SLEMAN", "NOMOR …"]
    assert "TENTANG PENJATUHAN HUKUMAN DISIPLIN BERAT ATAS NAMA SUTRISNO HADI" in shown
    # Menimbang: the recommendation (number, date, authority) and the violation.
    assert (
        "bahwa berdasarkan surat rekomendasi Komisi Aparatur Sipil Negara (KASN) Nomor R-101/KASN/04/2024 tanggal "
        "1 April 2024, Saudara Sutrisno Hadi NIP 197806122005011003 terbukti melakukan pelanggaran netralitas "
        "Aparatur Sipil Negara berupa B4 ·" in shown
    )
    # Mengingat: the law of the disciplinary track, not the ethics one.
    assert "Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara;" in shown
    assert "Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil;" in shown
    assert "Nomor 2 Tahun 2022" in shown and "Pedoman Pembinaan dan Pengawasan Netralitas" in shown
    assert "Nomor 42 Tahun 2004" not in shown
    # Memutuskan: the terlapor, and "…" where the PPK writes the sanction and its period.
    for expected in (
        "MEMUTUSKAN:",
        "Menjatuhkan hukuman disiplin berupa: … kepada:",
        "Sutrisno Hadi",
        "197806122005011003",
        "Kepala Seksi Pemerintahan",
        "Kecamatan Depok",
        "berlaku sejak … sampai dengan …",
        "Ditetapkan di Sleman",
        "pada tanggal …",
        "BUPATI SLEMAN,",
    ):
        assert expected in shown, expected
    assert "Penurunan jabatan" not in shown  # the recommended kinds are a choice, not a decision
    assert decision_letter_pdf(terlapor) == data  # deterministic


def test_draft_sk_carries_the_recorded_decision(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    decide(terlapor, cast["ppk_sleman"])
    terlapor.refresh_from_db()

    shown = text(decision_letter_pdf(terlapor))

    assert "NOMOR 800/123/SK/2024" in shown
    assert "Menjatuhkan hukuman disiplin berupa: Penurunan jabatan setingkat lebih rendah selama 12 bulan" in shown
    assert "berlaku sejak 1 Mei 2024 sampai dengan 30 April 2025" in shown
    assert "pada tanggal 20 April 2024" in shown
    assert "Berita acara pemeriksaan oleh tim pemeriksa tanggal 15 April 2024." in shown
    for blank in ("NOMOR …", "berupa: …", "sejak …", "pada tanggal …"):
        assert blank not in shown, blank


def test_ethics_track_gives_a_decision_on_a_moral_sanction(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    recommend(
        terlapor,
        cast["authority_bkn"],
        violation_type=ViolationType.objects.get(code="A4"),
        track=Track.ETIK,
        level=Level.MORAL,
        sanction_kinds=list(SanctionKind.objects.filter(code="moral-tertutup")),
    )
    terlapor.refresh_from_db()

    shown = text(decision_letter_pdf(terlapor))

    assert "TENTANG PENJATUHAN SANKSI MORAL" in shown
    assert "Menjatuhkan sanksi moral berupa: …" in shown
    assert "Peraturan Pemerintah Nomor 42 Tahun 2004 tentang Pembinaan Jiwa Korps dan Kode Etik" in shown
    assert "Nomor 94 Tahun 2021" not in shown
    assert "hukuman disiplin" not in shown


def test_an_acting_ppk_signs_as_pj(cast, organisations):
    sleman = organisations["pemda_sleman"]
    sleman.ppk_acting, sleman.ppk_name = True, "Dr. Pejabat Sementara"
    sleman.save(update_fields=["ppk_acting", "ppk_name"])
    terlapor = awaiting_ppk(cast, organisations)

    shown = text(decision_letter_pdf(terlapor))

    assert "KEPUTUSAN PJ BUPATI SLEMAN" in shown
    assert "DR. PEJABAT SEMENTARA" in shown


def test_draft_sk_never_carries_the_reporter(cast, organisations):
    terlapor = awaiting_ppk(cast, organisations)
    report = terlapor.report
    assert report.reporter_name == REPORTER["reporter_name"]  # the data that could leak exists
    decide(terlapor, cast["ppk_sleman"], sk_date=date(2024, 4, 22))
    terlapor.refresh_from_db()

    data = decision_letter_pdf(terlapor)

    shown = text(data)
    for secret in [*REPORTER.values(), report.tracking_code, report.description, report.place]:
        assert secret not in shown, secret
        assert secret.encode() not in data, secret
