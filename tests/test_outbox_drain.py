"""Issue 11: a burst of submissions asks the broker once; a drain sends the outbox's new messages, each once.

Every public submission queues its receipt in the outbox. Publishing a Celery task per message cost
the request ~2 ms of CPU (kombu's message building and its round trips), the largest single item of
the intake after the forms. Now a message asks for delivery only when no drain is already asked for
and not yet started (one SET NX in the cache); the drain takes the flag down before it reads the
outbox, so a message committed after that asks again. Claims stay per message, as before.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from netralitas import notifications, safecache
from netralitas.models import OutboxMessage
from netralitas.notifications import DELIVERY_ASKED, drain_outbox, flush_outbox, queue_email
from tests.conftest import NEEDS_POSTGRES
from tests.test_outbox import at_once


@pytest.fixture
def published(monkeypatch):
    """The names of the tasks handed to the broker, recorded instead of sent.

    (That a task reaches Redis as JSON is tests/test_broker.py's; here what counts is how often one is asked
    for. Recording also keeps these tests apart from the app's pooled broker connection, which an earlier
    test may have pointed at a dead server.)
    """
    from netralitas.celery import app

    assert app.conf.task_always_eager is False or pytest.skip("needs a broker (REDIS_URL): eager sends in-process")
    names: list[str] = []
    monkeypatch.setattr(app, "send_task", lambda name, *args, **kwargs: names.append(name))
    return names


def _queue(key: str) -> None:
    with transaction.atomic():
        queue_email(recipient=f"{key}@example.org", subject="Tanda terima", body="Isi", dedupe_key=key)


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_messages_asks_the_broker_once_and_a_message_after_the_drain_asks_again(published):
    for key in ("burst-1", "burst-2", "burst-3"):
        _queue(key)
    assert published == ["netralitas.drain_outbox"]
    assert len(mail.outbox) == 0

    assert drain_outbox() == 3  # what the worker runs for that task
    assert sorted(m.to[0] for m in mail.outbox) == ["burst-1@example.org", "burst-2@example.org", "burst-3@example.org"]
    assert OutboxMessage.objects.filter(sent_at__isnull=False, attempts=1).count() == 3

    _queue("after")
    assert published == ["netralitas.drain_outbox", "netralitas.drain_outbox"]
    assert drain_outbox() == 1
    assert drain_outbox() == 0
    assert len(mail.outbox) == 4


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_does_not_answer_leaves_the_message_and_takes_the_flag_down(published, monkeypatch):
    from kombu.exceptions import OperationalError

    from netralitas.tasks import task_drain_outbox

    def refused(*args, **kwargs):  # what kombu raises when nothing listens on the broker's port
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    delay = task_drain_outbox.delay
    monkeypatch.setattr(task_drain_outbox, "delay", refused)
    _queue("down-1")
    assert safecache.get(DELIVERY_ASKED) is None  # the next message asks again
    row = OutboxMessage.objects.get(dedupe_key="down-1")
    assert (row.sent_at, row.attempts, len(mail.outbox)) == (None, 0, 0)
    assert flush_outbox(older_than=timedelta(0)) == 1
    assert len(mail.outbox) == 1
    monkeypatch.setattr(task_drain_outbox, "delay", delay)
    _queue("down-2")  # the broker is back
    assert published == ["netralitas.drain_outbox"] and safecache.get(DELIVERY_ASKED) == 1


@pytest.mark.django_db
def test_the_drain_sends_new_messages_and_leaves_retries_and_live_claims_alone(settings):
    now = timezone.now()
    OutboxMessage.objects.create(recipient="a@example.org", subject="S", body="B", dedupe_key="new")
    OutboxMessage.objects.create(
        recipient="b@example.org", subject="S", body="B", dedupe_key="failed", attempts=1, last_error="smtp down"
    )
    OutboxMessage.objects.create(
        recipient="c@example.org", subject="S", body="B", dedupe_key="held", claimed_until=now + timedelta(seconds=40)
    )
    OutboxMessage.objects.create(
        recipient="d@example.org", subject="S", body="B", dedupe_key="expired", claimed_until=now - timedelta(seconds=1)
    )
    OutboxMessage.objects.create(
        recipient="e@example.org", subject="S", body="B", dedupe_key="sent", attempts=1, sent_at=now
    )
    assert drain_outbox() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.org", "d@example.org"]
    rows = {row.dedupe_key: row for row in OutboxMessage.objects.all()}
    assert rows["new"].sent_at is not None and rows["expired"].sent_at is not None
    # A failed message waits for the flush's next minute (a failing SMTP server is not hammered per burst).
    assert (rows["failed"].sent_at, rows["failed"].attempts) == (None, 1)
    assert rows["held"].sent_at is None  # another worker holds it (it may be dead: the claim runs out first)
    assert rows["sent"].attempts == 1
    wait = notifications.drain_wait()
    assert wait is not None and 38 < wait <= 40


@pytest.mark.django_db
def test_the_drain_task_comes_back_when_a_claim_runs_out(monkeypatch):
    """A claim held by a worker that died: the drain asks to run again once it has run out (as the per-message task)."""
    from netralitas.tasks import task_drain_outbox

    OutboxMessage.objects.create(
        recipient="c@example.org",
        subject="S",
        body="B",
        dedupe_key="held",
        claimed_until=timezone.now() + timedelta(seconds=5),
    )
    asked = []

    class Again(Exception):
        pass

    def retry(**kwargs):
        asked.append(kwargs)
        return Again()

    monkeypatch.setattr(task_drain_outbox, "retry", retry)
    with pytest.raises(Again):
        task_drain_outbox.run()
    assert len(asked) == 1 and 5 < asked[0]["countdown"] <= 6


@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_drains_at_once_send_each_message_once():
    for number in range(12):
        OutboxMessage.objects.create(
            recipient=f"r{number}@example.org", subject="S", body="B", dedupe_key=f"two-{number}"
        )
    counts = at_once(drain_outbox, drain_outbox)
    assert sum(counts) == 12
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"r{n}@example.org" for n in range(12))
    assert OutboxMessage.objects.filter(sent_at__isnull=False, attempts=1).count() == 12
