"""Background jobs of the reports app: thin wrappers around services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="reports.sweep_orphan_evidence")
def task_sweep_orphan_evidence() -> int:
    """Delete draft evidence never attached to a report, and files no row names, older than NETRALITAS_DRAFT_MINUTES.

    Runs every 10 minutes, so the files of an attempt never sent are gone within the hour.
    """
    from datetime import timedelta

    from django.conf import settings

    from reports.evidence import sweep_orphan_evidence

    removed = sweep_orphan_evidence(older_than=timedelta(minutes=settings.NETRALITAS_DRAFT_MINUTES))
    logger.info("sweep_orphan_evidence removed %s", removed)
    return removed


@shared_task(name="reports.apply_authority_transitions")
def task_apply_authority_transitions() -> int:
    """Apply the handovers between recommending bodies that took effect (daily; idempotent)."""
    from reports.handover import apply_authority_transitions

    moved = apply_authority_transitions()
    logger.info("apply_authority_transitions moved %s case(s)", moved)
    return moved


@shared_task(name="reports.purge_sealed_data")
def task_purge_sealed_data() -> int:
    """Purge the reporter's identity, witnesses and original evidence of reports closed past the retention period."""
    from reports.retention import purge_due_sealed_data

    purged = purge_due_sealed_data()
    logger.info("purge_sealed_data purged %s report(s)", purged)
    return purged
