"""PPK decisions, left service, the overdue sweep, BKN blocks and escalations: rules, permissions, races."""

from __future__ import annotations

import hashlib
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from netralitas.enums import EmployeeStatus, Level, Role, Track
from netralitas.models import SanctionKind
from reports.enums import CaseStatus, LeftServiceReason
from reports.models import CaseEvent, Person, Terlapor
from reports.recommendations import ppk_due
from sanctions.enums import Compliance, EscalationKind, Examiner, SanctionEventKind
from sanctions.models import Block, Decision, Escalation, SanctionEvent
from sanctions.services import (
    allowed_sanction_kinds,
    lift_block,
    record_block,
    record_correction,
    record_decision,
    record_escalation,
    record_left_service,
    sanction_period_end,
    sweep_overdue,
)
from sanctions.tasks import task_sweep_overdue
from tests.conftest import NEEDS_POSTGRES
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_recommendations import forward_to_clarification, kinds, officer_of, recommend, vt

JAKARTA = ZoneInfo("Asia/Jakarta")
LETTER_DATE = date(2024, 4, 1)
PPK_DUE = date(2024, 4, 29)  # 14 working days after 1 April 2024, Lebaran and its cuti bersama skipped
TODAY = date(2024, 4, 22)  # a Monday before the deadline

PAGES = (
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
)
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + PAGES + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
SCRIPTED_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\n"
    b"endobj\n" + PAGES + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)

# The recommendations a PPK receives, by (violation type, track, level) and the kinds named for a PNS.
RECOMMENDATIONS = {
    "moral": ("A3", Track.ETIK, Level.MORAL, ("moral-terbuka",)),
    "ringan": ("B13", Track.DISIPLIN, Level.RINGAN, ("ringan-teguran-tertulis",)),
    "sedang": ("B3", Track.DISIPLIN, Level.SEDANG, ("sedang-tukin-25-6-bulan",)),
    "berat": ("B4", Track.DISIPLIN, Level.BERAT, ("berat-penurunan-jabatan", "berat-pembebasan-jabatan")),
    "ptdh": ("B5", Track.UU_ASN, Level.PTDH, ("ptdh-pns",)),
}
ALL_KINDS = [
    "moral-tertutup",
    "moral-terbuka",
    "ringan-teguran-lisan",
    "ringan-teguran-tertulis",
    "ringan-pernyataan-tidak-puas",
    "sedang-tukin-25-6-bulan",
    "sedang-tukin-25-9-bulan",
    "sedang-tukin-25-12-bulan",
    "berat-penurunan-jabatan",
    "berat-pembebasan-jabatan",
    "berat-pdhtaps",
    "ptdh-pns",
    "phk-tdh-pppk",
]
# Who is not the PPK's office of Pemda Sleman (the operator of Kota Yogyakarta holds the permission elsewhere).
NOT_PPK_OFFICE = [
    "satgas_sleman",
    "bawaslu_sleman",
    "bawaslu_diy",
    "authority_bkn",
    "wasdal_bkn",
    "viewer",
    "admin",
    "operator_yogya",
]
NOT_BKN = ["ppk_sleman", "operator_sleman", "satgas_sleman", "bawaslu_sleman", "authority_bkn", "viewer", "admin"]
NOT_ESCALATING = ["ppk_sleman", "operator_sleman", "satgas_sleman", "bawaslu_sleman", "authority_bkn", "admin"]


def at(day: date, hour: int = 10):
    """Travel to ``day`` at ``hour`` o'clock in Jakarta, clock frozen."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def today():
    with at(TODAY):
        yield TODAY


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


_letters = iter(range(1, 1_000_000))


def awaiting_ppk(
    cast,
    organisations,
    *,
    recommendation: str = "berat",
    letter_date: date = LETTER_DATE,
    intake: str = "bawaslu_sleman",
    sanction_kinds: tuple[str, ...] | None = None,
    **terlapor_fields,
) -> Terlapor:
    """One terlapor (default: a PNS of Pemda Sleman) whose recommendation awaits the PPK, walked through services."""
    report = ReportFactory(intake_organisation=organisations[intake], reporter_name="Rahasia Pelapor Wijaya")
    fields = {"name": "Sutrisno Hadi", "nip": "", "position": "Kepala Seksi", "work_unit": "Kecamatan Depok"}
    TerlaporFactory(report=report, **{**fields, **terlapor_fields})
    forwarded_on = min(letter_date, date(2024, 3, 28))  # a letter never precedes the forwarding
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"], on=forwarded_on)[0]
    code, track, level, named = RECOMMENDATIONS[recommendation]
    if code == "B13":  # outside the matrix the Satgas decides track and level first
        satgas = {"satgas_track": track, "satgas_level": level, "satgas_reasoning": "Diputuskan rapat Satgas."}
        Terlapor.objects.filter(pk=terlapor.pk).update(satgas_decided_at=timezone.now(), **satgas)
        for field, value in satgas.items():
            setattr(terlapor, field, value)
    recommend(
        terlapor,
        officer_of(terlapor),
        violation_type=vt(code),
        track=track,
        level=level,
        sanction_kinds=kinds(*(sanction_kinds or named)),
        letter_number=f"R-{next(_letters)}/KASN/2024",
        letter_date=letter_date,
    )
    return Terlapor.objects.get(pk=terlapor.pk)


def sk_file(data: bytes = MINIMAL_PDF, name: str = "sk-bupati.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def kind(code: str) -> SanctionKind:
    return SanctionKind.objects.get(code=code)


def decide(terlapor, actor, code: str = "berat-penurunan-jabatan", **overrides) -> Decision:
    """Record a decision with everything a complete SK has (examination, period when the kind has one)."""
    sanction = kind(code)
    arguments = {
        "sk_number": "800/123/SK/2024",
        "sk_date": date(2024, 4, 19),
        "sanction_kind": sanction,
        "examiner": Examiner.TIM_PEMERIKSA,
        "examination_date": date(2024, 4, 15),
        "examination_record": "Terlapor mengakui hadir pada kampanye.",
        "effective_from": date(2024, 5, 1) if sanction.duration_months else None,
        "signed_sk": sk_file(),
        **overrides,
    }
    return record_decision(terlapor, actor=actor, **arguments)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def events(terlapor) -> list[tuple]:
    return list(SanctionEvent.objects.filter(terlapor=terlapor).values_list("kind", "actor", "note", "letter_number"))


# ---------------------------------------------------------------- the catalogue: track, level, employee status


@pytest.mark.parametrize("recommendation", ["moral", "sedang", "berat", "ptdh"])
@pytest.mark.parametrize("code", ALL_KINDS)
def test_every_sanction_kind_is_accepted_only_within_the_recommended_track_and_level_unless_a_reason_is_given(
    cast, organisations, today, recommendation, code
):
    terlapor = awaiting_ppk(cast, organisations, recommendation=recommendation)
    _vt, track, level, _named = RECOMMENDATIONS[recommendation]
    sanction = kind(code)
    ppk = cast["ppk_sleman"]

    if sanction.applies_to == "pppk":
        # A PPPK-only sanction is never lawful for a PNS, whatever the reason.
        with pytest.raises(ValidationError) as excinfo:
            decide(terlapor, ppk, code, deviation_reason="Pertimbangan khusus PPK.")
        assert errors_of(excinfo) == {
            "sanction_kind": [f"“{sanction.name}” tidak berlaku bagi PNS."],
        }
        assert Decision.objects.count() == 0
        return

    within = (sanction.track, sanction.level) == (track, level)
    if within:
        decision = decide(terlapor, ppk, code)
        assert (decision.sanction_kind, decision.deviation_reason) == (sanction, "")
    else:
        with pytest.raises(ValidationError) as excinfo:
            decide(terlapor, ppk, code)
        assert errors_of(excinfo) == {
            "deviation_reason": [
                f"“{sanction.name}” berada di luar rekomendasi (jalur {Track(track).label}, tingkat "
                f"{Level(level).label}). Tuliskan alasannya; alasan ini ditampilkan kepada lembaga pemberi "
                "rekomendasi dan BKN."
            ]
        }
        assert (Decision.objects.count(), Terlapor.objects.get(pk=terlapor.pk).case_status) == (
            0,
            CaseStatus.AWAITING_PPK,
        )
        decision = decide(terlapor, ppk, code, deviation_reason="  Terlapor baru pertama kali melanggar.  ")
        assert (decision.sanction_kind, decision.deviation_reason) == (
            sanction,
            "Terlapor baru pertama kali melanggar.",
        )
    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.SANCTIONED


def test_allowed_sanction_kinds_follow_the_recommendation_and_the_employee_status(cast, organisations, today):
    def allowed(terlapor):
        return list(allowed_sanction_kinds(terlapor).values_list("code", flat=True))

    pns_berat = awaiting_ppk(cast, organisations, recommendation="berat")
    pppk_berat = awaiting_ppk(
        cast,
        organisations,
        recommendation="berat",
        employee_status=EmployeeStatus.PPPK,
        sanction_kinds=("berat-penurunan-jabatan",),
    )
    cpns_ptdh = awaiting_ppk(cast, organisations, recommendation="ptdh", employee_status=EmployeeStatus.CPNS)
    pppk_ptdh = awaiting_ppk(
        cast,
        organisations,
        recommendation="ptdh",
        employee_status=EmployeeStatus.PPPK,
        sanction_kinds=("phk-tdh-pppk",),
    )
    assert allowed(pns_berat) == ["berat-penurunan-jabatan", "berat-pembebasan-jabatan", "berat-pdhtaps"]
    assert allowed(pppk_berat) == ["berat-penurunan-jabatan", "berat-pembebasan-jabatan"]
    assert allowed(cpns_ptdh) == ["ptdh-pns"]
    assert allowed(pppk_ptdh) == ["phk-tdh-pppk"]
    assert allowed(TerlaporFactory()) == []  # no recommendation yet

    SanctionKind.objects.filter(code="berat-pembebasan-jabatan").update(is_active=False)
    assert allowed(pns_berat) == ["berat-penurunan-jabatan", "berat-pdhtaps"]


def test_b5_gives_ptdh_to_a_pns_and_termination_of_contract_to_a_pppk_whatever_the_reason(cast, organisations, today):
    ppk = cast["ppk_sleman"]
    pppk = awaiting_ppk(
        cast,
        organisations,
        recommendation="ptdh",
        employee_status=EmployeeStatus.PPPK,
        sanction_kinds=("phk-tdh-pppk",),
    )
    pns = awaiting_ppk(cast, organisations, recommendation="ptdh", employee_status=EmployeeStatus.PNS)

    with pytest.raises(ValidationError) as excinfo:
        decide(pppk, ppk, "ptdh-pns", deviation_reason="Disamakan dengan PNS.")
    assert errors_of(excinfo) == {
        "sanction_kind": ["“Pemberhentian tidak dengan hormat sebagai PNS” tidak berlaku bagi PPPK."]
    }
    with pytest.raises(ValidationError) as excinfo:
        decide(pppk, ppk, "berat-pdhtaps", deviation_reason="Dianggap setara.")
    assert errors_of(excinfo) == {
        "sanction_kind": [
            "“Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS” tidak berlaku bagi PPPK."
        ]
    }
    with pytest.raises(ValidationError) as excinfo:
        decide(pns, ppk, "phk-tdh-pppk", deviation_reason="Keliru status.")
    assert errors_of(excinfo) == {
        "sanction_kind": ["“Pemutusan hubungan perjanjian kerja tidak dengan hormat” tidak berlaku bagi PNS."]
    }

    assert decide(pppk, ppk, "phk-tdh-pppk").sanction_kind.code == "phk-tdh-pppk"
    assert decide(pns, ppk, "ptdh-pns", sk_number="800/124/SK/2024").sanction_kind.code == "ptdh-pns"
    # A PPPK may still get a kind for every ASN, outside the level, with a reason.
    other = awaiting_ppk(
        cast,
        organisations,
        recommendation="berat",
        employee_status=EmployeeStatus.PPPK,
        sanction_kinds=("berat-penurunan-jabatan",),
    )
    decision = decide(other, ppk, "ringan-teguran-tertulis", deviation_reason="Terlapor kooperatif.")
    assert (decision.sanction_kind.code, decision.deviation_reason) == (
        "ringan-teguran-tertulis",
        "Terlapor kooperatif.",
    )


def test_an_inactive_sanction_kind_is_refused_even_with_a_reason(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    SanctionKind.objects.filter(code="berat-pembebasan-jabatan").update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], "berat-pembebasan-jabatan", deviation_reason="Tetap dipilih.")
    assert errors_of(excinfo) == {
        "sanction_kind": [
            "“Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan” tidak aktif lagi dalam katalog."
        ]
    }


# ---------------------------------------------------------------- examination and effective period


@pytest.mark.parametrize(
    "code",
    ["sedang-tukin-25-9-bulan", "berat-penurunan-jabatan", "berat-pdhtaps", "ptdh-pns"],
)
def test_sedang_berat_and_ptdh_need_an_examination(cast, organisations, today, code):
    recommendation = {"sedang": "sedang", "berat": "berat", "ptdh": "ptdh"}[kind(code).level]
    terlapor = awaiting_ppk(cast, organisations, recommendation=recommendation)
    level_label = Level(kind(code).level).label
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], code, examiner=Examiner.NONE, examination_date=None)
    assert errors_of(excinfo) == {
        "examiner": [
            f"Hukuman tingkat {level_label} dijatuhkan setelah pemeriksaan: pilih atasan langsung atau Tim Pemeriksa."
        ]
    }
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], code, examiner=Examiner.ATASAN_LANGSUNG, examination_date=None)
    assert errors_of(excinfo) == {"examination_date": ["Tanggal pemeriksaan wajib diisi."]}
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], code, examination_date=date(2024, 4, 20))
    assert errors_of(excinfo) == {
        "examination_date": ["Pemeriksaan dilakukan sebelum SK ditetapkan, bukan sesudahnya."]
    }

    decision = decide(terlapor, cast["ppk_sleman"], code, examiner=Examiner.ATASAN_LANGSUNG)
    assert (decision.examiner, decision.examination_date) == (Examiner.ATASAN_LANGSUNG, date(2024, 4, 15))


@pytest.mark.parametrize(("recommendation", "code"), [("moral", "moral-tertutup"), ("ringan", "ringan-teguran-lisan")])
def test_moral_and_ringan_need_no_examination(cast, organisations, today, recommendation, code):
    terlapor = awaiting_ppk(cast, organisations, recommendation=recommendation)
    decision = decide(terlapor, cast["ppk_sleman"], code, examiner=Examiner.NONE, examination_date=None)
    assert (decision.examiner, decision.examination_date, decision.effective_from, decision.effective_until) == (
        Examiner.NONE,
        None,
        None,
        None,
    )


def test_an_examination_date_without_an_examiner_is_refused(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations, recommendation="moral")
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], "moral-terbuka", examiner=Examiner.NONE)
    assert errors_of(excinfo) == {"examiner": ["Pilih siapa yang memeriksa, atau kosongkan tanggal pemeriksaan."]}


def test_the_effective_period_of_a_time_bound_sanction_is_computed(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations, recommendation="sedang")
    ppk = cast["ppk_sleman"]
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, ppk, "sedang-tukin-25-6-bulan", effective_from=None)
    assert errors_of(excinfo) == {
        "effective_from": [
            "“Pemotongan tunjangan kinerja sebesar 25% selama 6 bulan” berlaku 6 bulan: isi tanggal mulai berlakunya."
        ]
    }
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, ppk, "sedang-tukin-25-6-bulan", effective_until=date(2024, 11, 1))
    assert errors_of(excinfo) == {
        "effective_until": ["Masa berlaku 6 bulan sejak 1 Mei 2024 berakhir 31 Oktober 2024."]
    }
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, ppk, "sedang-tukin-25-6-bulan", effective_from=date(2024, 4, 18))
    assert errors_of(excinfo) == {"effective_from": ["Sanksi tidak dapat berlaku sebelum tanggal SK."]}

    decision = decide(terlapor, ppk, "sedang-tukin-25-12-bulan", effective_from=date(2024, 5, 1))
    # 12 months from 1 May 2024 run "sampai dengan 30 April 2025" (sanction_period_end).
    assert (decision.effective_from, decision.effective_until) == (date(2024, 5, 1), date(2025, 4, 30))
    assert Decision.objects.get(pk=decision.pk).effective_until == date(2025, 4, 30)


def test_a_sanction_without_duration_takes_no_end_date(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations, recommendation="ringan")
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], "ringan-teguran-tertulis", effective_until=date(2024, 6, 1))
    assert errors_of(excinfo) == {
        "effective_until": ["“Teguran tertulis” tidak berjangka waktu: kosongkan tanggal berakhir."]
    }


def test_sanction_period_end_keeps_the_end_of_a_shorter_month():
    tukin_6 = SanctionKind(code="x", duration_months=6)
    assert sanction_period_end(tukin_6, date(2024, 8, 31)) == date(2025, 2, 28)
    assert sanction_period_end(tukin_6, date(2024, 8, 28)) == date(2025, 2, 27)
    # "terhitung mulai 1 Januari 2027 sampai dengan 31 Desember 2027"
    assert sanction_period_end(SanctionKind(code="z", duration_months=12), date(2027, 1, 1)) == date(2027, 12, 31)
    assert sanction_period_end(SanctionKind(code="m", duration_months=1), date(2024, 3, 1)) == date(2024, 3, 31)
    assert sanction_period_end(tukin_6, None) is None
    assert sanction_period_end(SanctionKind(code="y"), date(2024, 8, 31)) is None


def test_sk_number_and_dates_are_checked(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], sk_number="  ", sk_date=date(2024, 4, 23))
    assert errors_of(excinfo) == {
        "sk_number": ["Nomor SK wajib diisi."],
        "sk_date": ["Tanggal SK tidak boleh sesudah hari ini."],
    }
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], sk_date=date(2024, 3, 29), examination_date=date(2024, 3, 28))
    assert errors_of(excinfo) == {"sk_date": ["Tanggal SK tidak boleh sebelum tanggal rekomendasi (1 April 2024)."]}


# ---------------------------------------------------------------- the signed SK


def test_the_signed_sk_is_stored_privately_with_its_hash(cast, organisations, today, media):
    terlapor = awaiting_ppk(cast, organisations)
    decision = decide(terlapor, cast["ppk_sleman"], signed_sk=sk_file(name="../../SK Bupati.pdf"))
    stored = Decision.objects.get(pk=decision.pk)
    assert stored.signed_sk_sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert stored.signed_sk.name.startswith("sk/2024/04/")
    assert "Bupati" not in stored.signed_sk.name
    assert (media / stored.signed_sk.name).read_bytes() == MINIMAL_PDF


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (PNG_1PX, "sk.pdf", "Berkas «sk.pdf» ditolak: SK harus berupa PDF (hasil pindai atau cetak ke PDF)."),
        (
            SCRIPTED_PDF,
            "sk.pdf",
            "Berkas «sk.pdf» ditolak: PDF ini berisi JavaScript, lampiran berkas lain, atau aksi yang dapat "
            "menjalankan program atau mengirim data. Cetak ulang sebagai PDF biasa (Cetak → Simpan sebagai PDF), "
            "lalu kirim lagi.",
        ),
        (b"", "kosong.pdf", "Berkas «kosong.pdf» ditolak: berkasnya kosong (0 bita)."),
        (
            b"MZ\x90\x00" + b"\x00" * 200,
            "sk.pdf",
            "Berkas «sk.pdf» ditolak: SK harus berupa PDF (hasil pindai atau cetak ke PDF).",
        ),
    ],
)
def test_a_signed_sk_that_is_not_a_clean_pdf_is_refused(cast, organisations, today, media, data, name, message):
    terlapor = awaiting_ppk(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], signed_sk=sk_file(data, name))
    assert errors_of(excinfo) == {"signed_sk": [message]}
    assert not (media / "sk").exists()


def test_a_signed_sk_over_the_evidence_limit_is_refused(cast, organisations, today, settings):
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 100
    terlapor = awaiting_ppk(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], signed_sk=sk_file(MINIMAL_PDF + b" " * 100))
    assert errors_of(excinfo) == {
        "signed_sk": [
            f"Berkas «sk-bupati.pdf» ditolak: ukurannya {len(MINIMAL_PDF) + 100}\xa0bita, "
            "melebihi batas 100\xa0bita per berkas."
        ]
    }


def test_a_missing_signed_sk_is_refused(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"], signed_sk=None)
    assert errors_of(excinfo) == {"signed_sk": ["Unggah SK yang sudah ditandatangani (PDF)."]}


# ---------------------------------------------------------------- recording: the case, events, compliance


def test_record_decision_moves_the_case_to_sanctioned_with_events(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    ppk = cast["ppk_sleman"]
    decision = decide(terlapor, ppk, sk_number=" 800/123/SK/2024 ")

    assert (
        decision.sk_number,
        decision.sk_date,
        decision.compliance,
        decision.recorded_by,
        decision.effective_from,
        decision.effective_until,
    ) == ("800/123/SK/2024", date(2024, 4, 19), Compliance.ON_TIME, ppk, date(2024, 5, 1), date(2025, 4, 30))
    stored = Terlapor.objects.get(pk=terlapor.pk)
    assert (stored.case_status, stored.due_date, stored.overdue_since) == (CaseStatus.SANCTIONED, None, None)
    note = "SK 800/123/SK/2024 tanggal 19 April 2024: Penurunan jabatan setingkat lebih rendah selama 12 bulan."
    assert list(CaseEvent.objects.filter(terlapor=terlapor).values_list("from_status", "to_status", "actor", "note"))[
        -1
    ] == (CaseStatus.AWAITING_PPK, CaseStatus.SANCTIONED, ppk.pk, note)
    assert events(terlapor) == [(SanctionEventKind.DECISION_RECORDED, ppk.pk, note, "800/123/SK/2024")]


def test_a_deviation_reason_is_kept_in_the_event(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations, recommendation="moral")
    decide(terlapor, cast["operator_sleman"], "ringan-teguran-lisan", deviation_reason="Pelanggaran berulang.")
    assert events(terlapor)[0][2] == (
        "SK 800/123/SK/2024 tanggal 19 April 2024: Teguran lisan. "
        "Alasan berbeda dari rekomendasi: Pelanggaran berulang."
    )


def test_a_decision_on_the_deadline_is_on_time_and_the_day_after_late(cast, organisations):
    with at(date(2024, 4, 22)):
        on_day, after = awaiting_ppk(cast, organisations), awaiting_ppk(cast, organisations)
    with at(PPK_DUE, hour=23):
        assert decide(on_day, cast["ppk_sleman"]).compliance == Compliance.ON_TIME
    with at(date(2024, 4, 30), hour=0):
        assert decide(after, cast["ppk_sleman"], sk_number="800/200/SK/2024").compliance == Compliance.LATE


def test_a_decision_cannot_be_edited_and_a_correction_is_an_event(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    ppk = cast["ppk_sleman"]
    decision = decide(terlapor, ppk)

    decision.sk_number = "800/999/SK/2024"
    with pytest.raises(RuntimeError, match="Keputusan PPK bersifat final"):
        decision.save()
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["operator_sleman"], sk_number="800/555/SK/2024")
    assert errors_of(excinfo) == {"__all__": ["Keputusan untuk terlapor ini sudah dicatat."]}

    event = record_correction(
        decision,
        actor=ppk,
        note="Nomor SK tertulis salah; yang benar 800/124/SK/2024.",
        letter_number="800/130/2024",
        letter_date=date(2024, 4, 22),
    )
    assert (event.kind, event.actor, event.letter_number, event.letter_date) == (
        SanctionEventKind.CORRECTION,
        ppk,
        "800/130/2024",
        date(2024, 4, 22),
    )
    assert Decision.objects.get(pk=decision.pk).sk_number == "800/123/SK/2024"
    assert [e[0] for e in events(terlapor)] == [SanctionEventKind.DECISION_RECORDED, SanctionEventKind.CORRECTION]
    with pytest.raises(ValidationError) as excinfo:
        record_correction(decision, actor=ppk, note=" ")
    assert errors_of(excinfo) == {"note": ["Tuliskan apa yang dikoreksi dan mengapa."]}
    with pytest.raises(PermissionDenied):
        record_correction(decision, actor=cast["wasdal_bkn"], note="Koreksi.")


def test_a_decision_needs_a_case_awaiting_the_ppk(cast, organisations, today):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report)
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"])[0]
    with pytest.raises(ValidationError) as excinfo:
        decide(terlapor, cast["ppk_sleman"])
    assert errors_of(excinfo) == {
        "__all__": [
            "Keputusan hanya dapat dicatat untuk perkara yang menunggu tindak lanjut PPK (status: Klarifikasi)."
        ]
    }


# ---------------------------------------------------------------- who may record


@pytest.mark.parametrize("who", NOT_PPK_OFFICE)
def test_only_the_ppk_office_of_the_instansi_records_a_decision(cast, organisations, today, who):
    terlapor = awaiting_ppk(cast, organisations)
    with pytest.raises(PermissionDenied, match="Anda tidak berwenang mencatat keputusan PPK untuk perkara ini."):
        decide(terlapor, cast[who])
    with pytest.raises(PermissionDenied):
        record_left_service(terlapor, actor=cast[who], reason=LeftServiceReason.RETIRED)
    assert (Decision.objects.count(), SanctionEvent.objects.count()) == (0, 0)


def test_the_ppk_of_another_instansi_is_refused_even_when_it_sees_the_case(cast, organisations, make_staff, today):
    # Reported to Pemda Kota Yogyakarta, naming an ASN of Sleman: Yogyakarta sees the case but is not its PPK.
    terlapor = awaiting_ppk(cast, organisations, intake="pemda_yogya")
    ppk_yogya = make_staff("ppk.yogya", organisations["pemda_yogya"], Role.PPK)
    from reports.selectors import terlapor_visible_to

    assert list(terlapor_visible_to(ppk_yogya)) == [terlapor]
    with pytest.raises(PermissionDenied):
        decide(terlapor, ppk_yogya)
    with pytest.raises(PermissionDenied):
        decide(terlapor, None)
    decision = decide(terlapor, cast["operator_sleman"])
    assert decision.recorded_by == cast["operator_sleman"]


def test_a_superuser_may_record_a_decision(cast, organisations, today, django_user_model):
    terlapor = awaiting_ppk(cast, organisations)
    root = django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123")
    assert decide(terlapor, root).recorded_by == root


# ---------------------------------------------------------------- left service


def test_record_left_service_closes_the_case_and_marks_the_register(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    person = Person.objects.create(name=terlapor.name, nip="197806122005011003", instansi=terlapor.instansi)
    Terlapor.objects.filter(pk=terlapor.pk).update(person=person)
    terlapor.refresh_from_db()
    ppk = cast["ppk_sleman"]

    event = record_left_service(terlapor, actor=ppk, reason=LeftServiceReason.RETIRED, note="SK pensiun 2024.")

    text = "ASN sudah keluar dari dinas: Pensiun. SK pensiun 2024."
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        CaseStatus.AWAITING_PPK,
        CaseStatus.CANNOT_FOLLOW_UP,
        ppk,
        text,
    )
    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.CANNOT_FOLLOW_UP
    assert Person.objects.get(pk=person.pk).left_service == LeftServiceReason.RETIRED
    assert events(terlapor) == [(SanctionEventKind.LEFT_SERVICE, ppk.pk, text, "")]
    with pytest.raises(ValidationError) as excinfo:
        record_left_service(terlapor, actor=ppk, reason=LeftServiceReason.RETIRED)
    assert errors_of(excinfo) == {
        "__all__": [
            "Hanya perkara yang menunggu tindak lanjut PPK yang dapat dicatat di sini "
            "(status: Tidak dapat ditindaklanjuti)."
        ]
    }


def test_record_left_service_needs_a_known_reason(cast, organisations, today):
    terlapor = awaiting_ppk(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        record_left_service(terlapor, actor=cast["ppk_sleman"], reason="mutasi")
    assert errors_of(excinfo) == {"reason": ["Pilih alasan ASN keluar dari dinas."]}


# ---------------------------------------------------------------- the overdue sweep


def test_the_sweep_marks_a_recommendation_overdue_the_day_after_its_deadline(cast, organisations):
    with at(date(2024, 4, 22)):
        terlapor = awaiting_ppk(cast, organisations, letter_date=LETTER_DATE)
        decided = awaiting_ppk(cast, organisations, letter_date=LETTER_DATE)
        decide(decided, cast["ppk_sleman"])
    assert (terlapor.due_date, ppk_due(LETTER_DATE).due) == (PPK_DUE, PPK_DUE)

    with at(PPK_DUE, hour=23):
        assert sweep_overdue() == 0
    assert Terlapor.objects.get(pk=terlapor.pk).overdue_since is None
    with at(date(2024, 4, 30), hour=0):
        assert sweep_overdue() == 1
        assert sweep_overdue() == 0  # idempotent
    with at(date(2024, 5, 1)):
        assert sweep_overdue() == 0

    assert Terlapor.objects.get(pk=terlapor.pk).overdue_since == date(2024, 4, 30)
    assert events(terlapor) == [
        (SanctionEventKind.OVERDUE, None, "Tenggat tindak lanjut PPK 29 April 2024 terlewati tanpa keputusan.", "")
    ]
    assert Terlapor.objects.get(pk=decided.pk).overdue_since is None
    assert SanctionEvent.objects.filter(kind=SanctionEventKind.OVERDUE).count() == 1


def test_the_sweep_task_calls_the_service(cast, organisations, celery_eager):
    with at(date(2024, 4, 22)):
        terlapor = awaiting_ppk(cast, organisations)
    with at(date(2024, 4, 30)):
        assert task_sweep_overdue.delay().get() == 1
        assert task_sweep_overdue.delay().get() == 0
    assert Terlapor.objects.get(pk=terlapor.pk).overdue_since == date(2024, 4, 30)
    assert task_sweep_overdue.name == "sanctions.sweep_overdue"


def test_the_sweep_runs_hourly_in_the_beat_schedule():
    from celery.schedules import crontab

    from netralitas.celery import app

    entry = app.conf.beat_schedule["sweep-overdue-recommendations"]
    assert (entry["task"], entry["schedule"]) == ("sanctions.sweep_overdue", crontab(minute=15))


# ---------------------------------------------------------------- BKN: block, lift on decision, escalation


@pytest.fixture
def overdue(cast, organisations):
    """A Sleman case past its deadline (marked by the sweep on 30 April 2024); the clock then stands on 2 May."""
    with at(date(2024, 4, 22)):
        terlapor = awaiting_ppk(cast, organisations)
    with at(date(2024, 4, 30)):
        sweep_overdue()
    with at(date(2024, 5, 2)):
        yield Terlapor.objects.get(pk=terlapor.pk)


def test_a_block_is_recorded_the_decision_marks_it_for_lifting_and_bkn_lifts_it(cast, overdue):
    from sanctions.selectors import blocks_to_lift

    bkn, ppk = cast["wasdal_bkn"], cast["ppk_sleman"]
    block = record_block(
        overdue, actor=bkn, blocked_on=date(2024, 5, 2), letter_number=" BKN-77/2024 ", letter_date=date(2024, 5, 2)
    )
    assert (block.terlapor, block.blocked_on, block.letter_number, block.blocked_by, block.is_active) == (
        overdue,
        date(2024, 5, 2),
        "BKN-77/2024",
        bkn,
        True,
    )
    with pytest.raises(ValidationError) as excinfo:
        record_block(
            overdue, actor=bkn, blocked_on=date(2024, 5, 2), letter_number="BKN-78", letter_date=date(2024, 5, 2)
        )
    assert errors_of(excinfo) == {"__all__": ["Data kepegawaian terlapor ini sedang diblokir."]}
    assert list(blocks_to_lift(bkn)) == []

    decision = decide(
        overdue, ppk, sk_date=date(2024, 5, 2), examination_date=date(2024, 5, 1), effective_from=date(2024, 5, 6)
    )
    assert decision.compliance == Compliance.LATE
    block.refresh_from_db()
    assert block.lift_requested_at is not None and block.is_active
    assert list(blocks_to_lift(bkn)) == [block]
    assert Terlapor.objects.get(pk=overdue.pk).overdue_since == date(2024, 4, 30)  # kept as history

    with pytest.raises(ValidationError) as excinfo:
        lift_block(block, actor=bkn, lifted_on=date(2024, 5, 1), letter_number="BKN-90/2024")
    assert errors_of(excinfo) == {"lifted_on": ["Tanggal pembukaan tidak boleh sebelum tanggal blokir (2 Mei 2024)."]}
    with pytest.raises(ValidationError) as excinfo:
        lift_block(block, actor=bkn, lifted_on=date(2024, 5, 2), letter_number="")
    assert errors_of(excinfo) == {"letter_number": ["Nomor surat pembukaan wajib diisi."]}
    lifted = lift_block(block, actor=bkn, lifted_on=date(2024, 5, 2), letter_number="BKN-90/2024")
    assert (lifted.lifted_on, lifted.lift_letter_number, lifted.lifted_by, lifted.is_active) == (
        date(2024, 5, 2),
        "BKN-90/2024",
        bkn,
        False,
    )
    assert list(blocks_to_lift(bkn)) == []
    with pytest.raises(ValidationError) as excinfo:
        lift_block(block, actor=bkn, lifted_on=date(2024, 5, 2), letter_number="BKN-91/2024")
    assert errors_of(excinfo) == {"__all__": ["Blokir ini sudah dibuka pada 2 Mei 2024."]}

    assert [(kind, actor) for kind, actor, _note, _letter in events(overdue)] == [
        (SanctionEventKind.OVERDUE, None),
        (SanctionEventKind.BLOCKED, bkn.pk),
        (SanctionEventKind.DECISION_RECORDED, ppk.pk),
        (SanctionEventKind.LIFT_REQUESTED, ppk.pk),
        (SanctionEventKind.BLOCK_LIFTED, bkn.pk),
    ]
    notes = {kind: (note, letter) for kind, _actor, note, letter in events(overdue)}
    assert notes[SanctionEventKind.BLOCKED] == ("Data kepegawaian diblokir sejak 2 Mei 2024.", "BKN-77/2024")
    assert notes[SanctionEventKind.LIFT_REQUESTED] == (
        "Keputusan PPK sudah dicatat. Blokir BKN-77/2024 perlu dibuka BKN.",
        "",
    )
    assert notes[SanctionEventKind.BLOCK_LIFTED] == ("Blokir BKN-77/2024 dibuka pada 2 Mei 2024.", "BKN-90/2024")


def test_left_service_also_marks_the_block_for_lifting(cast, overdue):
    block = record_block(
        overdue,
        actor=cast["wasdal_bkn"],
        blocked_on=date(2024, 5, 2),
        letter_number="BKN-1",
        letter_date=date(2024, 5, 2),
    )
    record_left_service(overdue, actor=cast["ppk_sleman"], reason=LeftServiceReason.RESIGNED)
    block.refresh_from_db()
    assert block.lift_requested_at is not None
    assert [e[0] for e in events(overdue)][-2:] == [SanctionEventKind.LEFT_SERVICE, SanctionEventKind.LIFT_REQUESTED]


def test_a_block_needs_an_overdue_case_awaiting_the_ppk(cast, organisations):
    bkn = cast["wasdal_bkn"]
    with at(date(2024, 4, 22)):
        terlapor = awaiting_ppk(cast, organisations)
        with pytest.raises(ValidationError) as excinfo:
            record_block(
                terlapor, actor=bkn, blocked_on=date(2024, 4, 22), letter_number="B-1", letter_date=date(2024, 4, 22)
            )
        assert errors_of(excinfo) == {"__all__": ["Perkara ini belum melewati tenggat tindak lanjut PPK."]}
    with at(date(2024, 4, 30)):
        sweep_overdue()
        with pytest.raises(ValidationError) as excinfo:
            record_block(
                terlapor, actor=bkn, blocked_on=date(2024, 4, 29), letter_number=" ", letter_date=date(2024, 5, 1)
            )
        assert errors_of(excinfo) == {
            "blocked_on": ["Tanggal blokir tidak boleh sebelum perkara melewati tenggat (30 April 2024)."],
            "letter_number": ["Nomor surat blokir wajib diisi."],
            "letter_date": ["Tanggal surat tidak boleh sesudah hari ini."],
        }
        decide(terlapor, cast["ppk_sleman"], effective_from=date(2024, 5, 1))
        with pytest.raises(ValidationError) as excinfo:
            record_block(
                terlapor, actor=bkn, blocked_on=date(2024, 4, 30), letter_number="B-2", letter_date=date(2024, 4, 30)
            )
        assert errors_of(excinfo) == {
            "__all__": [
                "Hanya perkara yang menunggu tindak lanjut PPK yang dapat diblokir (status: Sanksi dijatuhkan)."
            ]
        }
    assert Block.objects.count() == 0


@pytest.mark.parametrize("who", ["wasdal_bkn", "viewer"])
def test_escalations_are_recorded_with_their_letters(cast, overdue, who):
    actor = cast[who]
    escalation = record_escalation(
        overdue,
        actor=actor,
        kind=EscalationKind.TEGURAN_KEMENDAGRI,
        letter_number="100.2/333/OTDA",
        letter_date=date(2024, 5, 2),
        note="PPK belum menindaklanjuti rekomendasi.",
    )
    record_escalation(
        overdue,
        actor=actor,
        kind=EscalationKind.REKOMENDASI_PRESIDEN,
        letter_number="R-1/PRES/2024",
        letter_date=date(2024, 5, 2),
    )
    assert (escalation.kind, escalation.letter_number, escalation.recorded_by) == (
        EscalationKind.TEGURAN_KEMENDAGRI,
        "100.2/333/OTDA",
        actor,
    )
    assert list(Escalation.objects.filter(terlapor=overdue).order_by("pk").values_list("kind", flat=True)) == [
        EscalationKind.TEGURAN_KEMENDAGRI,
        EscalationKind.REKOMENDASI_PRESIDEN,
    ]
    assert events(overdue)[1:] == [
        (
            SanctionEventKind.ESCALATION,
            actor.pk,
            "Teguran Kemendagri. PPK belum menindaklanjuti rekomendasi.",
            "100.2/333/OTDA",
        ),
        (SanctionEventKind.ESCALATION, actor.pk, "Rekomendasi kepada Presiden.", "R-1/PRES/2024"),
    ]


def test_an_escalation_needs_an_overdue_or_blocked_case_and_a_letter(cast, organisations):
    with at(date(2024, 4, 22)):
        terlapor = awaiting_ppk(cast, organisations)
        with pytest.raises(ValidationError) as excinfo:
            record_escalation(
                terlapor,
                actor=cast["wasdal_bkn"],
                kind=EscalationKind.TEGURAN_KEMENPANRB,
                letter_number="X",
                letter_date=date(2024, 4, 22),
            )
        assert errors_of(excinfo) == {"__all__": ["Eskalasi hanya untuk perkara yang melewati tenggat atau diblokir."]}
    with at(date(2024, 4, 30)):
        sweep_overdue()
        with pytest.raises(ValidationError) as excinfo:
            record_escalation(
                terlapor, actor=cast["wasdal_bkn"], kind="teguran_dprd", letter_number="", letter_date=None
            )
        assert errors_of(excinfo) == {
            "kind": ["Pilih jenis eskalasi."],
            "letter_number": ["Nomor surat wajib diisi."],
            "letter_date": ["Tanggal surat wajib diisi."],
        }


@pytest.mark.parametrize("who", NOT_BKN)
def test_only_bkn_blocks_and_lifts(cast, overdue, who):
    with pytest.raises(PermissionDenied, match="Anda tidak berwenang memblokir data kepegawaian."):
        record_block(
            overdue, actor=cast[who], blocked_on=date(2024, 5, 2), letter_number="B", letter_date=date(2024, 5, 2)
        )
    block = record_block(
        overdue, actor=cast["wasdal_bkn"], blocked_on=date(2024, 5, 2), letter_number="B", letter_date=date(2024, 5, 2)
    )
    with pytest.raises(PermissionDenied, match="Anda tidak berwenang membuka blokir."):
        lift_block(block, actor=cast[who], lifted_on=date(2024, 5, 2), letter_number="L")
    assert Block.objects.get(pk=block.pk).is_active


@pytest.mark.parametrize("who", NOT_ESCALATING)
def test_only_bkn_and_national_viewers_escalate(cast, overdue, who):
    with pytest.raises(PermissionDenied, match="Anda tidak berwenang mencatat eskalasi."):
        record_escalation(
            overdue,
            actor=cast[who],
            kind=EscalationKind.TEGURAN_KEMENPANRB,
            letter_number="B/1/2024",
            letter_date=date(2024, 5, 2),
        )
    assert Escalation.objects.count() == 0


# ---------------------------------------------------------------- concurrency (PostgreSQL: lock + constraint)


@pytest.fixture(scope="class")
def reference_reloaded_after_flush(django_db_blocker):
    """A transactional test ends by emptying the tables: put the reference data back once, for the tests after."""
    yield
    from netralitas.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("reference_reloaded_after_flush")
class TestConcurrentDecisions:
    def test_two_ppk_users_submitting_at_once_produce_exactly_one_decision(self, cast, organisations):
        with at(TODAY):
            terlapor = awaiting_ppk(cast, organisations)
        User = get_user_model()
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def worker(user_id: int, sk_number: str):
            try:
                # Each thread loads its own user and case on its own connection before the race.
                user, mine = User.objects.get(pk=user_id), Terlapor.objects.get(pk=terlapor.pk)
                barrier.wait(timeout=10)
                decide(mine, user, sk_number=sk_number)
                outcomes.append("won")
            except ValidationError as error:
                outcomes.append(f"refused: {error.messages}")
            except Exception as exc:  # noqa: BLE001 - reported in the assertion
                outcomes.append(repr(exc))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=worker, args=(cast["ppk_sleman"].pk, "800/1/SK/2024")),
            threading.Thread(target=worker, args=(cast["operator_sleman"].pk, "800/2/SK/2024")),
        ]
        with at(TODAY):  # time-machine patches the clock for every thread
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=30)

        assert sorted(outcomes) == ["refused: ['Keputusan untuk terlapor ini sudah dicatat.']", "won"]
        assert Decision.objects.filter(terlapor=terlapor).count() == 1
        assert SanctionEvent.objects.filter(terlapor=terlapor, kind=SanctionEventKind.DECISION_RECORDED).count() == 1
        assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.SANCTIONED


def test_the_database_itself_holds_one_decision_and_one_active_block_per_case(cast, overdue):
    from django.db import IntegrityError, transaction

    decision = decide(
        overdue,
        cast["ppk_sleman"],
        sk_date=date(2024, 5, 2),
        examination_date=date(2024, 5, 1),
        effective_from=date(2024, 5, 6),
    )
    twin = Decision(
        terlapor=overdue,
        sk_number="800/2/SK/2024",
        sk_date=decision.sk_date,
        sanction_kind=decision.sanction_kind,
        signed_sk=decision.signed_sk.name,
        signed_sk_sha256=decision.signed_sk_sha256,
        compliance=Compliance.LATE,
        recorded_by=cast["operator_sleman"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()
    first = Block.objects.create(
        terlapor=overdue,
        blocked_on=date(2024, 5, 2),
        letter_number="B-1",
        letter_date=date(2024, 5, 2),
        blocked_by=cast["wasdal_bkn"],
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Block.objects.create(
            terlapor=overdue,
            blocked_on=date(2024, 5, 2),
            letter_number="B-2",
            letter_date=date(2024, 5, 2),
            blocked_by=cast["wasdal_bkn"],
        )
    Block.objects.filter(pk=first.pk).update(lifted_on=date(2024, 5, 2))
    Block.objects.create(  # a lifted block leaves room for a new one
        terlapor=overdue,
        blocked_on=date(2024, 5, 2),
        letter_number="B-3",
        letter_date=date(2024, 5, 2),
        blocked_by=cast["wasdal_bkn"],
    )
    assert Block.objects.filter(terlapor=overdue).count() == 2


def test_the_decision_on_the_last_case_closes_the_report(cast, organisations, today):
    """Sanksi dijatuhkan is an outcome: with every terlapor decided, the report is finished."""
    from reports.enums import ReportStatus
    from reports.models import Report

    terlapor = awaiting_ppk(cast, organisations)
    assert Report.objects.get(pk=terlapor.report_id).status == ReportStatus.FORWARDED
    decide(terlapor, cast["ppk_sleman"])
    report = Report.objects.get(pk=terlapor.report_id)
    assert (Terlapor.objects.get(pk=terlapor.pk).case_status, report.status) == (
        CaseStatus.SANCTIONED,
        ReportStatus.CLOSED,
    )


def test_a_block_shows_on_the_register_entry(client, cast, organisations, today):
    from reports.register import person_for

    terlapor = awaiting_ppk(cast, organisations, nip="197806122005011003")
    person = person_for(terlapor)
    Terlapor.objects.filter(pk=terlapor.pk).update(person=person)
    with at(date(2024, 4, 30)):
        sweep_overdue()
        record_block(
            Terlapor.objects.get(pk=terlapor.pk),
            actor=cast["wasdal_bkn"],
            blocked_on=date(2024, 4, 30),
            letter_number="B-77/BKN/2024",
            letter_date=date(2024, 4, 30),
        )
    client.force_login(cast["wasdal_bkn"])
    html = client.get(f"/admin/reports/person/{person.pk}/change/").content.decode()
    assert "data kepegawaian diblokir" in html.lower()
    assert 'alt="True"' in html  # the boolean icon of the blocked column
