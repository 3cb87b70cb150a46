"""Background jobs of the sanctions app: thin wrappers around services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="sanctions.sweep_overdue")
def task_sweep_overdue() -> int:
    """Mark cases whose PPK deadline passed without a decision as overdue (hourly; idempotent)."""
    from sanctions.services import sweep_overdue

    marked = sweep_overdue()
    logger.info("sweep_overdue marked %s case(s) overdue", marked)
    return marked


@shared_task(name="sanctions.sweep_sanctions_ended")
def task_sweep_sanctions_ended() -> int:
    """Close sanctioned cases whose sanction period has ended (daily; idempotent)."""
    from sanctions.services import sweep_sanctions_ended

    done = sweep_sanctions_ended()
    logger.info("sweep_sanctions_ended closed %s case(s) as done", done)
    return done


@shared_task(name="sanctions.refresh_statistics")
def task_refresh_statistics() -> int:
    """Rebuild the dashboard rollup and the cached public statistics (every 10 minutes; idempotent)."""
    from sanctions.statistics import refresh_public_statistics

    entries = refresh_public_statistics()
    logger.info("refresh_statistics rebuilt the rollup and %s statistics entries", entries)
    return entries
