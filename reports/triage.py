"""Staff handling of a report: verification, re-routing, temuan, assignment, links (kajian: reports.assessment).

Each service checks who acts (the report must be visible to them, they need
the step's permission, and during verification they must work at the intake
organisation, the only place that may know the reporter), then changes the
status through reports.workflow, the one writer. Messages to the reporter go
through the outbox (sent on commit) and never carry the PIN.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas import visibility
from netralitas.elections import election_context
from netralitas.enums import BAWASLU_KINDS, DeadlineStep
from netralitas.models import Membership, Organisation, Region, ViolationType
from reports import emails
from reports.confidentiality import independent_of
from reports.enums import REPORT_FINISHED, EventKind, ReportKind, ReportStatus
from reports.models import Report, ReportEvent, Terlapor
from reports.selectors import reports_visible_to
from reports.services import TerlaporEntry, insert_with_fresh_code
from reports.workflow import NoteRequired, StaleReport, TransitionNotAllowed, deadline_fields, transition_report

__all__ = [
    "assign_report",
    "link_reports",
    "record_temuan",
    "register_report",
    "reject_report",
    "request_completion",
    "reroute_report",
    "start_verification",
]

# Statuses in which the intake organisation verifies: only its own staff (or a national body) act.
VERIFICATION_STATUSES = frozenset({ReportStatus.RECEIVED, ReportStatus.VERIFYING, ReportStatus.NEEDS_COMPLETION})
DEFAULT_STATUS_URL = None  # the status page on settings.SITE_URL (reports.emails.status_url)


def _require_visible(report: Report, actor, *others: Report) -> None:
    """Raise PermissionDenied unless ``actor`` may see ``report`` (and ``others``): the visibility rule."""
    wanted = {report.pk, *(other.pk for other in others)}
    if actor is None or reports_visible_to(actor).filter(pk__in=wanted).count() != len(wanted):
        raise PermissionDenied(_("Laporan ini tidak dapat Anda tangani."))


def _require_perm(actor, permission: str, message: str | None = None) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied(message or _("Anda tidak berwenang melakukan tindakan ini."))


def _require_intake_staff(report: Report, actor, message: str) -> None:
    """Raise PermissionDenied unless ``actor`` works at the intake organisation (or at a national body)."""
    scope = visibility.scope_for(actor)
    if not scope.national and scope.organisation_id != report.intake_organisation_id:
        raise PermissionDenied(message)


def check_report_actor(report: Report, actor, permission: str) -> None:
    """Raise PermissionDenied unless ``actor`` sees ``report``, holds ``permission`` and may act at this stage."""
    _require_visible(report, actor)
    _require_perm(actor, permission)
    if report.status in VERIFICATION_STATUSES:
        _require_intake_staff(
            report, actor, _("Hanya petugas organisasi penerima yang dapat memverifikasi laporan ini.")
        )


@transaction.atomic
def start_verification(report: Report, *, actor, note: str = "") -> ReportEvent:
    """Take a received report into verification (received → verifying); the verification clock keeps running.

    Raises PermissionDenied, TransitionNotAllowed, StaleReport.
    """
    check_report_actor(report, actor, "reports.verify_report")
    return transition_report(report, ReportStatus.VERIFYING, actor=actor, note=note.strip())


@transaction.atomic
def request_completion(
    report: Report, *, actor, message: str, status_url: str | None = DEFAULT_STATUS_URL
) -> ReportEvent:
    """Ask the reporter for more information (verifying → needs_completion); the verification clock pauses.

    ``message`` is shown on the status page and e-mailed to the reporter (if they
    gave an address; never the PIN), with ``status_url`` where to answer.
    Raises PermissionDenied, NoteRequired (empty message), TransitionNotAllowed, StaleReport.
    """
    check_report_actor(report, actor, "reports.verify_report")
    message = message.strip()
    event = transition_report(
        report, ReportStatus.NEEDS_COMPLETION, actor=actor, kind=EventKind.INFO_REQUESTED, public_message=message
    )
    emails.email_reporter_needs_completion(report, event, message=message, status_url=status_url)
    return event


@transaction.atomic
def reject_report(report: Report, *, actor, reason: str, status_url: str | None = DEFAULT_STATUS_URL) -> ReportEvent:
    """Reject ``report`` with a reason the reporter reads (→ rejected); e-mails the reporter (never the PIN).

    Raises PermissionDenied, NoteRequired (empty reason), TransitionNotAllowed, StaleReport.
    """
    check_report_actor(report, actor, "reports.reject_report")
    reason = reason.strip()
    event = transition_report(report, ReportStatus.REJECTED, actor=actor, public_message=reason)
    emails.email_reporter_rejected(report, event, reason=reason, status_url=status_url)
    return event


@transaction.atomic
def register_report(
    report: Report, *, actor, formal_met: bool = True, material_met: bool = True, note: str = ""
) -> ReportEvent:
    """Register a verified report (verifying → registered) with the verifiers' finding; the kajian clock starts.

    ``formal_met`` / ``material_met``: the verifiers confirm the formal requirements (reporter,
    terlapor, within the reporting window) and the material ones (date, place, account, evidence)
    are met (domain.md §7); both are stored on the report and in the event's note.
    Side effects: every terlapor is linked to the register of ASN (reports.register.link_register);
    the reporter is e-mailed (if they gave an address).
    Raises PermissionDenied, ValidationError (a requirement not met: reject instead),
    TransitionNotAllowed, StaleReport.
    """
    from reports.register import link_register  # written alongside; imported late on purpose

    check_report_actor(report, actor, "reports.register_report")
    errors = {}
    if not formal_met:
        errors["formal_met"] = [_("Laporan yang tidak memenuhi syarat formal ditolak atau diminta dilengkapi.")]
    if not material_met:
        errors["material_met"] = [_("Laporan yang tidak memenuhi syarat materiel ditolak atau diminta dilengkapi.")]
    if errors:
        raise ValidationError(errors)
    finding = _("Syarat formal dan materiel terpenuhi.")
    event = transition_report(
        report,
        ReportStatus.REGISTERED,
        actor=actor,
        kind=EventKind.VERIFIED,
        note=f"{finding} {note.strip()}".strip(),
        public_message=_("Laporan memenuhi syarat dan sudah diregistrasi."),
    )
    Report.objects.filter(pk=report.pk).update(verified_formal=True, verified_material=True)
    report.verified_formal = report.verified_material = True
    link_register(report)
    emails.email_reporter_registered(report, event)
    return event


def _organisation_label(organisation: Organisation | None) -> str:
    return organisation.name if organisation is not None else _("antrean nasional")


@transaction.atomic
def reroute_report(report: Report, *, actor, to: Organisation, reason: str) -> ReportEvent:
    """Move ``report`` to another intake organisation, with a reason; records an internal NOTE event.

    The assignee (staff of the old organisation) is cleared. The status does not change.
    Raises PermissionDenied, NoteRequired (empty reason), ValueError (inactive or unchanged
    target, or a target in a terlapor's chain of command), TransitionNotAllowed (a finished
    report), StaleReport.
    """
    _require_visible(report, actor)
    _require_perm(actor, "reports.reroute_report", _("Anda tidak berwenang mengalihkan laporan."))
    reason = reason.strip()
    if not reason:
        raise NoteRequired(_("Alasan pengalihan wajib diisi."))
    if not to.is_active:
        raise ValueError(_("Organisasi tujuan tidak aktif."))
    if to.pk == report.intake_organisation_id:
        raise ValueError(_("Laporan sudah berada di organisasi itu."))
    if not independent_of(to.pk, report.terlapor.values_list("instansi_id", flat=True)):
        # The accused's chain of command would become the intake and so know the reporter (issue 8).
        raise ValueError(
            _("%(organisation)s adalah instansi terlapor (atau bagian darinya); laporan tidak dapat dialihkan ke sana.")
            % {"organisation": to.name}
        )
    if report.status in REPORT_FINISHED:
        raise TransitionNotAllowed(_("Laporan yang sudah selesai tidak dapat dialihkan."))
    previous = report.intake_organisation
    moved = Report.objects.filter(
        pk=report.pk, intake_organisation_id=report.intake_organisation_id, status=report.status
    ).update(intake_organisation=to, assigned_to=None)
    if moved != 1:
        raise StaleReport(report.tracking_code)
    report.intake_organisation, report.assigned_to = to, None
    note = _("Dialihkan dari %(old)s ke %(new)s: %(reason)s") % {
        "old": _organisation_label(previous),
        "new": to.name,
        "reason": reason,
    }
    return ReportEvent.objects.create(report=report, kind=EventKind.NOTE, actor=actor, note=note, is_public=False)


@transaction.atomic
def record_temuan(
    *,
    actor,
    region: Region,
    incident_date: date,
    place: str,
    description: str,
    terlapor: Sequence[TerlaporEntry],
    violation_type: ViolationType | None = None,
) -> Report:
    """Record a Bawaslu finding (temuan): a TEMUAN report that enters at registered.

    Side effects: the Report (intake = the actor's Bawaslu, kajian deadline from
    today, election and phase derived), its Terlapor rows, an internal SUBMITTED
    event, and the terlapor linked to the register. No reporter, no PIN, no e-mail.
    Raises PermissionDenied (no permission, not a Bawaslu officer, region outside
    their supervision), ValueError without terlapor.
    """
    if actor is None:
        raise PermissionDenied(_("Anda tidak berwenang mencatat temuan."))
    _require_perm(actor, "reports.record_temuan", _("Anda tidak berwenang mencatat temuan."))
    scope = visibility.scope_for(actor)
    if scope.organisation_kind not in BAWASLU_KINDS:
        raise PermissionDenied(_("Temuan hanya dicatat oleh petugas Bawaslu."))
    if not scope.national and region.pk not in scope.region_ids:
        raise PermissionDenied(_("Wilayah kejadian berada di luar wilayah pengawasan Anda."))
    if not terlapor:
        raise ValueError(_("Temuan menyebut sedikitnya satu terlapor."))
    from reports.register import link_register  # written alongside; imported late on purpose

    now = timezone.now()
    contexts = election_context(region, incident_date)
    nearest = contexts[0] if contexts else None
    report = Report(
        kind=ReportKind.TEMUAN,
        status=ReportStatus.REGISTERED,
        intake_organisation_id=scope.organisation_id,
        incident_date=incident_date,
        learned_date=incident_date,
        region=region,
        place=place,
        description=description,
        violation_type=violation_type,
        election=nearest.election if nearest else None,
        period_phase=nearest.phase if nearest else "",
        received_at=now,
        **deadline_fields(DeadlineStep.BAWASLU_KAJIAN, timezone.localdate(now)),
    )
    insert_with_fresh_code(report)
    Terlapor.objects.bulk_create(
        Terlapor(
            report=report,
            name=entry.name,
            nip=entry.nip,
            position=entry.position,
            work_unit=entry.work_unit,
            instansi=entry.instansi,
            employee_status=entry.employee_status,
        )
        for entry in terlapor
    )
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.SUBMITTED,
        to_status=ReportStatus.REGISTERED,
        actor=actor,
        note=_("Temuan Bawaslu"),
        is_public=False,
    )
    link_register(report)
    return report


@transaction.atomic
def assign_report(report: Report, *, actor, to_user) -> None:
    """Give ``report`` to ``to_user`` (None: nobody), a staff member of its intake organisation.

    Side effects: sets assigned_to; an internal NOTE event. Raises PermissionDenied
    (not visible, no permission, or the actor does not work at the intake
    organisation), ValueError (``to_user`` is not active staff of the intake organisation).
    """
    _require_visible(report, actor)
    _require_perm(actor, "reports.change_report", _("Anda tidak berwenang menugaskan laporan."))
    _require_intake_staff(report, actor, _("Hanya organisasi penerima yang menugaskan petugasnya."))
    if to_user is not None and not (
        report.intake_organisation_id is not None
        and to_user.is_active
        and Membership.objects.filter(
            user=to_user, organisation_id=report.intake_organisation_id, is_active=True
        ).exists()
    ):
        raise ValueError(_("Petugas yang ditunjuk bukan petugas organisasi penerima laporan."))
    Report.objects.filter(pk=report.pk).update(assigned_to=to_user)
    report.assigned_to = to_user
    note = (
        _("Ditugaskan kepada %(user)s.") % {"user": to_user.get_username()}
        if to_user is not None
        else _("Penugasan dicabut.")
    )
    ReportEvent.objects.create(report=report, kind=EventKind.NOTE, actor=actor, note=note, is_public=False)


@transaction.atomic
def link_reports(report: Report, other: Report, *, actor) -> None:
    """Link two reports of the same matter (symmetrical); an internal NOTE event on each. Idempotent.

    Raises PermissionDenied (either not visible, or no permission), ValueError (a report with itself).
    """
    _require_visible(report, actor, other)
    _require_perm(actor, "reports.change_report", _("Anda tidak berwenang menautkan laporan."))
    if report.pk == other.pk:
        raise ValueError(_("Laporan tidak dapat ditautkan dengan dirinya sendiri."))
    if report.linked_reports.filter(pk=other.pk).exists():
        return
    report.linked_reports.add(other)
    ReportEvent.objects.bulk_create(
        ReportEvent(
            report=one,
            kind=EventKind.NOTE,
            actor=actor,
            note=_("Ditautkan dengan laporan %(code)s.") % {"code": two.tracking_code},
            is_public=False,
        )
        for one, two in ((report, other), (other, report))
    )
