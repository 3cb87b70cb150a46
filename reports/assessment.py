"""Bawaslu's kajian of a registered report, and the forwarding of its result to the recommending authority.

The same rule as every staff service (reports.triage.check_report_actor): the report must be visible
to the actor, who needs the step's permission. The status changes through reports.workflow, the one
writer; the reporter is told through the outbox (sent on commit), never with the PIN.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.authority import authority_in_force
from netralitas.calendar import due_date_for, format_date
from netralitas.enums import DeadlineStep
from reports import emails
from reports.enums import CaseStatus, EventKind, KajianResult, ReportStatus
from reports.models import Kajian, Report, ReportEvent, Terlapor
from reports.triage import check_report_actor
from reports.workflow import StaleReport, report_step, transition_case, transition_report

__all__ = ["extend_kajian", "forward_report", "record_kajian", "start_kajian"]


@transaction.atomic
def start_kajian(report: Report, *, actor, note: str = "") -> ReportEvent:
    """Begin Bawaslu's kajian of a registered report (registered → kajian).

    Raises PermissionDenied, TransitionNotAllowed, StaleReport.
    """
    check_report_actor(report, actor, "reports.assess_report")
    return transition_report(report, ReportStatus.KAJIAN, actor=actor, note=note.strip())


@transaction.atomic
def record_kajian(report: Report, *, actor, result: str, reasoning: str, document=None) -> Kajian:
    """Record the result of Bawaslu's kajian: memenuhi / tidak memenuhi unsur, the reasoning, the hasil kajian PDF.

    A registered report enters kajian first. The kajian may be recorded again until the report
    is forwarded or rejected; each version is an internal KAJIAN_RECORDED event.
    Side effects: creates or updates the Kajian row (the PDF stored privately, with its SHA-256).
    Raises PermissionDenied, ValidationError keyed by field, TransitionNotAllowed, StaleReport.
    """
    from reports.evidence import checked_pdf_document  # written alongside; imported late on purpose

    check_report_actor(report, actor, "reports.assess_report")
    errors: dict[str, list[str]] = {}
    if result not in KajianResult.values:
        errors["result"] = [_("Pilih hasil kajian.")]
    reasoning = reasoning.strip()
    if not reasoning:
        errors["reasoning"] = [_("Pertimbangan hasil kajian wajib diisi.")]
    if report.status not in (ReportStatus.REGISTERED, ReportStatus.KAJIAN):
        errors[NON_FIELD_ERRORS] = [
            _("Kajian hanya dicatat untuk laporan teregistrasi (status sekarang: %(status)s).")
            % {"status": report.get_status_display()}
        ]
    digest = ""
    if document is not None and "document" not in errors:
        try:
            digest = checked_pdf_document(document)
        except ValidationError as exc:
            errors["document"] = exc.messages
    if errors:
        raise ValidationError(errors)
    if report.status == ReportStatus.REGISTERED:
        transition_report(report, ReportStatus.KAJIAN, actor=actor)
    fields = {"result": result, "reasoning": reasoning, "recorded_by": actor}
    if document is not None:
        fields.update(document_sha256=digest)
    kajian, _created = Kajian.objects.update_or_create(report=report, defaults=fields)
    if document is not None:
        document.seek(0)
        kajian.document.save("hasil-kajian.pdf", document, save=True)
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.KAJIAN_RECORDED,
        actor=actor,
        note=f"{KajianResult(result).label}. {reasoning}",
        is_public=False,
    )
    return kajian


@transaction.atomic
def extend_kajian(report: Report, *, actor, reason: str) -> ReportEvent:
    """Extend the kajian deadline once, by the extension rule (Pilkada: +2 working days; Pemilu: to 14 days).

    Side effects: the report's due date moves by the extension rule counted from the current due
    date; kajian_extended_at and the reason are stored; an internal DEADLINE_EXTENDED event.
    Raises PermissionDenied, ValidationError (no reason, already extended, not in kajian), StaleReport.
    """
    check_report_actor(report, actor, "reports.assess_report")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Alasan perpanjangan wajib diisi.")]})
    if report.status not in (ReportStatus.REGISTERED, ReportStatus.KAJIAN) or report.due_date is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Hanya tenggat kajian yang dapat diperpanjang.")]})
    if report.kajian_extended_at is not None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Tenggat kajian sudah pernah diperpanjang; hanya sekali.")]})
    step = report_step(report, DeadlineStep.BAWASLU_KAJIAN_EXTENSION)
    extension = due_date_for(step, report.due_date)
    now = timezone.now()
    moved = Report.objects.filter(
        pk=report.pk, status=report.status, kajian_extended_at__isnull=True, due_date=report.due_date
    ).update(
        due_date=extension.due,
        due_explanation=f"{report.due_explanation} {extension.summary()}".strip(),
        kajian_extended_at=now,
        kajian_extension_reason=reason,
    )
    if moved != 1:
        raise StaleReport(report.tracking_code)
    old_due = report.due_date
    report.due_date, report.kajian_extended_at, report.kajian_extension_reason = extension.due, now, reason
    note = _("Tenggat kajian diperpanjang dari %(old)s menjadi %(new)s: %(reason)s") % {
        "old": format_date(old_due),
        "new": format_date(extension.due),
        "reason": reason,
    }
    return ReportEvent.objects.create(
        report=report, kind=EventKind.DEADLINE_EXTENDED, actor=actor, note=note, is_public=False
    )


@transaction.atomic
def forward_report(
    report: Report,
    *,
    actor,
    on: date | None = None,
    letter_number: str = "",
    letter_date: date | None = None,
    note: str = "",
) -> ReportEvent:
    """Forward a report after kajian to the recommending authority in force on ``on`` (default today).

    The kajian must be recorded with the result "memenuhi unsur" (a report that does not meet
    them is rejected instead). ``letter_number`` / ``letter_date``: Bawaslu's forwarding letter
    (the date defaults to ``on``), kept on the report.
    Side effects: kajian → forwarded; every terlapor keeps that authority (one
    UPDATE) and their case moves pending → clarification with its deadline from ``on``; the
    reporter is e-mailed (if they gave an address).
    Raises PermissionDenied, ValidationError (no kajian, or not "memenuhi"; a letter dated in the
    future), netralitas.authority.NoAuthorityInForce, TransitionNotAllowed, StaleReport.
    """
    check_report_actor(report, actor, "reports.forward_report")
    on = on or timezone.localdate()
    letter_date = letter_date or on
    kajian = Kajian.objects.filter(report=report).first()
    if kajian is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("Catat hasil kajian sebelum meneruskan laporan.")]})
    if kajian.result != KajianResult.MEMENUHI:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("Hasil kajian tidak memenuhi unsur: laporan ditolak, tidak diteruskan.")]}
        )
    if letter_date > timezone.localdate():
        raise ValidationError({"letter_date": [_("Tanggal surat tidak boleh sesudah hari ini.")]})
    received_on = timezone.localdate(report.received_at)
    if min(on, letter_date) < received_on:
        # A forwarding before the receipt would count the authority's and the PPK's working days from a day
        # the report did not exist (the dashboards' median report -> recommendation came out negative).
        raise ValidationError(
            {
                "letter_date": [
                    _("Tanggal penerusan tidak boleh sebelum laporan diterima (%(date)s).")
                    % {"date": format_date(received_on)}
                ]
            }
        )
    authority = authority_in_force(on)
    organisation = authority.organisation.name
    letter_number = " ".join(letter_number.split())
    text = _("Diteruskan pada %(date)s kepada %(authority)s.") % {"date": format_date(on), "authority": organisation}
    if letter_number:
        text += " " + _("Surat %(number)s tanggal %(date)s.") % {
            "number": letter_number,
            "date": format_date(letter_date),
        }
    if note.strip():
        text += f" {note.strip()}"
    event = transition_report(
        report,
        ReportStatus.FORWARDED,
        actor=actor,
        note=text,
        public_message=_("Hasil kajian diteruskan kepada %(organisation)s untuk klarifikasi dan rekomendasi.")
        % {"organisation": organisation},
    )
    Report.objects.filter(pk=report.pk).update(forward_letter_number=letter_number, forward_letter_date=letter_date)
    report.forward_letter_number, report.forward_letter_date = letter_number, letter_date
    Terlapor.objects.filter(report=report).update(authority=authority)
    for terlapor in Terlapor.objects.filter(report=report).order_by("pk"):
        transition_case(terlapor, CaseStatus.CLARIFICATION, actor=actor, start=on)
    emails.email_reporter_forwarded(report, event, authority=organisation)
    return event
