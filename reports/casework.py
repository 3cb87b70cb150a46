"""The recommending authority's other work on a case: its clarification, and the outcomes besides a recommendation.

After clarification a case may be declared not proven; it is closed when the ASN left the service, or
cancelled (with its recommendation, if one was issued). Who may act is checked by the recommendation's
own rules (reports.recommendations.check_case_actor, check_issuer), and the case moves through
reports.workflow, the one writer of Terlapor.case_status.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.calendar import format_date
from reports.enums import CASE_OUTCOMES, CaseStatus, LeftServiceReason
from reports.models import CaseEvent, Clarification, Person, Recommendation, Terlapor
from reports.recommendations import check_case_actor, check_issuer, locked_case, require_case_status
from reports.workflow import CASE_TRANSITIONS, transition_case

__all__ = ["cancel_case", "close_case_left_service", "declare_not_proven", "record_clarification"]


@transaction.atomic
def declare_not_proven(terlapor: Terlapor, *, actor, reasoning: str) -> CaseEvent:
    """Close one terlapor's case as not proven (tidak terbukti) after clarification.

    Side effects: moves the case clarification → not_proven with ``reasoning`` as the event's
    note; closes the report when this was its last open case.
    Raises PermissionDenied, ValidationError (no reasoning, case not in clarification) or StaleReport.
    """
    check_case_actor(
        terlapor,
        actor,
        "reports.issue_recommendation",
        _("Anda tidak berwenang menyatakan perkara ini tidak terbukti."),
    )
    terlapor = locked_case(terlapor)
    require_case_status(
        terlapor,
        {CaseStatus.CLARIFICATION},
        _("Hanya perkara dalam tahap klarifikasi yang dapat dinyatakan tidak terbukti (status sekarang: %(status)s)."),
    )
    reasoning = reasoning.strip()
    if not reasoning:
        raise ValidationError({"reasoning": [_("Pertimbangan wajib diisi.")]})
    return transition_case(terlapor, CaseStatus.NOT_PROVEN, actor=actor, note=reasoning)


@transaction.atomic
def close_case_left_service(terlapor: Terlapor, *, actor, reason: str, note: str = "") -> CaseEvent:
    """Close one terlapor's case because the ASN left the service (retired, dismissed, resigned, died).

    Side effects: records ``reason`` on the register entry (Person.left_service) when the terlapor
    is linked to one; moves the case to cannot_follow_up with the reason in the event's note;
    closes the report when this was its last open case.
    Raises PermissionDenied, ValidationError (unknown reason, case in a state that cannot close)
    or StaleReport.
    """
    check_case_actor(terlapor, actor, "reports.close_case", _("Anda tidak berwenang menutup perkara ini."))
    terlapor = locked_case(terlapor)
    closable = {frm for frm, edges in CASE_TRANSITIONS.items() if CaseStatus.CANNOT_FOLLOW_UP in edges}
    require_case_status(
        terlapor,
        closable,
        _("Perkara dengan status %(status)s tidak dapat dinyatakan tidak dapat ditindaklanjuti."),
    )
    if reason not in LeftServiceReason.values:
        raise ValidationError({"reason": [_("Pilih alasan ASN keluar dari dinas.")]})
    label = LeftServiceReason(reason).label
    text = _("ASN sudah keluar dari dinas: %(reason)s.") % {"reason": label}
    if note.strip():
        text = f"{text} {note.strip()}"
    event = transition_case(terlapor, CaseStatus.CANNOT_FOLLOW_UP, actor=actor, note=text)
    if terlapor.person_id is not None:
        Person.objects.filter(pk=terlapor.person_id).update(left_service=reason)
    return event


@transaction.atomic
def record_clarification(terlapor: Terlapor, *, actor, held_on: date, heard: str, summary: str = "") -> Clarification:
    """Record the authority's clarification of one case: the day and who was heard (the case stays in clarification).

    Side effects: an append-only Clarification and a CaseEvent (from and to clarification) with its note.
    Raises PermissionDenied, ValidationError keyed by field, or StaleReport.
    """
    check_case_actor(
        terlapor, actor, "reports.record_clarification", _("Anda tidak berwenang mencatat klarifikasi perkara ini.")
    )
    terlapor = locked_case(terlapor)
    check_issuer(terlapor, actor)
    require_case_status(
        terlapor,
        {CaseStatus.CLARIFICATION},
        _("Klarifikasi dicatat selama perkara dalam tahap klarifikasi (status sekarang: %(status)s)."),
    )
    heard, summary = heard.strip(), summary.strip()
    errors: dict[str, list[str]] = {}
    if held_on is None:
        errors["held_on"] = [_("Tanggal klarifikasi wajib diisi.")]
    elif held_on > timezone.localdate():
        errors["held_on"] = [_("Tanggal klarifikasi tidak boleh sesudah hari ini.")]
    if not heard:
        errors["heard"] = [_("Sebutkan siapa yang dimintai keterangan.")]
    if errors:
        raise ValidationError(errors)
    clarification = Clarification.objects.create(
        terlapor=terlapor, held_on=held_on, heard=heard, summary=summary, recorded_by=actor
    )
    note = _("Klarifikasi %(date)s: %(heard)s.") % {"date": format_date(held_on), "heard": heard}
    CaseEvent.objects.create(
        terlapor=terlapor,
        from_status=CaseStatus.CLARIFICATION,
        to_status=CaseStatus.CLARIFICATION,
        actor=actor,
        note=f"{note} {summary}".strip(),
    )
    return clarification


@transaction.atomic
def cancel_case(terlapor: Terlapor, *, actor, reason: str) -> CaseEvent:
    """Cancel one terlapor's case (dibatalkan) with a reason; a recommendation already issued is cancelled with it.

    Side effects: the case moves to cancelled (an outcome: the report closes when it was its last
    open case); the Recommendation, if any, gets cancelled_at/by and the reason; the PPK is no longer
    expected to act. Raises PermissionDenied, ValidationError (no reason, a case already at an
    outcome) or StaleReport.
    """
    check_case_actor(terlapor, actor, "reports.cancel_case", _("Anda tidak berwenang membatalkan perkara ini."))
    terlapor = locked_case(terlapor)
    reason = reason.strip()
    if terlapor.case_status in CASE_OUTCOMES:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("Perkara yang sudah berakhir (%(status)s) tidak dapat dibatalkan.")
                    % {"status": terlapor.get_case_status_display()}
                ]
            }
        )
    if not reason:
        raise ValidationError({"reason": [_("Alasan pembatalan wajib diisi.")]})
    cancelled = Recommendation.objects.filter(terlapor=terlapor, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now(), cancelled_by=actor, cancel_reason=reason
    )
    text = _("Perkara dibatalkan: %(reason)s") % {"reason": reason}
    if cancelled:
        text = _("Perkara dan rekomendasinya dibatalkan: %(reason)s") % {"reason": reason}
    return transition_case(terlapor, CaseStatus.CANCELLED, actor=actor, note=text)
