"""Two real Celery workers on a real Redis: one is killed (SIGKILL) in the middle of a send and restarted.

The workers are `celery -A netralitas worker` processes on this test's database and on a Redis of
their own (a redis-server on a free port in 16800–16809). The e-mail "server" is
tests.slow_mail: it takes a second per message and keeps each accepted message as a file. The
sweep is sent to the workers as the beat would send it; each reminder is then delivered by its
own task, which writes the notification and the outbox row, whose e-mail is sent by a drain of
the outbox (one asked for per burst). The worker sending is killed while its SMTP server has not
answered yet; its unacknowledged drain is handed out again (acks_late, a short visibility timeout), and
the drains find the message claimed, wait for the claim to run out and send it. Every message
ends in the outbox once and in the mail files once.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import connection

from netralitas.enums import DeadlineStep
from netralitas.models import Notification, OutboxMessage, ReminderDelivery
from netralitas.notifications import message_id_for
from reports.enums import ReportStatus
from reports.models import Report
from tests.conftest import NEEDS_POSTGRES, NEEDS_REDIS
from tests.factories import ReportFactory

pytestmark = [NEEDS_POSTGRES, NEEDS_REDIS, pytest.mark.postgres, pytest.mark.redis]

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).parent / "celery"
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
REPORTS = 8
DEADLINE = 25.0
VISIBILITY = 2  # seconds before Redis hands a dead worker's unacknowledged task to another


def free_port() -> int:
    for port in range(16800, 16810):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.fail("no free port in 16800-16809 for the test's redis-server")


def wait(what: str, condition, timeout: float = DEADLINE, step: float = 0.1, diagnose=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = condition()
        if found:
            return found
        time.sleep(step)
    pytest.fail(f"timed out waiting for {what}" + (f"\n{diagnose()}" if diagnose else ""))


@pytest.fixture
def redis_url(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=(tmp_path / "redis.log").open("w"),
        stderr=subprocess.STDOUT,
    )

    def up() -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    wait("redis-server", up, timeout=10)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


class Workers:
    """Celery worker processes on the test database and the test's Redis, each logging to a file."""

    def __init__(self, tmp_path: Path, redis_url: str) -> None:
        self.tmp = tmp_path
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        db = connection.settings_dict
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CELERY_", "DJANGO_EMAIL"))},
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY),
            "NETRALITAS_OUTBOX_CLAIM_SECONDS": "3",  # above the 1-second send of the slow server
            "DJANGO_CONN_MAX_AGE": "0",
            "DJANGO_EMAIL_BACKEND": "tests.slow_mail.SlowFileBackend",
            "SLOW_MAIL_DIR": str(tmp_path / "mail"),
            "SLOW_MAIL_DELAY": "1",
            "DJANGO_LOG_LEVEL": "INFO",
        }
        for sub in ("sending", "tmp", "accepted"):
            (tmp_path / "mail" / sub).mkdir(parents=True)

    def start(self, name: str) -> subprocess.Popen:
        log = self.tmp / f"worker-{name}-{len(self.logs)}.log"
        self.logs[name] = log
        self.processes[name] = process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "netralitas",
                "worker",
                "--pool",
                "solo",
                "-n",
                f"{name}@%h",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],  # fmt: skip
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        return process

    def ready(self, name: str) -> bool:
        return " ready." in self.logs[name].read_text(errors="replace")

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def diagnosis(tmp_path: Path) -> str:
    rows = list(OutboxMessage.objects.order_by("pk").values_list("pk", "sent_at", "claimed_until", "attempts"))
    logs = [f"--- {log.name}\n" + "\n".join(log.read_text().splitlines()[-15:]) for log in tmp_path.glob("*.log")]
    return "\n".join([f"outbox: {rows}", *logs])


def accepted(tmp_path: Path) -> list[email.message.Message]:
    return [email.message_from_bytes(p.read_bytes()) for p in sorted((tmp_path / "mail" / "accepted").iterdir())]


@pytest.mark.django_db(transaction=True)
def test_two_workers_one_killed_mid_send_every_message_once(
    reference_data, make_staff, organisations, redis_url, tmp_path
):
    officer = make_staff("bawaslu.sleman", organisations["bawaslu_sleman"], "bawaslu")
    officer.email = "bawaslu.sleman@example.go.id"
    officer.save(update_fields=["email"])
    for _ in range(REPORTS):
        report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
        Report.objects.filter(pk=report.pk).update(
            status=ReportStatus.VERIFYING, due_date="2024-05-08", due_step=DeadlineStep.SATGAS_VERIFICATION
        )

    workers = Workers(tmp_path, redis_url)
    # Not the current app: the project's shared tasks must stay bound to netralitas.celery.app for the tests after.
    client = Celery("test-client", broker=redis_url, set_as_current=False)
    try:
        workers.start("a")
        workers.start("b")
        wait("both workers ready", lambda: workers.ready("a") and workers.ready("b"))
        client.send_task("netralitas.send_reminders", args=["2024-05-08T06:00:00+07:00"])

        # Kill the worker that is sending (one drain may take every message) while its mail server has
        # not answered: a marker of that worker's process, no file yet.
        pids = {process.pid: name for name, process in workers.processes.items()}
        marker = wait(
            "a worker in the middle of a send",
            lambda: next(
                (p for p in (tmp_path / "mail" / "sending").iterdir() if int(p.name.split("-")[0]) in pids), None
            ),
            step=0.05,
        )
        in_flight = marker.read_text()
        sender = pids[int(marker.name.split("-")[0])]
        workers.kill(sender)
        # Restart once the task it held is older than the visibility timeout: the new worker's first poll
        # hands it out again (kombu restores unacknowledged messages at start, then only every ~100 s).
        time.sleep(max(0.0, marker.stat().st_mtime + VISIBILITY + 0.5 - time.time()))
        workers.start(sender)

        def all_sent() -> bool:
            return (
                OutboxMessage.objects.filter(sent_at__isnull=False).count() == REPORTS
                and len(list((tmp_path / "mail" / "accepted").iterdir())) >= REPORTS
            )

        wait("every message sent", all_sent, diagnose=lambda: diagnosis(tmp_path))
        # The beat's sweep again, the same day: nothing new anywhere.
        client.send_task("netralitas.send_reminders", args=["2024-05-08T06:30:00+07:00"])

        def sweeps_done() -> int:
            done = r"Task netralitas\.send_reminders\[[0-9a-f-]+\] succeeded in [0-9.]+s: (\d+)"
            return [int(n) for log in tmp_path.glob("worker-*.log") for n in re.findall(done, log.read_text())]

        assert sorted(wait("the second sweep", lambda: len(sweeps_done()) == 2 and sweeps_done())) == [0, REPORTS]
    finally:
        workers.stop()
        client.close()

    keys = list(OutboxMessage.objects.order_by("pk").values_list("dedupe_key", flat=True))
    assert len(keys) == len(set(keys)) == REPORTS
    assert OutboxMessage.objects.filter(sent_at__isnull=False, attempts=1).count() == REPORTS
    assert Notification.objects.filter(user=officer, kind="due").count() == REPORTS
    assert ReminderDelivery.objects.filter(outcome="sent").count() == REPORTS
    mails = accepted(tmp_path)
    message_ids = sorted(m["Message-ID"] for m in mails)
    assert message_ids == sorted(message_id_for(key) for key in keys)  # each exactly once
    assert in_flight in message_ids
    assert all(m["To"] == "bawaslu.sleman@example.go.id" for m in mails)
    # The killed send really was handed out again: two workers' logs received the same task.
    received = [
        task_id
        for log in tmp_path.glob("worker-*.log")
        for task_id in re.findall(
            r"Task netralitas\.(?:send_outbox_message|drain_outbox)\[([0-9a-f-]+)\] received", log.read_text()
        )
    ]
    assert len(received) > len(set(received))
