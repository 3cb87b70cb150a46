"""Delivering one reminder exactly once: re-read, claim the key, write the notification, queue the e-mail.

Each message is delivered by its own task (netralitas.tasks). The task re-reads what the message
is about (a case closed since the sweep gets nothing), then, in one transaction, claims the
message's key (recipient, kind, subject, due date) by inserting its ReminderDelivery row, and
only if that insert was its own writes the Notification and puts the e-mail in the outbox. So a
sweep run twice, a task delivered twice (a worker killed under acks_late) or two workers at once
produce one notification and one outbox row; the outbox then sends that e-mail once, with a
Message-ID derived from the key (netralitas.notifications, which states the remaining window).

A user who chose the daily digest gets the notifications in the portal at once and one e-mail a
day listing those not yet e-mailed (deliver_digest).
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netralitas import cadence, emails, reminders
from netralitas.models import Notification, ReminderDelivery
from netralitas.reminder_messages import Content, Message, Recipient, WorkCalendar, users

logger = logging.getLogger(__name__)

DIGEST_MAX_ITEMS = 100


def _step_content(message: Message, step: reminders.Step, item: reminders.DueItem, on: date) -> Content:
    due = date_format(item.due_date, "j F Y")
    kind = message.kind
    title, url = item.title, item.url
    if kind.startswith("before:"):
        days = int(kind.split(":")[1])
        heading = _("Pengingat")
        line = _("Tenggat %(due)s: %(days)d hari kerja lagi.") % {"due": due, "days": days}
    elif kind == "half":
        heading = _("Pengingat")
        line = _("Separuh waktu tahap ini sudah berlalu; tenggat %(due)s.") % {"due": due}
    elif kind == "due":
        heading = _("Tenggat hari ini")
        line = _("Tenggat %(due)s: tidak ada hari kerja lagi sebelum tenggat.") % {"due": due}
    elif kind.startswith("overdue:"):
        days = int(kind.split(":")[1])
        heading = _("Lewat tenggat")
        line = _("Tenggat %(due)s terlewati %(days)d hari kerja.") % {"due": due, "days": days}
    else:  # escalation: what a supervisor may know, and a page it may open
        late = WorkCalendar(on).between(item.due_date, on)
        heading = _("Eskalasi")
        title, url = item.supervisor_title or item.title, item.supervisor_url or "/kerja/"
        line = _(
            "Tenggat %(due)s terlewati %(days)d hari kerja tanpa tindakan. Anda menerima ini sebagai pengawas."
        ) % {"due": due, "days": late}
    lines = (line, item.detail) if item.detail and kind != "escalation" else (line,)
    return Content(f"{heading}: {step.title} · {title}", lines, url)


def content_for(message: Message, on: date) -> Content | None:
    """What ``message`` says now, in the active language; None when it no longer applies.

    A step's item is re-read: None once it stopped waiting, when its due date moved, or when the
    recipient is no longer responsible for it (the report went to another organisation).
    """
    step = reminders.get_step(message.source)
    if step is not None:
        item = step.recheck(message.subject)
        if item is None or item.due_date != message.due_date:
            return None
        recipient = message.recipient
        if message.kind != "escalation":
            if recipient.user_id is None and recipient.email != item.reporter_email:
                return None
            if recipient.user_id is not None and item.user_ids and recipient.user_id not in item.user_ids:
                return None
            if (
                recipient.user_id is not None
                and not item.user_ids
                and recipient.organisation_id not in item.organisation_ids
            ):
                return None
        return _step_content(message, step, item, on)
    if message.kind in cadence.CADENCE_KINDS and message.recipient.user_id is not None:
        user = get_user_model().objects.select_related("membership").filter(pk=message.recipient.user_id).first()
        if user is None or not user.is_active:
            return None
        return cadence.cadence_content(message, user, WorkCalendar(on))
    return None


def _claim(message: Message, outcome: str) -> bool:
    """Insert the message's ReminderDelivery unless its key exists; True if this call claimed it. One statement."""
    table = ReminderDelivery._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (recipient, user_id, kind, subject, due_date, outcome, created_at) "  # noqa: S608 - table name from the model
            "VALUES (%s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (recipient, kind, subject, due_date) DO NOTHING RETURNING id",
            [
                message.recipient.key,
                message.recipient.user_id,
                message.kind,
                message.subject,
                message.due_date,
                outcome,
                timezone.now(),
            ],
        )
        return cursor.fetchone() is not None


def _outcome(message: Message, content: Content | None) -> str:
    if content is not None:
        return ReminderDelivery.Outcome.SENT
    return ReminderDelivery.Outcome.EMPTY if message.kind in cadence.CADENCE_KINDS else ReminderDelivery.Outcome.VOID


def _notify(message: Message, content: Content, *, emailed: bool) -> Notification:
    now = timezone.now()
    return Notification.objects.create(
        user_id=message.recipient.user_id,
        kind=message.kind,
        subject=message.subject,
        due_date=message.due_date,
        title=content.title[:255],
        body=content.body,
        url=content.url[:500],
        created_at=now,
        emailed_at=now if emailed else None,
    )


def deliver_reminder(args: dict, on: date) -> bool:
    """Deliver one message (task arguments ``Message.to_args()``) for the sweep of ``on``; True if this call did.

    Side effects, in one transaction: the ReminderDelivery claim (also when there is nothing to
    say, so no later run asks again), then for a staff user the Notification, and the e-mail in
    the outbox unless the user takes the daily digest; for a reporter only the e-mail.
    """
    message = Message.from_args(args)
    recipient = message.recipient
    with translation.override(recipient.language):
        content = content_for(message, on)
        with transaction.atomic():
            if not _claim(message, _outcome(message, content)) or content is None:
                if content is None:
                    logger.info("reminder %s: nothing to send", message.key)
                return False
            if recipient.user_id is None:
                emails.send_reporter_reminder(recipient.email, content, dedupe_key=message.dedupe_key)
                return True
            _notify(message, content, emailed=not recipient.digest)
            if recipient.email and not recipient.digest:
                emails.send_reminder(recipient.email, content, dedupe_key=message.dedupe_key)
    return True


def _digest_recipient(user_id: int) -> Recipient | None:
    """The recipient of a digest task without new messages (notifications waiting from earlier days)."""
    found = users(timezone.localdate(), [user_id])
    return found[0] if found else None


def deliver_digest(user_id: int, on: date, args_list: list[dict]) -> int:
    """Claim the messages of a digest user's day; e-mail one digest of every notification not yet e-mailed.

    Returns how many notifications this call created. The digest e-mail is keyed by (user, day):
    notifications claimed after that day's digest left wait for the next one.
    """
    messages = [Message.from_args(args) for args in args_list]
    recipient = messages[0].recipient if messages else _digest_recipient(user_id)
    if recipient is None:
        return 0
    created = 0
    with translation.override(recipient.language):
        contents = [(message, content_for(message, on)) for message in messages]
        with transaction.atomic():
            for message, content in contents:
                if _claim(message, _outcome(message, content)) and content is not None:
                    _notify(message, content, emailed=False)
                    created += 1
            pending = list(
                Notification.objects.select_for_update()
                .filter(user_id=user_id, emailed_at__isnull=True)
                .order_by("created_at", "pk")
            )
            if not pending or not recipient.email:
                return created
            shown = pending[:DIGEST_MAX_ITEMS]
            queued = emails.send_digest(recipient.email, shown, more=len(pending) - len(shown), day=on, user_id=user_id)
            if queued is not None:
                Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=timezone.now())
    return created
