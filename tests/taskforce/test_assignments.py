"""Assignment of reports and cases to Satgas members: by hand, by the rotation, reassignment; events and notices."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from netralitas import workspace
from netralitas.models import OutboxMessage
from reports.enums import CaseStatus, EventKind, ReportStatus
from reports.models import CaseEvent, Report, ReportEvent, Terlapor
from taskforce.assignments import assign_by_rotation, assign_team
from taskforce.enums import AssignmentMethod, AssignmentRole, SatgasRole
from taskforce.models import Assignment, SatgasLeave
from taskforce.selectors import rotation_candidates
from tests.factories import ReportFactory, TerlaporFactory
from tests.taskforce.conftest import add_member, fresh

TODAY = dt.datetime(2024, 5, 6, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(TODAY, tick=False):
        yield


def sleman_report(organisations, **fields) -> Report:
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"], due_date=dt.date(2024, 5, 9), **fields)
    TerlaporFactory(report=report, name="Sutrisno Hadi", instansi=organisations["pemda_sleman"])
    return report


def team_of(report=None, terlapor=None) -> list[tuple[str, str, str]]:
    subject = {"report": report} if report is not None else {"terlapor": terlapor}
    return sorted(
        Assignment.objects.filter(ended_at__isnull=True, **subject).values_list("member__name", "role", "method")
    )


def test_the_ketua_assigns_a_report_by_hand(team, organisations, settings):
    settings.SITE_URL = "https://netralitas.example.go.id"
    report = sleman_report(organisations)
    ketua = team.user(team.ketua)

    created = assign_team(
        report, satgas=team.satgas, actor=ketua, lead=team.anggota[0], members=[team.anggota[1], team.anggota[0]]
    )

    assert [(a.member.name, a.role) for a in created] == [
        ("Ani Lestari", AssignmentRole.LEAD),
        ("Bayu Saputra", AssignmentRole.MEMBER),
    ]
    assert team_of(report) == [
        ("Ani Lestari", AssignmentRole.LEAD, AssignmentMethod.MANUAL),
        ("Bayu Saputra", AssignmentRole.MEMBER, AssignmentMethod.MANUAL),
    ]
    event = ReportEvent.objects.filter(report=report).latest("pk")
    assert (event.kind, event.actor, event.is_public) == (EventKind.NOTE, ketua, False)
    assert event.note == (
        "Penugasan Satgas Netralitas ASN Kabupaten Sleman (ditunjuk): penanggung jawab perkara Ani Lestari; "
        "anggota tim ditambah: Bayu Saputra."
    )
    mails = {m.recipient: m for m in OutboxMessage.objects.filter(dedupe_key__startswith="satgas-assignment:")}
    assert sorted(mails) == ["anggota.dua@sleman.example.go.id", "anggota.satu@sleman.example.go.id"]
    mail = mails["anggota.satu@sleman.example.go.id"]
    assert mail.subject == f"Penugasan Satgas: laporan {report.tracking_code}"
    assert f"https://netralitas.example.go.id/satgas/laporan/{report.pk}/" in mail.body
    assert "Harda Kiswaya menugaskan Anda sebagai penanggung jawab perkara" in mail.body
    assert "Tenggat tahap sekarang: 9 Mei 2024" in mail.body
    assert "Pelapor Rahasia" not in mail.body and "pelapor@example.org" not in mail.body


def test_the_assignee_finds_it_in_their_workspace(team, organisations):
    report = sleman_report(organisations)
    assign_team(report, satgas=team.satgas, actor=team.user(team.sekretaris), lead=team.anggota[2])
    queues = {q.key: r for q, r in workspace.queues_for(team.user(team.anggota[2]))}
    mine = queues["taskforce.assigned_to_me"]
    assert (mine.count, [i.title for i in mine.items], [i.url for i in mine.items]) == (
        1,
        [report.tracking_code],
        [f"/satgas/laporan/{report.pk}/"],
    )
    assert queues_count(team.user(team.anggota[0])) == 0


def queues_count(user) -> int:
    return {q.key: r for q, r in workspace.queues_for(user)}["taskforce.assigned_to_me"].count


def test_a_finished_report_leaves_the_workspace(team, organisations):
    report = sleman_report(organisations)
    assign_team(report, satgas=team.satgas, actor=team.user(team.ketua), lead=team.anggota[0])
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.REJECTED)
    assert queues_count(team.user(team.anggota[0])) == 0


def test_a_case_assignment_is_a_case_event_with_the_status_unchanged(team, organisations):
    case = TerlaporFactory(
        report=sleman_report(organisations), name="Rina Wulandari", instansi=organisations["pemda_sleman"]
    )
    Terlapor.objects.filter(pk=case.pk).update(case_status=CaseStatus.AWAITING_PPK)
    assign_team(case, satgas=team.satgas, actor=team.user(team.ketua), lead=team.anggota[1])
    event = CaseEvent.objects.get(terlapor=case)
    assert (event.from_status, event.to_status, event.actor.username) == (
        CaseStatus.AWAITING_PPK,
        CaseStatus.AWAITING_PPK,
        "ketua.satgas",
    )
    assert (
        event.note
        == "Penugasan Satgas Netralitas ASN Kabupaten Sleman (ditunjuk): penanggung jawab perkara Bayu Saputra."
    )
    mail = OutboxMessage.objects.get(recipient="anggota.dua@sleman.example.go.id")
    assert mail.subject == f"Penugasan Satgas: perkara Rina Wulandari (laporan {case.report.tracking_code})"


def test_reassignment_needs_a_reason_and_keeps_the_history(team, organisations):
    report = sleman_report(organisations)
    ketua = team.user(team.ketua)
    assign_team(report, satgas=team.satgas, actor=ketua, lead=team.anggota[0], members=[team.anggota[1]])

    with pytest.raises(ValidationError) as refused:
        assign_team(report, satgas=team.satgas, actor=ketua, lead=team.anggota[2], members=[team.anggota[1]])
    assert refused.value.message_dict == {"reason": ["Tuliskan alasan penggantian atau pengurangan anggota tim."]}
    assert team_of(report)[0][0] == "Ani Lestari"

    assign_team(
        report,
        satgas=team.satgas,
        actor=ketua,
        lead=team.anggota[2],
        members=[],
        reason="Ani Lestari ditugaskan ke pemeriksaan lain.",
    )
    assert team_of(report) == [("Citra Dewi", AssignmentRole.LEAD, AssignmentMethod.MANUAL)]
    ended = Assignment.objects.filter(report=report, ended_at__isnull=False).order_by("member__name")
    assert [(a.member.name, a.end_reason, a.ended_by.username) for a in ended] == [
        ("Ani Lestari", "Ani Lestari ditugaskan ke pemeriksaan lain.", "ketua.satgas"),
        ("Bayu Saputra", "Ani Lestari ditugaskan ke pemeriksaan lain.", "ketua.satgas"),
    ]
    notes = list(
        ReportEvent.objects.filter(report=report, kind=EventKind.NOTE).order_by("pk").values_list("note", flat=True)
    )
    assert notes[-1] == (
        "Penugasan Satgas Netralitas ASN Kabupaten Sleman (ditunjuk): penanggung jawab perkara diganti dari "
        "Ani Lestari ke Citra Dewi; anggota tim dikeluarkan: Bayu Saputra. Alasan: Ani Lestari ditugaskan ke "
        "pemeriksaan lain."
    )
    assert len(notes) == 2


def test_no_change_is_refused(team, organisations):
    report = sleman_report(organisations)
    ketua = team.user(team.ketua)
    assign_team(report, satgas=team.satgas, actor=ketua, lead=team.anggota[0])
    with pytest.raises(ValidationError) as refused:
        assign_team(report, satgas=team.satgas, actor=ketua, lead=team.anggota[0])
    assert refused.value.message_dict == {"__all__": ["Tidak ada perubahan penugasan."]}


@pytest.mark.parametrize("who", ["anggota", "other_pemda", "left"])
def test_only_the_serving_ketua_or_sekretaris_assigns(team, organisations, cast, who):
    report = sleman_report(organisations)
    if who == "anggota":
        actor = team.user(team.anggota[0])
    elif who == "other_pemda":
        actor = fresh(cast["operator_yogya"])
    else:
        team.ketua.left_on = dt.date(2024, 5, 1)
        team.ketua.save()
        actor = team.user(team.ketua)
    with pytest.raises(PermissionDenied):
        assign_team(report, satgas=team.satgas, actor=actor, lead=team.anggota[1])
    assert not Assignment.objects.exists()


def test_a_case_of_another_region_cannot_be_assigned(team, organisations):
    yogya = TerlaporFactory(
        report=ReportFactory(intake_organisation=organisations["bawaslu_yogya"]), instansi=organisations["pemda_yogya"]
    )
    with pytest.raises(PermissionDenied):
        assign_team(yogya.report, satgas=team.satgas, actor=team.user(team.ketua), lead=team.anggota[0])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"left_on": dt.date(2024, 4, 1)}, "Ani Lestari sudah berhenti bertugas sejak 1 April 2024."),
        ({"joined_on": dt.date(2024, 6, 1)}, "Ani Lestari baru mulai bertugas 1 Juni 2024."),
        (
            {"leave": (dt.date(2024, 5, 1), dt.date(2024, 5, 10))},
            "Ani Lestari sedang cuti/berhalangan 1 Mei 2024 – 10 Mei 2024.",
        ),
        ({"user": None}, "Ani Lestari belum memiliki akun portal yang aktif."),
    ],
)
def test_a_member_outside_the_period_or_on_leave_cannot_be_assigned(team, organisations, change, message):
    member = team.anggota[0]
    if "leave" in change:
        SatgasLeave.objects.create(member=member, start=change["leave"][0], end=change["leave"][1])
    else:
        for field, value in change.items():
            setattr(member, field, value)
        member.save()
    report = sleman_report(organisations)
    with pytest.raises(ValidationError) as refused:
        assign_team(report, satgas=team.satgas, actor=team.user(team.ketua), lead=team.anggota[1], members=[member])
    assert refused.value.message_dict == {"members": [message]}
    with pytest.raises(ValidationError) as refused:
        assign_team(report, satgas=team.satgas, actor=team.user(team.ketua), lead=member)
    assert refused.value.message_dict == {"lead": [message]}
    assert not Assignment.objects.exists()


def test_the_rotation_is_fair_over_100_assignments(team, organisations):
    """Four working members (sekretaris and three anggota), all with equal (zero) workload: 25 each."""
    ketua = team.user(team.ketua)
    reports = [sleman_report(organisations) for _ in range(100)]
    picked = [assign_by_rotation(report, satgas=team.satgas, actor=ketua).member.name for report in reports]
    counts = Counter(picked)
    assert counts == {"Budi Pranowo": 25, "Ani Lestari": 25, "Bayu Saputra": 25, "Citra Dewi": 25}
    assert max(counts.values()) - min(counts.values()) <= 1
    # Round-robin: each turn of four gives every member one case.
    assert all(len(set(picked[i : i + 4])) == 4 for i in range(0, 100, 4))
    assert set(Assignment.objects.values_list("method", flat=True)) == {AssignmentMethod.ROTATION}


def test_the_rotation_skips_members_on_leave_outside_their_period_or_without_account(team, organisations, make_staff):
    ketua = team.user(team.ketua)
    SatgasLeave.objects.create(member=team.anggota[0], start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31))
    team.anggota[1].left_on = dt.date(2024, 5, 1)
    team.anggota[1].save()
    team.sekretaris.joined_on = dt.date(2024, 6, 1)
    team.sekretaris.save()
    add_member(make_staff, team.satgas, None, "Dodi Tanpa Akun")
    add_member(make_staff, team.satgas, "pj.bupati", "Pj Bupati", SatgasRole.PENANGGUNG_JAWAB)
    picked = [
        assign_by_rotation(sleman_report(organisations), satgas=team.satgas, actor=ketua).member.name for _ in range(5)
    ]
    assert picked == ["Citra Dewi"] * 5


def test_the_rotation_is_weighted_by_open_workload(team, organisations):
    ketua = team.user(team.ketua)
    for _ in range(3):
        assign_team(
            sleman_report(organisations),
            satgas=team.satgas,
            actor=ketua,
            lead=team.anggota[0],
        )
    closed = sleman_report(organisations)
    assign_team(closed, satgas=team.satgas, actor=ketua, lead=team.anggota[1])
    Report.objects.filter(pk=closed.pk).update(status=ReportStatus.CLOSED)  # finished work no longer weighs
    workloads = {m.name: m.workload for m in rotation_candidates(team.satgas)}
    assert workloads == {"Budi Pranowo": 0, "Ani Lestari": 3, "Bayu Saputra": 0, "Citra Dewi": 0}
    picked = [
        assign_by_rotation(sleman_report(organisations), satgas=team.satgas, actor=ketua).member.name for _ in range(9)
    ]
    assert Counter(picked) == {"Budi Pranowo": 3, "Bayu Saputra": 3, "Citra Dewi": 3}
    assert picked[:3] == ["Budi Pranowo", "Citra Dewi", "Bayu Saputra"]  # Bayu assigned last (the closed case)


def test_rotation_reassignment_picks_another_member_and_needs_a_reason(team, organisations):
    report = sleman_report(organisations)
    ketua = team.user(team.ketua)
    first = assign_by_rotation(report, satgas=team.satgas, actor=ketua)
    with pytest.raises(ValidationError) as refused:
        assign_by_rotation(report, satgas=team.satgas, actor=ketua)
    assert refused.value.message_dict == {"reason": ["Tuliskan alasan penggantian atau pengurangan anggota tim."]}
    second = assign_by_rotation(report, satgas=team.satgas, actor=ketua, reason="Konflik kepentingan.")
    assert first.member != second.member
    assert team_of(report) == [(second.member.name, AssignmentRole.LEAD, AssignmentMethod.ROTATION)]
    last = ReportEvent.objects.filter(report=report).latest("pk").note
    assert last == (
        f"Penugasan Satgas Netralitas ASN Kabupaten Sleman (giliran (otomatis)): penanggung jawab perkara diganti "
        f"dari {first.member.name} ke {second.member.name}. Alasan: Konflik kepentingan."
    )


def test_the_rotation_refuses_when_nobody_can_take_a_case(team, organisations):
    for member in (team.sekretaris, *team.anggota):
        SatgasLeave.objects.create(member=member, start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 31))
    with pytest.raises(ValidationError) as refused:
        assign_by_rotation(sleman_report(organisations), satgas=team.satgas, actor=team.user(team.ketua))
    assert refused.value.message_dict == {
        "__all__": ["Tidak ada anggota yang dapat menerima perkara hari ini (semua cuti atau di luar masa tugas)."]
    }
