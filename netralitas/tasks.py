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


@shared_task(name="netralitas.send_outbox_message")
def task_send_outbox_message(message_id: int) -> bool:
    """Send one outbox message if still unsent (idempotent)."""
    from netralitas.notifications import send_outbox_message

    return send_outbox_message(message_id)


@shared_task(name="netralitas.flush_outbox")
def task_flush_outbox() -> int:
    """Send what the broker could not deliver on commit."""
    from netralitas.notifications import flush_outbox

    sent = flush_outbox()
    if sent:
        logger.info("flush_outbox sent %s messages", sent)
    return sent


@shared_task(name="netralitas.clear_sessions")
def task_clear_sessions() -> None:
    """Delete expired sessions from the database (sessions live there since the cache may go down)."""
    from django.core.management import call_command

    call_command("clearsessions")
