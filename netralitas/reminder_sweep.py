"""The reminder sweep: what is due today, minus what was already sent, one task per message.

Fired once a day by beat (netralitas/celery.py), and by ``manage.py send_reminders`` by hand.
The deadline reminders (netralitas.reminder_deadlines) and the campaign cadence
(netralitas.cadence) name the messages; the messages whose key is already claimed are dropped
with a few indexed queries, so a second run the same day sends nothing and enqueues nothing;
each remaining message becomes one task (a digest user's day is one message). The tasks claim
the keys again when they deliver, so two sweeps racing still send each message once.

If the broker fails halfway, the sweep stops with the error; running it again (the next beat,
or send_reminders) enqueues exactly what was not delivered.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.utils import timezone

from netralitas.cadence import cadence_messages
from netralitas.enums import DeliveryMode
from netralitas.models import Notification, ReminderDelivery
from netralitas.reminder_deadlines import deadline_messages
from netralitas.reminder_messages import Message, WorkCalendar

CHUNK = 1000


def _chunks(values: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def unclaimed(messages: Iterable[Message]) -> list[Message]:
    """``messages`` whose key nobody claimed yet: one indexed query per thousand subjects."""
    messages = list(messages)
    claimed: set[tuple] = set()
    subjects = sorted({m.subject for m in messages})
    kinds = sorted({m.kind for m in messages})
    for chunk in _chunks(subjects):
        wanted = set(chunk)
        dues = sorted({m.due_date for m in messages if m.subject in wanted})
        claimed.update(
            ReminderDelivery.objects.filter(subject__in=chunk, due_date__in=dues, kind__in=kinds).values_list(
                "recipient", "kind", "subject", "due_date"
            )
        )
    return [m for m in messages if m.key not in claimed]


def messages_due(now: datetime | None = None) -> list[Message]:
    """Every message the sweep would send at ``now`` (default: now), already-sent ones left out."""
    today = timezone.localdate(now or timezone.now())
    cal = WorkCalendar(today)
    return unclaimed(deadline_messages(cal) + cadence_messages(cal))


def _digest_users_waiting() -> list[int]:
    """Digest users with notifications not yet e-mailed (claimed after their last digest left)."""
    return list(
        Notification.objects.filter(
            emailed_at__isnull=True, user__notification_preference__delivery=DeliveryMode.DIGEST
        )
        .exclude(user__email="")
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )


def enqueue(messages: Iterable[Message], now: datetime | None = None) -> int:
    """One task per message; a digest user's messages of the day are one task. Returns the number of tasks.

    A digest user with notifications still waiting for their e-mail gets a digest task too.
    """
    from netralitas.tasks import task_deliver_digest, task_deliver_reminder

    on = timezone.localdate(now or timezone.now()).isoformat()
    digests: dict[int, list[dict]] = defaultdict(list)
    for user_id in _digest_users_waiting():
        digests[user_id] = []
    tasks = 0
    for message in messages:
        if message.recipient.user_id is not None and message.recipient.digest:
            digests[message.recipient.user_id].append(message.to_args())
            continue
        task_deliver_reminder.delay(message.to_args(), on)
        tasks += 1
    for user_id, args in sorted(digests.items()):
        task_deliver_digest.delay(user_id, on, args)
        tasks += 1
    return tasks


def sweep_reminders(now: datetime | None = None, *, dry_run: bool = False) -> list[Message]:
    """Find the messages due at ``now`` and, unless ``dry_run``, enqueue their delivery; return them."""
    messages = messages_due(now)
    if not dry_run:
        enqueue(messages, now)
    return messages
