"""The one writer of Report.status and Terlapor.case_status.

Two tables say which edges exist and who may take each: a permission
(``app.codename``) for staff, or REPORTER for the citizen holding the tracking
code and PIN (report edges only), or SYSTEM for moves the portal makes itself
(closing a report when every case reached an outcome). Each transition
function checks the edge and the actor, moves the row with a compare-and-set
(of two concurrent requests exactly one wins), sets the deadline of the new
step, and appends an event.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from netralitas.calendar import DeadlineExplanation, due_date_for, format_date
from netralitas.enums import DeadlineStep, ElectionKind
from reports.enums import CASE_OUTCOMES, REPORT_FINISHED, CaseStatus, EventKind, ReportStatus
from reports.models import CaseEvent, Report, ReportEvent, Terlapor

REPORTER = "reporter"
SYSTEM = "system"

R = ReportStatus
TRANSITIONS: dict[str, dict[str, str]] = {
    R.RECEIVED: {
        R.VERIFYING: "reports.verify_report",
        R.REJECTED: "reports.reject_report",
        R.WITHDRAWN: REPORTER,
    },
    R.VERIFYING: {
        R.NEEDS_COMPLETION: "reports.verify_report",
        R.REJECTED: "reports.reject_report",
        R.REGISTERED: "reports.register_report",
        R.WITHDRAWN: REPORTER,
    },
    R.NEEDS_COMPLETION: {
        R.VERIFYING: REPORTER,
        R.REJECTED: "reports.reject_report",  # the reporter let the completion window pass
        R.WITHDRAWN: REPORTER,
    },
    R.REGISTERED: {R.KAJIAN: "reports.assess_report"},
    R.KAJIAN: {
        R.FORWARDED: "reports.forward_report",
        R.REJECTED: "reports.reject_report",
    },
    R.FORWARDED: {R.CLOSED: SYSTEM},
}

C = CaseStatus
CANCEL = "reports.cancel_case"  # the authority withdraws a case or its recommendation (dibatalkan), with a reason
CASE_TRANSITIONS: dict[str, dict[str, str]] = {
    C.PENDING: {C.CLARIFICATION: "reports.forward_report", C.CANCELLED: CANCEL},
    C.CLARIFICATION: {
        C.NOT_PROVEN: "reports.issue_recommendation",
        C.RECOMMENDED: "reports.issue_recommendation",
        C.CANNOT_FOLLOW_UP: "reports.close_case",
        C.CANCELLED: CANCEL,
    },
    C.RECOMMENDED: {
        C.AWAITING_PPK: "reports.issue_recommendation",
        C.CANNOT_FOLLOW_UP: "reports.close_case",
        C.CANCELLED: CANCEL,
    },
    C.AWAITING_PPK: {
        C.SANCTIONED: "sanctions.record_decision",
        # Once the PPK holds the case, the PPK's office records that the ASN has left service.
        C.CANNOT_FOLLOW_UP: "sanctions.record_decision",
        C.CANCELLED: CANCEL,
    },
    # The daily sweep closes a case once its sanction period has ended (sanctions.services).
    C.SANCTIONED: {C.DONE: SYSTEM},
}

# The deadline that starts when a report or case enters a status; None stops the clock.
REPORT_DEADLINES: dict[str, str | None] = {
    R.RECEIVED: DeadlineStep.SATGAS_VERIFICATION,
    R.VERIFYING: DeadlineStep.SATGAS_VERIFICATION,
    R.NEEDS_COMPLETION: DeadlineStep.REPORTER_COMPLETION,
    R.REGISTERED: DeadlineStep.BAWASLU_KAJIAN,
    R.KAJIAN: DeadlineStep.BAWASLU_KAJIAN,
    R.FORWARDED: None,  # the clocks now run per terlapor
    R.REJECTED: None,
    R.WITHDRAWN: None,
    R.CLOSED: None,
}
CASE_DEADLINES: dict[str, str | None] = {
    C.CLARIFICATION: DeadlineStep.AUTHORITY_ACTION,
    C.RECOMMENDED: DeadlineStep.AUTHORITY_ACTION,
    C.AWAITING_PPK: DeadlineStep.PPK_FOLLOW_UP,
    C.NOT_PROVEN: None,
    C.SANCTIONED: None,
    C.DONE: None,
    C.CANNOT_FOLLOW_UP: None,
    C.CANCELLED: None,
}


class TransitionNotAllowed(Exception):
    """The edge is not in the table, or the actor may not take it."""


class StaleReport(Exception):
    """Another request moved the report (or the case) first."""


class NoteRequired(ValueError):
    """This edge needs a written reason (a rejection, a request to the reporter)."""


def _may(who: str, actor) -> bool:
    if who == REPORTER:
        return actor is None
    if who == SYSTEM or actor is None:
        return False
    return actor.has_perm(who)


def allowed_transitions(report: Report, *, actor=None) -> list[str]:
    """Statuses ``actor`` (None = the reporter) may move ``report`` to now."""
    return [to for to, who in TRANSITIONS.get(report.status, {}).items() if _may(who, actor)]


def allowed_case_transitions(terlapor: Terlapor, *, actor) -> list[str]:
    """Case statuses ``actor`` may move ``terlapor``'s case to now."""
    return [to for to, who in CASE_TRANSITIONS.get(terlapor.case_status, {}).items() if _may(who, actor)]


def deadline_fields(step: str | None, start: date) -> dict:
    """The due_date / due_step / due_explanation of a step starting on ``start`` (cleared when None)."""
    if step is None:
        return {"due_date": None, "due_step": "", "due_explanation": ""}
    explanation: DeadlineExplanation = due_date_for(step, start)
    return {"due_date": explanation.due, "due_step": step, "due_explanation": explanation.summary()}


# Pemilu cases follow UU 7/2017's Bawaslu deadline; Pilkada and the rest the SBT/Pilkada one (research D4, D5).
PEMILU_STEPS = {
    DeadlineStep.BAWASLU_KAJIAN: DeadlineStep.BAWASLU_KAJIAN_PEMILU,
    DeadlineStep.BAWASLU_KAJIAN_EXTENSION: DeadlineStep.BAWASLU_KAJIAN_PEMILU_EXTENSION,
}


def report_step(report: Report, step: str | None) -> str | None:
    """The deadline rule that applies to ``report`` for ``step``: the Pemilu variant for a Pemilu case."""
    if step in PEMILU_STEPS and report.election_id is not None:
        from netralitas.models import Election

        kind = Election.objects.filter(pk=report.election_id).values_list("kind", flat=True).first()
        if kind == ElectionKind.PEMILU:
            return PEMILU_STEPS[step]
    return step


def _report_deadline(report: Report, frm: str, to: str, today: date) -> dict:
    fields = deadline_fields(report_step(report, REPORT_DEADLINES.get(to)), today)
    fields["paused_days_left"] = None
    if to == R.NEEDS_COMPLETION and report.due_date:
        # The verification clock stops while the reporter completes; keep what it had left.
        fields["paused_days_left"] = max((report.due_date - today).days, 0)
    elif frm == R.NEEDS_COMPLETION and to == R.VERIFYING and report.paused_days_left is not None:
        resumed = today + timedelta(days=report.paused_days_left)
        fields.update(
            due_date=resumed,
            due_step=DeadlineStep.SATGAS_VERIFICATION,
            due_explanation=(
                f"Verifikasi dilanjutkan {format_date(today)} setelah pelapor melengkapi: sisa "
                f"{report.paused_days_left} hari kalender, jatuh tempo {format_date(resumed)}."
            ),
        )
    elif frm == to:
        fields = {}
    elif fields["due_step"] and fields["due_step"] == report.due_step and report.due_date:
        # The same clock goes on (verification began at receipt, kajian at registration): no fresh start.
        fields = {"paused_days_left": None}
    return fields


@transaction.atomic
def transition_report(
    report: Report,
    to: str,
    *,
    actor=None,
    kind: str = EventKind.STATUS_CHANGED,
    note: str = "",
    public_message: str = "",
    is_public: bool = True,
    system: bool = False,
) -> ReportEvent:
    """Move ``report`` to ``to``; set the new step's deadline; record a ReportEvent.

    ``actor`` None means the reporter; ``system=True`` the portal itself.
    Rejections need a reason in ``public_message`` or ``note``; a request for
    completion needs ``public_message`` (the reporter reads it).
    Raises TransitionNotAllowed, NoteRequired, or StaleReport (another request moved it first).
    """
    frm = report.status
    who = TRANSITIONS.get(frm, {}).get(to)
    if who is None or (who == SYSTEM) != system or (not system and not _may(who, actor)):
        raise TransitionNotAllowed(f"{frm} → {to}")
    if to == R.REJECTED and not (public_message.strip() or note.strip()):
        raise NoteRequired("Alasan penolakan wajib diisi.")
    if to == R.NEEDS_COMPLETION and not public_message.strip():
        raise NoteRequired("Tuliskan apa yang perlu dilengkapi pelapor.")
    today = timezone.localdate()
    fields = {"status": to, **_report_deadline(report, frm, to, today)}
    moved = Report.objects.filter(pk=report.pk, status=frm).update(**fields)
    if moved != 1:
        raise StaleReport(report.tracking_code)
    for name, value in fields.items():
        setattr(report, name, value)
    return ReportEvent.objects.create(
        report=report,
        kind=kind,
        from_status=frm,
        to_status=to,
        actor=actor,
        note=note,
        public_message=public_message,
        is_public=is_public,
    )


@transaction.atomic
def transition_case(
    terlapor: Terlapor, to: str, *, actor, note: str = "", start: date | None = None, system: bool = False
) -> CaseEvent:
    """Move one terlapor's case to ``to``; set its deadline (from ``start``, default today); record a CaseEvent.

    ``system=True`` is the portal itself (the daily sweep), for SYSTEM edges only.
    When every case of a forwarded report reached an outcome, the report closes (SYSTEM edge).
    Raises TransitionNotAllowed or StaleReport.
    """
    frm = terlapor.case_status
    who = CASE_TRANSITIONS.get(frm, {}).get(to)
    if who is None or (who == SYSTEM) != system or (not system and not _may(who, actor)):
        raise TransitionNotAllowed(f"{frm} → {to}")
    fields = {"case_status": to, **deadline_fields(CASE_DEADLINES.get(to), start or timezone.localdate())}
    moved = Terlapor.objects.filter(pk=terlapor.pk, case_status=frm).update(**fields)
    if moved != 1:
        raise StaleReport(f"terlapor {terlapor.pk}")
    for name, value in fields.items():
        setattr(terlapor, name, value)
    event = CaseEvent.objects.create(terlapor=terlapor, from_status=frm, to_status=to, actor=actor, note=note)
    if to in CASE_OUTCOMES:
        close_report_if_done(terlapor.report_id)
    return event


@transaction.atomic
def close_report_if_done(report_id: int) -> bool:
    """Close a forwarded report whose every terlapor reached an outcome; True if it closed now.

    Side effects: the reporter is e-mailed the outcome of each terlapor (if they gave an address).
    """
    report = Report.objects.select_for_update().get(pk=report_id)
    if report.status != R.FORWARDED:
        return False
    if Terlapor.objects.filter(report_id=report_id).exclude(case_status__in=CASE_OUTCOMES).exists():
        return False
    transition_report(report, R.CLOSED, system=True, note="Semua terlapor telah mencapai hasil akhir.")
    from reports.emails import email_reporter_closed  # the e-mail module reads outcomes; imported late on purpose

    email_reporter_closed(report)
    return True


def deadline_on_receipt(received_on: date) -> dict:
    """The deadline fields of a report that has just arrived (verification starts)."""
    return deadline_fields(REPORT_DEADLINES[R.RECEIVED], received_on)


def report_is_open(report: Report) -> bool:
    return report.status not in REPORT_FINISHED
