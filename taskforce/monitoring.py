"""Monitoring by a Satgas: its lists of open work, its notes and its meetings (rapat pembahasan).

Lists read cases through reports.selectors (team_reports / team_cases narrow them to the
Satgas's coverage) and cost the same queries for one case or a thousand. Nothing of the
reporter is read: the lists show the report's code, status and deadline, and the terlapor.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.calendar import holiday_names, working_days_between_given
from reports.enums import REPORT_FINISHED, CaseStatus
from reports.models import Report, Terlapor
from taskforce import permissions
from taskforce.files import checked_pdf
from taskforce.models import Meeting, MonitoringNote, Satgas, SatgasMember
from taskforce.queues import b13_awaiting_decision
from taskforce.selectors import (
    covered_organisation_ids,
    lead_name_subquery,
    member_of,
    serving_q,
    team_cases,
    team_reports,
)

LIST_ROWS = 100


@dataclass(frozen=True)
class Listing:
    """The first LIST_ROWS rows of a list and how many there are in all."""

    count: int
    rows: list


def _listing(queryset: QuerySet) -> Listing:
    count = queryset.order_by().count()
    return Listing(count=count, rows=list(queryset[:LIST_ROWS]) if count else [])


def open_reports(user, satgas: Satgas) -> Listing:
    """Reports of the region not yet finished, soonest deadline first, with their current lead and terlapor."""
    reports = (
        team_reports(user, satgas)
        .exclude(status__in=REPORT_FINISHED)
        .select_related("intake_organisation")
        .only(
            "pk",
            "tracking_code",
            "status",
            "received_at",
            "due_date",
            "due_step",
            "intake_organisation__name",
            "region_id",
        )
        .annotate(lead_name=lead_name_subquery("report"))
        .prefetch_related(
            Prefetch("terlapor", queryset=team_cases(user, satgas).only("pk", "name", "report_id"), to_attr="shown")
        )
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    return _listing(reports)


def _with_days_left(rows: list[Terlapor], today: date) -> list[Terlapor]:
    """Set ``days_left`` (working days to the deadline, negative once overdue) and ``days_late``: one query."""
    dues = [row.due_date for row in rows if row.due_date]
    holidays: set[date] = set()
    if dues:
        low, high = min([today, *dues]), max([today, *dues])
        holidays = set(holiday_names(low, high))
    for row in rows:
        row.days_left = working_days_between_given(today, row.due_date, holidays) if row.due_date else None
        row.days_late = -row.days_left if row.days_left is not None and row.days_left < 0 else 0
    return rows


def _awaiting_ppk(user, satgas: Satgas) -> QuerySet[Terlapor]:
    return (
        team_cases(user, satgas)
        .filter(case_status=CaseStatus.AWAITING_PPK)
        .select_related("instansi", "recommendation", "report")
        .only(
            "pk",
            "name",
            "nip",
            "case_status",
            "due_date",
            "overdue_since",
            "instansi__name",
            "recommendation__letter_number",
            "recommendation__letter_date",
            "recommendation__track",
            "recommendation__level",
            "report__tracking_code",
        )
        .annotate(lead_name=lead_name_subquery("terlapor"))
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def awaiting_ppk(user, satgas: Satgas, *, today: date | None = None) -> Listing:
    """Recommendations awaiting the PPK whose deadline has not passed, with working days left."""
    today = today or timezone.localdate()
    listing = _listing(_awaiting_ppk(user, satgas).exclude(due_date__lt=today))
    return Listing(listing.count, _with_days_left(listing.rows, today))


def overdue_followups(user, satgas: Satgas, *, today: date | None = None) -> Listing:
    """Recommendations awaiting the PPK past their deadline, the longest overdue first."""
    today = today or timezone.localdate()
    listing = _listing(_awaiting_ppk(user, satgas).filter(due_date__lt=today))
    return Listing(listing.count, _with_days_left(listing.rows, today))


def b13_waiting(user, satgas: Satgas) -> Listing:
    """Cases of the region outside the matrix (B13) awaiting the Satgas's decision."""
    ids = covered_organisation_ids(satgas)
    cases = b13_awaiting_decision(user)
    if ids is not None:
        cases = cases.filter(pk__in=team_cases(user, satgas).values("pk"))
    return _listing(cases)


def recent_notes(satgas: Satgas, *, limit: int = 10) -> list[MonitoringNote]:
    return list(
        MonitoringNote.objects.filter(satgas=satgas)
        .select_related("author")
        .prefetch_related(
            Prefetch("reports", queryset=Report.objects.only("pk", "tracking_code")),
            Prefetch("cases", queryset=Terlapor.objects.only("pk", "name")),
        )[:limit]
    )


def recent_meetings(satgas: Satgas, *, limit: int = 10) -> list[Meeting]:
    return list(
        Meeting.objects.filter(satgas=satgas)
        .prefetch_related(
            "attendees",
            Prefetch("reports", queryset=Report.objects.only("pk", "tracking_code")),
            Prefetch("cases", queryset=Terlapor.objects.only("pk", "name")),
        )
        .order_by("-held_on", "-pk")[:limit]
    )


def notes_about(satgas_ids: Sequence[int], *, report: Report | None = None, terlapor: Terlapor | None = None):
    """Monitoring notes of the given Satgas attached to one report or one case, newest first."""
    notes = MonitoringNote.objects.filter(satgas_id__in=satgas_ids).select_related("author", "satgas")
    notes = notes.filter(reports=report) if report is not None else notes.filter(cases=terlapor)
    return list(notes)


def meetings_about(satgas_ids: Sequence[int], *, report: Report | None = None, terlapor: Terlapor | None = None):
    """Meetings of the given Satgas that discussed one report or one case, newest first."""
    meetings = Meeting.objects.filter(satgas_id__in=satgas_ids).select_related("satgas")
    meetings = meetings.filter(reports=report) if report is not None else meetings.filter(cases=terlapor)
    return list(meetings.prefetch_related("attendees").order_by("-held_on", "-pk"))


# ---------------------------------------------------------------- writes


def _check_subjects(user, satgas: Satgas, reports: Sequence[Report], cases: Sequence[Terlapor]) -> None:
    """Raise PermissionDenied unless every report and case is the Satgas's and visible to ``user``."""
    report_ids, case_ids = {r.pk for r in reports}, {c.pk for c in cases}
    if report_ids and team_reports(user, satgas).filter(pk__in=report_ids).count() != len(report_ids):
        raise PermissionDenied(_("Ada laporan yang bukan wilayah Satgas ini."))
    if case_ids and team_cases(user, satgas).filter(pk__in=case_ids).count() != len(case_ids):
        raise PermissionDenied(_("Ada perkara yang bukan wilayah Satgas ini."))


@transaction.atomic
def record_monitoring_note(
    satgas: Satgas, *, actor, text: str, reports: Sequence[Report] = (), cases: Sequence[Terlapor] = ()
) -> MonitoringNote:
    """Record a serving member's monitoring note on one or more reports or cases of ``satgas``.

    Raises PermissionDenied (not a serving member, or a report/case outside the Satgas) or
    ValidationError (empty text, nothing attached).
    """
    if not permissions.may_note(actor, member_of(actor, satgas)):
        raise PermissionDenied(_("Hanya anggota Satgas yang sedang bertugas dapat mencatat pemantauan."))
    _check_subjects(actor, satgas, reports, cases)
    text = text.strip()
    errors = {}
    if not text:
        errors["text"] = [_("Catatan pemantauan wajib diisi.")]
    if not reports and not cases:
        errors["__all__"] = [_("Pilih sedikitnya satu laporan atau perkara.")]
    if errors:
        raise ValidationError(errors)
    note = MonitoringNote.objects.create(satgas=satgas, author=actor, text=text)
    note.reports.set(reports)
    note.cases.set(cases)
    return note


@transaction.atomic
def record_meeting(
    satgas: Satgas,
    *,
    actor,
    held_on: date,
    agenda: str,
    conclusions: str,
    attendees: Sequence[SatgasMember],
    place: str = "",
    reports: Sequence[Report] = (),
    cases: Sequence[Terlapor] = (),
    minutes: File | None = None,
) -> Meeting:
    """Record a rapat pembahasan of ``satgas`` with its attendees, the cases it discussed and its minutes.

    The minutes, when given, are checked like evidence (a real PDF without scripts) and stored
    privately. Raises PermissionDenied (not the Satgas's leadership or secretariat, or a case
    outside the Satgas) or ValidationError keyed by field.
    """
    if not permissions.may_record_meeting(actor, member_of(actor, satgas)):
        raise PermissionDenied(_("Hanya ketua, wakil ketua, atau sekretaris Satgas yang mencatat rapat."))
    _check_subjects(actor, satgas, reports, cases)
    errors: dict[str, list[str]] = {}
    agenda, conclusions = agenda.strip(), conclusions.strip()
    if held_on is None:
        errors["held_on"] = [_("Tanggal rapat wajib diisi.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("Rapat yang dicatat sudah berlangsung: tanggalnya tidak boleh sesudah hari ini.")]
    if not agenda:
        errors["agenda"] = [_("Agenda rapat wajib diisi.")]
    if not conclusions:
        errors["conclusions"] = [_("Kesimpulan rapat wajib diisi.")]
    if not attendees:
        errors["attendees"] = [_("Pilih anggota yang hadir.")]
    elif held_on is not None and "held_on" not in errors:
        serving = set(
            SatgasMember.objects.filter(
                serving_q(held_on), satgas=satgas, pk__in=[m.pk for m in attendees]
            ).values_list("pk", flat=True)
        )
        outside = [m.name for m in attendees if m.pk not in serving]
        if outside:
            errors["attendees"] = [
                _("Bukan anggota yang bertugas pada tanggal rapat: %(names)s.") % {"names": ", ".join(outside)}
            ]
    if not reports and not cases:
        errors["__all__"] = [_("Pilih sedikitnya satu laporan atau perkara yang dibahas.")]
    sha256 = ""
    if minutes:
        try:
            sha256 = checked_pdf(minutes, "minutes")
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    meeting = Meeting(
        satgas=satgas,
        held_on=held_on,
        place=place.strip(),
        agenda=agenda,
        conclusions=conclusions,
        minutes_sha256=sha256,
        recorded_by=actor,
    )
    if minutes:
        meeting.minutes.save("notulen.pdf", minutes, save=False)
    try:
        meeting.save(force_insert=True)
    except BaseException:
        if meeting.minutes:
            meeting.minutes.storage.delete(meeting.minutes.name)
        raise
    meeting.attendees.set(attendees)
    meeting.reports.set(reports)
    meeting.cases.set(cases)
    return meeting
