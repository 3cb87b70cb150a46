"""The one writer of Report.status.

TRANSITIONS maps each status to the statuses it may move to and who may take
that edge: a permission codename for staff, or REPORTER for the citizen
holding the tracking code and PIN. Staff edges (verify, register, kajian,
forward …) arrive with the case workflow (issue 4).
"""

from __future__ import annotations

from django.db import transaction

from reports.enums import EventKind, ReportStatus
from reports.models import Report, ReportEvent

REPORTER = "reporter"

TRANSITIONS: dict[str, dict[str, str]] = {
    ReportStatus.RECEIVED: {ReportStatus.WITHDRAWN: REPORTER},
    ReportStatus.VERIFYING: {ReportStatus.WITHDRAWN: REPORTER},
    ReportStatus.NEEDS_COMPLETION: {ReportStatus.VERIFYING: REPORTER, ReportStatus.WITHDRAWN: REPORTER},
}


class TransitionNotAllowed(Exception):
    """The edge is not in TRANSITIONS, or the actor may not take it."""


class StaleReport(Exception):
    """Another request moved the report first."""


def allowed_transitions(report: Report, *, actor=None) -> list[str]:
    """Statuses ``actor`` (None = the reporter) may move ``report`` to now."""
    edges = TRANSITIONS.get(report.status, {})
    if actor is None:
        return [to for to, who in edges.items() if who == REPORTER]
    return [to for to, who in edges.items() if who != REPORTER and actor.has_perm(who)]


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
) -> ReportEvent:
    """Move ``report`` to ``to`` and record the event; ``actor`` None means the reporter.

    Compare-and-set on the status read by the caller, so of two concurrent
    requests exactly one wins. Raises TransitionNotAllowed or StaleReport.
    """
    frm = report.status
    who = TRANSITIONS.get(frm, {}).get(to)
    if who is None:
        raise TransitionNotAllowed(f"{frm} → {to}")
    if (actor is None) != (who == REPORTER) or (actor is not None and not actor.has_perm(who)):
        raise TransitionNotAllowed(f"{frm} → {to}")
    moved = Report.objects.filter(pk=report.pk, status=frm).update(status=to)
    if moved != 1:
        raise StaleReport(report.tracking_code)
    report.status = to
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
