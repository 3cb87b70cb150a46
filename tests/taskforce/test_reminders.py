"""The Satgas's reminder step: the assigned member hears of the deadline, the ketua of the overdue assignment,
and a member outside their period or on leave hears of nothing (taskforce/reminders.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from reports.enums import ReportStatus
from reports.models import Report
from taskforce.assignments import assign_team
from taskforce.models import SatgasLeave
from tests.factories import ReportFactory, TerlaporFactory
from tests.reminder_walk import at
from tests.test_reminders import sent_on

pytestmark = pytest.mark.django_db

DUE = dt.date(2024, 5, 16)  # a Thursday with no holiday near it; the walk below runs 13-20 May 2024


def assigned_report(team, organisations) -> Report:
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    TerlaporFactory(report=report, name="Sutrisno Hadi", instansi=organisations["pemda_sleman"])
    with time_machine.travel(at(dt.date(2024, 5, 6)), tick=False):
        assign_team(report, satgas=team.satgas, actor=team.user(team.ketua), lead=team.anggota[0])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.VERIFYING, due_date=DUE)
    return report


def assignment_messages(day: dt.date) -> list[tuple[str, str]]:
    return [(who, kind) for who, kind, source in sent_on(day) if source == "taskforce.assignment"]


def test_the_member_hears_before_on_and_after_the_day_and_the_ketua_when_it_stays_overdue(team, organisations):
    assigned_report(team, organisations)
    walk = {day: assignment_messages(day) for day in (dt.date(2024, 5, d) for d in (13, 14, 15, 16, 17, 20))}
    assert walk == {
        dt.date(2024, 5, 13): [("anggota.satu", "before:3")],
        dt.date(2024, 5, 14): [],
        dt.date(2024, 5, 15): [("anggota.satu", "before:1")],
        dt.date(2024, 5, 16): [("anggota.satu", "due")],
        dt.date(2024, 5, 17): [("anggota.satu", "overdue:1")],
        dt.date(2024, 5, 20): [("anggota.satu", "overdue:2"), ("ketua.satgas", "escalation")],
    }


def test_a_member_on_leave_hears_nothing_and_the_ketua_still_hears_of_the_overdue_assignment(team, organisations):
    assigned_report(team, organisations)
    SatgasLeave.objects.create(member=team.anggota[0], start=dt.date(2024, 5, 15), end=dt.date(2024, 5, 31))
    assert assignment_messages(dt.date(2024, 5, 13)) == [("anggota.satu", "before:3")]
    assert assignment_messages(dt.date(2024, 5, 16)) == []
    assert assignment_messages(dt.date(2024, 5, 20)) == [("ketua.satgas", "escalation")]


def test_a_member_whose_appointment_ended_hears_nothing(team, organisations):
    assigned_report(team, organisations)
    team.anggota[0].left_on = dt.date(2024, 5, 14)
    team.anggota[0].save()
    assert assignment_messages(dt.date(2024, 5, 13)) == [("anggota.satu", "before:3")]
    assert assignment_messages(dt.date(2024, 5, 15)) == []


def test_a_finished_report_or_an_ended_assignment_reminds_nobody(team, organisations):
    report = assigned_report(team, organisations)
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.REJECTED)
    assert assignment_messages(dt.date(2024, 5, 16)) == []
