"""Requesting and building a monev: small periods at once, large ones in a Celery task that shows progress.

The MonevReport row is the job: the database, not the broker, says whether it was built
(build_monev_files claims it with a compare-and-set, so a second delivery does nothing), and
a periodic sweep picks up rows the broker never delivered or a dead worker left behind.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from taskforce import permissions
from taskforce.enums import MonevStatus
from taskforce.models import MonevReport, Satgas
from taskforce.monev import build_monev, reports_in_period
from taskforce.monev_files import monev_pdf, monev_xlsx
from taskforce.selectors import member_of

logger = logging.getLogger(__name__)

# A running job not finished after this long was abandoned by its worker: it may be claimed again.
STALE_AFTER = timedelta(minutes=30)
# The longest period one monev covers (a decree runs for a year or two).
MAX_PERIOD_DAYS = 3 * 366


def inline_limit() -> int:
    """Periods with up to this many reports are built in the request; larger ones in a Celery task."""
    return getattr(settings, "NETRALITAS_MONEV_INLINE_REPORTS", 300)


def request_monev(satgas: Satgas, *, actor, start: date, end: date) -> MonevReport:
    """Ask for the monev of ``satgas`` from ``start`` to ``end``; build it now when the period is small.

    A period with more than inline_limit() reports is queued for task_build_monev (on commit).
    Raises PermissionDenied (not the Satgas's leadership or secretariat) or ValidationError keyed by field.
    """
    if not permissions.may_generate_monev(actor, member_of(actor, satgas)):
        raise PermissionDenied(_("Hanya ketua, wakil ketua, atau sekretaris Satgas yang menyusun monev."))
    errors: dict[str, list[str]] = {}
    today = timezone.localdate()
    if start > end:
        errors["end"] = [_("Tanggal akhir tidak boleh sebelum tanggal awal.")]
    elif (end - start).days > MAX_PERIOD_DAYS:
        errors["end"] = [_("Periode monev paling lama tiga tahun.")]
    if end > today:
        errors.setdefault("end", []).append(_("Periode monev tidak boleh melewati hari ini."))
    if errors:
        raise ValidationError(errors)
    monev = MonevReport.objects.create(satgas=satgas, period_start=start, period_end=end, requested_by=actor)
    if reports_in_period(satgas, start=start, end=end, user=actor).count() <= inline_limit():
        build_monev_files(monev.pk)
        monev.refresh_from_db()
    else:
        transaction.on_commit(lambda: enqueue_monev(monev.pk))
    return monev


def enqueue_monev(monev_id: int) -> bool:
    """Hand the job to Celery; False when the broker is unreachable (the sweep picks the row up later)."""
    from taskforce.tasks import task_build_monev

    try:
        task_build_monev.delay(monev_id)
    except Exception as exc:  # noqa: BLE001 - kombu raises several kinds; the row waits for the sweep
        logger.warning("broker unreachable, monev %s waits for the sweep: %s", monev_id, exc.__class__.__name__)
        return False
    return True


def _claimable(now: datetime) -> Q:
    return Q(status=MonevStatus.QUEUED) | Q(status=MonevStatus.RUNNING, started_at__lt=now - STALE_AFTER)


def build_monev_files(monev_id: int) -> bool:
    """Build the figures, the PDF and the XLSX of one monev; True if this call built them.

    Claims the row (queued, or running but abandoned) with a compare-and-set, records its progress
    as it goes (outside any transaction, so the page sees it), then stores both files privately and
    marks it done; on an error it is marked failed with the error's kind. Idempotent.
    """
    now = timezone.now()
    claimed = MonevReport.objects.filter(_claimable(now), pk=monev_id).update(
        status=MonevStatus.RUNNING, started_at=now, progress=0, stage="", error=""
    )
    if not claimed:
        return False
    monev = MonevReport.objects.select_related("satgas__organisation", "requested_by").get(pk=monev_id)

    def progress(percent: int, stage: str) -> None:
        MonevReport.objects.filter(pk=monev_id, status=MonevStatus.RUNNING).update(progress=percent, stage=stage[:120])

    try:
        figures = build_monev(
            monev.satgas, start=monev.period_start, end=monev.period_end, user=monev.requested_by, progress=progress
        )
        stem = f"monev-{monev.pk}"
        monev.pdf.save(f"{stem}.pdf", ContentFile(monev_pdf(figures)), save=False)
        monev.xlsx.save(f"{stem}.xlsx", ContentFile(monev_xlsx(figures)), save=False)
    except Exception as exc:
        logger.exception("monev %s failed", monev_id)
        MonevReport.objects.filter(pk=monev_id).update(
            status=MonevStatus.FAILED, error=f"{exc.__class__.__name__}"[:255], finished_at=timezone.now()
        )
        return False
    MonevReport.objects.filter(pk=monev_id).update(
        status=MonevStatus.DONE,
        progress=100,
        stage="",
        figures=figures,
        pdf=monev.pdf.name,
        xlsx=monev.xlsx.name,
        finished_at=timezone.now(),
    )
    return True


def monev_due(now: datetime) -> QuerySet[MonevReport]:
    """Monev jobs that should be running and are not: queued over two minutes ago, or abandoned."""
    return MonevReport.objects.filter(
        Q(status=MonevStatus.QUEUED, requested_at__lt=now - timedelta(minutes=2))
        | Q(status=MonevStatus.RUNNING, started_at__lt=now - STALE_AFTER)
    ).order_by("requested_at")


def build_due_monev(now: datetime | None = None, *, limit: int = 5) -> int:
    """Build up to ``limit`` due jobs here (the sweep's worker); returns how many were built."""
    now = now or timezone.now()
    return sum(build_monev_files(pk) for pk in monev_due(now).values_list("pk", flat=True)[:limit])
