"""Recommendations, not proven and left-service closures: who may act, what the catalogue allows, deadlines, e-mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from netralitas.authority import authority_in_force
from netralitas.enums import DeadlineStep, EmployeeStatus, Level, Role, Track
from netralitas.models import OutboxMessage, SanctionKind, ViolationType
from reports.casework import close_case_left_service, declare_not_proven
from reports.enums import CaseStatus, LeftServiceReason, ReportStatus
from reports.models import CaseEvent, Person, Recommendation, Report, Terlapor
from reports.recommendations import issue_recommendation
from reports.workflow import transition_case, transition_report
from tests.factories import ReportFactory, TerlaporFactory

LETTER_DATE = date(2024, 4, 1)
PPK_DUE = date(2024, 4, 29)  # 14 working days, Lebaran 2024 and its cuti bersama skipped


def forward_to_clarification(report: Report, bawaslu, *, on: date = date(2024, 3, 28)) -> list[Terlapor]:
    """Walk ``report`` received → … → forwarded as Bawaslu, and every case pending → clarification."""
    for to in (ReportStatus.VERIFYING, ReportStatus.REGISTERED, ReportStatus.KAJIAN, ReportStatus.FORWARDED):
        transition_report(report, to, actor=bawaslu)
    authority = authority_in_force(on)
    Report.objects.filter(pk=report.pk).update(forward_letter_date=on)
    cases = list(Terlapor.objects.filter(report=report).order_by("pk"))
    for terlapor in cases:
        Terlapor.objects.filter(pk=terlapor.pk).update(authority=authority)
        terlapor.authority = authority
        transition_case(terlapor, CaseStatus.CLARIFICATION, actor=bawaslu)
    return cases


def case_in_clarification(cast, organisations, **terlapor_fields) -> Terlapor:
    """One terlapor (default: a PNS of Pemda Sleman) of a report received by Bawaslu Sleman, in clarification."""
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"],
        reporter_name="Rahasia Pelapor Wijaya",
        reporter_nik="3404015508910002",
        reporter_phone="081234567890",
        reporter_email="saksi.rahasia@example.org",
        reporter_address="Jalan Kaliurang km 9",
    )
    fields = {
        "name": "Sutrisno Hadi",
        "nip": "197806122005011003",
        "position": "Kepala Seksi Pemerintahan",
        "work_unit": "Kecamatan Depok",
        **terlapor_fields,
    }
    TerlaporFactory(report=report, **fields)
    return forward_to_clarification(report, cast["bawaslu_sleman"])[0]


def officer_of(terlapor: Terlapor):
    """An officer of the body responsible for the case on the (travelled) day: KASN before 4 Sep 2024, then BKN."""
    from django.contrib.auth import get_user_model

    from netralitas.services import set_membership
    from reports.recommendations import responsible_authority

    organisation = responsible_authority(terlapor).organisation
    user, created = get_user_model().objects.get_or_create(username=f"rekomendasi.{organisation.code}")
    if created:
        set_membership(user, organisation, Role.AUTHORITY)
    return user


def kinds(*codes: str) -> list[SanctionKind]:
    return list(SanctionKind.objects.filter(code__in=codes).order_by("code"))


def vt(code: str) -> ViolationType:
    return ViolationType.objects.get(code=code)


def recommend(terlapor, actor, **overrides) -> Recommendation:
    arguments = {
        "finding": "Terlapor hadir dan mengacungkan simbol dukungan pada kampanye pasangan calon.",
        "violation_type": vt("B4"),
        "track": Track.DISIPLIN,
        "level": Level.BERAT,
        "sanction_kinds": kinds("berat-penurunan-jabatan", "berat-pembebasan-jabatan"),
        "reasoning": "Keterangan saksi dan foto bersesuaian.",
        "letter_number": "R-101/KASN/04/2024",
        "letter_date": LETTER_DATE,
        **overrides,
    }
    return issue_recommendation(terlapor, actor=actor, **arguments)


def errors_of(excinfo) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# ---------------------------------------------------------------- issuing


def test_issue_recommendation_moves_the_case_to_the_ppk_with_its_deadline(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    actor = cast["authority_bkn"]

    recommendation = recommend(terlapor, actor)

    assert (
        recommendation.authority.organisation,
        recommendation.addressed_to,
        recommendation.violation_type.code,
        recommendation.track,
        recommendation.level,
        recommendation.letter_number,
        recommendation.letter_date,
        recommendation.issued_by,
    ) == (
        organisations["kasn"],  # forwarded in March 2024: the case keeps KASN
        organisations["pemda_sleman"],
        "B4",
        Track.DISIPLIN,
        Level.BERAT,
        "R-101/KASN/04/2024",
        LETTER_DATE,
        actor,
    )
    assert sorted(recommendation.sanction_kinds.values_list("code", flat=True)) == [
        "berat-pembebasan-jabatan",
        "berat-penurunan-jabatan",
    ]
    stored = Terlapor.objects.get(pk=terlapor.pk)
    assert (stored.case_status, stored.due_date, stored.due_step) == (
        CaseStatus.AWAITING_PPK,
        PPK_DUE,
        DeadlineStep.PPK_FOLLOW_UP,
    )
    assert stored.due_explanation.startswith("14 hari kerja sejak 1 April 2024; dilewati: ")
    assert stored.due_explanation.endswith("jatuh tempo 29 April 2024.")
    events = list(CaseEvent.objects.filter(terlapor=terlapor).values_list("from_status", "to_status", "actor", "note"))
    assert events[1:] == [
        (
            CaseStatus.CLARIFICATION,
            CaseStatus.RECOMMENDED,
            actor.pk,
            "Rekomendasi R-101/KASN/04/2024 tanggal 1 April 2024.",
        ),
        (
            CaseStatus.RECOMMENDED,
            CaseStatus.AWAITING_PPK,
            actor.pk,
            "Rekomendasi dikirim kepada PPK Pemerintah Kabupaten Sleman.",
        ),
    ]
    assert Report.objects.get(pk=terlapor.report_id).status == ReportStatus.FORWARDED


@pytest.mark.parametrize("who", ["ppk_sleman", "bawaslu_sleman", "operator_sleman", "wasdal_bkn"])
def test_issue_recommendation_refuses_roles_without_the_permission(cast, organisations, who):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(PermissionDenied) as excinfo:
        recommend(terlapor, cast[who])
    assert str(excinfo.value) == "Anda tidak berwenang menerbitkan rekomendasi untuk perkara ini."
    assert (Recommendation.objects.count(), Terlapor.objects.get(pk=terlapor.pk).case_status) == (
        0,
        CaseStatus.CLARIFICATION,
    )


def test_issue_recommendation_refuses_an_officer_who_cannot_see_the_case(cast, organisations, make_staff):
    # The permission alone is not enough: the case must be visible to the actor.
    outsider = make_staff("rekomendasi.yogya", organisations["pemda_yogya"], Role.AUTHORITY)
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(PermissionDenied) as excinfo:
        recommend(terlapor, outsider)
    assert str(excinfo.value) == "Anda tidak berwenang menerbitkan rekomendasi untuk perkara ini."
    assert Recommendation.objects.count() == 0


def test_issue_recommendation_needs_the_case_in_clarification(cast, organisations):
    terlapor = TerlaporFactory(report=ReportFactory(intake_organisation=organisations["bawaslu_sleman"]))
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"])
    assert errors_of(excinfo) == {
        "__all__": [
            "Rekomendasi hanya dapat diterbitkan untuk perkara dalam tahap klarifikasi "
            "(status sekarang: Menunggu penerusan)."
        ]
    }


def test_issue_recommendation_twice_is_refused(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    recommend(terlapor, cast["authority_bkn"])
    with pytest.raises(ValidationError) as excinfo:
        recommend(Terlapor.objects.get(pk=terlapor.pk), cast["authority_bkn"], letter_number="R-102/KASN/04/2024")
    assert errors_of(excinfo) == {
        "__all__": [
            "Rekomendasi hanya dapat diterbitkan untuk perkara dalam tahap klarifikasi "
            "(status sekarang: Menunggu tindak lanjut PPK)."
        ]
    }
    assert Recommendation.objects.count() == 1


def test_issue_recommendation_refuses_an_inactive_violation_type(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    ViolationType.objects.filter(code="B4").update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"])
    assert errors_of(excinfo) == {"violation_type": ["Jenis pelanggaran B4 tidak aktif lagi."]}


def test_issue_recommendation_keeps_to_the_catalogue_track(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        recommend(
            terlapor, cast["authority_bkn"], track=Track.ETIK, level=Level.MORAL, sanction_kinds=kinds("moral-terbuka")
        )
    assert errors_of(excinfo) == {"track": ["Jalur untuk B4 menurut katalog adalah Disiplin (PP 94/2021)."]}


def test_issue_recommendation_keeps_to_the_catalogue_level(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"], level=Level.SEDANG, sanction_kinds=kinds("sedang-tukin-25-6-bulan"))
    assert errors_of(excinfo) == {"level": ["Tingkat untuk B4 menurut katalog adalah Hukuman disiplin berat."]}


def test_issue_recommendation_collects_every_field_error(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        recommend(
            terlapor,
            cast["authority_bkn"],
            finding="  ",
            reasoning="",
            letter_number=" ",
            letter_date=timezone.localdate() + timedelta(days=1),
            sanction_kinds=[],
        )
    assert errors_of(excinfo) == {
        "finding": ["Temuan wajib diisi."],
        "sanction_kinds": ["Pilih sekurang-kurangnya satu jenis sanksi yang direkomendasikan."],
        "reasoning": ["Pertimbangan wajib diisi."],
        "letter_number": ["Nomor surat wajib diisi."],
        "letter_date": ["Tanggal surat tidak boleh sesudah hari ini."],
    }


def test_issue_recommendation_sanction_kinds_belong_to_the_track_and_level(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        recommend(
            terlapor, cast["authority_bkn"], sanction_kinds=kinds("berat-penurunan-jabatan", "ringan-teguran-lisan")
        )
    assert errors_of(excinfo) == {
        "sanction_kinds": ["“Teguran lisan” bukan sanksi jalur Disiplin (PP 94/2021) tingkat Hukuman disiplin berat."]
    }


def test_issue_recommendation_refuses_an_inactive_sanction_kind(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    SanctionKind.objects.filter(code="berat-pembebasan-jabatan").update(is_active=False)
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"])
    assert errors_of(excinfo) == {
        "sanction_kinds": ["“Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan” tidak aktif lagi."]
    }


def test_pppk_cannot_be_recommended_for_dismissal_as_pns(cast, organisations):
    terlapor = case_in_clarification(cast, organisations, employee_status=EmployeeStatus.PPPK)
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"], sanction_kinds=kinds("berat-pdhtaps"))
    assert errors_of(excinfo) == {
        "sanction_kinds": [
            "“Pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS” tidak berlaku bagi PPPK."
        ]
    }
    recommendation = recommend(terlapor, cast["authority_bkn"], sanction_kinds=kinds("berat-penurunan-jabatan"))
    assert list(recommendation.sanction_kinds.values_list("code", flat=True)) == ["berat-penurunan-jabatan"]


@pytest.mark.parametrize(
    ("status", "allowed", "refused", "label"),
    [
        (EmployeeStatus.PNS, "ptdh-pns", "phk-tdh-pppk", "PNS"),
        (EmployeeStatus.CPNS, "ptdh-pns", "phk-tdh-pppk", "CPNS"),
        (EmployeeStatus.PPPK, "phk-tdh-pppk", "ptdh-pns", "PPPK"),
    ],
)
def test_party_membership_b5_dismissal_follows_the_employee_status(
    cast, organisations, status, allowed, refused, label
):
    terlapor = case_in_clarification(cast, organisations, employee_status=status)
    b5 = {"violation_type": vt("B5"), "track": Track.UU_ASN, "level": Level.PTDH}
    refused_kind = SanctionKind.objects.get(code=refused)
    with pytest.raises(ValidationError) as excinfo:
        recommend(terlapor, cast["authority_bkn"], sanction_kinds=[refused_kind], **b5)
    assert errors_of(excinfo) == {"sanction_kinds": [f"“{refused_kind.name}” tidak berlaku bagi {label}."]}

    recommendation = recommend(terlapor, cast["authority_bkn"], sanction_kinds=kinds(allowed), **b5)
    assert (
        recommendation.track,
        recommendation.level,
        list(recommendation.sanction_kinds.values_list("code", flat=True)),
    ) == (
        Track.UU_ASN,
        Level.PTDH,
        [allowed],
    )


def satgas_decided(terlapor: Terlapor, track: str, level: str) -> Terlapor:
    """The Satgas's decision on a B13 case, as taskforce.services.record_satgas_decision leaves it."""
    Terlapor.objects.filter(pk=terlapor.pk).update(
        satgas_track=track, satgas_level=level, satgas_reasoning="Rapat Satgas.", satgas_decided_at=timezone.now()
    )
    return terlapor


def test_outside_the_matrix_b13_takes_the_satgas_track_and_level(cast, organisations):
    terlapor = satgas_decided(case_in_clarification(cast, organisations), Track.DISIPLIN, Level.RINGAN)
    recommendation = recommend(
        terlapor,
        cast["authority_bkn"],
        violation_type=vt("B13"),
        track=Track.DISIPLIN,
        level=Level.RINGAN,
        sanction_kinds=kinds("ringan-teguran-tertulis"),
        reasoning="Rapat Satgas 3 April 2024 memutuskan hukuman disiplin ringan.",
    )
    assert (recommendation.violation_type.code, recommendation.track, recommendation.level) == (
        "B13",
        Track.DISIPLIN,
        Level.RINGAN,
    )


NOT_AS_DECIDED = (
    "Untuk pelanggaran di luar matriks (B13), jalur dan tingkat harus sesuai keputusan Satgas: "
    "Etik (PP 42/2004), Sanksi moral."
)


@pytest.mark.parametrize(
    ("track", "level", "reasoning", "expected"),
    [
        (Track.SATGAS, Level.MORAL, "Keputusan Satgas.", {"track": [NOT_AS_DECIDED]}),
        (Track.UU_ASN, Level.PTDH, "Keputusan Satgas.", {"track": [NOT_AS_DECIDED]}),
        (Track.ETIK, Level.BERAT, "Keputusan Satgas.", {"track": [NOT_AS_DECIDED]}),
        (
            Track.ETIK,
            Level.MORAL,
            " ",
            {"reasoning": ["Untuk pelanggaran di luar matriks, pertimbangan wajib memuat keputusan Satgas."]},
        ),
    ],
)
def test_outside_the_matrix_b13_refusals(cast, organisations, track, level, reasoning, expected):
    terlapor = satgas_decided(case_in_clarification(cast, organisations), Track.ETIK, Level.MORAL)
    with pytest.raises(ValidationError) as excinfo:
        recommend(
            terlapor,
            cast["authority_bkn"],
            violation_type=vt("B13"),
            track=track,
            level=level,
            sanction_kinds=kinds("moral-tertutup"),
            reasoning=reasoning,
        )
    assert errors_of(excinfo) == expected


def test_outside_the_matrix_b13_needs_the_satgas_decision_first(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        recommend(
            terlapor,
            cast["authority_bkn"],
            violation_type=vt("B13"),
            track=Track.ETIK,
            level=Level.MORAL,
            sanction_kinds=kinds("moral-tertutup"),
        )
    assert errors_of(excinfo) == {
        "track": ["Untuk pelanggaran di luar matriks (B13), Satgas harus lebih dulu menetapkan jalur dan tingkat."]
    }
    assert Terlapor.objects.get(pk=terlapor.pk).case_status == CaseStatus.CLARIFICATION


def test_letter_number_is_unique(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report, nip="197806122005011003")
    TerlaporFactory(report=report, nip="198001012006041002")
    first, second = forward_to_clarification(report, cast["bawaslu_sleman"])
    recommend(first, cast["authority_bkn"])
    with pytest.raises(ValidationError) as excinfo:
        recommend(second, cast["authority_bkn"], letter_number=" R-101/KASN/04/2024 ")
    assert errors_of(excinfo) == {"letter_number": ["Nomor surat R-101/KASN/04/2024 sudah dipakai."]}
    assert Terlapor.objects.get(pk=second.pk).case_status == CaseStatus.CLARIFICATION


# ---------------------------------------------------------------- e-mail to the PPK


def test_issue_recommendation_emails_the_ppk_without_the_reporter(
    cast, organisations, django_capture_on_commit_callbacks, celery_eager
):
    pemda = organisations["pemda_sleman"]
    pemda.email = "bkpsdm@slemankab.go.id"
    pemda.save(update_fields=["email"])
    for who, address in (
        ("ppk_sleman", "bupati@slemankab.go.id"),
        ("operator_sleman", "operator@slemankab.go.id"),
        ("operator_yogya", "operator@jogjakota.go.id"),  # another instansi: not told
    ):
        cast[who].email = address
        cast[who].save(update_fields=["email"])
    terlapor = case_in_clarification(cast, organisations)
    report = terlapor.report

    with django_capture_on_commit_callbacks(execute=True):
        recommendation = recommend(terlapor, cast["authority_bkn"])

    messages = list(OutboxMessage.objects.filter(dedupe_key__startswith=f"recommendation-issued:{recommendation.pk}:"))
    assert sorted(m.recipient for m in messages) == [
        "bkpsdm@slemankab.go.id",
        "bupati@slemankab.go.id",
        "operator@slemankab.go.id",
    ]
    # The reporter hears of it in a message of their own (tests/test_reporter_outcome.py).
    to_staff = [m.to[0] for m in mail.outbox if m.to[0] != report.reporter_email]
    assert sorted(to_staff) == sorted(m.recipient for m in messages)
    message = messages[0]
    assert message.subject == "Rekomendasi R-101/KASN/04/2024: tindak lanjuti paling lambat 29 April 2024"
    for expected in (
        "Yth. Bupati Sleman,",
        "Komisi Aparatur Sipil Negara (KASN) telah menerbitkan rekomendasi",
        "Nomor surat: R-101/KASN/04/2024",
        "Tanggal surat: 1 April 2024",
        "Terlapor: Sutrisno Hadi (NIP 197806122005011003), PNS",
        "Jabatan: Kepala Seksi Pemerintahan",
        "Unit kerja: Kecamatan Depok",
        "Pelanggaran: B4 · Menghadiri deklarasi/kampanye pasangan bakal calon",
        "Jalur dan tingkat: Disiplin (PP 94/2021), Hukuman disiplin berat",
        "- Penurunan jabatan setingkat lebih rendah selama 12 bulan",
        "- Pembebasan dari jabatannya menjadi jabatan pelaksana selama 12 bulan",
        "paling lambat 29 April 2024 (14 hari kerja sejak tanggal surat)",
    ):
        assert expected in message.body
    for secret in (
        report.reporter_name,
        "Rahasia",
        report.reporter_nik,
        report.reporter_phone,
        report.reporter_email,
        report.reporter_address,
        report.tracking_code,
    ):
        for sent in [*messages, *(m for m in mail.outbox if m.to[0] != report.reporter_email)]:
            assert secret not in sent.subject
            assert secret not in sent.body


def test_issue_recommendation_without_addresses_queues_nothing(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    recommend(terlapor, cast["authority_bkn"])
    assert OutboxMessage.objects.filter(dedupe_key__startswith="recommendation-issued:").count() == 0


# ---------------------------------------------------------------- not proven, left service, closing the report


def test_declare_not_proven_needs_reasoning_and_records_it(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(ValidationError) as excinfo:
        declare_not_proven(terlapor, actor=cast["authority_bkn"], reasoning="   ")
    assert errors_of(excinfo) == {"reasoning": ["Pertimbangan wajib diisi."]}

    event = declare_not_proven(
        terlapor, actor=cast["authority_bkn"], reasoning="Foto tidak menunjukkan terlapor hadir."
    )
    assert (event.from_status, event.to_status, event.actor, event.note) == (
        CaseStatus.CLARIFICATION,
        CaseStatus.NOT_PROVEN,
        cast["authority_bkn"],
        "Foto tidak menunjukkan terlapor hadir.",
    )
    stored = Terlapor.objects.get(pk=terlapor.pk)
    assert (stored.case_status, stored.due_date, stored.due_step) == (CaseStatus.NOT_PROVEN, None, "")


def test_declare_not_proven_refusals(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(PermissionDenied) as excinfo:
        declare_not_proven(terlapor, actor=cast["ppk_sleman"], reasoning="Tidak terbukti.")
    assert str(excinfo.value) == "Anda tidak berwenang menyatakan perkara ini tidak terbukti."

    recommend(terlapor, cast["authority_bkn"])
    with pytest.raises(ValidationError) as excinfo:
        declare_not_proven(terlapor, actor=cast["authority_bkn"], reasoning="Tidak terbukti.")
    assert errors_of(excinfo) == {
        "__all__": [
            "Hanya perkara dalam tahap klarifikasi yang dapat dinyatakan tidak terbukti "
            "(status sekarang: Menunggu tindak lanjut PPK)."
        ]
    }


def test_close_case_left_service_marks_the_register_and_notes_the_reason(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    person = Person.objects.create(
        nip=terlapor.nip, name=terlapor.name, name_key="sutrisno hadi", instansi=terlapor.instansi
    )
    Terlapor.objects.filter(pk=terlapor.pk).update(person=person)
    # Before the recommendation the authority closes it; once at the PPK, the PPK's office does (issue 5).
    event = close_case_left_service(
        terlapor, actor=cast["authority_bkn"], reason=LeftServiceReason.RETIRED, note="SK pensiun 1 Mei 2024."
    )

    assert (event.from_status, event.to_status, event.note) == (
        CaseStatus.CLARIFICATION,
        CaseStatus.CANNOT_FOLLOW_UP,
        "ASN sudah keluar dari dinas: Pensiun. SK pensiun 1 Mei 2024.",
    )
    assert Person.objects.get(pk=person.pk).left_service == LeftServiceReason.RETIRED
    assert Report.objects.get(pk=terlapor.report_id).status == ReportStatus.CLOSED


def test_close_case_left_service_without_a_register_entry(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    event = close_case_left_service(terlapor, actor=cast["authority_bkn"], reason=LeftServiceReason.RESIGNED)
    assert event.note == "ASN sudah keluar dari dinas: Berhenti atas permintaan sendiri (APS)."
    assert Person.objects.count() == 0


def test_close_case_left_service_refusals(cast, organisations):
    terlapor = case_in_clarification(cast, organisations)
    with pytest.raises(PermissionDenied) as excinfo:
        close_case_left_service(terlapor, actor=cast["bawaslu_sleman"], reason=LeftServiceReason.RETIRED)
    assert str(excinfo.value) == "Anda tidak berwenang menutup perkara ini."

    with pytest.raises(ValidationError) as excinfo:
        close_case_left_service(terlapor, actor=cast["authority_bkn"], reason="pindah")
    assert errors_of(excinfo) == {"reason": ["Pilih alasan ASN keluar dari dinas."]}

    declare_not_proven(terlapor, actor=cast["authority_bkn"], reasoning="Tidak terbukti.")
    with pytest.raises(ValidationError) as excinfo:
        close_case_left_service(terlapor, actor=cast["authority_bkn"], reason=LeftServiceReason.RETIRED)
    assert errors_of(excinfo) == {
        "__all__": ["Perkara dengan status Tidak terbukti tidak dapat dinyatakan tidak dapat ditindaklanjuti."]
    }


def test_report_closes_when_its_last_case_reaches_an_outcome(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report, nip="197806122005011003")
    TerlaporFactory(report=report, nip="198001012006041002")
    first, second = forward_to_clarification(report, cast["bawaslu_sleman"])

    declare_not_proven(first, actor=cast["authority_bkn"], reasoning="Tidak terbukti.")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.FORWARDED

    close_case_left_service(second, actor=cast["authority_bkn"], reason=LeftServiceReason.DECEASED)
    closed = Report.objects.get(pk=report.pk)
    assert (closed.status, closed.due_date) == (ReportStatus.CLOSED, None)
    assert list(closed.events.values_list("from_status", "to_status", "actor"))[-1] == (
        ReportStatus.FORWARDED,
        ReportStatus.CLOSED,
        None,
    )


def test_report_stays_open_while_a_recommendation_awaits_the_ppk(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report, nip="197806122005011003")
    TerlaporFactory(report=report, nip="198001012006041002")
    first, second = forward_to_clarification(report, cast["bawaslu_sleman"])

    recommend(first, cast["authority_bkn"])
    declare_not_proven(second, actor=cast["authority_bkn"], reasoning="Tidak terbukti.")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.FORWARDED
