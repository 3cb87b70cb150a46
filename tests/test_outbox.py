"""The outbox: a message is saved with the change, sent once, and caught up when the broker was down."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection, transaction

from netralitas.models import OutboxMessage
from netralitas.notifications import enqueue_delivery, flush_outbox, queue_email, send_outbox_message
from tests.celeryapp import broker_at
from tests.conftest import NEEDS_POSTGRES


@pytest.mark.django_db(transaction=True)
def test_queued_email_is_sent_on_commit_when_celery_is_eager(celery_eager):
    with transaction.atomic():
        queue_email(recipient="warga@example.org", subject="Tanda terima", body="Isi", dedupe_key="k-1")
        assert len(mail.outbox) == 0  # nothing leaves before commit
    assert [m.to for m in mail.outbox] == [["warga@example.org"]]
    assert OutboxMessage.objects.get(dedupe_key="k-1").sent_at is not None


def test_pointing_the_broker_elsewhere_gives_the_app_back_to_its_settings(settings):
    """A test that points the broker elsewhere pins nothing on the app: it follows the settings again after."""
    from netralitas.celery import app

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    with broker_at("redis://127.0.0.1:1/0"):
        assert (app.conf.broker_url, app.conf.task_always_eager) == ("redis://127.0.0.1:1/0", False)
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = "redis://127.0.0.1:6379/9", True
    assert (app.conf.broker_url, app.conf.task_always_eager) == ("redis://127.0.0.1:6379/9", True)
    assert app.connection_for_write().as_uri() == "redis://:**@127.0.0.1:6379/9"  # kombu masks the password


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_message_and_the_flush_sends_it_once(settings, caplog):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with broker_at("redis://127.0.0.1:1/0"), transaction.atomic():  # nothing listens at that address
        queue_email(recipient="warga@example.org", subject="S", body="B", dedupe_key="k-down")
    assert "broker unreachable" in caplog.text  # the publish failed: the broker really was down
    row = OutboxMessage.objects.get(dedupe_key="k-down")
    assert (row.sent_at, row.attempts, len(mail.outbox)) == (None, 0, 0)
    assert flush_outbox(older_than=timedelta(0)) == 1
    assert flush_outbox(older_than=timedelta(0)) == 0
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.get(pk=row.pk).sent_at is not None
    caplog.clear()
    assert enqueue_delivery(row.pk) is True  # the app's own broker again, not the dead address's pool
    assert "broker unreachable" not in caplog.text


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


def at_once(*calls) -> list:
    """Run ``calls`` in threads released together (each on its own database connection); their results."""
    barrier = threading.Barrier(len(calls))
    results = []

    def worker(call):
        try:
            barrier.wait()
            results.append(call())
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


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
    results = at_once(lambda: send_outbox_message(message.pk), lambda: send_outbox_message(message.pk))
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_queue_email_is_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        message = queue_email(recipient="a@example.org", subject="S" * 300, body="B", dedupe_key="one")
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert (stored.recipient, len(stored.subject), stored.sent_at, stored.attempts) == ("a@example.org", 255, None, 0)


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs, no `except Exception` catches it."""


class KilledBeforeAcceptance:
    """An SMTP server that never answered: the worker died while waiting."""

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise WorkerKilled


class KilledAfterAcceptance:
    """The server said 250 (the message is delivered), then the worker died before recording it."""

    delivered: list = []

    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        KilledAfterAcceptance.delivered.extend(messages)
        raise WorkerKilled


@pytest.mark.django_db
def test_a_worker_killed_before_the_server_accepted_leaves_the_message_claimed_then_sent_once(settings):
    import time_machine
    from django.utils import timezone

    settings.EMAIL_BACKEND = "tests.test_outbox.KilledBeforeAcceptance"
    message = OutboxMessage.objects.create(recipient="a@example.org", subject="S", body="B", dedupe_key="killed-1")
    with pytest.raises(WorkerKilled):
        send_outbox_message(message.pk)
    message.refresh_from_db()
    assert (message.sent_at, message.claimed_until is not None) == (None, True)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Another worker (the redelivered task, the flush) keeps off while the claim holds...
    assert send_outbox_message(message.pk) is False
    assert flush_outbox(older_than=timedelta(0)) == 0
    # ...and sends it, once, when the claim has run out.
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NETRALITAS_OUTBOX_CLAIM_SECONDS + 1)):
        assert flush_outbox(older_than=timedelta(0)) == 1
        assert flush_outbox(older_than=timedelta(0)) == 0
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_remaining_window_a_kill_after_acceptance_sends_a_second_copy_with_the_same_message_id(settings):
    """Documented, not prevented: SMTP gives no way to ask whether a message already arrived."""
    import time_machine
    from django.utils import timezone

    from netralitas.notifications import message_id_for

    KilledAfterAcceptance.delivered = []
    settings.EMAIL_BACKEND = "tests.test_outbox.KilledAfterAcceptance"
    message = OutboxMessage.objects.create(recipient="a@example.org", subject="S", body="B", dedupe_key="killed-2")
    with pytest.raises(WorkerKilled):
        send_outbox_message(message.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.NETRALITAS_OUTBOX_CLAIM_SECONDS + 1)):
        assert flush_outbox(older_than=timedelta(0)) == 1
    (first,), (second,) = KilledAfterAcceptance.delivered, mail.outbox
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == message_id_for("killed-2")
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
