"""reports.workflow: every edge for the roles that may take it and no other, races, deadlines, closing.

Each edge of TRANSITIONS and CASE_TRANSITIONS is walked for every member of
the cast: those whose role carries the edge's permission move the report (or
case), everyone else is refused and leaves it as it was.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection

from netralitas.enums import DeadlineStep, Role
from reports import assessment
from reports.enums import CASE_OUTCOMES, CaseStatus, EventKind, ReportStatus
from reports.models import CaseEvent, Report, ReportEvent, Terlapor
from reports.workflow import (
    CASE_DEADLINES,
    CASE_TRANSITIONS,
    REPORT_DEADLINES,
    REPORTER,
    SYSTEM,
    TRANSITIONS,
    StaleReport,
    TransitionNotAllowed,
    allowed_case_transitions,
    allowed_transitions,
    close_report_if_done,
    deadline_fields,
    deadline_on_receipt,
    transition_case,
    transition_report,
)
from tests.conftest import NEEDS_POSTGRES
from tests.factories import KajianFactory, ReportFactory, TerlaporFactory

JAKARTA = ZoneInfo("Asia/Jakarta")
R, C = ReportStatus, CaseStatus

# Wednesday 16 October 2024: no holiday in the fortnight around it.
TODAY = date(2024, 10, 16)
STARTED = TODAY - timedelta(days=1)  # the step each report or case is in began yesterday


def at(day: date, hour: int = 10):
    """Travel to ``day`` at ``hour`` o'clock in Jakarta, clock frozen."""
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA), tick=False)


@pytest.fixture
def today():
    with at(TODAY):
        yield TODAY


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("super", "super@example.org", "kata-sandi-uji-123")


# Who carries each permission the tables name (netralitas.permissions.ROLE_PERMISSIONS), written out.
VERIFIERS = frozenset({Role.OPERATOR, Role.SATGAS, Role.BAWASLU})
HOLDERS: dict[str, frozenset[str]] = {
    "reports.verify_report": VERIFIERS,
    "reports.reject_report": VERIFIERS,
    "reports.register_report": VERIFIERS,
    "reports.assess_report": frozenset({Role.BAWASLU}),
    "reports.forward_report": frozenset({Role.BAWASLU}),
    "reports.issue_recommendation": frozenset({Role.AUTHORITY}),
    "reports.close_case": frozenset({Role.AUTHORITY}),
    "reports.cancel_case": frozenset({Role.AUTHORITY}),
    "sanctions.record_decision": frozenset({Role.PPK, Role.OPERATOR}),  # the PPK and its BKPSDM office
}

REPORT_EDGES = [(frm, to, who) for frm, targets in TRANSITIONS.items() for to, who in targets.items()]
CASE_EDGES = [(frm, to, who) for frm, targets in CASE_TRANSITIONS.items() for to, who in targets.items()]
STAFF_REPORT_EDGES = [edge for edge in REPORT_EDGES if edge[2] not in (REPORTER, SYSTEM)]
REPORTER_EDGES = [edge for edge in REPORT_EDGES if edge[2] == REPORTER]
STAFF_CASE_EDGES = [edge for edge in CASE_EDGES if edge[2] != SYSTEM]
FORBIDDEN_REPORT_EDGES = [
    (frm, to) for frm in R.values for to in R.values if to not in TRANSITIONS.get(frm, {})
]  # fmt: skip
FORBIDDEN_CASE_EDGES = [(frm, to) for frm in C.values for to in C.values if to not in CASE_TRANSITIONS.get(frm, {})]

# What each edge taken on TODAY leaves as (due_date, due_step, paused_days_left), the step having begun on STARTED.
EXPECTED_REPORT_DEADLINE = {
    # Verification runs 7 calendar days from receipt (15 Oct): starting it does not restart the clock.
    (R.RECEIVED, R.VERIFYING): (date(2024, 10, 22), DeadlineStep.SATGAS_VERIFICATION, None),
    (R.RECEIVED, R.REJECTED): (None, "", None),
    (R.RECEIVED, R.WITHDRAWN): (None, "", None),
    # The reporter gets 3 calendar days; the 6 days verification had left wait.
    (R.VERIFYING, R.NEEDS_COMPLETION): (date(2024, 10, 19), DeadlineStep.REPORTER_COMPLETION, 6),
    (R.VERIFYING, R.REJECTED): (None, "", None),
    # Kajian: 3 working days from Wednesday 16 Oct = Thu 17, Fri 18, Mon 21.
    (R.VERIFYING, R.REGISTERED): (date(2024, 10, 21), DeadlineStep.BAWASLU_KAJIAN, None),
    (R.VERIFYING, R.WITHDRAWN): (None, "", None),
    # Back from the reporter: the 4 days verification had left resume.
    (R.NEEDS_COMPLETION, R.VERIFYING): (date(2024, 10, 20), DeadlineStep.SATGAS_VERIFICATION, None),
    (R.NEEDS_COMPLETION, R.REJECTED): (None, "", None),
    (R.NEEDS_COMPLETION, R.WITHDRAWN): (None, "", None),
    # The kajian clock began at registration (Tue 15 Oct: Wed, Thu, Fri) and goes on.
    (R.REGISTERED, R.KAJIAN): (date(2024, 10, 18), DeadlineStep.BAWASLU_KAJIAN, None),
    (R.KAJIAN, R.FORWARDED): (None, "", None),
    (R.KAJIAN, R.REJECTED): (None, "", None),
    (R.FORWARDED, R.CLOSED): (None, "", None),
}
EXPECTED_CASE_DEADLINE = {
    (C.PENDING, C.CLARIFICATION): (date(2024, 10, 30), DeadlineStep.AUTHORITY_ACTION),  # 14 calendar days
    (C.CLARIFICATION, C.NOT_PROVEN): (None, ""),
    (C.CLARIFICATION, C.RECOMMENDED): (date(2024, 10, 30), DeadlineStep.AUTHORITY_ACTION),
    (C.CLARIFICATION, C.CANNOT_FOLLOW_UP): (None, ""),
    # 14 working days from Wed 16 Oct: 17–18, 21–25, 28–31 Oct, 1, 4, 5 Nov.
    (C.RECOMMENDED, C.AWAITING_PPK): (date(2024, 11, 5), DeadlineStep.PPK_FOLLOW_UP),
    (C.RECOMMENDED, C.CANNOT_FOLLOW_UP): (None, ""),
    (C.AWAITING_PPK, C.SANCTIONED): (None, ""),
    (C.AWAITING_PPK, C.CANNOT_FOLLOW_UP): (None, ""),
    (C.SANCTIONED, C.DONE): (None, ""),
    (C.PENDING, C.CANCELLED): (None, ""),
    (C.CLARIFICATION, C.CANCELLED): (None, ""),
    (C.RECOMMENDED, C.CANCELLED): (None, ""),
    (C.AWAITING_PPK, C.CANCELLED): (None, ""),
}
REASONS = {
    R.REJECTED: {"public_message": "Kejadian di luar lingkup netralitas ASN."},
    R.NEEDS_COMPLETION: {"public_message": "Lampirkan foto kegiatan."},
}


def _edge_id(edge) -> str:
    return f"{edge[0]}->{edge[1]}"


def report_in(status: str, **overrides) -> Report:
    """A report in ``status`` whose step began on STARTED (a paused verification has 4 days left)."""
    fields = deadline_fields(REPORT_DEADLINES[status], STARTED)
    paused = 4 if status == R.NEEDS_COMPLETION else None
    report = ReportFactory(status=status, paused_days_left=paused, **fields, **overrides)
    TerlaporFactory(report=report)
    return report


def case_in(status: str) -> Terlapor:
    """A case in ``status`` of a forwarded report that has a second, still open case (so it stays forwarded)."""
    report = ReportFactory(status=R.FORWARDED)
    TerlaporFactory(report=report, case_status=C.CLARIFICATION)
    step = CASE_DEADLINES.get(status)
    return TerlaporFactory(report=report, case_status=status, **deadline_fields(step, STARTED))


def report_row(report: Report) -> tuple:
    return (
        *Report.objects.filter(pk=report.pk)
        .values_list("status", "due_date", "due_step", "due_explanation", "paused_days_left")
        .get(),
        ReportEvent.objects.filter(report=report).count(),
    )


def case_row(terlapor: Terlapor) -> tuple:
    return (
        *Terlapor.objects.filter(pk=terlapor.pk)
        .values_list("case_status", "due_date", "due_step", "due_explanation")
        .get(),
        CaseEvent.objects.filter(terlapor=terlapor).count(),
    )


def test_every_permission_the_tables_name_is_listed_with_its_holders():
    named = {who for _f, _t, who in REPORT_EDGES + CASE_EDGES if who not in (REPORTER, SYSTEM)}
    assert named == set(HOLDERS)
    assert set(EXPECTED_REPORT_DEADLINE) == {(f, t) for f, t, _w in REPORT_EDGES}
    assert set(EXPECTED_CASE_DEADLINE) == {(f, t) for f, t, _w in CASE_EDGES}


def test_the_cast_holds_exactly_the_listed_permissions(cast):
    for name, user in cast.items():
        held = {perm for perm in HOLDERS if user.has_perm(perm)}
        assert held == {perm for perm, roles in HOLDERS.items() if user.membership.role in roles}, name


# ---------------------------------------------------------------- report edges


@pytest.mark.parametrize("edge", STAFF_REPORT_EDGES, ids=_edge_id)
def test_staff_report_edge_moves_for_its_roles_and_refuses_every_other(cast, superuser, today, edge):
    frm, to, permission = edge
    winners = []
    for name, user in [*cast.items(), ("superuser", superuser)]:
        report = report_in(frm)
        before = report_row(report)
        may = user.is_superuser or user.membership.role in HOLDERS[permission]
        assert (to in allowed_transitions(report, actor=user)) == may, name
        if not may:
            with pytest.raises(TransitionNotAllowed):
                transition_report(report, to, actor=user, **REASONS.get(to, {}))
            assert report_row(report) == before, name
            continue
        winners.append(name)
        event = transition_report(report, to, actor=user, **REASONS.get(to, {}))
        status, due_date, due_step, explanation, paused, events = report_row(report)
        assert status == to, name
        assert (due_date, due_step, paused) == EXPECTED_REPORT_DEADLINE[(frm, to)], name
        assert bool(explanation) == bool(due_step), name
        assert (due_step or None) == (REPORT_DEADLINES[to] or None), name
        assert events == 1, name
        stored = ReportEvent.objects.get(report=report)
        assert (stored.pk, stored.actor, stored.from_status, stored.to_status) == (event.pk, user, frm, to), name
    assert set(winners) - {"superuser"} == {n for n, u in cast.items() if u.membership.role in HOLDERS[permission]}
    assert winners, "somebody may take every staff edge"


@pytest.mark.parametrize("edge", STAFF_REPORT_EDGES, ids=_edge_id)
def test_the_reporter_cannot_take_a_staff_edge(reference_data, edge):
    frm, to, _who = edge
    report = report_in(frm)
    before = report_row(report)
    assert to not in allowed_transitions(report, actor=None)
    with pytest.raises(TransitionNotAllowed):
        transition_report(report, to, actor=None, **REASONS.get(to, {}))
    assert report_row(report) == before


@pytest.mark.parametrize("edge", REPORTER_EDGES, ids=_edge_id)
def test_reporter_edge_moves_for_the_reporter_and_refuses_all_staff(cast, superuser, today, edge):
    frm, to, _who = edge
    for name, user in [*cast.items(), ("superuser", superuser)]:
        report = report_in(frm)
        before = report_row(report)
        assert to not in allowed_transitions(report, actor=user), name
        with pytest.raises(TransitionNotAllowed):
            transition_report(report, to, actor=user)
        assert report_row(report) == before, name
    report = report_in(frm)
    assert to in allowed_transitions(report, actor=None)
    transition_report(
        report, to, actor=None, kind=EventKind.WITHDRAWN if to == R.WITHDRAWN else EventKind.REPORTER_ADDED
    )
    status, due_date, due_step, _explanation, paused, events = report_row(report)
    assert (status, due_date, due_step, paused, events) == (to, *EXPECTED_REPORT_DEADLINE[(frm, to)], 1)
    assert ReportEvent.objects.filter(report=report).values_list("actor", "from_status", "to_status").get() == (
        None,
        frm,
        to,
    )


def test_the_system_edge_is_taken_only_by_close_report_if_done(cast, superuser, today):
    report = report_in(R.FORWARDED)
    Terlapor.objects.filter(report=report).update(case_status=C.NOT_PROVEN)
    before = report_row(report)
    for name, user in [*cast.items(), ("superuser", superuser), ("reporter", None)]:
        assert allowed_transitions(report, actor=user) == [], name
        with pytest.raises(TransitionNotAllowed):
            transition_report(report, R.CLOSED, actor=user)
        assert report_row(report) == before, name
    with pytest.raises(TransitionNotAllowed):  # the system flag does not open a staff edge either
        transition_report(report_in(R.KAJIAN), R.FORWARDED, actor=superuser, system=True)
    assert close_report_if_done(report.pk) is True
    assert report_row(report)[0::5] == (R.CLOSED, 1)
    event = ReportEvent.objects.get(report=report)
    assert (event.actor, event.from_status, event.to_status, event.note) == (
        None,
        R.FORWARDED,
        R.CLOSED,
        "Semua terlapor telah mencapai hasil akhir.",
    )


@pytest.mark.parametrize("edge", FORBIDDEN_REPORT_EDGES, ids=_edge_id)
def test_a_report_move_outside_the_table_is_refused_to_everyone(reference_data, superuser, edge):
    frm, to = edge
    report = report_in(frm)
    before = report_row(report)
    for actor, system in ((superuser, False), (None, False), (None, True)):
        with pytest.raises(TransitionNotAllowed):
            transition_report(report, to, actor=actor, system=system, **REASONS.get(to, {}))
    assert report_row(report) == before


# ---------------------------------------------------------------- case edges


@pytest.mark.parametrize("edge", STAFF_CASE_EDGES, ids=_edge_id)
def test_case_edge_moves_for_its_roles_and_refuses_every_other(cast, superuser, today, edge):
    frm, to, permission = edge
    winners = []
    for name, user in [*cast.items(), ("superuser", superuser)]:
        terlapor = case_in(frm)
        before = case_row(terlapor)
        may = user.is_superuser or user.membership.role in HOLDERS[permission]
        assert (to in allowed_case_transitions(terlapor, actor=user)) == may, name
        if not may:
            with pytest.raises(TransitionNotAllowed):
                transition_case(terlapor, to, actor=user)
            assert case_row(terlapor) == before, name
            continue
        winners.append(name)
        event = transition_case(terlapor, to, actor=user, note="uji")
        status, due_date, due_step, explanation, events = case_row(terlapor)
        assert (status, due_date, due_step, events) == (to, *EXPECTED_CASE_DEADLINE[(frm, to)], 1), name
        assert (due_step or None) == (CASE_DEADLINES[to] or None) and bool(explanation) == bool(due_step), name
        stored = CaseEvent.objects.get(terlapor=terlapor)
        assert (stored.pk, stored.actor, stored.from_status, stored.to_status, stored.note) == (
            event.pk,
            user,
            frm,
            to,
            "uji",
        ), name
        # The other case is still open: the report stays forwarded.
        assert Report.objects.get(pk=terlapor.report_id).status == R.FORWARDED, name
    assert set(winners) == {n for n, u in cast.items() if u.membership.role in HOLDERS[permission]} | {"superuser"}


def test_only_the_system_closes_a_sanctioned_case_as_done(cast, superuser, today):
    terlapor = case_in(C.SANCTIONED)
    before = case_row(terlapor)
    for name, user in [*cast.items(), ("superuser", superuser), ("nobody", None)]:
        assert C.DONE not in allowed_case_transitions(terlapor, actor=user), name
        with pytest.raises(TransitionNotAllowed):
            transition_case(terlapor, C.DONE, actor=user)
        assert case_row(terlapor) == before, name
    with pytest.raises(TransitionNotAllowed):  # the system flag does not open a staff edge
        transition_case(case_in(C.CLARIFICATION), C.NOT_PROVEN, actor=None, system=True)
    event = transition_case(terlapor, C.DONE, actor=None, system=True, note="Masa hukuman berakhir.")
    assert (event.actor, event.from_status, event.to_status) == (None, C.SANCTIONED, C.DONE)
    assert case_row(terlapor)[0::4] == (C.DONE, 1)


@pytest.mark.parametrize("edge", FORBIDDEN_CASE_EDGES, ids=_edge_id)
def test_a_case_move_outside_the_table_is_refused_to_everyone(reference_data, superuser, edge):
    frm, to = edge
    terlapor = case_in(frm)
    before = case_row(terlapor)
    for actor in (superuser, None):
        with pytest.raises(TransitionNotAllowed):
            transition_case(terlapor, to, actor=actor)
    assert case_row(terlapor) == before


def test_a_stale_case_loses(cast):
    terlapor = case_in(C.CLARIFICATION)
    stale = Terlapor.objects.get(pk=terlapor.pk)
    transition_case(terlapor, C.NOT_PROVEN, actor=cast["authority_bkn"])
    with pytest.raises(StaleReport):
        transition_case(stale, C.CANNOT_FOLLOW_UP, actor=cast["authority_bkn"])
    assert case_row(terlapor)[0::4] == (C.NOT_PROVEN, 1)


# ---------------------------------------------------------------- closing


def test_the_report_closes_when_the_last_case_reaches_an_outcome_and_not_before(cast, today):
    authority = cast["authority_bkn"]
    report = ReportFactory(status=R.FORWARDED)
    first, second, third = (TerlaporFactory(report=report, case_status=C.CLARIFICATION) for _ in range(3))
    transition_case(first, C.NOT_PROVEN, actor=authority)
    transition_case(second, C.RECOMMENDED, actor=authority)
    transition_case(second, C.AWAITING_PPK, actor=authority)  # awaiting the PPK is not an outcome
    assert close_report_if_done(report.pk) is False
    transition_case(third, C.CANNOT_FOLLOW_UP, actor=authority)
    assert Report.objects.get(pk=report.pk).status == R.FORWARDED
    transition_case(second, C.CANNOT_FOLLOW_UP, actor=cast["ppk_sleman"])  # at the PPK, its office records it
    report.refresh_from_db()
    assert (report.status, report.due_date, report.due_step) == (R.CLOSED, None, "")
    assert list(report.events.values_list("from_status", "to_status", "actor")) == [(R.FORWARDED, R.CLOSED, None)]
    assert close_report_if_done(report.pk) is False  # already closed: nothing more


def test_only_forwarded_reports_close(reference_data):
    report = report_in(R.KAJIAN)
    Terlapor.objects.filter(report=report).update(case_status=C.NOT_PROVEN)
    assert close_report_if_done(report.pk) is False
    assert report_row(report)[0] == R.KAJIAN
    assert {C.NOT_PROVEN, C.SANCTIONED, C.DONE, C.CANNOT_FOLLOW_UP, C.CANCELLED} == CASE_OUTCOMES


# ---------------------------------------------------------------- concurrency (PostgreSQL row locks)


def _race(target, args_for_each: list[tuple]) -> list[str]:
    """Run ``target(*args)`` in one thread per args, all released together; 'won', 'stale' or the error."""
    barrier = threading.Barrier(len(args_for_each))
    outcomes: list[str] = []

    def worker(*args):
        try:
            prepared = target(*args)
            barrier.wait(timeout=10)
            prepared()
            outcomes.append("won")
        except StaleReport:
            outcomes.append("stale")
        except Exception as exc:  # noqa: BLE001 - reported in the assertion
            outcomes.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=args) for args in args_for_each]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


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
class TestConcurrentTransitions:
    def test_two_concurrent_report_transitions_exactly_one_wins(self, cast):
        report = report_in(R.RECEIVED)
        User = get_user_model()

        def prepare(user_id: int, to: str):
            # Each thread reads the report and its user on its own connection before the race starts.
            user, mine = User.objects.get(pk=user_id), Report.objects.get(pk=report.pk)
            return lambda: transition_report(mine, to, actor=user, **REASONS.get(to, {}))

        outcomes = _race(prepare, [(cast["operator_sleman"].pk, R.VERIFYING), (cast["satgas_sleman"].pk, R.REJECTED)])
        assert outcomes == ["stale", "won"]
        event = ReportEvent.objects.get(report=report)
        assert Report.objects.get(pk=report.pk).status == event.to_status
        assert event.to_status in (R.VERIFYING, R.REJECTED)

    def test_two_concurrent_case_transitions_exactly_one_wins(self, cast):
        terlapor = case_in(C.CLARIFICATION)
        User = get_user_model()
        authority = cast["authority_bkn"]

        def prepare(to: str):
            user, mine = User.objects.get(pk=authority.pk), Terlapor.objects.get(pk=terlapor.pk)
            return lambda: transition_case(mine, to, actor=user)

        outcomes = _race(prepare, [(C.NOT_PROVEN,), (C.CANNOT_FOLLOW_UP,)])
        assert outcomes == ["stale", "won"]
        event = CaseEvent.objects.get(terlapor=terlapor)
        assert Terlapor.objects.get(pk=terlapor.pk).case_status == event.to_status
        assert event.to_status in (C.NOT_PROVEN, C.CANNOT_FOLLOW_UP)


# ---------------------------------------------------------------- deadlines with exact dates


def test_verification_is_due_seven_calendar_days_from_receipt_whoever_starts_it(cast):
    fields = deadline_on_receipt(date(2024, 10, 4))
    assert fields == {
        "due_date": date(2024, 10, 11),
        "due_step": DeadlineStep.SATGAS_VERIFICATION,
        "due_explanation": "7 hari kalender sejak 4 Oktober 2024; jatuh tempo 11 Oktober 2024.",
    }
    report = ReportFactory(**fields)
    with at(date(2024, 10, 9)):
        transition_report(report, R.VERIFYING, actor=cast["operator_sleman"])
    report.refresh_from_db()
    assert (report.due_date, report.due_explanation) == (date(2024, 10, 11), fields["due_explanation"])


def test_kajian_takes_three_working_days_across_a_weekend(cast):
    report = report_in(R.VERIFYING)
    with at(date(2024, 10, 4)):  # a Friday
        transition_report(report, R.REGISTERED, actor=cast["bawaslu_sleman"])
        transition_report(report, R.KAJIAN, actor=cast["bawaslu_sleman"])
    report.refresh_from_db()
    assert (report.due_date, report.due_step) == (date(2024, 10, 9), DeadlineStep.BAWASLU_KAJIAN)
    assert report.due_explanation == (
        "3 hari kerja sejak 4 Oktober 2024; dilewati: 5 Okt (Sabtu), 6 Okt (Minggu); jatuh tempo 9 Oktober 2024."
    )


def test_kajian_begun_after_the_weekend_keeps_the_clock_started_at_registration(cast):
    report = report_in(R.VERIFYING)
    with at(date(2024, 10, 4)):
        transition_report(report, R.REGISTERED, actor=cast["bawaslu_sleman"])
    with at(date(2024, 10, 7)):
        transition_report(report, R.KAJIAN, actor=cast["bawaslu_sleman"])
    report.refresh_from_db()
    assert report.due_date == date(2024, 10, 9)


def test_kajian_across_lebaran_2024_skips_cuti_bersama_and_idul_fitri(cast):
    report = report_in(R.VERIFYING)
    with at(date(2024, 4, 5)):  # the Friday before Lebaran
        transition_report(report, R.REGISTERED, actor=cast["bawaslu_sleman"])
    report.refresh_from_db()
    # 6–7 weekend; 8, 9, 12, 15 cuti bersama; 10–11 Idul Fitri; 13–14 weekend; then 16, 17, 18 April.
    assert report.due_date == date(2024, 4, 18)
    assert report.due_explanation == (
        "3 hari kerja sejak 5 April 2024; dilewati: 6 Apr (Sabtu), 7 Apr (Minggu), "
        "8 Apr (Cuti Bersama Hari Raya Idul Fitri), 9 Apr (Cuti Bersama Hari Raya Idul Fitri), "
        "10 Apr (Hari Raya Idul Fitri), 11 Apr (Hari kedua dari Hari Raya Idul Fitri), "
        "12 Apr (Cuti Bersama Hari Raya Idul Fitri), 13 Apr (Sabtu), 14 Apr (Minggu), "
        "15 Apr (Cuti Bersama Hari Raya Idul Fitri); jatuh tempo 18 April 2024."
    )


def test_ppk_follow_up_is_due_fourteen_working_days_after_the_letter(cast):
    terlapor = case_in(C.RECOMMENDED)
    transition_case(terlapor, C.AWAITING_PPK, actor=cast["authority_bkn"], start=date(2024, 4, 1))
    terlapor.refresh_from_db()
    assert (terlapor.due_date, terlapor.due_step) == (date(2024, 4, 29), DeadlineStep.PPK_FOLLOW_UP)
    assert terlapor.due_explanation.startswith("14 hari kerja sejak 1 April 2024; dilewati: 6 Apr (Sabtu)")
    assert terlapor.due_explanation.endswith("27 Apr (Sabtu), 28 Apr (Minggu); jatuh tempo 29 April 2024.")


def test_the_verification_clock_pauses_for_the_reporter_and_resumes_with_what_it_had_left(cast):
    operator = cast["operator_sleman"]
    report = ReportFactory(**deadline_on_receipt(date(2024, 10, 7)))  # due Monday 14 October
    with at(date(2024, 10, 7)):
        transition_report(report, R.VERIFYING, actor=operator)
    with at(date(2024, 10, 10)):
        transition_report(report, R.NEEDS_COMPLETION, actor=operator, public_message="Lampirkan foto.")
    report.refresh_from_db()
    assert (report.due_date, report.due_step, report.paused_days_left) == (
        date(2024, 10, 13),  # the reporter has 3 calendar days
        DeadlineStep.REPORTER_COMPLETION,
        4,  # 10 → 14 October
    )
    with at(date(2024, 10, 20)):  # the reporter answers late; the clock resumes from today
        transition_report(report, R.VERIFYING, actor=None, kind=EventKind.REPORTER_ADDED)
    report.refresh_from_db()
    assert (report.due_date, report.due_step, report.paused_days_left) == (
        date(2024, 10, 24),
        DeadlineStep.SATGAS_VERIFICATION,
        None,
    )
    assert report.due_explanation == (
        "Verifikasi dilanjutkan 20 Oktober 2024 setelah pelapor melengkapi: sisa 4 hari kalender, "
        "jatuh tempo 24 Oktober 2024."
    )


# ---------------------------------------------------------------- the recommending authority in force


@pytest.mark.parametrize(
    ("day", "code"),
    [(date(2024, 9, 3), "kasn"), (date(2024, 9, 4), "bkn")],
)
def test_forwarding_goes_to_the_authority_in_force_that_day_and_the_case_keeps_it(cast, day, code):
    bawaslu = cast["bawaslu_sleman"]
    report = report_in(
        R.KAJIAN,
        intake_organisation=bawaslu.membership.organisation,
        received_at=datetime(2024, 8, 26, 2, 0, tzinfo=UTC),
    )
    TerlaporFactory(report=report)
    KajianFactory(report=report, recorded_by=bawaslu)
    with at(day):
        assessment.forward_report(report, actor=bawaslu)
    cases = list(Terlapor.objects.filter(report=report).select_related("authority__organisation"))
    assert [t.authority.organisation.code for t in cases] == [code, code]
    assert [(t.case_status, t.due_date) for t in cases] == [(C.CLARIFICATION, day + timedelta(days=14))] * 2
    with at(date(2024, 9, 20)):  # long after the switch: the case keeps the body it was forwarded to
        transition_case(cases[0], C.RECOMMENDED, actor=cast["authority_bkn"])
    assert Terlapor.objects.get(pk=cases[0].pk).authority.organisation.code == code
