"""Writes of assignments: a report or a case gets its Satgas team, by hand or by the rotation.

Every change is one internal event on the report or the case (written by reports' services,
the owner of those rows) and each newly assigned member is told through the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.calendar import format_date
from reports.enums import CASE_OUTCOMES, REPORT_FINISHED
from reports.models import Report, Terlapor
from reports.services import record_case_note, record_report_note
from taskforce import permissions
from taskforce.emails import send_assignment_notice
from taskforce.enums import AssignmentMethod, AssignmentRole
from taskforce.models import Assignment, Satgas, SatgasMember
from taskforce.selectors import leave_of, member_of, rotation_candidates, team_cases, team_reports

__all__ = ["assign_by_rotation", "assign_team", "member_problem"]

Subject = Report | Terlapor


def _subject_filter(subject: Subject) -> dict:
    return {"report": subject} if isinstance(subject, Report) else {"terlapor": subject}


def _check_actor(subject: Subject, satgas: Satgas, actor) -> None:
    """Raise PermissionDenied unless ``actor`` is the serving ketua/sekretaris and ``subject`` is the Satgas's."""
    refused = _("Anda tidak berwenang menugaskan perkara ini.")
    if actor is None or not permissions.may_assign(actor, member_of(actor, satgas)):
        raise PermissionDenied(refused)
    ours = team_reports(actor, satgas) if isinstance(subject, Report) else team_cases(actor, satgas)
    if not ours.filter(pk=subject.pk).exists():
        raise PermissionDenied(refused)


def _check_open(subject: Subject) -> None:
    if isinstance(subject, Report):
        status = Report.objects.filter(pk=subject.pk).values_list("status", flat=True).get()
        finished = status in REPORT_FINISHED
    else:
        status = Terlapor.objects.filter(pk=subject.pk).values_list("case_status", flat=True).get()
        finished = status in CASE_OUTCOMES
    if finished:
        raise ValidationError({"__all__": [_("Perkara yang sudah selesai tidak dapat ditugaskan lagi.")]})


def member_problem(member: SatgasMember, satgas: Satgas, today: date) -> str:
    """Why ``member`` cannot take a case of ``satgas`` today, in Indonesian; "" when they can."""
    if member.satgas_id != satgas.pk:
        return _("%(name)s bukan anggota %(satgas)s.") % {"name": member.name, "satgas": satgas.name}
    if not member.in_period(today):
        if today < member.joined_on:
            return _("%(name)s baru mulai bertugas %(date)s.") % {
                "name": member.name,
                "date": format_date(member.joined_on),
            }
        if member.left_on is not None and today >= member.left_on:
            return _("%(name)s sudah berhenti bertugas sejak %(date)s.") % {
                "name": member.name,
                "date": format_date(member.left_on),
            }
        return _("Masa tugas %(satgas)s tidak mencakup hari ini.") % {"satgas": satgas.name}
    leave = leave_of(member, today)
    if leave is not None:
        return _("%(name)s sedang cuti/berhalangan %(start)s – %(end)s.") % {
            "name": member.name,
            "start": format_date(leave.start),
            "end": format_date(leave.end),
        }
    if member.user_id is None or not member.user.is_active:
        return _("%(name)s belum memiliki akun portal yang aktif.") % {"name": member.name}
    return ""


def _names(members: Sequence[SatgasMember]) -> str:
    return ", ".join(m.name for m in members)


def _describe(
    satgas: Satgas, before: list[Assignment], lead: SatgasMember, members: list[SatgasMember], how: str
) -> str:
    old_lead = next((a.member for a in before if a.role == AssignmentRole.LEAD), None)
    old_members = {a.member_id: a.member for a in before if a.role == AssignmentRole.MEMBER}
    parts = []
    if old_lead is None:
        parts.append(_("penanggung jawab perkara %(name)s") % {"name": lead.name})
    elif old_lead.pk != lead.pk:
        parts.append(
            _("penanggung jawab perkara diganti dari %(old)s ke %(new)s") % {"old": old_lead.name, "new": lead.name}
        )
    added = [m for m in members if m.pk not in old_members]
    removed = [m for pk, m in old_members.items() if pk not in {x.pk for x in members} and pk != lead.pk]
    if added:
        parts.append(_("anggota tim ditambah: %(names)s") % {"names": _names(added)})
    if removed:
        parts.append(_("anggota tim dikeluarkan: %(names)s") % {"names": _names(removed)})
    return _("Penugasan %(satgas)s (%(how)s): %(changes)s.") % {
        "satgas": satgas.name,
        "how": how,
        "changes": "; ".join(parts),
    }


def _apply(
    subject: Subject,
    *,
    satgas: Satgas,
    actor,
    lead: SatgasMember,
    members: Sequence[SatgasMember],
    reason: str,
    method: str,
    base_url: str,
) -> list[Assignment]:
    now = timezone.now()
    today = timezone.localdate(now)
    members = [m for m in dict.fromkeys(members) if m.pk != lead.pk]
    before = list(
        Assignment.objects.filter(ended_at__isnull=True, satgas=satgas, **_subject_filter(subject)).select_related(
            "member"
        )
    )
    kept = {(a.member_id, a.role) for a in before}
    errors: dict[str, list[str]] = {}
    for field, member, role in [("lead", lead, AssignmentRole.LEAD)] + [
        ("members", m, AssignmentRole.MEMBER) for m in members
    ]:
        if (member.pk, role) in kept:
            continue  # already on the team: a later leave does not take them off it
        problem = member_problem(member, satgas, today)
        if problem:
            errors.setdefault(field, []).append(problem)
    wanted = {(lead.pk, AssignmentRole.LEAD), *((m.pk, AssignmentRole.MEMBER) for m in members)}
    ending = [a for a in before if (a.member_id, a.role) not in wanted]
    reason = reason.strip()
    team = {lead.pk, *(m.pk for m in members)}
    replaces = any(a.role == AssignmentRole.LEAD or a.member_id not in team for a in ending)
    if not errors and replaces and not reason:
        errors.setdefault("reason", []).append(_("Tuliskan alasan penggantian atau pengurangan anggota tim."))
    if not errors and not ending and wanted <= kept:
        errors.setdefault("__all__", []).append(_("Tidak ada perubahan penugasan."))
    if errors:
        raise ValidationError(errors)

    for assignment in ending:
        assignment.ended_at, assignment.ended_by, assignment.end_reason = now, actor, reason
    Assignment.objects.bulk_update(ending, ["ended_at", "ended_by", "end_reason"])
    created = []
    try:
        with transaction.atomic():
            for member_pk, role in sorted(wanted - kept, key=lambda pair: pair[1] != AssignmentRole.LEAD):
                member = lead if member_pk == lead.pk else next(m for m in members if m.pk == member_pk)
                created.append(
                    Assignment.objects.create(
                        satgas=satgas,
                        member=member,
                        role=role,
                        method=method if role == AssignmentRole.LEAD else AssignmentMethod.MANUAL,
                        assigned_by=actor,
                        assigned_at=now,
                        **_subject_filter(subject),
                    )
                )
    except IntegrityError:
        raise ValidationError(
            {"__all__": [_("Penugasan perkara ini baru saja diubah petugas lain. Muat ulang halaman lalu coba lagi.")]}
        ) from None
    how = AssignmentMethod(method).label.lower()
    note = _describe(satgas, before, lead, members, how)
    if reason:
        note += " " + _("Alasan: %(reason)s") % {"reason": reason}
    if isinstance(subject, Report):
        record_report_note(subject, actor=actor, note=note)
    else:
        record_case_note(subject, actor=actor, note=note)
    for assignment in created:
        send_assignment_notice(assignment, base_url=base_url)
    return created


@transaction.atomic
def assign_team(
    subject: Subject,
    *,
    satgas: Satgas,
    actor,
    lead: SatgasMember,
    members: Sequence[SatgasMember] = (),
    reason: str = "",
    base_url: str = "",
) -> list[Assignment]:
    """Give ``subject`` (a report or one terlapor's case) to ``lead`` with ``members``, by hand.

    The team becomes exactly lead + members: assignments not in it end (with ``reason``, which a
    replacement or a removal requires), new ones start. Side effects: one internal event on the
    report or case describing the change; an e-mail to each newly assigned member (on commit).
    Raises PermissionDenied (not the serving ketua/sekretaris, or not this Satgas's case) or
    ValidationError keyed by field (lead, members, reason, __all__): a member outside their period,
    on leave or without an account, a finished case, or no change at all.
    """
    locked = Satgas.objects.select_for_update().get(pk=satgas.pk)
    _check_actor(subject, locked, actor)
    _check_open(subject)
    return _apply(
        subject,
        satgas=locked,
        actor=actor,
        lead=lead,
        members=members,
        reason=reason,
        method=AssignmentMethod.MANUAL,
        base_url=base_url,
    )


@transaction.atomic
def assign_by_rotation(subject: Subject, *, satgas: Satgas, actor, reason: str = "", base_url: str = "") -> Assignment:
    """Give ``subject``'s lead to the next member of the rotation (taskforce.selectors.rotation_candidates).

    The Satgas row is locked, so concurrent picks take turns. Members already on the team stay;
    a lead being replaced needs ``reason``. Side effects and errors as assign_team, plus
    ValidationError when no member can take a case today.
    """
    locked = Satgas.objects.select_for_update().get(pk=satgas.pk)
    _check_actor(subject, locked, actor)
    _check_open(subject)
    current = Assignment.objects.filter(ended_at__isnull=True, satgas=locked, **_subject_filter(subject))
    current_lead = current.filter(role=AssignmentRole.LEAD).values_list("member_id", flat=True).first()
    candidates = rotation_candidates(locked).exclude(pk=current_lead) if current_lead else rotation_candidates(locked)
    lead = candidates.select_related("user", "satgas").first()
    if lead is None:
        raise ValidationError(
            {
                "__all__": [
                    _("Tidak ada anggota yang dapat menerima perkara hari ini (semua cuti atau di luar masa tugas).")
                ]
            }
        )
    members = list(
        SatgasMember.objects.filter(
            pk__in=current.filter(role=AssignmentRole.MEMBER).exclude(member=lead).values("member_id")
        )
    )
    created = _apply(
        subject,
        satgas=locked,
        actor=actor,
        lead=lead,
        members=members,
        reason=reason,
        method=AssignmentMethod.ROTATION,
        base_url=base_url,
    )
    return next(a for a in created if a.role == AssignmentRole.LEAD)
