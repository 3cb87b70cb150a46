"""Retention of sealed data: once a report has been closed (rejected, withdrawn or finished) for longer than
the retention period an administrator keeps (netralitas.security.models.RetentionPolicy, 5 years by
default), the reporter's identity, the witnesses and the original evidence files go.

The case stays: the report, its terlapor and their cases, every event, the evidence rows with their
SHA-256 and the clean copies without metadata. Each purge is a ReportEvent (the database says what was
done, so a second run purges nothing more) and a line of the security log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.security import log_event
from netralitas.security.selectors import retention_period
from reports.confidentiality import SEALED_REPORT_FIELDS
from reports.enums import REPORT_FINISHED, EventKind, EvidenceKind
from reports.evidence import delete_evidence_files
from reports.models import Evidence, Report, ReportEvent

# The report's fields that are blanked: the reporter's identity and the witnesses. (Issue 8's confidentiality
# rules name the same sealed data; keep the two lists one.)
PURGED_REPORT_FIELDS = SEALED_REPORT_FIELDS  # one list: what is sealed is what retention purges
# The evidence fields that go: the original file (deleted from storage) and the name the reporter gave it.
PURGED_EVIDENCE_FIELDS = ("file", "original_name")

_IDENTITY_WORDS = {
    "reporter_name": "nama",
    "reporter_nik": "NIK",
    "reporter_address": "alamat",
    "reporter_phone": "telepon",
    "reporter_email": "surel",
}


@dataclass(frozen=True)
class PurgePlan:
    """What a purge of one report removes (names of fields, counts: never the values)."""

    report_id: int
    tracking_code: str
    closed_at: datetime | None
    identity: tuple[str, ...]
    witnesses: bool
    original_files: int

    def parts(self) -> list[str]:
        parts = []
        if self.identity:
            parts.append(_("identitas pelapor (%(fields)s)") % {"fields": ", ".join(self.identity)})
        if self.witnesses:
            parts.append(_("saksi"))
        if self.original_files:
            parts.append(_("%(count)d berkas bukti asli") % {"count": self.original_files})
        return parts


def reports_due_for_purge(now: datetime) -> QuerySet[Report]:
    """Finished reports closed at or before ``now`` minus the retention period, not purged yet, oldest first.

    The closing time is that of the event that moved the report into its finished status.
    """
    cutoff = now - retention_period()
    closing = (
        ReportEvent.objects.filter(report=OuterRef("pk"), to_status__in=REPORT_FINISHED)
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )
    purged = ReportEvent.objects.filter(report=OuterRef("pk"), kind=EventKind.PURGED)
    return (
        Report.objects.filter(status__in=REPORT_FINISHED, received_at__lte=cutoff)
        .annotate(closed_at=Coalesce(Subquery(closing), F("updated_at")))
        .filter(closed_at__lte=cutoff)
        .exclude(Exists(purged))
        .order_by("closed_at", "pk")
    )


def plan_purge(report: Report) -> PurgePlan:
    """What purging ``report`` (annotated with ``closed_at``) would remove."""
    files = Evidence.objects.filter(report=report, kind=EvidenceKind.FILE).exclude(file="").count()
    return PurgePlan(
        report_id=report.pk,
        tracking_code=report.tracking_code,
        closed_at=getattr(report, "closed_at", None),  # annotated by reports_due_for_purge
        identity=tuple(word for field, word in _IDENTITY_WORDS.items() if getattr(report, field)),
        witnesses=bool(report.witnesses),
        original_files=files,
    )


def purge_sealed_data(report_id: int, *, years: int) -> ReportEvent | None:
    """Blank the sealed fields of one finished report and delete its original evidence files.

    Side effects: updates the report and its evidence rows, appends a PURGED ReportEvent, writes the
    security log, then deletes the files (after the rows no longer name them; the daily orphan sweep
    removes any file a failed delete left). Returns None when the report is open or already purged.
    """
    with transaction.atomic():
        report = Report.objects.select_for_update().filter(pk=report_id, status__in=REPORT_FINISHED).first()
        if report is None or ReportEvent.objects.filter(report=report, kind=EventKind.PURGED).exists():
            return None
        plan = plan_purge(report)
        evidence = Evidence.objects.filter(report=report)
        names = list(evidence.exclude(file="").values_list("file", flat=True))
        Report.objects.filter(pk=report.pk).update(**dict.fromkeys(PURGED_REPORT_FIELDS, ""))
        evidence.update(**dict.fromkeys(PURGED_EVIDENCE_FIELDS, ""))
        event = ReportEvent.objects.create(
            report=report, kind=EventKind.PURGED, is_public=False, note=describe(plan, years)
        )
        log_event("retention_purge", report_id=report.pk, files=len(names), years=years)
    delete_evidence_files(names)
    return event


def describe(plan: PurgePlan, years: int) -> str:
    """The purge event's note, in Indonesian."""
    parts = plan.parts()
    if not parts:
        return _("Masa retensi %(years)s tahun berakhir: tidak ada data pelapor yang tersisa untuk dihapus.") % {
            "years": years
        }
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + _(", dan ") + parts[-1]
    return _(
        "Masa retensi %(years)s tahun berakhir: %(listed)s dihapus. "
        "Kode hash SHA-256 dan salinan tanpa metadata tetap disimpan."
    ) % {"years": years, "listed": listed}


def purge_due_sealed_data(now: datetime | None = None) -> int:
    """Purge every report due (see reports_due_for_purge); returns how many were purged."""
    now = now or timezone.now()
    years = retention_period().years
    purged = 0
    for report_id in list(reports_due_for_purge(now).values_list("pk", flat=True)):
        if purge_sealed_data(report_id, years=years) is not None:
            purged += 1
    return purged
