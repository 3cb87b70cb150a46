"""Delivering a reminder exactly once: the claim, the notification, the e-mail, the language, the digest."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection

from netralitas.enums import DeadlineStep, DeliveryMode
from netralitas.models import Notification, NotificationPreference, OutboxMessage, ReminderDelivery
from netralitas.notifications import flush_outbox, message_id_for
from netralitas.reminder_delivery import deliver_digest, deliver_reminder
from netralitas.reminder_sweep import messages_due, sweep_reminders
from reports.enums import ReportStatus
from reports.models import Report
from tests.conftest import NEEDS_POSTGRES
from tests.factories import ReportFactory
from tests.reminder_walk import at

DAY = date(2024, 5, 8)


@pytest.fixture
def sends(django_capture_on_commit_callbacks):
    """Run the outbox's on-commit sends inside a test transaction (they would wait for a commit)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def due_report(cast, organisations, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://netralitas.example.go.id"
    user = cast["bawaslu_sleman"]
    user.email = "bawaslu.sleman@example.go.id"
    user.save(update_fields=["email"])
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.VERIFYING, due_date=DAY, due_step=DeadlineStep.SATGAS_VERIFICATION
    )
    report.refresh_from_db()
    return report


def the_message(username="bawaslu.sleman"):
    with time_machine.travel(at(DAY, 6), tick=False):
        found = [m for m in messages_due() if m.source == "reports.verification"]
    from django.contrib.auth import get_user_model

    user_id = get_user_model().objects.get(username=username).pk
    (message,) = [m for m in found if m.recipient.user_id == user_id]
    return message


@pytest.mark.django_db(transaction=True)
def test_a_task_delivered_twice_writes_one_notification_and_one_email(due_report, celery_eager):
    message = the_message()
    assert deliver_reminder(message.to_args(), DAY) is True
    assert deliver_reminder(message.to_args(), DAY) is False
    note = Notification.objects.get()
    assert (note.kind, note.subject, note.due_date, note.url) == (
        "due",
        f"reports.verification:{due_report.pk}",
        DAY,
        f"/admin/reports/report/{due_report.pk}/change/",
    )
    assert note.title == f"Tenggat hari ini: Verifikasi laporan · {due_report.tracking_code} · Kabupaten Sleman"
    assert note.body == "Tenggat 8 Mei 2024: tidak ada hari kerja lagi sebelum tenggat."
    assert list(ReminderDelivery.objects.values_list("recipient", "kind", "outcome")) == [
        (f"user:{note.user_id}", "due", "sent")
    ]
    (sent,) = mail.outbox
    assert sent.to == ["bawaslu.sleman@example.go.id"]
    assert sent.subject == note.title
    assert f"https://netralitas.example.go.id/admin/reports/report/{due_report.pk}/change/" in sent.body
    assert OutboxMessage.objects.get().dedupe_key == message.dedupe_key


@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_one_message_at_once_deliver_it_once(due_report):
    message = the_message()
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(deliver_reminder(message.to_args(), DAY))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    assert (Notification.objects.count(), OutboxMessage.objects.count(), ReminderDelivery.objects.count()) == (1, 1, 1)


@pytest.mark.django_db
def test_a_report_closed_after_the_sweep_gets_nothing_and_is_not_asked_again(due_report):
    message = the_message()
    Report.objects.filter(pk=due_report.pk).update(status=ReportStatus.REJECTED, due_date=None, due_step="")
    assert deliver_reminder(message.to_args(), DAY) is False
    assert Notification.objects.count() == OutboxMessage.objects.count() == 0
    assert list(ReminderDelivery.objects.values_list("kind", "outcome")) == [("due", "void")]


@pytest.mark.django_db
def test_a_report_moved_to_another_organisation_is_not_reminded_to_the_first(due_report, organisations):
    message = the_message()
    Report.objects.filter(pk=due_report.pk).update(intake_organisation=organisations["bawaslu_yogya"])
    assert deliver_reminder(message.to_args(), DAY) is False
    assert Notification.objects.count() == 0


@pytest.mark.django_db
def test_the_email_has_text_html_and_a_message_id_derived_from_its_key(due_report, celery_eager, sends):
    message = the_message()
    with sends():
        deliver_reminder(message.to_args(), DAY)
    (sent,) = mail.outbox
    assert sent.extra_headers["Message-ID"] == message_id_for(message.dedupe_key)
    assert sent.extra_headers["Message-ID"].endswith("@netralitas.local>")
    ((html, media_type),) = sent.alternatives
    assert media_type == "text/html"
    assert f'<a href="https://netralitas.example.go.id/admin/reports/report/{due_report.pk}/change/">' in html
    assert "<h1>Tenggat hari ini: Verifikasi laporan" in html
    # The same key gives the same header again, in any process.
    OutboxMessage.objects.update(sent_at=None)
    assert flush_outbox(older_than=timedelta(0)) == 1
    assert mail.outbox[1].extra_headers["Message-ID"] == sent.extra_headers["Message-ID"]


@pytest.mark.django_db
def test_a_user_who_chose_english_gets_the_reminder_in_english(due_report, cast, celery_eager, sends):
    NotificationPreference.objects.create(user=cast["bawaslu_sleman"], language="en")
    with sends():
        deliver_reminder(the_message().to_args(), DAY)
    (sent,) = mail.outbox
    assert sent.subject == f"Deadline today: Report verification · {due_report.tracking_code} · Kabupaten Sleman"
    assert "Deadline 8 May 2024: no working day is left before it." in sent.body
    assert (
        "Choose immediate e-mails or a daily digest at https://netralitas.example.go.id/kerja/notifikasi/" in sent.body
    )
    assert Notification.objects.get().body == "Deadline 8 May 2024: no working day is left before it."


@pytest.mark.django_db
def test_a_digest_user_gets_the_notifications_at_once_and_one_email_a_day(
    due_report, cast, organisations, celery_eager, sends
):
    user = cast["bawaslu_sleman"]
    NotificationPreference.objects.create(user=user, delivery=DeliveryMode.DIGEST)
    first = the_message()
    assert first.recipient.digest is True
    with sends():
        assert deliver_digest(user.pk, DAY, [first.to_args()]) == 1
    (digest,) = mail.outbox
    assert digest.subject == "Ringkasan harian Netralitas ASN, 8 Mei 2024: 1 pemberitahuan"
    assert f"* Tenggat hari ini: Verifikasi laporan · {due_report.tracking_code}" in digest.body
    # Another report due the same day, delivered later that day: in the portal now, in tomorrow's digest.
    later = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    Report.objects.filter(pk=later.pk).update(
        status=ReportStatus.VERIFYING, due_date=DAY, due_step=DeadlineStep.SATGAS_VERIFICATION
    )
    second = the_message_for(later)
    with sends():
        assert deliver_digest(user.pk, DAY, [first.to_args(), second.to_args()]) == 1
    assert len(mail.outbox) == 1
    waiting = Notification.objects.get(subject=f"reports.verification:{later.pk}")
    assert waiting.emailed_at is None
    # The next day's sweep gives the user a digest task even with nothing new: the waiting one goes out.
    with time_machine.travel(at(date(2024, 5, 9), 6), tick=False), sends():
        sweep_reminders()
    assert [m.subject for m in mail.outbox] == [
        "Ringkasan harian Netralitas ASN, 8 Mei 2024: 1 pemberitahuan",
        "Ringkasan harian Netralitas ASN, 9 Mei 2024: 1 pemberitahuan",
    ]
    waiting.refresh_from_db()
    assert waiting.emailed_at is not None


def the_message_for(report):
    with time_machine.travel(at(DAY, 6), tick=False):
        return next(m for m in messages_due() if m.subject == f"reports.verification:{report.pk}")


@pytest.mark.django_db
def test_the_reporter_gets_an_email_without_pin_and_no_notification(cast, organisations, settings, celery_eager, sends):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"], reporter_email="siti@example.org")
    Report.objects.filter(pk=report.pk).update(
        status=ReportStatus.NEEDS_COMPLETION, due_date=DAY, due_step=DeadlineStep.REPORTER_COMPLETION
    )
    with time_machine.travel(at(DAY, 6), tick=False):
        (message,) = messages_due()
    assert message.recipient.user_id is None
    with sends():
        assert deliver_reminder(message.to_args(), DAY) is True
    assert deliver_reminder(message.to_args(), DAY) is False
    (sent,) = mail.outbox
    assert sent.to == ["siti@example.org"]
    assert sent.subject == "Pengingat: laporan Anda perlu dilengkapi"
    assert report.tracking_code in sent.body and "PIN tidak pernah dikirim lewat surel" in sent.body
    assert report.reporter_name not in sent.body and "3404011201900001" not in sent.body
    assert Notification.objects.count() == 0
    assert ReminderDelivery.objects.get().recipient.startswith("email:")
