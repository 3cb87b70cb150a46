"""Where each terlapor's case stands, in plain Indonesian for the reporter: outcome, dates, what happens next.

Used by the status page and the reporter's e-mails. Only what the reporter may read: the names
they gave, the statuses, the recommendation's track and level, the sanction's kind and date, and
deadlines. Never the actor, an internal note, a letter's text or anything of another report.

The sanction lives in the sanctions app, which reports does not import: sanctions registers a
reader (register_sanction_reader, from its AppConfig.ready) that returns, per terlapor id, the
kind and the date of the SK.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from netralitas.calendar import format_date
from reports.enums import CaseStatus, LeftServiceReason, ReportStatus
from reports.models import CaseEvent, Recommendation, Report, Terlapor


@dataclass(frozen=True)
class SanctionFact:
    kind: str
    sk_date: dt.date


SanctionReader = Callable[[Iterable[int]], dict[int, SanctionFact]]
_sanction_readers: list[SanctionReader] = []


def register_sanction_reader(reader: SanctionReader) -> None:
    """Called by the sanctions app: ``reader(terlapor_ids)`` gives the imposed sanction per terlapor id."""
    if reader not in _sanction_readers:
        _sanction_readers.append(reader)


@dataclass
class CaseOutcome:
    """One terlapor as the reporter sees it."""

    number: int
    name: str
    status: str
    status_label: str
    summary: str
    next_step: str
    finished: bool
    steps: list[tuple[dt.date, str]] = field(default_factory=list)


def _sanctions(ids: list[int]) -> dict[int, SanctionFact]:
    facts: dict[int, SanctionFact] = {}
    for reader in _sanction_readers:
        facts.update(reader(ids))
    return facts


def _local(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


def case_outcomes(report: Report) -> list[CaseOutcome]:
    """Each terlapor of ``report`` in the order named, with its outcome, the dates of its steps and what comes next.

    Three queries (terlapor with recommendation and instansi, their case events), plus one per
    registered sanction reader.
    """
    terlapor = list(
        Terlapor.objects.filter(report_id=report.pk)
        .select_related("instansi", "person", "authority__organisation")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.order_by("created_at", "id").only("terlapor_id", "to_status", "created_at"),
            ),
            Prefetch(
                "recommendation", queryset=Recommendation.objects.only("terlapor_id", "track", "level", "letter_date")
            ),
        )
        .order_by("id")
    )
    facts = _sanctions([item.pk for item in terlapor])
    return [_outcome(number, item, facts.get(item.pk), report) for number, item in enumerate(terlapor, start=1)]


def _recommendation(item: Terlapor) -> Recommendation | None:
    try:
        return item.recommendation
    except Recommendation.DoesNotExist:
        return None


def _outcome(number: int, item: Terlapor, sanction: SanctionFact | None, report: Report) -> CaseOutcome:
    status = item.case_status
    steps = [(_local(event.created_at), str(CaseStatus(event.to_status).label)) for event in item.events.all()]
    authority = item.authority.organisation.name if item.authority_id else _("lembaga pemberi rekomendasi")
    ppk = item.instansi.ppk_display or _("PPK %(instansi)s") % {"instansi": item.instansi.name}
    due = format_date(item.due_date) if item.due_date else ""
    recommendation = _recommendation(item)
    finished = False
    if status == CaseStatus.PENDING:
        if report.status in (ReportStatus.REJECTED, ReportStatus.WITHDRAWN):
            summary, next_step, finished = _("Tidak diproses lebih lanjut karena laporan berhenti."), "", True
        else:
            summary = _("Laporan masih diperiksa; perkara ASN ini belum diteruskan ke lembaga pemberi rekomendasi.")
            next_step = _("Bila hasil kajian menemukan dugaan pelanggaran, perkara diteruskan untuk klarifikasi.")
    elif status == CaseStatus.CLARIFICATION:
        summary = _("Sedang diklarifikasi oleh %(authority)s.") % {"authority": authority}
        next_step = _(
            "%(authority)s menyatakan terbukti atau tidak terbukti dan, bila terbukti, menerbitkan rekomendasi sanksi."
        ) % {"authority": authority}
        if due:
            next_step += " " + _("Tenggat: %(date)s.") % {"date": due}
    elif status == CaseStatus.NOT_PROVEN:
        summary, next_step, finished = (
            _("Tidak terbukti melanggar netralitas."),
            _("Penanganan untuk ASN ini selesai."),
            True,
        )
    elif status in (CaseStatus.RECOMMENDED, CaseStatus.AWAITING_PPK):
        summary = _recommended(recommendation, authority)
        next_step = _("%(ppk)s wajib menjatuhkan sanksi sesuai rekomendasi") % {"ppk": ppk}
        next_step += (_(" paling lambat %(date)s.") % {"date": due}) if due else "."
        if item.overdue_since:
            next_step += " " + _(
                "Tenggat itu sudah terlewati sejak %(date)s; BKN dapat memblokir data kepegawaian ASN ini."
            ) % {"date": format_date(item.overdue_since)}
    elif status in (CaseStatus.SANCTIONED, CaseStatus.DONE):
        summary = _recommended(recommendation, authority) + " "
        if sanction is not None:
            summary += _("Sanksi dijatuhkan: %(kind)s (SK tanggal %(date)s).") % {
                "kind": sanction.kind,
                "date": format_date(sanction.sk_date),
            }
        else:
            summary += _("Sanksi dijatuhkan.")
        next_step, finished = _("Penanganan untuk ASN ini selesai."), True
    else:  # CANNOT_FOLLOW_UP
        reason = item.person.left_service if item.person_id and item.person.left_service else ""
        summary = (
            _("ASN ini sudah keluar dari dinas (%(reason)s), sehingga sanksi tidak dapat dijatuhkan.")
            % {"reason": LeftServiceReason(reason).label}
            if reason
            else _("ASN ini sudah keluar dari dinas, sehingga sanksi tidak dapat dijatuhkan.")
        )
        next_step, finished = _("Penanganan untuk ASN ini selesai."), True
    return CaseOutcome(
        number=number,
        name=item.name,
        status=status,
        status_label=_status_label(status, sanction),
        summary=summary,
        next_step=next_step,
        finished=finished,
        steps=steps,
    )


def _status_label(status: str, sanction: SanctionFact | None) -> str:
    if status in (CaseStatus.SANCTIONED, CaseStatus.DONE) and sanction is not None:
        return _("Sanksi dijatuhkan: %(kind)s") % {"kind": sanction.kind}
    return str(CaseStatus(status).label)


def _recommended(recommendation: Recommendation | None, authority: str) -> str:
    if recommendation is None:
        return _("Terbukti; rekomendasi diterbitkan oleh %(authority)s.") % {"authority": authority}
    return _(
        "Terbukti. %(authority)s menerbitkan rekomendasi tanggal %(date)s: jalur %(track)s, tingkat %(level)s."
    ) % {
        "authority": authority,
        "date": format_date(recommendation.letter_date),
        "track": recommendation.get_track_display(),
        "level": recommendation.get_level_display(),
    }
