"""Issue 12's workflow rules: what each act records, the kajian extension, Pemilu vs Pilkada deadlines, letter
dates, the issuer's organisation, the SE 4/2024 handover, B9/B10, the done sweep and the NIP/name flag."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from netralitas.authority import authority_in_force
from netralitas.calendar import format_date
from netralitas.enums import DeadlineStep, Role
from netralitas.models import AuthorityTransition, Election, SanctionKind
from reports import assessment, triage
from reports.casework import cancel_case, record_clarification
from reports.enums import CaseStatus, EventKind, KajianResult, ReportStatus
from reports.handover import apply_authority_transitions
from reports.models import CaseEvent, Clarification, Kajian, Person, Recommendation, Report, ReportEvent, Terlapor
from reports.recommendations import recommendation_warnings
from reports.register import link_register
from sanctions.models import Decision
from sanctions.services import sweep_sanctions_ended
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import MINIMAL_PDF, PE
from tests.test_recommendations import forward_to_clarification, officer_of, recommend, vt

JAKARTA = ZoneInfo("Asia/Jakarta")


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA), tick=False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")


def registered(organisations, *, election: str | None = None, registered_on: date, **fields) -> Report:
    """A report of Bawaslu Sleman registered on ``registered_on`` (its kajian clock started that day)."""
    election_obj = Election.objects.get(name=election) if election else None
    with at(registered_on):
        report = ReportFactory(
            intake_organisation=organisations["bawaslu_sleman"],
            status=ReportStatus.VERIFYING,
            election=election_obj,
            **fields,
        )
        TerlaporFactory(report=report)
    return report


# ---------------------------------------------------------------- verification and kajian recorded


def test_register_records_the_formal_and_material_finding(cast, organisations):
    report = registered(organisations, registered_on=date(2024, 10, 15))
    bawaslu = cast["bawaslu_sleman"]
    with pytest.raises(ValidationError) as excinfo:
        triage.register_report(report, actor=bawaslu, formal_met=True, material_met=False)
    assert excinfo.value.message_dict == {
        "material_met": ["Laporan yang tidak memenuhi syarat materiel ditolak atau diminta dilengkapi."]
    }
    with at(date(2024, 10, 15)):
        event = triage.register_report(report, actor=bawaslu, note="Saksi dua orang.")
    report.refresh_from_db()
    assert (report.status, report.verified_formal, report.verified_material) == (ReportStatus.REGISTERED, True, True)
    assert (event.kind, event.note) == (EventKind.VERIFIED, "Syarat formal dan materiel terpenuhi. Saksi dua orang.")


def test_kajian_records_result_reasoning_and_the_pdf_and_forwarding_needs_memenuhi(cast, organisations):
    report = registered(organisations, registered_on=date(2024, 10, 15))
    bawaslu = cast["bawaslu_sleman"]
    with at(date(2024, 10, 15)):
        triage.register_report(report, actor=bawaslu)
    with pytest.raises(ValidationError) as excinfo:
        assessment.forward_report(report, actor=bawaslu)
    assert excinfo.value.messages == ["Catat hasil kajian sebelum meneruskan laporan."]

    with pytest.raises(ValidationError) as excinfo:
        assessment.record_kajian(report, actor=bawaslu, result="", reasoning=" ")
    assert excinfo.value.message_dict == {
        "result": ["Pilih hasil kajian."],
        "reasoning": ["Pertimbangan hasil kajian wajib diisi."],
    }
    with pytest.raises(ValidationError) as excinfo:
        assessment.record_kajian(
            report,
            actor=bawaslu,
            result=KajianResult.MEMENUHI,
            reasoning="Terbukti.",
            document=SimpleUploadedFile("kajian.pdf", PE),
        )
    assert list(excinfo.value.message_dict) == ["document"]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.REGISTERED  # nothing half-done

    assessment.record_kajian(
        report, actor=bawaslu, result=KajianResult.TIDAK_MEMENUHI, reasoning="Foto tidak menunjukkan terlapor."
    )
    with pytest.raises(ValidationError) as excinfo:
        assessment.forward_report(report, actor=bawaslu)
    assert excinfo.value.messages == ["Hasil kajian tidak memenuhi unsur: laporan ditolak, tidak diteruskan."]

    kajian = assessment.record_kajian(
        report,
        actor=bawaslu,
        result=KajianResult.MEMENUHI,
        reasoning="Saksi dan foto bersesuaian.",
        document=SimpleUploadedFile("kajian.pdf", MINIMAL_PDF),
    )
    assert Kajian.objects.filter(report=report).count() == 1
    assert (kajian.result, kajian.reasoning, kajian.document.read()) == (
        KajianResult.MEMENUHI,
        "Saksi dan foto bersesuaian.",
        MINIMAL_PDF,
    )
    assert len(kajian.document_sha256) == 64
    assert list(
        ReportEvent.objects.filter(report=report, kind=EventKind.KAJIAN_RECORDED).values_list("note", flat=True)
    ) == [
        "Tidak memenuhi unsur pelanggaran netralitas. Foto tidak menunjukkan terlapor.",
        "Memenuhi unsur pelanggaran netralitas. Saksi dan foto bersesuaian.",
    ]
    with pytest.raises(ValidationError) as excinfo:
        assessment.forward_report(report, actor=bawaslu, letter_date=date(2099, 1, 1))
    assert excinfo.value.message_dict == {"letter_date": ["Tanggal surat tidak boleh sesudah hari ini."]}
    event = assessment.forward_report(report, actor=bawaslu, letter_number="B-12/PM.06/K.DI-04/10/2024")
    report.refresh_from_db()
    assert report.status == ReportStatus.FORWARDED
    assert report.forward_letter_number == "B-12/PM.06/K.DI-04/10/2024"
    today = timezone.localdate()
    assert event.note == (  # dates the Indonesian way, both of them
        f"Diteruskan pada {format_date(today)} kepada {authority_in_force(today).organisation.name}. "
        f"Surat B-12/PM.06/K.DI-04/10/2024 tanggal {format_date(today)}."
    )


# ---------------------------------------------------------------- the kajian clock: extension once, Pemilu vs Pilkada


def test_kajian_extends_once_by_two_working_days_for_pilkada(cast, organisations):
    report = registered(organisations, election="Pilkada Serentak 2024", registered_on=date(2024, 10, 15))
    bawaslu = cast["bawaslu_sleman"]
    with at(date(2024, 10, 15)):  # Tuesday: 3 working days → Friday 18 October
        triage.register_report(report, actor=bawaslu)
    assert (report.due_date, report.due_step) == (date(2024, 10, 18), DeadlineStep.BAWASLU_KAJIAN)
    with pytest.raises(ValidationError) as excinfo:
        assessment.extend_kajian(report, actor=bawaslu, reason="  ")
    assert excinfo.value.message_dict == {"reason": ["Alasan perpanjangan wajib diisi."]}
    with pytest.raises(PermissionDenied):
        assessment.extend_kajian(report, actor=cast["operator_sleman"], reason="Perlu saksi.")
    with at(date(2024, 10, 17)):
        event = assessment.extend_kajian(report, actor=bawaslu, reason="Perlu keterangan saksi kedua.")
    # +2 working days from Friday 18 October: Monday 21, Tuesday 22.
    assert Report.objects.get(pk=report.pk).due_date == date(2024, 10, 22)
    assert event.note == (
        "Tenggat kajian diperpanjang dari 18 Oktober 2024 menjadi 22 Oktober 2024: Perlu keterangan saksi kedua."
    )
    with pytest.raises(ValidationError) as excinfo:
        assessment.extend_kajian(report, actor=bawaslu, reason="Lagi.")
    assert excinfo.value.messages == ["Tenggat kajian sudah pernah diperpanjang; hanya sekali."]
    assert Report.objects.get(pk=report.pk).due_date == date(2024, 10, 22)


def test_a_pemilu_case_follows_the_pemilu_deadline_rule(cast, organisations):
    report = registered(organisations, election="Pemilu 2024", registered_on=date(2024, 1, 8))
    bawaslu = cast["bawaslu_sleman"]
    with at(date(2024, 1, 8)):
        triage.register_report(report, actor=bawaslu)
    # UU 7/2017 (unverified): 7 calendar days from Monday 8 January.
    assert (report.due_date, report.due_step) == (date(2024, 1, 15), DeadlineStep.BAWASLU_KAJIAN_PEMILU)
    with at(date(2024, 1, 10)):
        assessment.extend_kajian(report, actor=bawaslu, reason="Keterangan tambahan.")
    assert Report.objects.get(pk=report.pk).due_date == date(2024, 1, 22)  # up to 14 days


# ---------------------------------------------------------------- the recommendation: dates, issuer, warnings


def test_the_letter_date_may_not_precede_the_forwarding_and_the_ppk_counts_from_receipt(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report)
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"], on=date(2024, 3, 28))[0]
    officer = officer_of(terlapor)
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, officer, letter_date=date(2024, 3, 27))
    assert excinfo.value.message_dict == {
        "letter_date": ["Tanggal surat tidak boleh sebelum laporan diteruskan (28 Maret 2024)."]
    }
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, officer, letter_date=date(2024, 4, 1), received_date=date(2024, 3, 30))
    assert excinfo.value.message_dict == {"received_date": ["Tanggal diterima tidak boleh sebelum tanggal surat."]}
    # Received Monday 8 April, in Lebaran's cuti bersama: 14 working days from then skip 9-15 April and 1 May.
    recommendation = recommend(terlapor, officer, letter_date=date(2024, 4, 1), received_date=date(2024, 4, 8))
    terlapor.refresh_from_db()
    assert (recommendation.deadline_start, terlapor.due_date) == (date(2024, 4, 8), date(2024, 5, 6))


def test_only_the_cases_authority_issues_the_recommendation(cast, organisations, make_staff):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report)
    with at(date(2024, 3, 28)):
        terlapor = forward_to_clarification(report, cast["bawaslu_sleman"], on=date(2024, 3, 28))[0]
    kasn = make_staff("rekomendasi.kasn", organisations["kasn"], Role.AUTHORITY)
    with at(date(2024, 4, 1)):  # KASN's era: BKN's officer may not issue it
        with pytest.raises(PermissionDenied, match="ditangani Komisi Aparatur Sipil Negara"):
            recommend(terlapor, cast["authority_bkn"])
        assert recommend(terlapor, kasn).issued_by == kasn


def test_b9_and_b10_are_checked_against_penetapan_with_a_warning(cast, organisations):
    pilkada = Election.objects.get(name="Pilkada Serentak 2024")  # penetapan 22 September 2024
    before = TerlaporFactory(report=ReportFactory(election=pilkada, incident_date=date(2024, 9, 10)))
    after = TerlaporFactory(report=ReportFactory(election=pilkada, incident_date=date(2024, 10, 1)))
    assert recommendation_warnings(before, vt("B9")) == []
    assert recommendation_warnings(after, vt("B10")) == []
    assert recommendation_warnings(before, vt("B10")) == [
        "B10 berlaku sesudah penetapan peserta (22 September 2024), tetapi kejadian tanggal 10 September 2024 "
        "terjadi sebelumnya: periksa apakah B9 lebih tepat."
    ]
    assert recommendation_warnings(after, vt("B9")) == [
        "B9 berlaku sebelum penetapan peserta (22 September 2024), tetapi kejadian tanggal 1 Oktober 2024 "
        "terjadi sesudahnya: periksa apakah B10 lebih tepat."
    ]
    assert recommendation_warnings(after, vt("B4")) == []


def test_clarification_is_recorded_by_the_authority(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report)
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"], on=date(2024, 10, 1))[0]
    with pytest.raises(PermissionDenied):
        record_clarification(terlapor, actor=cast["bawaslu_sleman"], held_on=date(2024, 10, 3), heard="Terlapor")
    with pytest.raises(ValidationError) as excinfo:
        record_clarification(terlapor, actor=cast["authority_bkn"], held_on=date(2024, 10, 3), heard=" ")
    assert excinfo.value.message_dict == {"heard": ["Sebutkan siapa yang dimintai keterangan."]}
    record_clarification(
        terlapor,
        actor=cast["authority_bkn"],
        held_on=date(2024, 10, 3),
        heard="Terlapor dan dua saksi",
        summary="Terlapor mengakui hadir.",
    )
    assert list(Clarification.objects.filter(terlapor=terlapor).values_list("held_on", "heard")) == [
        (date(2024, 10, 3), "Terlapor dan dua saksi")
    ]
    event = CaseEvent.objects.filter(terlapor=terlapor).latest("id")
    assert (event.from_status, event.to_status, event.note) == (
        CaseStatus.CLARIFICATION,
        CaseStatus.CLARIFICATION,
        "Klarifikasi 3 Oktober 2024: Terlapor dan dua saksi. Terlapor mengakui hadir.",
    )


def test_cancelling_a_case_cancels_its_recommendation_and_closes_the_report(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report)
    terlapor = forward_to_clarification(report, cast["bawaslu_sleman"], on=date(2024, 10, 1))[0]
    recommend(terlapor, cast["authority_bkn"], letter_date=date(2024, 10, 7))
    terlapor.refresh_from_db()
    with pytest.raises(PermissionDenied):
        cancel_case(terlapor, actor=cast["ppk_sleman"], reason="Salah orang.")
    with pytest.raises(ValidationError) as excinfo:
        cancel_case(terlapor, actor=cast["authority_bkn"], reason=" ")
    assert excinfo.value.message_dict == {"reason": ["Alasan pembatalan wajib diisi."]}
    event = cancel_case(terlapor, actor=cast["authority_bkn"], reason="Terlapor ternyata bukan ASN.")
    assert (event.to_status, event.note) == (
        CaseStatus.CANCELLED,
        "Perkara dan rekomendasinya dibatalkan: Terlapor ternyata bukan ASN.",
    )
    recommendation = Recommendation.objects.get(terlapor=terlapor)
    assert (recommendation.cancel_reason, recommendation.cancelled_by) == (
        "Terlapor ternyata bukan ASN.",
        cast["authority_bkn"],
    )
    assert Report.objects.get(pk=report.pk).status == ReportStatus.CLOSED


# ---------------------------------------------------------------- SE MenPANRB 4/2024 handover


def test_the_handover_moves_unprocessed_kasn_cases_to_bkn_on_4_september_2024(cast, organisations):
    kasn_cases = []
    for _i in range(2):
        report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
        TerlaporFactory(report=report)
        kasn_cases.append(forward_to_clarification(report, cast["bawaslu_sleman"], on=date(2024, 8, 1))[0])
    waiting, processed = kasn_cases
    with at(date(2024, 8, 5)):
        recommend(processed, officer_of(processed), letter_date=date(2024, 8, 5))
    assert authority_in_force(date(2024, 8, 1)).organisation.code == "kasn"

    with at(date(2024, 9, 3)):
        assert apply_authority_transitions() == 0
    assert Terlapor.objects.get(pk=waiting.pk).authority.organisation.code == "kasn"

    with at(date(2024, 9, 4)):
        assert apply_authority_transitions() == 2
        assert apply_authority_transitions() == 0  # applied once
    waiting, processed = (Terlapor.objects.select_related("authority__organisation").get(pk=t.pk) for t in kasn_cases)
    assert (waiting.authority.organisation.code, waiting.supervised_by) == ("bkn", None)
    assert (processed.authority.organisation.code, processed.supervised_by.code) == ("kasn", "kemenpanrb")
    assert (
        CaseEvent.objects.filter(terlapor=waiting)
        .latest("id")
        .note.startswith(
            "Per 4 September 2024 perkara yang belum diproses Komisi Aparatur Sipil Negara (KASN) dilanjutkan oleh "
            "Badan Kepegawaian Negara (BKN)"
        )
    )
    assert "dilaporkan kepada Kementerian" in CaseEvent.objects.filter(terlapor=processed).latest("id").note
    assert AuthorityTransition.objects.get().applied_at is not None


# ---------------------------------------------------------------- done when the sanction period ends


def _sanctioned(cast, organisations, code: str, effective_from: date) -> Terlapor:
    from sanctions.services import record_decision
    from tests.test_sanctions_services import awaiting_ppk, sk_file

    level = {"sedang-tukin-25-12-bulan": "sedang", "ringan-teguran-tertulis": "ringan"}[code]
    with at(date(2026, 12, 1)):
        terlapor = awaiting_ppk(cast, organisations, recommendation=level, letter_date=date(2026, 11, 30))
        record_decision(
            terlapor,
            actor=cast["ppk_sleman"],
            sk_number=f"800/{code}/2026",
            sk_date=date(2026, 12, 1),
            sanction_kind=SanctionKind.objects.get(code=code),
            examiner="tim_pemeriksa",
            examination_date=date(2026, 12, 1),
            examination_record="Diperiksa.",
            effective_from=effective_from,
            signed_sk=sk_file(),
        )
    return Terlapor.objects.get(pk=terlapor.pk)


def test_the_done_sweep_closes_a_case_the_day_after_its_sanction_period(cast, organisations):
    tukin = _sanctioned(cast, organisations, "sedang-tukin-25-12-bulan", date(2027, 1, 1))
    teguran = _sanctioned(cast, organisations, "ringan-teguran-tertulis", date(2026, 12, 1))
    assert Decision.objects.get(terlapor=tukin).effective_until == date(2027, 12, 31)
    with at(date(2026, 12, 2)):
        assert sweep_sanctions_ended() == 1  # the teguran has no period: done at once
    assert Terlapor.objects.get(pk=teguran.pk).case_status == CaseStatus.DONE
    with at(date(2027, 12, 31)):
        assert sweep_sanctions_ended() == 0  # the last day of the sanction
    with at(date(2028, 1, 1)):
        assert sweep_sanctions_ended() == 1
        assert sweep_sanctions_ended() == 0
    event = CaseEvent.objects.filter(terlapor=tukin).latest("id")
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        None,
        CaseStatus.SANCTIONED,
        CaseStatus.DONE,
        "Masa hukuman berakhir 31 Desember 2027.",
    )


# ---------------------------------------------------------------- the register: same NIP, other name


def test_a_second_report_with_the_same_nip_and_another_name_is_flagged_not_merged(cast, organisations):
    first = ReportFactory()
    TerlaporFactory(report=first, name="Drs. Sutrisno Hadi, M.Si.", nip="197806122005011003")
    link_register(first)
    second = ReportFactory()
    same = TerlaporFactory(report=second, name="Sutrisno Hadi", nip="197806122005011003")
    other = TerlaporFactory(report=second, name="Bambang Wijaya", nip="197806122005011003")
    link_register(second)
    same.refresh_from_db()
    other.refresh_from_db()
    assert (same.name_conflict, other.name_conflict) == (False, True)
    assert same.person_id == other.person_id  # one NIP, one register entry: a person decides
    assert Person.objects.get(pk=same.person_id).name_conflict is True
    assert list(ReportEvent.objects.filter(report=second, kind=EventKind.NOTE).values_list("note", flat=True)) == [
        "NIP 197806122005011003 tercatat di register atas nama Drs. Sutrisno Hadi, M.Si., bukan Bambang Wijaya: "
        "periksa."
    ]


def test_the_pemilu_deadline_rules_are_data_marked_unverified(reference_data):
    from netralitas.models import DeadlineRule

    rows = DeadlineRule.objects.filter(
        step__in=[DeadlineStep.BAWASLU_KAJIAN_PEMILU, DeadlineStep.BAWASLU_KAJIAN_PEMILU_EXTENSION]
    ).order_by("step")
    assert [(r.step, r.days, r.day_type, r.verified) for r in rows] == [
        (DeadlineStep.BAWASLU_KAJIAN_PEMILU, 7, "calendar", False),
        (DeadlineStep.BAWASLU_KAJIAN_PEMILU_EXTENSION, 7, "calendar", False),
    ]
    assert all("UU 7/2017" in r.legal_basis for r in rows)
