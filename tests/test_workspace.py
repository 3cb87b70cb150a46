"""The staff workspace (Meja kerja): exact queues and counts per role on a known data set."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from netralitas import workspace
from netralitas.authority import authority_in_force
from netralitas.models import ViolationType
from reports.enums import CaseStatus, EventKind, ReportStatus
from reports.models import Report, ReportEvent, Terlapor
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_sanctions_pages import awaiting_ppk

TODAY = date(2024, 5, 6)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")


def at(report: Report, status: str, due: date | None = None, **fields) -> Report:
    Report.objects.filter(pk=report.pk).update(status=status, due_date=due, **fields)
    report.refresh_from_db()
    return report


@pytest.fixture
def data(cast, organisations):
    """One item for (almost) every queue, held by Bawaslu Sleman, BKN and Pemda Sleman."""
    bawaslu = organisations["bawaslu_sleman"]
    d = {}
    d["received_late"] = at(ReportFactory(intake_organisation=bawaslu), ReportStatus.RECEIVED, date(2024, 5, 1))
    d["received"] = at(
        ReportFactory(intake_organisation=bawaslu),
        ReportStatus.VERIFYING,
        date(2024, 5, 10),
        assigned_to=cast["bawaslu_sleman"],
    )
    d["answered"] = at(ReportFactory(intake_organisation=bawaslu), ReportStatus.VERIFYING, date(2024, 5, 9))
    ReportEvent.objects.create(report=d["answered"], kind=EventKind.INFO_REQUESTED, public_message="Foto?")
    ReportEvent.objects.create(report=d["answered"], kind=EventKind.REPORTER_ADDED, public_message="Ini fotonya.")
    d["registered"] = at(ReportFactory(intake_organisation=bawaslu), ReportStatus.REGISTERED, date(2024, 5, 8))
    # Elsewhere: Bawaslu Kota Yogyakarta's report is not Sleman's work.
    at(ReportFactory(intake_organisation=organisations["bawaslu_yogya"]), ReportStatus.RECEIVED, date(2024, 5, 7))

    forwarded = at(ReportFactory(intake_organisation=bawaslu), ReportStatus.FORWARDED)
    d["at_bkn"] = TerlaporFactory(
        report=at(ReportFactory(intake_organisation=bawaslu), ReportStatus.FORWARDED), name="Budi Klarifikasi"
    )
    Terlapor.objects.filter(pk=d["at_bkn"].pk).update(
        case_status=CaseStatus.CLARIFICATION, authority=authority_in_force(date(2024, 10, 1)), due_date=TODAY
    )
    d["b13"] = TerlaporFactory(report=forwarded, name="Citra Luar Matriks")
    Report.objects.filter(pk=forwarded.pk).update(violation_type=ViolationType.objects.get(code="B13"))
    Terlapor.objects.filter(pk=d["b13"].pk).update(case_status=CaseStatus.PENDING)

    d["ppk"] = awaiting_ppk(cast, organisations, letter_number="R-1/2024")  # due 2024-04-29
    d["overdue"] = awaiting_ppk(cast, organisations, letter_number="R-2/2024", name="Dedi Lewat")
    Terlapor.objects.filter(pk=d["overdue"].pk).update(overdue_since=date(2024, 4, 30))
    return d


def queues_of(user) -> dict[str, tuple[int, list[str], list[bool]]]:
    with time_machine.travel(timezone.make_aware(timezone.datetime(2024, 5, 6, 9)), tick=False):
        return {
            queue.key: (result.count, [item.title for item in result.items], [item.overdue for item in result.items])
            for queue, result in workspace.queues_for(user)
        }


def test_bawaslu_sees_verification_completion_kajian_and_assigned(cast, data):
    d = data
    assert queues_of(cast["bawaslu_sleman"]) == {
        "reports.to_verify": (
            2,
            [d["received_late"].tracking_code, d["received"].tracking_code],
            [True, False],
        ),
        "reports.completion_answers": (1, [d["answered"].tracking_code], [False]),
        "reports.kajian_due": (1, [d["registered"].tracking_code], [False]),
        "reports.assigned_to_me": (1, [d["received"].tracking_code], [False]),
    }


def test_the_authority_sees_what_was_forwarded_to_it(cast, data):
    code = data["at_bkn"].report.tracking_code
    assert queues_of(cast["authority_bkn"]) == {
        "reports.forwarded_to_authority": (1, [f"Budi Klarifikasi · {code}"], [False]),
    }


def test_the_ppk_and_its_operator_see_the_recommendations_awaiting_them(cast, data):
    expected = (2, ["Sutrisno Hadi", "Dedi Lewat"], [True, True])
    assert queues_of(cast["ppk_sleman"]) == {"sanctions.awaiting_ppk": expected}
    operator = queues_of(cast["operator_sleman"])
    assert operator["sanctions.awaiting_ppk"] == expected
    assert operator["reports.to_verify"] == (0, [], [])
    assert queues_of(cast["operator_yogya"])["sanctions.awaiting_ppk"] == (0, [], [])


def test_bkn_sees_the_overdue_case_to_block_then_the_block_to_lift(cast, data):
    from sanctions.models import Block

    assert queues_of(cast["wasdal_bkn"]) == {
        "sanctions.overdue_to_block": (1, ["Dedi Lewat"], [True]),
        "sanctions.blocks_to_lift": (0, [], []),
    }
    Block.objects.create(
        terlapor=data["overdue"],
        letter_number="BLK-1",
        letter_date=date(2024, 5, 2),
        blocked_on=date(2024, 5, 2),
        blocked_by=cast["wasdal_bkn"],
        lift_requested_at=timezone.now(),
    )
    assert queues_of(cast["wasdal_bkn"]) == {
        "sanctions.overdue_to_block": (0, [], []),
        "sanctions.blocks_to_lift": (1, ["Dedi Lewat"], [False]),
    }


def test_the_satgas_sees_the_b13_case_awaiting_its_decision(cast, data):
    code = data["b13"].report.tracking_code
    queues = queues_of(cast["satgas_sleman"])
    assert queues["taskforce.b13_awaiting_satgas"] == (1, [f"Citra Luar Matriks · {code}"], [False])
    Terlapor.objects.filter(pk=data["b13"].pk).update(satgas_decided_at=timezone.now())
    assert queues_of(cast["satgas_sleman"])["taskforce.b13_awaiting_satgas"] == (0, [], [])


def test_viewers_and_administrators_have_no_queue(cast, data):
    assert queues_of(cast["viewer"]) == {}
    assert queues_of(cast["admin"]) == {}


def test_the_page_shows_counts_overdue_first_in_red_and_links_to_the_act(cast, data):
    client = Client()
    client.force_login(cast["bawaslu_sleman"])
    with time_machine.travel(timezone.make_aware(timezone.datetime(2024, 5, 6, 9)), tick=False):
        page = client.get("/kerja/")
    html = page.content.decode()
    assert page.status_code == 200
    counts = re.findall(r'data-queue="([^"]+)".*?data-testid="queue-count">(\d+)<', html, re.S)
    assert counts == [
        ("reports.to_verify", "2"),
        ("reports.completion_answers", "1"),
        ("reports.kajian_due", "1"),
        ("reports.assigned_to_me", "1"),
    ]
    first = html.index(data["received_late"].tracking_code)
    assert first < html.index(data["received"].tracking_code)
    assert "nt-queue__item--overdue" in html[html.rfind("<li", 0, first) : first]
    assert f'href="/admin/reports/report/{data["received_late"].pk}/change/"' in html
    assert 'data-testid="logout"' in html
    assert "Pelapor Rahasia" not in html


def test_the_page_is_for_staff_only(cast):
    assert Client().get("/kerja/").status_code == 302


def test_queries_do_not_grow_with_the_cases(cast, organisations):
    bawaslu = organisations["bawaslu_sleman"]

    def count_queries() -> int:
        client = Client()
        client.force_login(cast["bawaslu_sleman"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/kerja/").status_code == 200
        return len(queries)

    at(ReportFactory(intake_organisation=bawaslu), ReportStatus.RECEIVED, TODAY)
    one = count_queries()
    for i in range(20):
        at(ReportFactory(intake_organisation=bawaslu), ReportStatus.RECEIVED, TODAY + timedelta(days=i))
    assert count_queries() == one
