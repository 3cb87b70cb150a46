"""The PPK's inbox, BKN's overdue list and blocks to lift, compliance counts: scope, order, no reporter, no N+1."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netralitas.calendar import working_days_between
from netralitas.enums import Level, Role, Track
from reports.enums import CaseStatus, EvidenceKind
from reports.models import Evidence, Terlapor
from sanctions.selectors import blocks_to_lift, compliance_summary, overdue_cases, ppk_inbox
from sanctions.services import lift_block, record_block, sweep_overdue
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_recommendations import forward_to_clarification
from tests.test_sanctions_services import at, awaiting_ppk, decide

TODAY = date(2024, 4, 22)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def fresh(user):
    """The user as a new request would load it: no cached scope or permissions."""
    return get_user_model().objects.get(pk=user.pk)


def link_evidence(terlapor: Terlapor, n: int) -> None:
    for i in range(n):
        Evidence.objects.create(report_id=terlapor.report_id, kind=EvidenceKind.LINK, url=f"https://x.example/{i}")


# ---------------------------------------------------------------- ppk_inbox


def test_ppk_inbox_lists_the_instansi_cases_awaiting_the_ppk_soonest_first(cast, organisations, make_staff):
    with at(TODAY):
        due_soon = awaiting_ppk(cast, organisations, letter_date=date(2024, 4, 1))
        due_later = awaiting_ppk(cast, organisations, letter_date=date(2024, 4, 15), recommendation="sedang")
        overdue = awaiting_ppk(cast, organisations, letter_date=date(2024, 3, 1))
        yogya = awaiting_ppk(cast, organisations, instansi=organisations["pemda_yogya"])
        decided = awaiting_ppk(cast, organisations)
        decide(decided, cast["ppk_sleman"])
        report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
        TerlaporFactory(report=report)
        forward_to_clarification(report, cast["bawaslu_sleman"])  # still with the authority: not the PPK's yet
        link_evidence(due_soon, 2)
        link_evidence(overdue, 1)

        rows = ppk_inbox(fresh(cast["ppk_sleman"]))
        assert rows == ppk_inbox(fresh(cast["operator_sleman"]))
        assert [row.terlapor for row in rows] == [overdue, due_soon, due_later]
        assert [(row.due_date, row.days_left, row.overdue, row.evidence_count, row.blocked) for row in rows] == [
            (date(2024, 3, 25), -13, True, 1, False),
            (date(2024, 4, 29), 5, False, 2, False),
            (date(2024, 5, 6), 9, False, 0, False),
        ]
        assert [row.days_left for row in rows] == [working_days_between(TODAY, row.due_date) for row in rows]
        assert [(row.track, row.level) for row in rows] == [
            (Track.DISIPLIN, Level.BERAT),
            (Track.DISIPLIN, Level.BERAT),
            (Track.DISIPLIN, Level.SEDANG),
        ]
        assert rows[1].recommendation == due_soon.recommendation
        assert rows[1].recommendation.violation_type.code == "B4"

        assert [row.terlapor for row in ppk_inbox(fresh(cast["operator_yogya"]))] == [yogya]
        for nobody in ("wasdal_bkn", "viewer", "authority_bkn", "bawaslu_sleman"):
            assert ppk_inbox(fresh(cast[nobody])) == []
        ppk_diy = make_staff("ppk.diy", organisations["pemda_diy"], Role.PPK)
        assert ppk_inbox(fresh(ppk_diy)) == []


def test_ppk_inbox_never_reads_the_report_or_its_reporter(cast, organisations):
    with at(TODAY):
        terlapor = awaiting_ppk(cast, organisations)
        link_evidence(terlapor, 1)
        user = fresh(cast["ppk_sleman"])
        with CaptureQueriesContext(connection) as queries:
            rows = ppk_inbox(user)
            row = rows[0]
            # Everything a row shows is loaded: no lazy query for the page to trigger.
            shown = (
                row.terlapor.name,
                row.terlapor.position,
                row.terlapor.employee_status,
                row.recommendation.letter_number,
                row.recommendation.violation_type.title,
                row.track,
                row.level,
                row.days_left,
                row.evidence_count,
            )
    assert shown[0] == "Sutrisno Hadi"
    sql = " ".join(query["sql"] for query in queries.captured_queries).lower()
    for column in ("reporter_name", "reporter_nik", "reporter_email", "reporter_phone", "reporter_address"):
        assert column not in sql
    assert "tracking_code" not in sql
    assert "report" not in row.terlapor._state.fields_cache
    assert {"report_id", "name"} & row.terlapor.get_deferred_fields() == set()


@pytest.mark.parametrize("who", ["ppk_sleman", "operator_sleman"])
def test_ppk_inbox_queries_do_not_grow_with_the_rows(cast, organisations, who):
    def count() -> tuple[int, int]:
        user = fresh(cast[who])
        with CaptureQueriesContext(connection) as queries:
            rows = ppk_inbox(user)
            [(row.recommendation.violation_type.code, row.evidence_count, row.days_left) for row in rows]
        return len(rows), len(queries.captured_queries)

    with at(TODAY):
        cases = [awaiting_ppk(cast, organisations, letter_date=date(2024, 4, 1 + i)) for i in range(2)]
        for terlapor in cases:
            link_evidence(terlapor, 2)
        two = count()
        cases += [awaiting_ppk(cast, organisations, letter_date=date(2024, 4, 3 + i)) for i in range(8)]
        for terlapor in cases[2:]:
            link_evidence(terlapor, 1)
        ten = count()
    # The user's scope (membership, then any Satgas rows of the user), the cases, the holidays in the span:
    # four, at 2 rows and at 10.
    assert (two, ten) == ((2, 4), (10, 4))


# ---------------------------------------------------------------- BKN: overdue cases, blocks to lift


def test_overdue_cases_for_bkn_are_national_and_others_see_their_own(cast, organisations):
    with at(TODAY):
        sleman = awaiting_ppk(cast, organisations)
        yogya = awaiting_ppk(cast, organisations, instansi=organisations["pemda_yogya"])
        not_yet = awaiting_ppk(cast, organisations, letter_date=TODAY)
        decided = awaiting_ppk(cast, organisations)
    with at(date(2024, 4, 30)):
        assert sweep_overdue() == 3
        decide(decided, cast["ppk_sleman"])
        record_block(
            yogya,
            actor=cast["wasdal_bkn"],
            blocked_on=date(2024, 4, 30),
            letter_number="B-1",
            letter_date=date(2024, 4, 30),
        )
        national = overdue_cases(fresh(cast["wasdal_bkn"]))
        assert [(case, case.blocked) for case in national] == [(sleman, False), (yogya, True)]
        assert list(overdue_cases(fresh(cast["viewer"]))) == [sleman, yogya]
        assert list(overdue_cases(fresh(cast["ppk_sleman"]))) == [sleman]
        assert list(overdue_cases(fresh(cast["operator_yogya"]))) == [yogya]
        assert not_yet not in national


def test_blocks_to_lift_follow_the_case_visibility(cast, organisations):
    with at(TODAY):
        sleman = awaiting_ppk(cast, organisations)
        yogya = awaiting_ppk(cast, organisations, instansi=organisations["pemda_yogya"])
    with at(date(2024, 4, 30)):
        sweep_overdue()
        bkn = cast["wasdal_bkn"]
        blocks = [
            record_block(
                case,
                actor=bkn,
                blocked_on=date(2024, 4, 30),
                letter_number=f"B-{case.pk}",
                letter_date=date(2024, 4, 30),
            )
            for case in (sleman, yogya)
        ]
        assert list(blocks_to_lift(fresh(bkn))) == []
        decide(sleman, cast["ppk_sleman"], effective_from=date(2024, 5, 1))
        assert list(blocks_to_lift(fresh(bkn))) == [blocks[0]]
        assert list(blocks_to_lift(fresh(cast["ppk_sleman"]))) == [blocks[0]]
        assert list(blocks_to_lift(fresh(cast["operator_yogya"]))) == []
        lift_block(blocks[0], actor=bkn, lifted_on=date(2024, 4, 30), letter_number="L-1")
        assert list(blocks_to_lift(fresh(bkn))) == []


# ---------------------------------------------------------------- compliance


def test_compliance_summary_counts_each_outcome_in_one_query(cast, organisations):
    with at(TODAY):
        on_time, late, ignored, blocked = (awaiting_ppk(cast, organisations) for _ in range(4))
        awaiting_ppk(cast, organisations, letter_date=TODAY)  # still within its deadline: counted nowhere
        decide(on_time, cast["ppk_sleman"])
    with at(date(2024, 4, 30)):
        assert sweep_overdue() == 3
        decide(late, cast["ppk_sleman"], effective_from=date(2024, 5, 1))
        record_block(
            blocked,
            actor=cast["wasdal_bkn"],
            blocked_on=date(2024, 4, 30),
            letter_number="B",
            letter_date=date(2024, 4, 30),
        )
    with CaptureQueriesContext(connection) as queries:
        summary = compliance_summary(Terlapor.objects.all())
    assert summary == {"on_time": 1, "late": 1, "not_followed_up": 2, "blocked": 1}
    assert len(queries.captured_queries) == 1
    assert compliance_summary(Terlapor.objects.filter(pk=ignored.pk)) == {
        "on_time": 0,
        "late": 0,
        "not_followed_up": 1,
        "blocked": 0,
    }
    assert compliance_summary(Terlapor.objects.none()) == {"on_time": 0, "late": 0, "not_followed_up": 0, "blocked": 0}
    assert Terlapor.objects.get(pk=late.pk).case_status == CaseStatus.SANCTIONED
