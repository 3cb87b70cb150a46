"""reports.services.submit_report: one transaction, routing, the PIN, the outbox when the broker is down."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection
from django.db.models import Model
from django.db.models.signals import post_save, pre_save
from django.test.utils import CaptureQueriesContext

from netralitas import db_insert
from netralitas.elections import election_context
from netralitas.models import AppendOnlyModel, Organisation, OutboxMessage
from netralitas.notifications import flush_outbox
from reports import services
from reports.enums import Confidentiality, EventKind, EvidenceKind, ReportKind, ReportStatus
from reports.evidence import CheckedLink, store_evidence_file
from reports.evidence_checks import EvidenceRejected
from reports.models import Evidence, Report, ReportEvent, Terlapor
from reports.pins import check_pin
from reports.services import ReporterIdentity, TerlaporEntry, intake_context, route_report, submit_report
from tests.celeryapp import broker_at
from tests.conftest import NEEDS_POSTGRES
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


@pytest.fixture(params=["one-statement", "orm"])
def insert_path(request, monkeypatch):
    """The submission's INSERTs in one statement (PostgreSQL, issue 11), and through the ORM (SQLite's way)."""
    if request.param == "orm":
        monkeypatch.setattr(db_insert, "supported", lambda using="default": False)
    elif connection.vendor != "postgresql":
        pytest.skip("one statement needs PostgreSQL")
    return request.param


def files_under(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file())


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
def test_a_tracking_code_drawn_twice_runs_the_transaction_again_without_a_savepoint(
    places, insert_path, settings, monkeypatch
):
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
    assert sum('INSERT INTO "reports_report"' in sql for sql in statements) == 2
    # The first try's files went with its transaction: only the stored row's files are left.
    stored = Evidence.objects.get(report=second, kind=EvidenceKind.FILE)
    assert files_under(settings.MEDIA_ROOT) == sorted([stored.file.name, stored.shared_copy.name])


def test_another_integrity_error_of_the_submission_is_raised_at_once(places, insert_path, monkeypatch):
    original = services.new_tracking_code
    drawn = []

    def draw():
        drawn.append(original())
        return drawn[-1]

    monkeypatch.setattr(services, "new_tracking_code", draw)
    # A link marked checked that breaks evidence_file_has_hash_link_has_url (an empty URL).
    with pytest.raises(IntegrityError, match="evidence_file_has_hash_link_has_url"):
        submit_report(**submission(places, links=[CheckedLink("")]))
    assert len(drawn) == 1
    assert (Report.objects.count(), Evidence.objects.count()) == (0, 0)


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
    places, settings, django_capture_on_commit_callbacks, caplog
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    with broker_at("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True) as callbacks:
        report, pin = submit_report(**submission(places))
    assert len(callbacks) == 1  # the delivery was attempted on commit, and failed quietly
    assert "broker unreachable, the outbox's new messages stay in the outbox: OperationalError" in caplog.text
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


@pytest.mark.parametrize(("path", "queries"), [("one-statement", 12), ("orm", 15)])
def test_submission_keeps_queries_few_whatever_the_number_of_terlapor(
    places, path, queries, monkeypatch, django_assert_num_queries
):
    # Elections (3: elections, phases, regions) and deadline rules (2 reads), and the routing (the
    # authority in force, then one read of the organisations' lineage), which a process keeps between
    # requests in production (netralitas.refcache; off in tests); then on PostgreSQL one statement
    # writes the report, its terlapor, the link and the event (issue 11; the ORM: the report without a
    # savepoint, as a tracking code drawn twice runs the transaction again, terlapor in one INSERT, the
    # link, the event); drafts (none attached: the e-mail then lists the evidence just stored without
    # reading it back, issue 11), the outbox row (one INSERT … ON CONFLICT); inside the test's
    # transaction, the submission's own is one SAVEPOINT and its RELEASE.
    if path == "orm":
        monkeypatch.setattr(db_insert, "supported", lambda using="default": False)
    elif connection.vendor != "postgresql":
        pytest.skip("one statement needs PostgreSQL")
    one = [TerlaporEntry(name="ASN", instansi=places["pemda_sleman"], employee_status="pns")]
    with django_assert_num_queries(queries):
        submit_report(**submission(places, terlapor=one, draft_token="tok"))
    with django_assert_num_queries(queries):
        submit_report(**submission(places, terlapor=one * 5, draft_token="tok"))


# ---------------------------------------------------------------- one statement (issue 11)


@NEEDS_POSTGRES
def test_on_postgresql_one_statement_writes_report_terlapor_evidence_and_event(places):
    statements = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    two = [TerlaporEntry(name=name, instansi=places["pemda_sleman"], employee_status="pns") for name in "AB"]
    upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
    links = ["https://www.instagram.com/p/abc123/", "https://youtu.be/xyz"]
    with connection.execute_wrapper(record):
        report, _pin = submit_report(**submission(places, terlapor=two, files=[upload], links=links, draft_token="t"))
    writes = [
        (sql.split(None, 1)[0], re.findall(r'(?:INSERT INTO|UPDATE) "?(\w+)"?', sql))
        for sql in statements
        if not sql.startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == [
        ("WITH", ["reports_report", "reports_terlapor", "reports_evidence", "reports_reportevent"]),
        ("UPDATE", ["reports_evidence"]),  # the drafts of the token
        ("INSERT", ["netralitas_outboxmessage"]),
    ]
    assert list(report.evidence.values_list("kind", "url")) == [
        (EvidenceKind.FILE, ""),
        (EvidenceKind.LINK, links[0]),
        (EvidenceKind.LINK, links[1]),
    ]


def stored_rows(report: Report) -> dict:
    """Every column of the report and its terlapor, evidence and events, less ids, codes, hashes, times and names."""
    varying = {"id", "report_id", "tracking_code", "pin_hash", "file", "shared_copy"}
    varying |= {"received_at", "updated_at", "consent_at", "uploaded_at", "created_at"}

    def plain(queryset):
        return [{k: v for k, v in row.items() if k not in varying} for row in queryset.order_by("pk").values()]

    return {
        "report": plain(Report.objects.filter(pk=report.pk)),
        "terlapor": plain(report.terlapor.all()),
        "evidence": plain(report.evidence.all()),
        "events": plain(report.events.all()),
    }


def test_one_statement_and_the_orm_store_the_same_rows(places, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("one statement needs PostgreSQL")
    terlapor = [
        TerlaporEntry(
            name="Budi",
            nip="197806122005011003",
            position="Camat",
            instansi=places["pemda_sleman"],
            employee_status="pns",
            work_unit="Kecamatan Depok",
        ),
        TerlaporEntry(name="Ani", instansi=places["pemda_sleman"], employee_status="pppk"),
    ]

    def submit(**overrides):
        upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
        values = submission(places, terlapor=terlapor, files=[upload], links=["https://youtu.be/xyz"], **overrides)
        report, _pin = submit_report(**values)
        # The object is left as the ORM leaves a saved one, equal to its row.
        assert (report._state.adding, report._state.db) == (False, "default")
        row = Report.objects.get(pk=report.pk)
        assert {f.attname: getattr(report, f.attname) for f in Report._meta.concrete_fields} == {
            f.attname: getattr(row, f.attname) for f in Report._meta.concrete_fields
        }
        return report

    for overrides in ({}, {"confidentiality": Confidentiality.ANONYMOUS}, {"learned_date": None, "witnesses": "Ani"}):
        in_one = submit(**overrides)
        with monkeypatch.context() as orm:
            orm.setattr(db_insert, "supported", lambda using="default": False)
            by_orm = submit(**overrides)
        assert stored_rows(in_one) == stored_rows(by_orm)
        assert [len(rows) for rows in stored_rows(in_one).values()] == [1, 2, 2, 1]
        anonymous = overrides.get("confidentiality") == Confidentiality.ANONYMOUS
        assert in_one.consent_at == (None if anonymous else in_one.received_at)


def test_the_rows_written_in_one_statement_have_no_save_or_signal_of_their_own():
    """db_insert calls no save(): these models must add nothing to an INSERT there (AppendOnlyModel only refuses
    a second save), and no receiver listens to their saves (netralitas.apps connects refcache to others)."""
    models = (Report, Terlapor, Evidence, ReportEvent)
    assert [model.save for model in models] == [Model.save, Model.save, Model.save, AppendOnlyModel.save]
    assert [(pre_save.has_listeners(m), post_save.has_listeners(m)) for m in models] == [(False, False)] * 4
