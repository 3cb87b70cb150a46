"""The outbox: a message is saved with the change, sent once, and caught up when the broker was down."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction

from netralitas.models import OutboxMessage
from netralitas.notifications import flush_outbox, queue_email, send_outbox_message
from tests.conftest import NEEDS_POSTGRES


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_on_commit_when_celery_is_eager(celery_eager):
    with transaction.atomic():
        queue_email(recipient="warga@example.org", subject="Tanda terima", body="Isi", dedupe_key="k-1")
        assert len(mail.outbox) == 0  # nothing leaves before commit
    assert [m.to for m in mail.outbox] == [["warga@example.org"]]
    assert OutboxMessage.objects.get(dedupe_key="k-1").sent_at is not None


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_message_and_the_flush_sends_it_once(settings):
    from netralitas.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = app.conf.task_always_eager, app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with transaction.atomic():
            queue_email(recipient="warga@example.org", subject="S", body="B", dedupe_key="k-down")
    finally:
        app.conf.task_always_eager, app.conf.broker_url = saved
    row = OutboxMessage.objects.get(dedupe_key="k-down")
    assert (row.sent_at, row.attempts, len(mail.outbox)) == (None, 0, 0)
    assert flush_outbox(older_than=timedelta(0)) == 1
    assert flush_outbox(older_than=timedelta(0)) == 0
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=row.pk).sent_at is not None


@pytest.mark.django_db
def test_queue_email_is_idempotent_on_its_key():
    first = queue_email(recipient="a@example.org", subject="S", body="B", dedupe_key="same")
    second = queue_email(recipient="b@example.org", subject="S2", body="B2", dedupe_key="same")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db
def test_failed_smtp_is_recorded_and_retried(settings):
    settings.EMAIL_BACKEND = "tests.test_outbox.FailingBackend"
    message = OutboxMessage.objects.create(recipient="a@example.org", subject="S", body="B", dedupe_key="fail")
    assert send_outbox_message(message.pk) is False
    message.refresh_from_db()
    assert (message.sent_at, message.attempts, message.last_error) == (None, 1, "ConnectionRefusedError: smtp down")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_outbox_message(message.pk) is True
    message.refresh_from_db()
    assert message.attempts == 2 and message.sent_at is not None


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_one_message_send_it_once():
    """Two workers (a redelivered task after a killed worker, say) race: the row lock lets one send."""
    message = OutboxMessage.objects.create(recipient="a@example.org", subject="S", body="B", dedupe_key="race")
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(send_outbox_message(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_queue_email_is_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        message = queue_email(recipient="a@example.org", subject="S" * 300, body="B", dedupe_key="one")
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.recipient, len(stored.subject), stored.sent_at, stored.attempts) == ("a@example.org", 255, None, 0)
