"""netralitas.db_insert: a new row and the new rows pointing at it, in one statement (PostgreSQL)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import DataError, IntegrityError, connection, transaction
from django.db.models import Field
from django.db.models.functions import Now
from django.db.models.signals import post_save, pre_save

from netralitas import db_insert
from reports.enums import EventKind, EvidenceKind, ReportStatus
from reports.models import Evidence, Person, Report, ReportEvent, Terlapor
from tests.conftest import NEEDS_POSTGRES
from tests.factories import ReportFactory

pytestmark = [NEEDS_POSTGRES, pytest.mark.django_db]


@pytest.fixture
def instansi(organisations):
    return organisations["pemda_sleman"]


def new_family(instansi):
    """An unsaved report with three terlapor (one with a date, two with NULL), two links and its first event."""
    report = ReportFactory.build(reporter_email="siti@example.org", learned_date=None)
    terlapor = [
        Terlapor(report=report, name="Budi", nip="197806122005011003", instansi=instansi, employee_status="pns"),
        Terlapor(report=report, name="Ani", instansi=instansi, employee_status="pppk", due_date=date(2026, 3, 20)),
        Terlapor(report=report, name="Citra", position="Lurah", instansi=instansi, employee_status="pns"),
    ]
    links = [
        Evidence(report=report, kind=EvidenceKind.LINK, url="https://www.instagram.com/p/abc123/"),
        Evidence(report=report, kind=EvidenceKind.LINK, url="https://youtu.be/xyz"),
    ]
    event = ReportEvent(report=report, kind=EventKind.SUBMITTED, to_status=ReportStatus.RECEIVED, is_public=True)
    return report, terlapor, links, event


def columns(obj) -> dict:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def recorded(statements: list[str]):
    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    return connection.execute_wrapper(record)


def test_one_statement_writes_them_all_and_leaves_each_object_as_save_would(instansi):
    report, terlapor, links, event = new_family(instansi)
    statements: list[str] = []
    with recorded(statements):
        db_insert.insert_with_children(report, [*terlapor, *links, event])
    assert len(statements) == 1
    assert re.findall(r'INSERT INTO "(\w+)"', statements[0]) == [
        "reports_report",
        "reports_terlapor",
        "reports_evidence",
        "reports_reportevent",
    ]
    for obj in (report, *terlapor, *links, event):
        assert obj.pk is not None and (obj._state.adding, obj._state.db) == (False, "default")
        assert columns(obj) == columns(type(obj).objects.get(pk=obj.pk)), type(obj).__name__
    assert {child.report_id for child in (*terlapor, *links, event)} == {report.pk}
    assert terlapor[0].report is report  # the related object stays cached, as after save()
    # Rows of one model get their ids in the order given.
    assert list(Terlapor.objects.filter(report=report).order_by("pk").values_list("name", flat=True)) == [
        "Budi",
        "Ani",
        "Citra",
    ]
    assert [t.pk for t in terlapor] == sorted(t.pk for t in terlapor)
    # What pre_save fills in (auto_now, auto_now_add) is on the objects too.
    assert report.updated_at is not None and event.created_at is not None and links[0].uploaded_at is not None


def test_a_parent_without_children_is_one_insert(instansi):
    report = ReportFactory.build()
    db_insert.insert_with_children(report, [])
    assert columns(report) == columns(Report.objects.get(pk=report.pk))


def test_a_value_too_long_fails_as_the_orms_insert_would_and_nothing_looks_saved(instansi):
    # The placeholders are cast to the column's type without its length: never truncated silently.
    report, terlapor, links, event = new_family(instansi)
    terlapor[1].name = "x" * 161
    with pytest.raises(DataError, match="character varying\\(160\\)"), transaction.atomic():
        db_insert.insert_with_children(report, [*terlapor, *links, event])
    assert [obj.pk for obj in (report, *terlapor, event)] == [None] * 5
    assert report._state.adding is True
    assert Report.objects.filter(tracking_code=report.tracking_code).count() == 0


def test_a_broken_unique_key_is_the_databases_integrity_error(instansi):
    taken = ReportFactory()
    report, terlapor, links, event = new_family(instansi)
    report.tracking_code = taken.tracking_code
    with pytest.raises(IntegrityError, match="reports_report_tracking_code"), transaction.atomic():
        db_insert.insert_with_children(report, [*terlapor, event])
    assert (report.pk, Terlapor.objects.count(), ReportEvent.objects.count()) == (None, 0, 0)


def test_only_new_rows_pointing_at_the_parent_are_taken(instansi):
    saved = ReportFactory()
    report, terlapor, links, event = new_family(instansi)
    old_event = ReportEvent.objects.create(report=saved, kind=EventKind.SUBMITTED)
    with pytest.raises(ValueError, match="new rows only"):
        db_insert.insert_with_children(report, [old_event])  # an append-only event is never written twice
    with pytest.raises(ValueError, match="new rows only"):
        db_insert.insert_with_children(saved, [])
    with pytest.raises(ValueError, match="does not point at"):
        db_insert.insert_with_children(report, [Terlapor(report=saved, name="B", instansi=instansi)])
    with pytest.raises(ValueError, match="does not point at"):
        db_insert.insert_with_children(report, [Person(name="B", instansi=instansi)])
    assert report.pk is None


def test_an_unsaved_related_object_is_refused_as_save_would(instansi):
    report, terlapor, links, event = new_family(instansi)
    terlapor[0].person = Person(name="Budi", instansi=instansi)
    with pytest.raises(ValueError, match="unsaved related object 'person'"):
        db_insert.insert_with_children(report, terlapor)
    assert report.pk is None


def test_the_check_of_related_objects_does_not_compare_each_field_with_every_other(instansi, monkeypatch):
    # Django's check asks ``field not in fields``: given a list, a report and its six rows cost ~1,200 calls of
    # Field.__eq__ (issue 11); given a set, each field is one hash look-up.
    calls = []
    original = Field.__eq__

    def counting(self, other):
        calls.append(1)
        return original(self, other)

    report, terlapor, links, event = new_family(instansi)
    monkeypatch.setattr(Field, "__eq__", counting)
    db_insert.insert_with_children(report, [*terlapor, *links, event])
    monkeypatch.undo()
    assert report.pk is not None
    assert len(calls) < 60


def test_a_dependent_row_is_written_in_the_same_statement_from_the_parents_new_id(instansi):
    report, terlapor, links, event = new_family(instansi)
    dependent = (
        "INSERT INTO netralitas_outboxmessage (channel, recipient, subject, body, html_body, dedupe_key, created_at, "
        "attempts, last_error, to_reporter) SELECT 'email', %s, 's', 'b', '', %s || \"p\".\"id\", now(), 0, '', true "
        'FROM "p" RETURNING dedupe_key',
        ["siti@example.org", "k:"],
    )
    statements: list[str] = []
    with recorded(statements):
        returned = db_insert.insert_with_children(report, [*terlapor, *links, event], dependents=[dependent])
    assert len(statements) == 1
    assert returned == [[f"k:{report.pk}"]]
    assert [t.report_id for t in terlapor] == [report.pk] * 3  # the children's parameters still in their places
    assert Report.objects.get(pk=report.pk).tracking_code == report.tracking_code


def test_an_expression_as_a_value_is_refused(instansi):
    report = ReportFactory.build(received_at=Now())
    with pytest.raises(ValueError, match="received_at"):
        db_insert.insert_with_children(report, [])


def test_save_signals_reach_their_receivers_as_from_save(instansi):
    report, terlapor, links, event = new_family(instansi)
    heard = []

    def before(sender, instance, raw, using, update_fields, **kwargs):
        heard.append(("pre", sender.__name__, instance.pk, raw, using, update_fields))

    def after(sender, instance, created, raw, using, update_fields, **kwargs):
        heard.append(("post", sender.__name__, instance.pk is not None, created, raw, using, update_fields))

    pre_save.connect(before, sender=ReportEvent, weak=False)
    post_save.connect(after, sender=ReportEvent, weak=False)
    try:
        db_insert.insert_with_children(report, [*terlapor, event])
    finally:
        pre_save.disconnect(before, sender=ReportEvent)
        post_save.disconnect(after, sender=ReportEvent)
    assert heard == [
        ("pre", "ReportEvent", None, False, "default", None),
        ("post", "ReportEvent", True, True, False, "default", None),
    ]


def test_supported_on_postgresql_only():
    assert db_insert.supported() is (connection.vendor == "postgresql")
