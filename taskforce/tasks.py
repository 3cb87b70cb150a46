"""Background jobs of the taskforce: thin wrappers around services."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="taskforce.build_monev")
def task_build_monev(monev_id: int) -> bool:
    """Build one monev's figures and files (idempotent: the row is claimed once)."""
    from taskforce.monev_jobs import build_monev_files

    built = build_monev_files(monev_id)
    logger.info("monev %s built: %s", monev_id, built)
    return built


@shared_task(name="taskforce.build_due_monev")
def task_build_due_monev() -> int:
    """Build the monev jobs the broker never delivered or a dead worker abandoned."""
    from taskforce.monev_jobs import build_due_monev

    built = build_due_monev()
    if built:
        logger.info("build_due_monev built %s", built)
    return built
