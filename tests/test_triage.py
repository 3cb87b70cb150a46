"""reports.triage: each staff service, who may call it, what it records, what the reporter is told."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from netralitas.calendar import format_date
from netralitas.enums import DeadlineStep, EmployeeStatus, PeriodPhase
from netralitas.models import OutboxMessage, Region
from reports import assessment, triage
from reports.enums import CaseStatus, EventKind, ReportKind, ReportStatus
from reports.models import Person, Report, ReportEvent, Terlapor
from reports.pins import hash_pin, new_pin
from reports.selectors import reports_visible_to
from reports.services import TerlaporEntry
from reports.workflow import NoteRequired, TransitionNotAllowed, transition_report
from tests.factories import KajianFactory, ReportFactory, TerlaporFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
R = ReportStatus
STATUS_URL = "https://netralitas.example/status/"


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA), tick=False)


def region(name: str) -> Region:
    return Region.objects.get(name=name)


@pytest.fixture
def pin():
    return new_pin()


@pytest.fixture
def at_pemda_sleman(organisations, pin):
    """A report received by Pemerintah Kabupaten Sleman (outside an election) about one of its ASN."""

    def make(status=R.RECEIVED, **overrides) -> Report:
        report = ReportFactory(
            status=status, intake_organisation=organisations["pemda_sleman"], pin_hash=hash_pin(pin), **overrides
        )
        TerlaporFactory(report=report, name="Budi Santoso", nip="197806122005011003")
        return report

    return make


@pytest.fixture
def at_bawaslu_sleman(organisations):
    def make(status=R.RECEIVED, **overrides) -> Report:
        overrides.setdefault("region", region("Kabupaten Sleman"))
        report = ReportFactory(status=status, intake_organisation=organisations["bawaslu_sleman"], **overrides)
        TerlaporFactory(report=report)
        return report

    return make


def state(report: Report) -> tuple:
    return (
        *Report.objects.filter(pk=report.pk).values_list("status", "intake_organisation", "assigned_to").get(),
        ReportEvent.objects.filter(report=report).count(),
    )


def codes(qs) -> list[str]:
    return sorted(qs.values_list("tracking_code", flat=True))


# ---------------------------------------------------------------- who may act


def test_start_verification_by_the_intake_organisation(cast, at_pemda_sleman):
    report = at_pemda_sleman()
    event = triage.start_verification(report, actor=cast["satgas_sleman"])
    assert state(report) == (R.VERIFYING, report.intake_organisation_id, None, 1)
    assert (event.actor, event.from_status, event.to_status, event.is_public) == (
        cast["satgas_sleman"],
        R.RECEIVED,
        R.VERIFYING,
        True,
    )


@pytest.mark.parametrize(
    ("who", "why"),
    [
        ("ppk_sleman", "Anda tidak berwenang melakukan tindakan ini."),  # sees it, may not verify
        ("operator_yogya", "Laporan ini tidak dapat Anda tangani."),  # does not see it
        ("bawaslu_jateng", "Laporan ini tidak dapat Anda tangani."),
        # Sees it through its region, but the pemda received it: only the intake verifies (and knows the reporter).
        ("bawaslu_sleman", "Hanya petugas organisasi penerima yang dapat memverifikasi laporan ini."),
        ("authority_bkn", "Anda tidak berwenang melakukan tindakan ini."),
    ],
)
def test_verification_services_refuse_everyone_else(cast, at_pemda_sleman, who, why):
    received, verifying = at_pemda_sleman(), at_pemda_sleman(R.VERIFYING)
    before = state(received), state(verifying)
    calls = [
        lambda: triage.start_verification(received, actor=cast[who]),
        lambda: triage.request_completion(verifying, actor=cast[who], message="Lampirkan foto."),
        lambda: triage.reject_report(verifying, actor=cast[who], reason="Di luar lingkup."),
        lambda: triage.register_report(verifying, actor=cast[who]),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied) as refused:
            call()
        assert str(refused.value) == why
    assert (state(received), state(verifying)) == before
    assert OutboxMessage.objects.count() == 0


def test_a_service_refuses_a_step_the_workflow_does_not_allow(cast, at_pemda_sleman):
    report = at_pemda_sleman(R.RECEIVED)
    with pytest.raises(TransitionNotAllowed):
        triage.register_report(report, actor=cast["operator_sleman"])  # verify first
    assert state(report) == (R.RECEIVED, report.intake_organisation_id, None, 0)


def test_nobody_logged_in_is_refused(at_pemda_sleman):
    report = at_pemda_sleman()
    with pytest.raises(PermissionDenied):
        triage.start_verification(report, actor=None)


# ---------------------------------------------------------------- messages to the reporter


def test_request_completion_pauses_verification_and_emails_the_reporter_without_the_pin(
    cast, at_pemda_sleman, pin, celery_eager, django_capture_on_commit_callbacks
):
    report = at_pemda_sleman(R.VERIFYING, due_date=date(2024, 10, 21), due_step=DeadlineStep.SATGAS_VERIFICATION)
    with at(date(2024, 10, 16)), django_capture_on_commit_callbacks(execute=True):
        event = triage.request_completion(
            report,
            actor=cast["operator_sleman"],
            message="  Lampirkan foto kegiatan di balai desa.  ",
            status_url=STATUS_URL,
        )
    report.refresh_from_db()
    assert (report.status, report.due_date, report.paused_days_left) == (R.NEEDS_COMPLETION, date(2024, 10, 19), 5)
    assert (event.kind, event.public_message, event.is_public) == (
        EventKind.INFO_REQUESTED,
        "Lampirkan foto kegiatan di balai desa.",
        True,
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert (message.to, message.subject) == (
        ["pelapor@example.org"],
        f"Laporan {report.tracking_code} perlu dilengkapi",
    )
    assert f"Kode pelacakan: {report.tracking_code}\n" in message.body
    assert "Lengkapi paling lambat: 19 Oktober 2024\n" in message.body
    assert "Yang perlu dilengkapi:\nLampirkan foto kegiatan di balai desa.\n" in message.body
    assert f"Kirimkan kelengkapannya di {STATUS_URL} dengan kode pelacakan dan PIN Anda." in message.body
    assert pin not in message.body and pin.replace("-", "") not in message.body
    assert OutboxMessage.objects.get().dedupe_key == f"report_needs_completion:{report.pk}:{event.pk}"


def test_each_request_for_completion_is_a_message_of_its_own(
    cast, at_pemda_sleman, celery_eager, django_capture_on_commit_callbacks
):
    report = at_pemda_sleman(R.VERIFYING)
    with django_capture_on_commit_callbacks(execute=True):
        first = triage.request_completion(report, actor=cast["operator_sleman"], message="Lampirkan foto.")
        transition_report(report, R.VERIFYING, actor=None, kind=EventKind.REPORTER_ADDED, note="Foto terlampir.")
        second = triage.request_completion(report, actor=cast["operator_sleman"], message="Sebutkan tanggalnya.")
    assert [m.body.split("Yang perlu dilengkapi:\n")[1].splitlines()[0] for m in mail.outbox] == [
        "Lampirkan foto.",
        "Sebutkan tanggalnya.",
    ]
    assert sorted(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == sorted(
        f"report_needs_completion:{report.pk}:{e.pk}" for e in (first, second)
    )


def test_request_completion_needs_a_message(cast, at_pemda_sleman):
    report = at_pemda_sleman(R.VERIFYING)
    with pytest.raises(NoteRequired):
        triage.request_completion(report, actor=cast["operator_sleman"], message="   ")
    assert state(report) == (R.VERIFYING, report.intake_organisation_id, None, 0)
    assert OutboxMessage.objects.count() == 0


def test_reject_report_tells_the_reporter_why(
    cast, at_pemda_sleman, pin, celery_eager, django_capture_on_commit_callbacks
):
    report = at_pemda_sleman(R.VERIFYING)
    with django_capture_on_commit_callbacks(execute=True):
        event = triage.reject_report(
            report,
            actor=cast["satgas_sleman"],
            reason="Kejadian dilaporkan 40 hari sesudah diketahui.",
            status_url=STATUS_URL,
        )
    assert state(report) == (R.REJECTED, report.intake_organisation_id, None, 1)
    assert (event.public_message, event.actor) == (
        "Kejadian dilaporkan 40 hari sesudah diketahui.",
        cast["satgas_sleman"],
    )
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["pelapor@example.org"],
        f"Laporan {report.tracking_code} tidak dapat ditindaklanjuti",
    )
    assert f"Kode pelacakan: {report.tracking_code}\n" in message.body
    assert "Alasan:\nKejadian dilaporkan 40 hari sesudah diketahui.\n" in message.body
    assert f"Riwayat laporan dapat dilihat di {STATUS_URL}" in message.body
    assert pin not in message.body and pin.replace("-", "") not in message.body
    assert OutboxMessage.objects.get().dedupe_key == f"report_rejected:{report.pk}:{event.pk}"


def test_reject_report_needs_a_reason(cast, at_pemda_sleman):
    report = at_pemda_sleman(R.VERIFYING)
    with pytest.raises(NoteRequired):
        triage.reject_report(report, actor=cast["operator_sleman"], reason=" \n ")
    assert state(report) == (R.VERIFYING, report.intake_organisation_id, None, 0)


def test_no_email_when_the_reporter_gave_none(cast, at_pemda_sleman, celery_eager, django_capture_on_commit_callbacks):
    asked, rejected = at_pemda_sleman(R.VERIFYING, reporter_email=""), at_pemda_sleman(R.VERIFYING, reporter_email="")
    with django_capture_on_commit_callbacks(execute=True):
        triage.request_completion(asked, actor=cast["operator_sleman"], message="Lampirkan foto.")
        triage.reject_report(rejected, actor=cast["operator_sleman"], reason="Di luar lingkup.")
    assert (state(asked)[0], state(rejected)[0]) == (R.NEEDS_COMPLETION, R.REJECTED)
    assert mail.outbox == []
    assert OutboxMessage.objects.count() == 0


# ---------------------------------------------------------------- registration, kajian, forwarding


def test_register_report_links_every_terlapor_to_the_register(cast, at_pemda_sleman):
    report = at_pemda_sleman(R.VERIFYING)
    TerlaporFactory(report=report, name="Siti Aminah", nip="")
    with at(date(2024, 10, 4)):
        event = triage.register_report(report, actor=cast["operator_sleman"])
    report.refresh_from_db()
    assert (report.status, report.due_date, report.due_step) == (
        R.REGISTERED,
        date(2024, 10, 9),
        DeadlineStep.BAWASLU_KAJIAN,
    )
    assert event.public_message == "Laporan memenuhi syarat dan sudah diregistrasi."
    linked = list(Terlapor.objects.filter(report=report).values_list("name", "person__name", "person__nip"))
    assert linked == [("Budi Santoso", "Budi Santoso", "197806122005011003"), ("Siti Aminah", "Siti Aminah", "")]
    assert Person.objects.count() == 2


def test_start_kajian_is_bawaslus(cast, at_pemda_sleman):
    report = at_pemda_sleman(R.REGISTERED)
    with pytest.raises(PermissionDenied):
        assessment.start_kajian(report, actor=cast["operator_sleman"])  # the pemda verifies, Bawaslu assesses
    with pytest.raises(PermissionDenied):
        assessment.start_kajian(report, actor=cast["bawaslu_jateng"])  # not its region
    event = assessment.start_kajian(report, actor=cast["bawaslu_sleman"])  # sees it through its region
    assert (state(report)[0], event.actor) == (R.KAJIAN, cast["bawaslu_sleman"])


def test_forward_report_keeps_the_authority_on_every_case_and_tells_the_reporter(cast, at_bawaslu_sleman):
    report = at_bawaslu_sleman(R.KAJIAN, received_at=datetime(2024, 8, 26, 2, 0, tzinfo=ZoneInfo("UTC")))
    TerlaporFactory(report=report)
    KajianFactory(report=report, recorded_by=cast["bawaslu_sleman"])
    event = assessment.forward_report(report, actor=cast["bawaslu_diy"], on=date(2024, 9, 3))
    assert (event.from_status, event.to_status, event.public_message) == (
        R.KAJIAN,
        R.FORWARDED,
        "Hasil kajian diteruskan kepada Komisi Aparatur Sipil Negara (KASN) untuk klarifikasi dan rekomendasi.",
    )
    cases = Terlapor.objects.filter(report=report).order_by("pk")
    assert (
        list(cases.values_list("authority__organisation__code", "case_status", "due_date", "due_step"))
        == [("kasn", CaseStatus.CLARIFICATION, date(2024, 9, 17), DeadlineStep.AUTHORITY_ACTION)] * 2
    )
    assert [list(t.events.values_list("from_status", "to_status", "actor")) for t in cases] == [
        [(CaseStatus.PENDING, CaseStatus.CLARIFICATION, cast["bawaslu_diy"].pk)]
    ] * 2


def test_a_forwarding_cannot_be_dated_before_the_report_was_received(cast, at_bawaslu_sleman):
    """A forwarding dated before the receipt made the dashboards' median report -> recommendation negative."""
    report = at_bawaslu_sleman(R.KAJIAN)
    KajianFactory(report=report, recorded_by=cast["bawaslu_sleman"])
    received = timezone.localdate(report.received_at)
    for dates in ({"on": received - timedelta(days=1)}, {"letter_date": received - timedelta(days=1)}):
        with pytest.raises(ValidationError) as refused:
            assessment.forward_report(report, actor=cast["bawaslu_sleman"], **dates)
        assert refused.value.message_dict == {
            "letter_date": [f"Tanggal penerusan tidak boleh sebelum laporan diterima ({format_date(received)})."]
        }
    assert state(report)[0] == R.KAJIAN
    assessment.forward_report(report, actor=cast["bawaslu_sleman"], on=received)
    assert state(report)[0] == R.FORWARDED


def test_forward_report_is_refused_without_the_permission(cast, at_bawaslu_sleman):
    report = at_bawaslu_sleman(R.KAJIAN)
    KajianFactory(report=report, recorded_by=cast["bawaslu_sleman"])
    for who in ("operator_sleman", "authority_bkn", "viewer"):
        with pytest.raises(PermissionDenied):
            assessment.forward_report(report, actor=cast[who])
    assert state(report)[0] == R.KAJIAN
    assert list(Terlapor.objects.filter(report=report).values_list("authority", "case_status")) == [
        (None, CaseStatus.PENDING)
    ]


# ---------------------------------------------------------------- re-routing


def test_reroute_records_a_note_and_moves_the_report_to_the_new_organisation(cast, organisations, at_bawaslu_sleman):
    report = at_bawaslu_sleman(R.VERIFYING, assigned_to=cast["bawaslu_sleman"])
    event = triage.reroute_report(
        report, actor=cast["bawaslu_sleman"], to=organisations["pemda_yogya"], reason="Bukan masa pemilihan."
    )
    assert state(report) == (R.VERIFYING, organisations["pemda_yogya"].pk, None, 1)
    assert (event.kind, event.is_public, event.actor, event.from_status, event.to_status, event.note) == (
        EventKind.NOTE,
        False,
        cast["bawaslu_sleman"],
        "",
        "",
        "Dialihkan dari Bawaslu Kabupaten Sleman ke Pemerintah Kota Yogyakarta: Bukan masa pemilihan.",
    )
    # Kota Yogyakarta now sees it; Bawaslu Sleman still does, by its region rule (the incident is in Sleman).
    assert codes(reports_visible_to(cast["operator_yogya"])) == [report.tracking_code]
    assert codes(reports_visible_to(cast["bawaslu_sleman"])) == [report.tracking_code]
    assert codes(reports_visible_to(cast["bawaslu_jateng"])) == []


def test_reroute_of_an_incident_elsewhere_takes_it_out_of_the_old_organisations_sight(
    cast, organisations, at_bawaslu_sleman
):
    report = at_bawaslu_sleman(region=region("Kota Yogyakarta"))  # routed to Sleman by mistake
    Terlapor.objects.filter(report=report).update(instansi=organisations["pemda_yogya"])
    assert codes(reports_visible_to(cast["bawaslu_sleman"])) == [report.tracking_code]
    triage.reroute_report(
        report, actor=cast["bawaslu_sleman"], to=organisations["bawaslu_yogya"], reason="Kejadian di Kota Yogyakarta."
    )
    assert codes(reports_visible_to(cast["bawaslu_sleman"])) == []
    assert codes(reports_visible_to(cast["bawaslu_diy"])) == [report.tracking_code]
    assert ReportEvent.objects.get(report=report).note == (
        "Dialihkan dari Bawaslu Kabupaten Sleman ke Bawaslu Kota Yogyakarta: Kejadian di Kota Yogyakarta."
    )


def test_reroute_from_the_national_queue_names_it(cast, organisations, superuser_national):
    report = ReportFactory(intake_organisation=None)
    event = triage.reroute_report(
        report, actor=superuser_national, to=organisations["bawaslu_sleman"], reason="Masa kampanye Pilkada."
    )
    assert event.note == "Dialihkan dari antrean nasional ke Bawaslu Kabupaten Sleman: Masa kampanye Pilkada."


@pytest.fixture
def superuser_national(django_user_model):
    return django_user_model.objects.create_superuser("super", "super@example.org", "kata-sandi-uji-123")


def test_reroute_refusals(cast, organisations, at_bawaslu_sleman):
    report = at_bawaslu_sleman()
    bawaslu = cast["bawaslu_sleman"]
    with pytest.raises(NoteRequired):
        triage.reroute_report(report, actor=bawaslu, to=organisations["pemda_yogya"], reason="  ")
    with pytest.raises(PermissionDenied):  # sees it, may not re-route
        triage.reroute_report(report, actor=cast["ppk_sleman"], to=organisations["pemda_yogya"], reason="Salah alamat.")
    with pytest.raises(PermissionDenied):  # does not see it
        triage.reroute_report(report, actor=cast["operator_yogya"], to=organisations["pemda_yogya"], reason="Ke kami.")
    with pytest.raises(ValueError, match="sudah berada"):
        triage.reroute_report(report, actor=bawaslu, to=organisations["bawaslu_sleman"], reason="Tetap di sini.")
    inactive = organisations["pemda_yogya"]
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    with pytest.raises(ValueError, match="tidak aktif"):
        triage.reroute_report(report, actor=bawaslu, to=inactive, reason="Salah alamat.")
    # Issue 8: never to the terlapor's instansi (its BKPSDM, Satgas and PPK would know the reporter).
    with pytest.raises(ValueError, match="instansi terlapor"):
        triage.reroute_report(report, actor=bawaslu, to=organisations["pemda_sleman"], reason="Di luar pemilihan.")
    finished = at_bawaslu_sleman(R.REJECTED)
    with pytest.raises(TransitionNotAllowed):
        triage.reroute_report(finished, actor=bawaslu, to=organisations["bkn"], reason="Salah alamat.")
    assert (state(report), state(finished)) == (
        (R.RECEIVED, organisations["bawaslu_sleman"].pk, None, 0),
        (R.REJECTED, organisations["bawaslu_sleman"].pk, None, 0),
    )


# ---------------------------------------------------------------- temuan


def temuan_args(organisations, **overrides) -> dict:
    values = {
        "region": region("Kabupaten Sleman"),
        "incident_date": date(2024, 10, 3),
        "place": "Lapangan Denggung",
        "description": "Kepala dinas berorasi di panggung kampanye pasangan calon bupati.",
        "terlapor": [
            TerlaporEntry(
                name="Agus Wibowo",
                nip="197205101998031004",
                position="Kepala Dinas",
                instansi=organisations["pemda_sleman"],
                employee_status=EmployeeStatus.PNS,
            )
        ],
    }
    values.update(overrides)
    return values


def test_record_temuan_enters_at_registered_with_the_kajian_deadline(cast, organisations):
    bawaslu = cast["bawaslu_sleman"]
    with at(date(2024, 10, 4)):
        report = triage.record_temuan(actor=bawaslu, **temuan_args(organisations))
    report.refresh_from_db()
    assert (report.kind, report.status, report.intake_organisation, report.received_at.date()) == (
        ReportKind.TEMUAN,
        R.REGISTERED,
        organisations["bawaslu_sleman"],
        date(2024, 10, 4),
    )
    assert (report.due_date, report.due_step) == (date(2024, 10, 9), DeadlineStep.BAWASLU_KAJIAN)
    assert (report.reporter_name, report.reporter_email, report.pin_hash) == ("", "", "")
    assert report.election is not None and report.period_phase == PeriodPhase.KAMPANYE
    assert list(report.events.values_list("kind", "from_status", "to_status", "actor", "note", "is_public")) == [
        (EventKind.SUBMITTED, "", R.REGISTERED, bawaslu.pk, "Temuan Bawaslu", False)
    ]
    assert list(report.terlapor.values_list("name", "person__nip", "case_status")) == [
        ("Agus Wibowo", "197205101998031004", CaseStatus.PENDING)
    ]
    assert report.tracking_code.startswith("NTR-")
    # From here the ordinary path: Bawaslu begins the kajian.
    assert assessment.start_kajian(report, actor=bawaslu).to_status == R.KAJIAN


def test_a_provincial_bawaslu_records_temuan_in_its_kab_kota(cast, organisations):
    report = triage.record_temuan(actor=cast["bawaslu_diy"], **temuan_args(organisations))
    assert report.intake_organisation == organisations["bawaslu_diy"]


def test_record_temuan_refusals(cast, organisations, superuser_national):
    with pytest.raises(PermissionDenied, match="tidak berwenang"):
        triage.record_temuan(actor=cast["operator_sleman"], **temuan_args(organisations))
    with pytest.raises(PermissionDenied, match="luar wilayah"):
        triage.record_temuan(
            actor=cast["bawaslu_sleman"], **temuan_args(organisations, region=region("Kota Yogyakarta"))
        )
    with pytest.raises(PermissionDenied, match="luar wilayah"):
        triage.record_temuan(actor=cast["bawaslu_jateng"], **temuan_args(organisations))
    with pytest.raises(PermissionDenied, match="petugas Bawaslu"):  # every permission, but no Bawaslu to file under
        triage.record_temuan(actor=superuser_national, **temuan_args(organisations))
    with pytest.raises(ValueError):
        triage.record_temuan(actor=cast["bawaslu_sleman"], **temuan_args(organisations, terlapor=[]))
    assert Report.objects.count() == 0


# ---------------------------------------------------------------- assignment and linking


def test_assign_report_to_staff_of_the_intake_organisation(cast, at_pemda_sleman):
    report = at_pemda_sleman()
    triage.assign_report(report, actor=cast["operator_sleman"], to_user=cast["satgas_sleman"])
    assert state(report)[2] == cast["satgas_sleman"].pk
    triage.assign_report(report, actor=cast["operator_sleman"], to_user=None)
    assert state(report)[2] is None
    assert list(report.events.values_list("kind", "note", "is_public")) == [
        (EventKind.NOTE, "Ditugaskan kepada satgas.sleman.", False),
        (EventKind.NOTE, "Penugasan dicabut.", False),
    ]


def test_assign_report_refusals(cast, at_pemda_sleman):
    report = at_pemda_sleman()
    with pytest.raises(ValueError, match="bukan petugas organisasi penerima"):
        triage.assign_report(report, actor=cast["operator_sleman"], to_user=cast["bawaslu_sleman"])
    with pytest.raises(PermissionDenied):  # sees it, may not assign
        triage.assign_report(report, actor=cast["ppk_sleman"], to_user=cast["satgas_sleman"])
    with pytest.raises(PermissionDenied):  # sees it through its region, but does not run the pemda's staff
        triage.assign_report(report, actor=cast["bawaslu_sleman"], to_user=cast["satgas_sleman"])
    with pytest.raises(PermissionDenied):  # does not see it
        triage.assign_report(report, actor=cast["operator_yogya"], to_user=cast["operator_yogya"])
    assert state(report) == (R.RECEIVED, report.intake_organisation_id, None, 0)


def test_link_reports_both_ways_once(cast, at_pemda_sleman):
    report, other = at_pemda_sleman(), at_pemda_sleman(incident_date=date(2024, 10, 15))
    triage.link_reports(report, other, actor=cast["operator_sleman"])
    triage.link_reports(other, report, actor=cast["operator_sleman"])  # already linked: nothing more
    assert list(report.linked_reports.all()) == [other] and list(other.linked_reports.all()) == [report]
    assert list(report.events.values_list("kind", "note", "is_public")) == [
        (EventKind.NOTE, f"Ditautkan dengan laporan {other.tracking_code}.", False)
    ]
    assert list(other.events.values_list("note", flat=True)) == [f"Ditautkan dengan laporan {report.tracking_code}."]


def test_link_reports_refusals(cast, at_pemda_sleman, organisations):
    report = at_pemda_sleman()
    elsewhere = ReportFactory(intake_organisation=organisations["pemda_yogya"], region=region("Kota Yogyakarta"))
    with pytest.raises(PermissionDenied):  # the other report is not theirs to see
        triage.link_reports(report, elsewhere, actor=cast["operator_sleman"])
    with pytest.raises(PermissionDenied):
        triage.link_reports(report, at_pemda_sleman(), actor=cast["ppk_sleman"])
    with pytest.raises(ValueError):
        triage.link_reports(report, report, actor=cast["operator_sleman"])
    assert report.linked_reports.count() == 0
    assert ReportEvent.objects.count() == 0


def test_reporter_edges_stay_the_reporters(cast, at_pemda_sleman):
    """The services never take the reporter's own moves (withdrawal, completion) on their behalf."""
    report = at_pemda_sleman(R.NEEDS_COMPLETION)
    with pytest.raises(TransitionNotAllowed):
        triage.start_verification(report, actor=cast["operator_sleman"])
    assert state(report)[0] == R.NEEDS_COMPLETION
