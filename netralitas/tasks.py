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


@shared_task(bind=True, name="netralitas.send_outbox_message", max_retries=5)
def task_send_outbox_message(self, message_id: int) -> bool:
    """Send one outbox message if still unsent (idempotent).

    When another worker holds the message's claim (it may have died mid-send: this task is then
    the redelivered copy), try again once the claim has run out.
    """
    from netralitas.notifications import claim_wait, send_outbox_message

    if send_outbox_message(message_id):
        return True
    wait = claim_wait(message_id)
    if wait is not None:
        raise self.retry(countdown=wait + 1)
    return False


@shared_task(bind=True, name="netralitas.drain_outbox", max_retries=5)
def task_drain_outbox(self) -> int:
    """Send the outbox's new messages (asked for on commit, once per burst: netralitas.notifications).

    When a message is left claimed by another worker (which may have died mid-send: this task is then
    the redelivered copy), run again once the claim has run out.
    """
    from netralitas.notifications import drain_outbox, drain_wait

    sent = drain_outbox()
    wait = drain_wait()
    if wait is not None:
        raise self.retry(countdown=wait + 1)
    return sent


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


@shared_task(name="netralitas.send_reminders")
def task_send_reminders(now: str | None = None) -> int:
    """Run the reminder sweep (beat, once a day; ``now`` an ISO date-time to sweep as): one task per message."""
    from datetime import datetime

    from netralitas.reminder_sweep import sweep_reminders

    messages = sweep_reminders(datetime.fromisoformat(now) if now else None)
    logger.info("send_reminders enqueued %s message(s)", len(messages))
    return len(messages)


@shared_task(name="netralitas.deliver_reminder")
def task_deliver_reminder(message: dict, on: str) -> bool:
    """Deliver one reminder exactly once (the database claim decides; idempotent)."""
    from datetime import date

    from netralitas.reminder_delivery import deliver_reminder

    return deliver_reminder(message, date.fromisoformat(on))


@shared_task(name="netralitas.deliver_digest")
def task_deliver_digest(user_id: int, on: str, messages: list[dict]) -> int:
    """Deliver a digest user's messages of one day and their one digest e-mail (idempotent)."""
    from datetime import date

    from netralitas.reminder_delivery import deliver_digest

    return deliver_digest(user_id, date.fromisoformat(on), messages)
