"""The reminder engine: which messages a day calls for, to whom, from the rules (data) and the registry.

Cases are put in place with their due dates directly (the workflow's own deadlines are walked in
tests/test_reminders_pilkada.py); each test names the day and asserts the exact messages.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import CommandError, call_command

from netralitas import reminders
from netralitas.enums import (
    DeadlineStep,
    ElectionKind,
    ElectionScope,
    EscalationTarget,
    OrganisationKind,
    PhaseKind,
    Role,
)
from netralitas.models import (
    Election,
    ElectionPhase,
    EscalationRoute,
    Notification,
    Organisation,
    RecommendingAuthority,
    Region,
    ReminderDelivery,
    ReminderRule,
)
from netralitas.reminder_sweep import messages_due, sweep_reminders
from reports.enums import CaseStatus, ReportStatus
from reports.models import Report, Terlapor
from tests.factories import ReportFactory, TerlaporFactory
from tests.reminder_walk import at

pytestmark = pytest.mark.django_db


def report(org, status, due, step=DeadlineStep.SATGAS_VERIFICATION, **fields) -> Report:
    created = ReportFactory(intake_organisation=org, **fields)
    Report.objects.filter(pk=created.pk).update(status=status, due_date=due, due_step=step)
    created.refresh_from_db()
    return created


def case(report_, status, due, step, **fields) -> Terlapor:
    created = TerlaporFactory(report=report_)
    Terlapor.objects.filter(pk=created.pk).update(case_status=status, due_date=due, due_step=step, **fields)
    created.refresh_from_db()
    return created


def sent_on(day: date, *, hour: int = 6) -> list[tuple[str, str, str]]:
    """(username or reporter address, kind, subject) of every message the sweep of ``day`` names."""
    with time_machine.travel(at(day, hour), tick=False):
        found = messages_due()
    return sorted(
        (
            m.recipient.email if m.recipient.user_id is None else _username(m.recipient.user_id),
            m.kind,
            m.subject.split(":")[0],
        )
        for m in found
        if m.source in reminders.registered_step_keys()  # the deadline reminders only
    )


def _username(user_id: int) -> str:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=user_id).username


# ---------------------------------------------------------------- offsets, holidays, half-time


def test_verification_is_reminded_three_and_one_working_days_before_on_the_day_and_daily_after(cast, organisations):
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8))  # a Wednesday
    days = {d: sent_on(date(2024, 5, d)) for d in range(2, 15)}
    who = "bawaslu.sleman"
    assert days == {
        2: [],
        3: [(who, "before:3", "reports.verification")],  # Fri: 6, 7, 8 May remain
        4: [],  # Saturday
        5: [],
        6: [],
        7: [(who, "before:1", "reports.verification")],
        8: [(who, "due", "reports.verification")],
        9: [],  # Ascension Day (9 May) and cuti bersama (10 May)
        10: [],
        11: [],
        12: [],
        13: [(who, "overdue:1", "reports.verification")],
        14: [(who, "overdue:2", "reports.verification")],
    }


def test_lebaran_2024_moves_the_reminders_of_a_ppk_deadline_to_the_working_days_before(cast, organisations):
    """Cuti bersama 8, 9, 12, 15 April and Idul Fitri 10–11 April 2024: 16 and 17 April are the last working days."""
    terlapor = case(
        report(organisations["bawaslu_sleman"], ReportStatus.FORWARDED, None),
        CaseStatus.AWAITING_PPK,
        date(2024, 4, 18),
        DeadlineStep.PPK_FOLLOW_UP,
    )
    assert terlapor.instansi == organisations["pemda_sleman"]  # no recommendation row: the instansi's PPK
    days = [date(2024, 3, 28) + timedelta(days=i) for i in range(23)]
    office = ("operator.sleman", "ppk.sleman")
    expected = {day: [] for day in days}
    expected[date(2024, 4, 1)] = [(who, "half", "sanctions.ppk_follow_up") for who in office]  # 7 of 14 left
    expected[date(2024, 4, 5)] = [(who, "before:3", "sanctions.ppk_follow_up") for who in office]
    expected[date(2024, 4, 17)] = [(who, "before:1", "sanctions.ppk_follow_up") for who in office]
    expected[date(2024, 4, 18)] = [(who, "due", "sanctions.ppk_follow_up") for who in office]
    expected[date(2024, 4, 19)] = [(who, "overdue:1", "sanctions.ppk_follow_up") for who in office]
    assert {day: sent_on(day) for day in days} == expected


def test_a_calendar_day_deadline_on_a_sunday_is_due_on_the_friday_before(cast, organisations):
    report(organisations["bawaslu_sleman"], ReportStatus.RECEIVED, date(2024, 5, 19))  # Sunday
    assert sent_on(date(2024, 5, 16)) == [("bawaslu.sleman", "before:1", "reports.verification")]
    assert sent_on(date(2024, 5, 17)) == [("bawaslu.sleman", "due", "reports.verification")]
    assert sent_on(date(2024, 5, 18)) == []
    assert sent_on(date(2024, 5, 20)) == [("bawaslu.sleman", "overdue:1", "reports.verification")]


def test_the_authority_hears_at_half_time_of_its_fourteen_calendar_days(cast, organisations):
    forwarded = report(organisations["bawaslu_sleman"], ReportStatus.FORWARDED, None)
    case(
        forwarded,
        CaseStatus.CLARIFICATION,
        date(2024, 6, 10),
        DeadlineStep.AUTHORITY_ACTION,
        authority=RecommendingAuthority.objects.get(organisation=organisations["bkn"]),
    )
    assert sent_on(date(2024, 5, 31)) == []
    assert sent_on(date(2024, 6, 3)) == [("rekomendasi.bkn", "half", "reports.authority")]  # 7 of 14 days left


# ---------------------------------------------------------------- nothing for what is finished


@pytest.mark.parametrize("status", [ReportStatus.REJECTED, ReportStatus.WITHDRAWN, ReportStatus.CLOSED])
def test_nothing_is_sent_for_a_finished_report_even_with_a_stale_due_date(cast, organisations, status):
    report(organisations["bawaslu_sleman"], status, date(2024, 5, 8))
    assert [sent_on(date(2024, 5, d)) for d in (3, 7, 8, 13)] == [[], [], [], []]


@pytest.mark.parametrize("status", [CaseStatus.NOT_PROVEN, CaseStatus.SANCTIONED, CaseStatus.CANNOT_FOLLOW_UP])
def test_nothing_is_sent_for_a_case_with_an_outcome(cast, organisations, status):
    forwarded = report(organisations["bawaslu_sleman"], ReportStatus.FORWARDED, None)
    case(forwarded, status, date(2024, 5, 8), DeadlineStep.PPK_FOLLOW_UP)
    assert [sent_on(date(2024, 5, d)) for d in (3, 7, 8, 13)] == [[], [], [], []]


def test_inactive_users_memberships_and_organisations_hear_nothing(cast, organisations, make_staff):
    sleman = organisations["bawaslu_sleman"]
    report(sleman, ReportStatus.VERIFYING, date(2024, 5, 8))
    gone = make_staff("bawaslu.pensiun", sleman, Role.BAWASLU)
    gone.is_active = False
    gone.save()
    from netralitas.services import set_membership

    set_membership(make_staff("bawaslu.pindah", sleman, Role.BAWASLU), sleman, Role.BAWASLU, is_active=False)
    assert sent_on(date(2024, 5, 8)) == [("bawaslu.sleman", "due", "reports.verification")]
    Organisation.objects.filter(pk=sleman.pk).update(is_active=False)
    assert sent_on(date(2024, 5, 8)) == []


# ---------------------------------------------------------------- the reporter


def test_the_reporter_hears_of_the_completion_request_before_and_the_staff_after(cast, organisations):
    report(
        organisations["bawaslu_sleman"],
        ReportStatus.NEEDS_COMPLETION,
        date(2024, 5, 8),
        DeadlineStep.REPORTER_COMPLETION,
        reporter_email="siti@example.org",
    )
    report(  # an anonymous report has no address: nobody to remind before
        organisations["bawaslu_sleman"],
        ReportStatus.NEEDS_COMPLETION,
        date(2024, 5, 8),
        DeadlineStep.REPORTER_COMPLETION,
        reporter_email="",
    )
    assert sent_on(date(2024, 5, 7)) == [("siti@example.org", "before:1", "reports.completion")]
    assert sent_on(date(2024, 5, 8)) == [("siti@example.org", "due", "reports.completion")]
    assert sent_on(date(2024, 5, 13)) == [
        ("bawaslu.sleman", "overdue:1", "reports.completion"),
        ("bawaslu.sleman", "overdue:1", "reports.completion"),
    ]


def test_a_reporter_gets_no_reminder_of_any_other_step(cast, organisations):
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8), reporter_email="siti@example.org")
    report(
        organisations["bawaslu_sleman"],
        ReportStatus.KAJIAN,
        date(2024, 5, 8),
        DeadlineStep.BAWASLU_KAJIAN,
        reporter_email="siti@example.org",
    )
    assert all(who != "siti@example.org" for who, *_ in sent_on(date(2024, 5, 8)))


# ---------------------------------------------------------------- rules and routes are data


def test_an_administrator_edits_the_offsets_and_switches_a_step_off(cast, organisations):
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8))
    ReminderRule.objects.filter(step="reports.verification").update(before_days="2", on_due_day=False)
    assert sent_on(date(2024, 5, 6)) == [("bawaslu.sleman", "before:2", "reports.verification")]
    assert sent_on(date(2024, 5, 3)) == sent_on(date(2024, 5, 8)) == []
    ReminderRule.objects.filter(step="reports.verification").update(is_active=False)
    assert sent_on(date(2024, 5, 6)) == sent_on(date(2024, 5, 13)) == []


def test_overdue_every_five_working_days_after_the_first(cast, organisations):
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 2))
    ReminderRule.objects.filter(step="reports.verification").update(overdue_every=5, escalate_after=None)
    overdue = [d for d in range(3, 31) if sent_on(date(2024, 5, d))]
    assert overdue == [3, 14, 21, 30]  # working days 1, 6, 11, 16 after 2 May (9, 10, 23, 24 May are holidays)


def test_escalation_goes_once_to_each_route_of_the_ppk_follow_up(cast, organisations, make_staff, celery_eager):
    ppk_diy = make_staff("ppk.diy", organisations["pemda_diy"], Role.PPK)
    forwarded = report(organisations["bawaslu_sleman"], ReportStatus.FORWARDED, None)
    case(forwarded, CaseStatus.AWAITING_PPK, date(2024, 5, 1), DeadlineStep.PPK_FOLLOW_UP)
    escalations = [m for m in sent_on(date(2024, 5, 8)) if m[1] == "escalation"]
    assert escalations == [
        ("pemantau.kemendagri", "escalation", "sanctions.ppk_follow_up"),
        ("ppk.diy", "escalation", "sanctions.ppk_follow_up"),
        ("wasdal.bkn", "escalation", "sanctions.ppk_follow_up"),
    ]
    with time_machine.travel(at(date(2024, 5, 8)), tick=False):
        sweep_reminders()
    assert Notification.objects.filter(user=ppk_diy, kind="escalation").count() == 1
    # The pemda provinsi may not see the kabupaten's case: no name, the dashboard instead of the case.
    note = Notification.objects.get(user=ppk_diy, kind="escalation")
    assert "Terlapor" not in note.title and note.url == "/dasbor/"
    assert "Pemerintah Kabupaten Sleman" in note.title
    assert [m for m in sent_on(date(2024, 5, 13)) if m[1] == "escalation"] == []


def test_an_escalation_route_is_data(cast, organisations):
    forwarded = report(organisations["bawaslu_sleman"], ReportStatus.FORWARDED, None)
    case(forwarded, CaseStatus.AWAITING_PPK, date(2024, 5, 1), DeadlineStep.PPK_FOLLOW_UP)
    rule = ReminderRule.objects.get(step="sanctions.ppk_follow_up")
    rule.routes.all().delete()
    EscalationRoute.objects.create(
        rule=rule,
        target=EscalationTarget.KIND,
        target_kind=OrganisationKind.KEMENPANRB,
        role=Role.ADMIN,
        legal_basis="Uji",
    )
    ReminderRule.objects.filter(pk=rule.pk).update(escalate_after=2)
    assert [m for m in sent_on(date(2024, 5, 3)) if m[1] == "escalation"] == [
        ("admin.portal", "escalation", "sanctions.ppk_follow_up")
    ]


def test_a_rule_for_an_unknown_step_is_refused_in_clean():
    rule = ReminderRule(step="taskforce.tidak_ada", legal_basis="-")
    with pytest.raises(Exception) as refused:
        rule.full_clean()
    assert "taskforce.tidak_ada" in str(refused.value)


# ---------------------------------------------------------------- campaign: tighter, and only in its regions


def test_tighter_offsets_apply_where_a_campaign_runs_and_only_there(cast, organisations):
    sleman = Region.objects.get(name="Kabupaten Sleman")
    election = Election.objects.create(
        name="Pilkada Ulang Sleman", kind=ElectionKind.PILKADA, scope=ElectionScope.REGIONAL
    )
    election.regions.set([sleman])
    for kind, start, end in (
        (PhaseKind.PENETAPAN, date(2024, 4, 22), date(2024, 4, 22)),
        (PhaseKind.KAMPANYE, date(2024, 5, 1), date(2024, 5, 20)),
        (PhaseKind.MASA_TENANG, date(2024, 5, 21), date(2024, 5, 23)),
        (PhaseKind.PEMUNGUTAN, date(2024, 5, 24), date(2024, 5, 24)),
    ):
        ElectionPhase.objects.create(election=election, kind=kind, start=start, end=end)
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8))
    report(
        organisations["bawaslu_yogya"],
        ReportStatus.VERIFYING,
        date(2024, 5, 8),
        region=Region.objects.get(name="Kota Yogyakarta"),
    )
    from django.contrib.auth import get_user_model

    from netralitas.services import set_membership

    yogya = get_user_model().objects.create_user("bawaslu.yogya")
    set_membership(yogya, organisations["bawaslu_yogya"], Role.BAWASLU)
    assert sent_on(date(2024, 5, 6)) == [("bawaslu.sleman", "before:2", "reports.verification")]
    assert sent_on(date(2024, 5, 3)) == [
        ("bawaslu.sleman", "before:3", "reports.verification"),
        ("bawaslu.yogya", "before:3", "reports.verification"),
    ]


# ---------------------------------------------------------------- the registration API (taskforce's hook)


def test_a_step_registered_later_reminds_its_users_and_escalates_to_its_supervisor(cast, organisations):
    """What taskforce will register for Satgas assignments: explicit users, the ketua as supervisor."""
    member, ketua = cast["satgas_sleman"], cast["operator_sleman"]
    item = reminders.DueItem(
        subject="taskforce.assignment:7",
        due_date=date(2024, 5, 2),
        title="Penugasan verifikasi lapangan",
        url="/satgas/",
        user_ids=(member.pk,),
        organisation_ids=(organisations["pemda_sleman"].pk,),
    )

    def due(query: reminders.DueQuery):
        in_range = any(low <= item.due_date < high for low, high in query.ranges)
        overdue = query.overdue_before is not None and item.due_date < query.overdue_before
        return [item] if in_range or overdue else []

    saved = reminders.snapshot()
    # Stand in for taskforce's own step and filter (tests/taskforce/test_reminders.py tests those).
    steps = {key: step for key, step in saved.steps.items() if key != "taskforce.assignment"}
    reminders.restore(replace(saved, steps=steps, filters=[]))
    try:
        reminders.register_step(
            reminders.Step(
                key="taskforce.assignment",
                title="Penugasan Satgas",
                order=70,
                due=due,
                recheck=lambda subject: item,
                supervisors=lambda found: [ketua.pk],
            )
        )
        # 2 May due; 3 May overdue:1; 6 May overdue:2 and the escalation (after 2 working days) to the ketua.
        assert sent_on(date(2024, 5, 6)) == [
            ("operator.sleman", "escalation", "taskforce.assignment"),
            ("satgas.sleman", "overdue:2", "taskforce.assignment"),
        ]
        # A member outside their period of appointment (taskforce's recipient filter) hears nothing.
        reminders.register_recipient_filter(lambda recipients, on: [r for r in recipients if r.user_id != member.pk])
        assert sent_on(date(2024, 5, 6)) == [("operator.sleman", "escalation", "taskforce.assignment")]
    finally:
        reminders.restore(saved)


# ---------------------------------------------------------------- the sweep and the command


def test_a_second_sweep_the_same_day_enqueues_nothing(cast, organisations, celery_eager):
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8))
    with time_machine.travel(at(date(2024, 5, 8)), tick=False):
        first = sweep_reminders()
        again = sweep_reminders()
    assert [(m.kind, m.subject.split(":")[0]) for m in first] == [("due", "reports.verification")]
    assert again == []
    assert ReminderDelivery.objects.count() == Notification.objects.count() == 1


def test_send_reminders_dry_run_prints_and_sends_nothing(cast, organisations, capsys):
    created = report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8))
    call_command("send_reminders", "--now", "2024-05-08T06:00", "--dry-run")
    out = capsys.readouterr().out.splitlines()
    user = cast["bawaslu_sleman"].pk
    assert out == [
        f"2024-05-08\tdue\treports.verification:{created.pk}\tuser:{user}\tlangsung\t{created.tracking_code} · "
        "Kabupaten Sleman",
        "1 pesan akan dikirim untuk 2024-05-08 (uji coba, tidak ada yang dikirim).",
    ]
    assert ReminderDelivery.objects.count() == Notification.objects.count() == 0


def test_send_reminders_sends_once(cast, organisations, celery_eager, capsys):
    report(organisations["bawaslu_sleman"], ReportStatus.VERIFYING, date(2024, 5, 8))
    call_command("send_reminders", "--now", "2024-05-08T06:00")
    call_command("send_reminders", "--now", "2024-05-08T07:00")
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == [
        "1 pesan untuk 2024-05-08 diantrekan dalam 1 tugas.",
        "0 pesan untuk 2024-05-08 diantrekan dalam 0 tugas.",
    ]
    assert Notification.objects.filter(user=cast["bawaslu_sleman"]).count() == 1


def test_send_reminders_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--now harus berupa tanggal-waktu ISO"):
        call_command("send_reminders", "--now", "besok")


def test_an_administrator_edits_a_rule_and_its_routes_in_the_admin(cast):
    from django.test import Client

    rule = ReminderRule.objects.get(step="sanctions.ppk_follow_up")
    admin = Client()
    admin.force_login(cast["admin"])
    listing = admin.get("/admin/netralitas/reminderrule/").content.decode()
    assert listing.count('<th class="field-step">') == ReminderRule.objects.count() == 7
    page = admin.get(f"/admin/netralitas/reminderrule/{rule.pk}/change/")
    assert page.status_code == 200 and "UU 23/2014 Pasal 91" in page.content.decode()
    staff = Client()
    staff.force_login(cast["ppk_sleman"])
    assert staff.get(f"/admin/netralitas/reminderrule/{rule.pk}/change/").status_code == 200  # read only
    assert staff.get("/admin/netralitas/reminderdelivery/").status_code == 403


def test_the_sweeps_queries_do_not_grow_with_open_cases_nor_with_due_ones(cast, organisations):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> tuple[int, int]:
        with time_machine.travel(at(date(2024, 5, 8), 6), tick=False), CaptureQueriesContext(connection) as seen:
            found = messages_due()
        return len(seen.captured_queries), len(found)

    sleman = organisations["bawaslu_sleman"]
    for _ in range(3):
        report(sleman, ReportStatus.VERIFYING, date(2024, 5, 8))
        report(sleman, ReportStatus.VERIFYING, date(2024, 7, 1))
    few, messages = queries()
    assert messages == 3
    for _ in range(30):
        report(sleman, ReportStatus.VERIFYING, date(2024, 7, 1))  # open, not due: not even read
    assert queries() == (few, 3)
    for _ in range(20):
        report(sleman, ReportStatus.VERIFYING, date(2024, 5, 8))  # due: more messages, not more queries
    assert queries() == (few, 23)
