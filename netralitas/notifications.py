"""The outbox: queue a message with the change, send it after commit, catch up later.

queue_email() writes an OutboxMessage in the caller's transaction and, on commit, asks a
worker to drain the outbox. If the broker is unreachable the row simply waits:
task_flush_outbox (beat, every minute) sends whatever is left.

One request to the broker per burst (issue 11: a Celery publish cost each public submission ~2 ms
of CPU). On commit a message sets the flag DELIVERY_ASKED in the cache (SET NX, one round trip)
and publishes task_drain_outbox only when the flag was not there. The drain takes the flag down
*before* it reads the outbox, so every committed message is seen: either by a drain that was asked
for and has not started, or, committed after the drain's read, by the drain its own message then
asks for. A request the broker lost costs at most DELIVERY_ASKED_SECONDS (the flag expires; the
flush remains the backstop). With Celery eager (no broker: `make run`, some tests) each message is
sent in-process on commit, as before.

Exactly once, as far as SMTP allows. Sending first *claims* the row in the database: one UPDATE
sets ``claimed_until`` (now + NETRALITAS_OUTBOX_CLAIM_SECONDS) where the row is unsent and not
claimed, and commits. Of two workers (a task delivered twice after a worker died under
acks_late, a flush racing the on-commit task) only one gets the row. The e-mail then goes to the
SMTP server with a Message-ID derived from the row's dedupe key, and ``sent_at`` is committed.

The remaining window: a worker that dies after the SMTP server accepted the message (its "250"
to DATA) and before ``sent_at`` is committed leaves a claimed, unsent row. Once the claim expires
the flush sends it again: the recipient may get a second copy, with the same Message-ID (mail
clients and many servers drop the duplicate). That window is the few milliseconds between the
server's answer and the commit, and it is bounded: one extra copy per crash inside it, never a
loop. A worker that dies *before* the server accepted delays the message by the claim's length,
and it is then sent once. The claim must outlast a send: it is several times EMAIL_TIMEOUT.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from netralitas import safecache
from netralitas.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 10
# The cache flag "a drain is asked for and has not started"; it expires in case the broker lost the task.
DELIVERY_ASKED = "outbox:delivery-asked"
DELIVERY_ASKED_SECONDS = 10


def message_id_for(dedupe_key: str) -> str:
    """A stable Message-ID: the same key gives the same header on every attempt and in every worker."""
    domain = settings.NETRALITAS_MESSAGE_ID_DOMAIN or parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:40]
    return f"<{digest}@{domain or 'netralitas.local'}>"


def claim_email(
    *, recipient: str, subject: str, body: str, dedupe_key: str, html_body: str = "", to_reporter: bool = False
) -> int | None:
    """Record an e-mail under ``dedupe_key`` unless one is already there; enqueue its delivery on commit.

    ``to_reporter`` marks a message to a reporter: the outbox admin then hides its recipient and
    body (reports.confidentiality: the reporter's address is sealed, even from administrators).
    Returns the new row's id, or None when the key was taken before (nothing queued). One
    statement (INSERT … ON CONFLICT DO NOTHING RETURNING): this runs inside every public submission.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            _email_insert("VALUES (%s, %s, %s, %s, %s, %s, %s, 0, '', %s)"),
            [
                OutboxMessage.Channel.EMAIL,
                recipient,
                subject[:255],
                body,
                html_body,
                dedupe_key,
                timezone.now(),
                to_reporter,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    deliver_on_commit(row[0])
    return row[0]


def deliver_on_commit(message_id: int) -> None:
    """Ask for the message's delivery when the caller's transaction commits (nothing if it rolls back)."""
    transaction.on_commit(lambda: request_delivery(message_id))


def email_row_of_new_parent(
    *, recipient: str, subject: str, body: str, key_prefix: str, to_reporter: bool = False
) -> tuple[str, list]:
    """An e-mail's outbox row as a dependent of netralitas.db_insert.insert_with_children: written in the same
    statement as the new parent row ``"p"``, its dedupe key ``key_prefix`` + the parent's new id (issue 11: the
    public receipt's own INSERT was a statement of every submission). After the statement, deliver_on_commit
    with the id it returned; none when the key was taken (ON CONFLICT DO NOTHING, as claim_email)."""
    sql = _email_insert('SELECT %s, %s, %s, %s, \'\', %s || "p"."id", %s, 0, \'\', %s FROM "p"')
    return sql, [OutboxMessage.Channel.EMAIL, recipient, subject[:255], body, key_prefix, timezone.now(), to_reporter]


def _email_insert(rows: str) -> str:
    """An e-mail's outbox INSERT (claim_email, email_row_of_new_parent) of ``rows``: VALUES or a SELECT, in the
    column order below; a dedupe key already taken inserts nothing."""
    columns = "channel, recipient, subject, body, html_body, dedupe_key, created_at, attempts, last_error, to_reporter"
    return (
        f"INSERT INTO {OutboxMessage._meta.db_table} ({columns}) {rows} "  # noqa: S608 - names from the model and here
        "ON CONFLICT (dedupe_key) DO NOTHING RETURNING id"
    )


def queue_email(
    *, recipient: str, subject: str, body: str, dedupe_key: str, html_body: str = "", to_reporter: bool = False
) -> OutboxMessage:
    """Record an e-mail to send; enqueue its delivery when the transaction commits (see claim_email).

    Idempotent on ``dedupe_key``: queuing the same key twice keeps the first row and enqueues once.
    """
    message_id = claim_email(
        recipient=recipient,
        subject=subject,
        body=body,
        dedupe_key=dedupe_key,
        html_body=html_body,
        to_reporter=to_reporter,
    )
    if message_id is None:
        return OutboxMessage.objects.get(dedupe_key=dedupe_key)
    return OutboxMessage(
        pk=message_id,
        recipient=recipient,
        subject=subject[:255],
        body=body,
        html_body=html_body,
        dedupe_key=dedupe_key,
        attempts=0,
        to_reporter=to_reporter,
    )


def request_delivery(message_id: int) -> bool:
    """After commit: have the message sent. False (and a log line) when the broker is unreachable.

    Eager Celery sends this message in-process; otherwise a drain is asked for unless one already is
    (see the module docstring).
    """
    from netralitas.celery import app

    if app.conf.task_always_eager:
        return enqueue_delivery(message_id)
    return ask_for_drain()


def ask_for_drain() -> bool:
    """Publish task_drain_outbox unless a drain is asked for and not started; False when the broker failed."""
    from netralitas.tasks import task_drain_outbox

    if not safecache.add(DELIVERY_ASKED, 1, DELIVERY_ASKED_SECONDS):
        return True
    if _publish(task_drain_outbox, "the outbox's new messages"):
        return True
    safecache.delete(DELIVERY_ASKED)  # nothing was asked for after all: the next message asks again
    return False


def enqueue_delivery(message_id: int) -> bool:
    """Hand one message to Celery; False (and a log line) when the broker is unreachable."""
    from netralitas.tasks import task_send_outbox_message

    return _publish(task_send_outbox_message, f"message {message_id}", message_id)


def _publish(task, what: str, *args) -> bool:
    try:
        task.delay(*args)
    except Exception as exc:  # noqa: BLE001 - kombu raises several kinds; the outbox keeps the message
        logger.warning("broker unreachable, %s stay in the outbox: %s", what, exc.__class__.__name__)
        return False
    return True


def _sendable() -> Q:
    now = timezone.now()
    return Q(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS) & (
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def _claim_end():
    """When a claim taken now runs out (it must outlast a send: several times EMAIL_TIMEOUT)."""
    return timezone.now() + timedelta(seconds=settings.NETRALITAS_OUTBOX_CLAIM_SECONDS)


def _claim_for_sending(message_id: int) -> OutboxMessage | None:
    """Claim the row for this worker (one committed UPDATE); None when it is sent, failed for good or claimed."""
    with transaction.atomic():
        claimed = OutboxMessage.objects.filter(_sendable(), pk=message_id).update(claimed_until=_claim_end())
    if claimed != 1:
        return None
    return OutboxMessage.objects.get(pk=message_id)


def _claim_next_new() -> OutboxMessage | None:
    """Claim the oldest message never tried and not claimed (one committed transaction); None when none is left.

    The row is locked while it is claimed and rows locked by another drain are skipped (PostgreSQL's
    SKIP LOCKED; SQLite runs one writer at a time), so two drains never take the same message.
    """
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_sendable(), attempts=0)
            .order_by("pk")
            .first()
        )
        if row is None:
            return None
        row.claimed_until = _claim_end()
        OutboxMessage.objects.filter(pk=row.pk).update(claimed_until=row.claimed_until)
    return row


def build_email(message: OutboxMessage) -> EmailMultiAlternatives:
    """The e-mail of an outbox row: text, the HTML alternative when there is one, the stable Message-ID."""
    email = EmailMultiAlternatives(
        message.subject,
        message.body,
        None,
        [message.recipient],
        headers={"Message-ID": message_id_for(message.dedupe_key)},
    )
    if message.html_body:
        email.attach_alternative(message.html_body, "text/html")
    return email


def send_outbox_message(message_id: int) -> bool:
    """Send one unsent message; True if this call sent it.

    Side effects: claims the row (committed), sends the e-mail, then sets sent_at; on an SMTP error
    records the error and the attempt and releases the claim for a retry.
    """
    message = _claim_for_sending(message_id)
    if message is None:
        return False
    return _send_claimed(message)


def drain_outbox() -> int:
    """Send every new message (never tried, not claimed), claiming each just before it goes; how many were sent.

    Takes DELIVERY_ASKED down first: a message committed from now on asks for another drain. Messages
    that failed before wait for the flush (a failing SMTP server is tried once a minute, not per burst).
    """
    safecache.delete(DELIVERY_ASKED)
    sent = 0
    while (message := _claim_next_new()) is not None:
        sent += _send_claimed(message)
    return sent


def _send_claimed(message: OutboxMessage) -> bool:
    try:
        build_email(message).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - SMTP errors vary; keep the row for a retry
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=message.attempts + 1, last_error=f"{exc.__class__.__name__}: {exc}"[:255], claimed_until=None
        )
        # The class only: an SMTP error repeats the recipient's address, a reporter's identity.
        logger.warning("sending outbox message %s failed: %s", message.pk, exc.__class__.__name__)
        return False
    # The window named in the module docstring: the server has the message, the row does not know yet.
    OutboxMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), attempts=message.attempts + 1, claimed_until=None
    )
    return True


def claim_wait(message_id: int) -> float | None:
    """Seconds until another worker's claim on an unsent message runs out; None when nothing waits on a claim."""
    row = (
        OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .values_list("claimed_until", flat=True)
        .first()
    )
    if row is None:
        return None
    left = (row - timezone.now()).total_seconds()
    return left if left > 0 else None


def drain_wait() -> float | None:
    """Seconds until the first claim on a new, unsent message runs out; None when no such claim is held.

    A drain that finds one (its worker may have died mid-send) runs again then, as the per-message task does.
    """
    first = (
        OutboxMessage.objects.filter(sent_at__isnull=True, attempts=0, claimed_until__gt=timezone.now())
        .order_by("claimed_until")
        .values_list("claimed_until", flat=True)
        .first()
    )
    if first is None:
        return None
    return (first - timezone.now()).total_seconds()


def flush_outbox(*, older_than: timedelta = timedelta(seconds=30), limit: int = 500) -> int:
    """Send messages left unsent (broker was down, worker died, claim expired); returns how many were sent."""
    cutoff = timezone.now() - older_than
    ids = list(
        OutboxMessage.objects.filter(_sendable(), created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(send_outbox_message(pk) for pk in ids)
