"""Background jobs of the shared core. Each takes ids or nothing, calls a service, logs."""

import logging

from celery import shared_task

from netralitas.calendar import sync_holidays

logger = logging.getLogger(__name__)


@shared_task(name="netralitas.sync_holidays")
def task_sync_holidays() -> int:
    """Fetch next year's national holidays and cuti bersama into the Holiday table (idempotent)."""
    created = sync_holidays()
    logger.info("sync_holidays created %s rows", created)
    return created
