"""Default deadlines of the handling procedure (domain.md §4; domain-research.md §3.4)."""

from __future__ import annotations

from netralitas.enums import DayType, DeadlineStep
from netralitas.models import DeadlineRule

from ._sync import sync_rows

_CAL, _WORK = DayType.CALENDAR, DayType.WORKING

# step, days, day type, verified, legal basis, note
DEADLINE_RULES = [
    (
        DeadlineStep.REPORT_WINDOW,
        7,
        _CAL,
        True,
        "Perbawaslu 7/2022 Pasal 8 ayat (3): laporan disampaikan paling lama 7 hari sejak peristiwa diketahui "
        "(syarat formal); UU Pemilihan untuk Pilkada",
        "",
    ),
    (
        DeadlineStep.REPORTER_COMPLETION,
        3,
        _CAL,
        True,
        "Praktik penanganan laporan Bawaslu (Pilkada 2020, formulir B.1): pelapor diberi 3 hari untuk "
        "melengkapi syarat; bila tidak, laporan tidak dapat diregistrasi",
        "",
    ),
    (
        DeadlineStep.SATGAS_VERIFICATION,
        7,
        _CAL,
        True,
        "Alur Sistem Berbagi Terintegrasi (SBT) BKN 2024: verifikasi laporan oleh Satgas Netralitas paling lama 7 hari",
        "Sumber tidak menyebut jenis hari; dipakai hari kalender.",
    ),
    (
        DeadlineStep.BAWASLU_KAJIAN,
        3,
        _WORK,
        True,
        "Alur SBT BKN 2024: kajian, verifikasi dan validasi oleh Bawaslu paling lama 3 hari kerja; praktik "
        "penanganan laporan Pilkada: 3 hari sejak laporan diterima",
        "",
    ),
    (
        DeadlineStep.BAWASLU_KAJIAN_EXTENSION,
        2,
        _WORK,
        True,
        "Praktik penanganan laporan Pilkada oleh Bawaslu: tambahan paling lama 2 hari bila diperlukan "
        "keterangan tambahan",
        "Jenis hari mengikuti tahap kajian (hari kerja).",
    ),
    (
        DeadlineStep.BAWASLU_KAJIAN_PEMILU,
        7,
        _CAL,
        False,
        "UU 7/2017 tentang Pemilu Pasal 454 (penanganan laporan pelanggaran Pemilu): diputus paling lama 7 hari "
        "setelah laporan diterima dan diregistrasi (belum terverifikasi)",
        "Belum dicocokkan dengan naskah resmi; jenis hari belum jelas (dipakai hari kalender).",
    ),
    (
        DeadlineStep.BAWASLU_KAJIAN_PEMILU_EXTENSION,
        7,
        _CAL,
        False,
        "UU 7/2017 Pasal 454: bila memerlukan keterangan tambahan, paling lama 14 hari setelah registrasi "
        "(tambahan 7 hari; belum terverifikasi)",
        "Belum dicocokkan dengan naskah resmi.",
    ),
    (
        DeadlineStep.AUTHORITY_ACTION,
        14,
        _CAL,
        False,
        "SKB Netralitas ASN 2022, sebagaimana dikutip Bawaslu Provinsi Bengkulu (2022): KASN menindaklanjuti "
        "rekomendasi Bawaslu dalam 14 hari",
        "jenis hari belum jelas",
    ),
    (
        DeadlineStep.PPK_FOLLOW_UP,
        14,
        _WORK,
        False,
        "SKB Netralitas ASN 2022 (diduga 14 hari kerja sejak rekomendasi diterima; belum terverifikasi). "
        "Praktik 2019: 14 hari; Kemendagri 2020: 10 hari",
        "Belum dicocokkan dengan naskah resmi SKB.",
    ),
]


def load_deadlines() -> int:
    """Create the deadline rules that are missing; return how many."""
    rows = [
        {"step": step, "days": days, "day_type": day_type, "verified": verified, "legal_basis": basis, "note": note}
        for step, days, day_type, verified, basis, note in DEADLINE_RULES
    ]
    created, _ = sync_rows(DeadlineRule, "step", rows)
    return created
