"""reports.services.submit_report: one transaction, routing, the PIN, the outbox when the broker is down."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netralitas.elections import election_context
from netralitas.models import Organisation, OutboxMessage
from netralitas.notifications import flush_outbox
from reports import services
from reports.enums import Confidentiality, EventKind, EvidenceKind, ReportKind, ReportStatus
from reports.evidence import store_evidence_file
from reports.evidence_checks import EvidenceRejected
from reports.models import Evidence, Report, ReportEvent, Terlapor
from reports.pins import check_pin
from reports.services import ReporterIdentity, TerlaporEntry, intake_context, route_report, submit_report
from tests.test_intake import NOW, TODAY, jpeg_bytes

SITI = ReporterIdentity(
    name="Siti Rahmawati",
    nik="3404015205900002",
    address="Jl. Kaliurang km 5",
    phone="+6281234567890",
    email="siti@example.org",
)


def submission(places, **overrides) -> dict:
    values = {
        "confidentiality": Confidentiality.CONFIDENTIAL,
        "reporter": SITI,
        "consent": True,
        "terlapor": [
            TerlaporEntry(
                name="Budi Santoso",
                nip="197806122005011003",
                position="Camat",
                instansi=places["pemda_sleman"],
                employee_status="pns",
            )
        ],
        "incident_date": TODAY - timedelta(days=1),
        "learned_date": TODAY - timedelta(days=1),
        "region": places["sleman"],
        "place": "Balai Desa Caturtunggal",
        "description": "Camat Depok berpidato mengajak warga memilih calon nomor 2.",
        "links": ["https://www.instagram.com/p/abc123/"],
        "status_url": "https://netralitas.example/status/",
    }
    values.update(overrides)
    return values


@pytest.fixture(autouse=True)
def clock(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW, tick=True) as traveller:
        yield traveller


@pytest.fixture
def places(organisations):
    from netralitas.models import Region

    sleman = Region.objects.get(name="Kabupaten Sleman")
    return {"sleman": sleman, "pemda_sleman": organisations["pemda_sleman"]}


@pytest.fixture(params=[0, 60], ids=["database", "process-copy"])
def routing_reads(request, settings):
    """Routing read from the database (tests' default) and from the process's reference copies (production)."""
    from netralitas import refcache

    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = request.param
    refcache.clear()
    yield
    refcache.clear()


@pytest.fixture
def eager_celery(celery_eager):
    return celery_eager


def test_submit_saves_report_terlapor_evidence_and_first_event(places):
    photo = jpeg_bytes()
    report, pin = submit_report(
        **submission(places, files=[SimpleUploadedFile("foto.jpg", photo, content_type="image/jpeg")])
    )
    report.refresh_from_db()
    assert (report.status, report.kind, report.reported_late, report.violation_type) == (
        ReportStatus.RECEIVED,
        ReportKind.LAPORAN,
        False,
        None,
    )
    assert report.tracking_code.startswith("NTR-") and len(report.tracking_code) == 13
    assert len(pin) == 19 and check_pin(pin, report.pin_hash) and pin not in report.pin_hash
    assert report.consent_at == report.received_at
    assert list(Terlapor.objects.filter(report=report).values_list("name", "nip", "position", "instansi")) == [
        ("Budi Santoso", "197806122005011003", "Camat", places["pemda_sleman"].pk)
    ]
    assert sorted(report.evidence.values_list("kind", "sha256", "url")) == [
        (EvidenceKind.FILE, hashlib.sha256(photo).hexdigest(), ""),
        (EvidenceKind.LINK, "", "https://www.instagram.com/p/abc123/"),
    ]
    assert list(report.events.values_list("kind", "from_status", "to_status", "is_public", "actor")) == [
        (EventKind.SUBMITTED, "", ReportStatus.RECEIVED, True, None)
    ]


def test_submit_attaches_the_drafts_of_its_token(places):
    draft = store_evidence_file(
        SimpleUploadedFile("dulu.jpg", jpeg_bytes((1, 2, 3)), content_type="image/jpeg"), draft_token="tok-123"
    )
    other = store_evidence_file(
        SimpleUploadedFile("orang-lain.jpg", jpeg_bytes((3, 2, 1)), content_type="image/jpeg"), draft_token="tok-999"
    )
    report, _pin = submit_report(**submission(places, links=[], draft_token="tok-123"))
    draft.refresh_from_db()
    other.refresh_from_db()
    assert (draft.report, draft.draft_token) == (report, "")
    assert (other.report, other.draft_token) == (None, "tok-999")


def test_anonymous_submission_keeps_no_identity(places):
    report, _pin = submit_report(**submission(places, confidentiality=Confidentiality.ANONYMOUS, consent=True))
    report.refresh_from_db()
    assert report.kind == ReportKind.INFORMASI
    assert [getattr(report, f"reporter_{f}") for f in ("name", "nik", "address", "phone", "email")] == [""] * 5
    assert report.consent_at is None
    assert OutboxMessage.objects.count() == 0


def test_a_refused_link_rolls_everything_back(places):
    with pytest.raises(EvidenceRejected) as caught:
        submit_report(**submission(places, links=["http://192.168.1.10/bukti"]))
    assert caught.value.code == "link_private"
    assert (Report.objects.count(), Terlapor.objects.count(), Evidence.objects.count()) == (0, 0, 0)
    assert (ReportEvent.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_submit_needs_a_terlapor(places):
    with pytest.raises(ValueError, match="at least one terlapor"):
        submit_report(**submission(places, terlapor=[]))


def test_tracking_code_collision_draws_again(places, routing_reads, monkeypatch):
    first, _pin = submit_report(**submission(places))
    codes = iter([first.tracking_code, "NTR-2345-6789"])
    monkeypatch.setattr(services, "new_tracking_code", lambda: next(codes))
    second, _pin = submit_report(**submission(places))
    assert second.tracking_code == "NTR-2345-6789"
    assert Report.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_tracking_code_drawn_twice_runs_the_transaction_again_without_a_savepoint(places, monkeypatch):
    first, _pin = submit_report(**submission(places))
    codes = iter([first.tracking_code, "NTR-2345-6789"])
    monkeypatch.setattr(services, "new_tracking_code", lambda: next(codes))
    upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
    with CaptureQueriesContext(connection) as queries:
        second, pin = submit_report(**submission(places, files=[upload]))
    assert (second.tracking_code, Report.objects.count()) == ("NTR-2345-6789", 2)
    assert check_pin(pin, Report.objects.get(pk=second.pk).pin_hash)
    assert sorted(Evidence.objects.filter(report=second).values_list("kind", flat=True)) == ["file", "link"]
    statements = [query["sql"] for query in queries.captured_queries]
    assert [sql for sql in statements if sql.startswith(("BEGIN", "SAVEPOINT", "COMMIT"))] == [
        "BEGIN",
        "BEGIN",
        "COMMIT",
    ]
    assert sum(sql.startswith('INSERT INTO "reports_report"') for sql in statements) == 2


def test_another_integrity_error_of_the_report_is_raised_at_once(places, monkeypatch):
    from django.db import IntegrityError

    attempts = []

    def refuse(report, **kwargs):
        attempts.append(report.tracking_code)
        raise IntegrityError("not the tracking code")

    monkeypatch.setattr(Report, "save", refuse)
    with pytest.raises(IntegrityError, match="not the tracking code"):
        submit_report(**submission(places))
    assert len(attempts) == 1


def test_late_submission_is_marked(places):
    learned = TODAY - timedelta(days=8)
    report, _pin = submit_report(**submission(places, incident_date=learned, learned_date=learned))
    assert report.reported_late is True
    context = intake_context(places["sleman"], learned, learned, today=TODAY)
    assert (context.report_due, context.late) == (TODAY - timedelta(days=1), True)


# ---------------------------------------------------------------- routing


def test_election_period_in_sleman_routes_to_bawaslu_sleman(places, routing_reads, organisations, clock):
    clock.move_to(datetime(2024, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    report, _pin = submit_report(
        **submission(places, incident_date=date(2024, 11, 24), learned_date=date(2024, 11, 24))
    )
    assert report.intake_organisation == organisations["bawaslu_sleman"]
    assert (report.election.name, report.period_phase) == ("Pilkada Serentak 2024", "masa_tenang")


def test_outside_any_election_routes_to_the_authority_in_force_never_the_instansi(places, routing_reads, organisations):
    """Issue 8: the accused's chain of command never receives (and so never verifies) a report."""
    yogya = TerlaporEntry(name="Kedua", instansi=organisations["pemda_yogya"], employee_status="pppk")
    first = submission(places)["terlapor"][0]
    report, _pin = submit_report(**submission(places, terlapor=[first, yogya]))
    assert (report.intake_organisation, report.election, report.period_phase) == (organisations["bkn"], None, "")
    report, _pin = submit_report(**submission(places, terlapor=[yogya, first]))
    assert report.intake_organisation == organisations["bkn"]


def test_route_report_uses_the_authority_of_the_day_and_falls_back_to_the_national_queue(
    places, routing_reads, organisations
):
    in_election = election_context(places["sleman"], date(2024, 2, 14))
    assert [c.election.name for c in in_election] == ["Pemilu 2024", "Pilkada Serentak 2024"]
    sleman = [places["pemda_sleman"]]
    assert route_report(places["sleman"], in_election, sleman) == organisations["bawaslu_sleman"]
    assert route_report(places["sleman"], [], sleman, on=date(2024, 9, 3)) == organisations["kasn"]
    assert route_report(places["sleman"], [], sleman, on=date(2024, 9, 4)) == organisations["bkn"]
    assert route_report(places["sleman"], [], sleman, on=date(2022, 1, 1)) is None  # no authority in force
    # A kab/kota without a Bawaslu row (data gap) falls to the authority, never to the instansi.
    organisations["bawaslu_sleman"].is_active = False
    organisations["bawaslu_sleman"].save()
    assert route_report(places["sleman"], in_election, sleman, on=date(2024, 2, 14)) == organisations["kasn"]


def test_route_report_skips_a_candidate_in_the_terlapors_chain_of_command(places, routing_reads, organisations):
    """An ASN of BKN itself (or of a unit under it) is never reported to BKN: the national queue holds it."""
    unit = Organisation.objects.create(
        code="bkn-unit-uji", name="Unit uji BKN", kind="instansi_pusat", parent=organisations["bkn"]
    )
    assert route_report(places["sleman"], [], [unit], on=date(2025, 1, 6)) is None
    assert route_report(places["sleman"], [], [places["pemda_sleman"], unit], on=date(2025, 1, 6)) is None


# ---------------------------------------------------------------- e-mail and broker


def test_email_receipt_goes_out_on_commit_without_the_pin(places, eager_celery, django_capture_on_commit_callbacks):
    photo = jpeg_bytes()
    upload = SimpleUploadedFile("foto.jpg", photo, content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        report, pin = submit_report(**submission(places, files=[upload]))
        assert len(mail.outbox) == 0  # nothing before commit
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == f"Tanda terima laporan {report.tracking_code}"
    assert f"Kode pelacakan: {report.tracking_code}" in body
    assert "Pantau laporan Anda di https://netralitas.example/status/ dengan kode pelacakan dan PIN" in body
    assert f"- foto.jpg ({len(photo)} bita)\n  SHA-256: {hashlib.sha256(photo).hexdigest()}\n" in body
    assert "- https://www.instagram.com/p/abc123/\n" in body
    assert pin not in body and pin.replace("-", "") not in body
    assert OutboxMessage.objects.get().sent_at is not None


def test_broker_down_saves_the_report_and_the_outbox_sends_it_later(
    places, settings, django_capture_on_commit_callbacks
):
    from netralitas.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    before = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            report, pin = submit_report(**submission(places))
    finally:
        app.conf.task_always_eager, app.conf.broker_url = before
    assert len(callbacks) == 1  # the delivery was attempted on commit, and failed quietly
    assert Report.objects.get() == report
    row = OutboxMessage.objects.get()
    assert (row.dedupe_key, row.recipient, row.sent_at, row.attempts) == (
        f"report-received:{report.pk}",
        "siti@example.org",
        None,
        0,
    )
    assert len(mail.outbox) == 0

    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert flush_outbox(older_than=timedelta(0)) == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@example.org"] and pin not in mail.outbox[0].body
    row.refresh_from_db()
    assert row.sent_at is not None


def test_submission_keeps_queries_few_whatever_the_number_of_terlapor(places, django_assert_num_queries):
    # Elections (3: elections, phases, regions) and deadline rules (2 reads), and the routing (the
    # authority in force, then one read of the organisations' lineage), which a process keeps between
    # requests in production (netralitas.refcache; off in tests), the report (no savepoint: a tracking
    # code drawn twice runs the transaction again, issue 11), terlapor in one INSERT, drafts (none
    # attached: the e-mail then lists the evidence just stored without reading it back, issue 11), one
    # link, event, the outbox row (one INSERT … ON CONFLICT); inside the test's transaction, the
    # submission's own is one SAVEPOINT and its RELEASE.
    one = [TerlaporEntry(name="ASN", instansi=places["pemda_sleman"], employee_status="pns")]
    with django_assert_num_queries(15):
        submit_report(**submission(places, terlapor=one, draft_token="tok"))
    with django_assert_num_queries(15):
        submit_report(**submission(places, terlapor=one * 5, draft_token="tok"))
