"""Handovers between recommending bodies (SE MenPANRB 4/2024), applied to the cases in hand.

On 4 September 2024 KASN's functions passed to BKN. The SE's transitional rule, kept as
data (netralitas.models.AuthorityTransition): a case KASN had received but not yet processed
(no recommendation issued) continues at BKN; a case KASN had already processed (its
recommendation issued) reports its follow-up to the Menteri PANRB. Each case keeps a CaseEvent.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.calendar import format_date
from netralitas.models import AuthorityTransition
from reports.enums import CASE_OUTCOMES, CaseStatus
from reports.models import CaseEvent, Terlapor

# Received by the old body, nothing issued yet: the new body takes the case over.
NOT_YET_PROCESSED = (CaseStatus.PENDING, CaseStatus.CLARIFICATION)


@transaction.atomic
def apply_authority_transitions(today: date | None = None) -> int:
    """Apply every handover in force by ``today`` (default today) not yet applied; return the cases touched.

    Side effects: cases of the old body not yet processed get the new authority; open cases it
    had processed get ``supervised_by`` (where their follow-up is reported); one CaseEvent each
    (from and to its current status); the transition's ``applied_at``. Idempotent: a transition
    is applied once (row lock + applied_at).
    """
    today = today or timezone.localdate()
    touched = 0
    due = (
        AuthorityTransition.objects.select_for_update(of=("self",))
        .filter(applied_at__isnull=True, effective_on__lte=today)
        .select_related("from_authority__organisation", "to_authority__organisation", "processed_report_to")
        .order_by("effective_on", "pk")
    )
    for transition in due:
        touched += _apply(transition)
        transition.applied_at = timezone.now()
        transition.save(update_fields=["applied_at"])
    return touched


def _apply(transition: AuthorityTransition) -> int:
    old, new = transition.from_authority, transition.to_authority
    when = format_date(transition.effective_on)
    moving = list(
        Terlapor.objects.select_for_update()
        .filter(authority=old, case_status__in=NOT_YET_PROCESSED)
        .values_list("pk", "case_status")
    )
    Terlapor.objects.filter(pk__in=[pk for pk, _status in moving]).update(authority=new)
    note = _("Per %(date)s perkara yang belum diproses %(old)s dilanjutkan oleh %(new)s (%(basis)s).") % {
        "date": when,
        "old": old.organisation.name,
        "new": new.organisation.name,
        "basis": _short_basis(transition),
    }
    events = [CaseEvent(terlapor_id=pk, from_status=status, to_status=status, note=note) for pk, status in moving]

    processed: list[tuple[int, str]] = []
    if transition.processed_report_to_id is not None:
        processed = list(
            Terlapor.objects.select_for_update()
            .filter(authority=old)
            .exclude(case_status__in=[*NOT_YET_PROCESSED, *CASE_OUTCOMES])
            .values_list("pk", "case_status")
        )
        Terlapor.objects.filter(pk__in=[pk for pk, _status in processed]).update(
            supervised_by=transition.processed_report_to
        )
        report_note = _("Per %(date)s tindak lanjut rekomendasi %(old)s dilaporkan kepada %(to)s (%(basis)s).") % {
            "date": when,
            "old": old.organisation.name,
            "to": transition.processed_report_to.name,
            "basis": _short_basis(transition),
        }
        events += [
            CaseEvent(terlapor_id=pk, from_status=status, to_status=status, note=report_note)
            for pk, status in processed
        ]
    CaseEvent.objects.bulk_create(events)
    return len(moving) + len(processed)


def _short_basis(transition: AuthorityTransition) -> str:
    return transition.legal_basis.split(":", 1)[0]
