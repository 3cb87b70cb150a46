"""The outbox: queue a message with the change, send it after commit, catch up later.

queue_email() writes an OutboxMessage in the caller's transaction and asks
Celery to send it on commit. If the broker is unreachable the row simply waits:
task_flush_outbox (beat, every minute) sends whatever is left. Sending locks
the row (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL) and marks it sent in
the same transaction, so two workers never send one message twice; a worker
killed mid-send leaves the row unsent, to be retried.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from netralitas.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10


def queue_email(
    *, recipient: str, subject: str, body: str, dedupe_key: str, to_reporter: bool = False
) -> OutboxMessage:
    """Record an e-mail to send; enqueue its delivery when the transaction commits.

    ``to_reporter`` marks a message to a reporter: the outbox admin then hides its recipient and
    body (reports.confidentiality: the reporter's address is sealed, even from administrators).
    Idempotent on ``dedupe_key``: queuing the same key twice keeps the first row and enqueues once.
    One statement (INSERT … ON CONFLICT DO NOTHING RETURNING): this runs inside every public submission.
    """
    table = OutboxMessage._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (channel, recipient, subject, body, dedupe_key, created_at, attempts, last_error, "  # noqa: S608 - table name from the model
            "to_reporter) VALUES (%s, %s, %s, %s, %s, %s, 0, '', %s) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            [OutboxMessage.Channel.EMAIL, recipient, subject[:255], body, dedupe_key, timezone.now(), to_reporter],
        )
        row = cursor.fetchone()
    if row is None:
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    message_id = row[0]
    transaction.on_commit(lambda: enqueue_delivery(message_id))
    return OutboxMessage(
        pk=message_id,
        recipient=recipient,
        subject=subject[:255],
        body=body,
        dedupe_key=dedupe_key,
        attempts=0,
        to_reporter=to_reporter,
    )


def enqueue_delivery(message_id: int) -> bool:
    """Hand one message to Celery; False (and a log line) when the broker is unreachable."""
    from netralitas.tasks import task_send_outbox_message

    try:
        task_send_outbox_message.delay(message_id)
    except Exception as exc:  # noqa: BLE001 - kombu raises several kinds; the outbox keeps the message
        logger.warning("broker unreachable, message %s stays in the outbox: %s", message_id, exc.__class__.__name__)
        return False
    return True


def send_outbox_message(message_id: int) -> bool:
    """Send one unsent message; True if this call sent it.

    Side effects: sends the e-mail, sets sent_at (or records the error and the attempt).
    """
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
            .first()
        )
        if message is None:
            return False
        try:
            send_mail(message.subject, message.body, None, [message.recipient], fail_silently=False)
        except Exception as exc:  # noqa: BLE001 - SMTP errors vary; keep the row for a retry
            OutboxMessage.objects.filter(pk=message.pk).update(
                attempts=message.attempts + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:255]
            )
            # The class only: an SMTP error repeats the recipient's address, a reporter's identity.
            logger.warning("sending outbox message %s failed: %s", message.pk, exc.__class__.__name__)
            return False
        OutboxMessage.objects.filter(pk=message.pk).update(sent_at=timezone.now(), attempts=message.attempts + 1)
    return True


def flush_outbox(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Send messages left unsent (broker was down, worker died); returns how many were sent."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send_outbox_message(pk) for pk in ids)
