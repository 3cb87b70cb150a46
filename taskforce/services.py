"""Writes of the Satgas: its decision on a case outside the SKB matrix (B13).

For a row the matrix does not cover, the Satgas decides the track and level
before the recommending authority issues its recommendation; the recommendation
must then follow it (reports.recommendations.issue_recommendation checks that).
The decision is kept on the case and its audit line is a CaseEvent: taskforce
depends on reports only, never on sanctions.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.enums import Level, Track
from reports.enums import CaseStatus
from reports.models import CaseEvent, Recommendation, Terlapor
from reports.recommendations import LEVELS_OF_TRACK
from reports.selectors import terlapor_visible_to
from reports.workflow import StaleReport

__all__ = ["SATGAS_DECISION_OPEN", "record_satgas_decision"]

# The Satgas decides while the case is still before the recommendation.
SATGAS_DECISION_OPEN = frozenset({CaseStatus.PENDING, CaseStatus.CLARIFICATION})


def _label(choices, value: str) -> str:
    return choices(value).label if value in choices.values else value


@transaction.atomic
def record_satgas_decision(terlapor: Terlapor, *, actor, track: str, level: str, reasoning: str) -> None:
    """Record the Satgas's track and level for a case whose report is outside the matrix (B13).

    Side effects: sets Terlapor.satgas_track/satgas_level/satgas_reasoning/satgas_decided_at with a
    compare-and-set on the case status (pending or clarification), and appends a CaseEvent whose
    from and to status are the current status, its note the decision. A Satgas may revise its
    decision until the recommendation is issued; every version stays in the case events.
    Raises PermissionDenied (no permission, or a case the actor cannot see), ValidationError with
    messages keyed by field, or StaleReport when another request moved the case first.
    """
    refused = _("Anda tidak berwenang mencatat keputusan Satgas untuk perkara ini.")
    if actor is None or not actor.has_perm("reports.record_satgas_decision"):
        raise PermissionDenied(refused)
    if not terlapor_visible_to(actor).filter(pk=terlapor.pk).exists():
        raise PermissionDenied(refused)

    case = Terlapor.objects.select_related("report__violation_type").get(pk=terlapor.pk)
    violation_type = case.report.violation_type
    reasoning = reasoning.strip()
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    # A report the citizen filed as "tidak tahu" may turn out to be outside the matrix too.
    if violation_type is not None and violation_type.track != Track.SATGAS:
        add(
            NON_FIELD_ERRORS,
            _(
                "Keputusan Satgas hanya untuk pelanggaran di luar matriks (B13); "
                "dugaan pelanggaran laporan ini: %(code)s."
            )
            % {"code": violation_type.code if violation_type else _("tidak diketahui")},
        )
    if Recommendation.objects.filter(terlapor_id=case.pk).exists():
        add(NON_FIELD_ERRORS, _("Rekomendasi perkara ini sudah terbit; keputusan Satgas tidak dapat diubah lagi."))
    elif case.case_status not in SATGAS_DECISION_OPEN:
        add(
            NON_FIELD_ERRORS,
            _("Keputusan Satgas hanya dapat dicatat sebelum rekomendasi (status sekarang: %(status)s).")
            % {"status": case.get_case_status_display()},
        )
    if track not in LEVELS_OF_TRACK:
        add("track", _("Pilih jalur etik, disiplin, atau UU ASN."))
    elif level not in LEVELS_OF_TRACK[track]:
        add(
            "level",
            _("Tingkat %(level)s tidak ada pada jalur %(track)s.")
            % {"level": _label(Level, level) or "-", "track": Track(track).label},
        )
    if not reasoning:
        add("reasoning", _("Pertimbangan Satgas wajib diisi."))
    if errors:
        raise ValidationError(errors)

    decided_at = timezone.now()
    fields = {
        "satgas_track": track,
        "satgas_level": level,
        "satgas_reasoning": reasoning,
        "satgas_decided_at": decided_at,
    }
    # Compare-and-set: the recommendation (which locks this row) or a transition may have moved the case.
    moved = Terlapor.objects.filter(pk=case.pk, case_status=case.case_status).update(**fields)
    if moved != 1:
        raise StaleReport(f"terlapor {case.pk}")
    heading = _("Keputusan Satgas diubah") if case.satgas_track else _("Keputusan Satgas")
    note = _("%(heading)s: %(track)s / %(level)s: %(reasoning)s") % {
        "heading": heading,
        "track": Track(track).label,
        "level": Level(level).label,
        "reasoning": reasoning,
    }
    CaseEvent.objects.create(
        terlapor_id=case.pk, from_status=case.case_status, to_status=case.case_status, actor=actor, note=note
    )
    terlapor.case_status = case.case_status
    for name, value in fields.items():
        setattr(terlapor, name, value)
