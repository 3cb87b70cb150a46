"""The reporter's edges of the report workflow, through the one writer."""

import pytest

from reports.enums import EventKind, ReportStatus
from reports.models import Report, ReportEvent
from reports.workflow import StaleReport, TransitionNotAllowed, allowed_transitions, transition_report
from tests.factories import ReportFactory


def test_reporter_may_withdraw_a_received_report(reference_data):
    report = ReportFactory()
    assert allowed_transitions(report) == [ReportStatus.WITHDRAWN]
    event = transition_report(report, ReportStatus.WITHDRAWN, kind=EventKind.WITHDRAWN, public_message="Salah kirim")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.WITHDRAWN
    assert (event.from_status, event.to_status, event.actor, event.public_message) == (
        ReportStatus.RECEIVED,
        ReportStatus.WITHDRAWN,
        None,
        "Salah kirim",
    )


def test_withdrawn_report_cannot_move(reference_data):
    report = ReportFactory(status=ReportStatus.WITHDRAWN)
    assert allowed_transitions(report) == []
    with pytest.raises(TransitionNotAllowed):
        transition_report(report, ReportStatus.VERIFYING)


def test_staff_cannot_take_a_reporter_edge(cast):
    report = ReportFactory(status=ReportStatus.NEEDS_COMPLETION)
    with pytest.raises(TransitionNotAllowed):
        transition_report(report, ReportStatus.VERIFYING, actor=cast["admin"])
    assert allowed_transitions(report, actor=cast["admin"]) == []


def test_stale_status_loses_the_race(reference_data):
    report = ReportFactory()
    stale = Report.objects.get(pk=report.pk)
    transition_report(report, ReportStatus.WITHDRAWN)
    with pytest.raises(StaleReport):
        transition_report(stale, ReportStatus.WITHDRAWN)
    assert ReportEvent.objects.filter(report=report).count() == 1


def test_events_are_append_only(reference_data):
    report = ReportFactory()
    event = transition_report(report, ReportStatus.WITHDRAWN)
    event.note = "diubah"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.parametrize("model_path", ["reports.ReportEvent", "reports.CaseEvent", "sanctions.SanctionEvent"])
def test_event_querysets_refuse_bulk_update_and_delete(reference_data, model_path):
    from django.apps import apps

    model = apps.get_model(model_path)
    report = ReportFactory()
    transition_report(report, ReportStatus.WITHDRAWN)
    with pytest.raises(RuntimeError, match="append-only"):
        model.objects.all().update(created_at=None)
    with pytest.raises(RuntimeError, match="append-only"):
        model.objects.filter(pk__gt=0).delete()
    assert ReportEvent.objects.filter(report=report).count() == 1


def test_deleting_a_report_still_takes_its_events(reference_data):
    report = ReportFactory()
    transition_report(report, ReportStatus.WITHDRAWN)
    report.delete()
    assert not ReportEvent.objects.filter(report_id=report.pk).exists()
