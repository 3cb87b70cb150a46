"""The Celery app: Redis broker, JSON, late acks; schedule kept here, in code."""

import os

from celery import Celery
from celery.schedules import crontab

from netralitas import broker

broker.install()  # one redis.Redis per channel pool for kombu's publishes (netralitas.broker)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")

app = Celery("netralitas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Asia/Jakarta (CELERY_TIMEZONE). Later issues add their sweeps here.
app.conf.beat_schedule = {
    "flush-outbox": {"task": "netralitas.flush_outbox", "schedule": 60.0},
    # Drafts of attempts never sent live under an hour: NETRALITAS_DRAFT_MINUTES plus this period.
    "sweep-orphan-evidence": {"task": "reports.sweep_orphan_evidence", "schedule": 600.0},
    "clear-expired-sessions": {"task": "netralitas.clear_sessions", "schedule": crontab(minute=45, hour=3)},
    "sync-holidays-yearly": {
        "task": "netralitas.sync_holidays",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year=1),
    },
    "sweep-overdue-recommendations": {"task": "sanctions.sweep_overdue", "schedule": crontab(minute=15)},
    "sweep-sanctions-ended": {"task": "sanctions.sweep_sanctions_ended", "schedule": crontab(minute=10, hour=1)},
    "apply-authority-transitions": {
        "task": "reports.apply_authority_transitions",
        "schedule": crontab(minute=5, hour=0),
    },
    "purge-sealed-data": {"task": "reports.purge_sealed_data", "schedule": crontab(minute=45, hour=3)},
    "build-due-monev": {"task": "taskforce.build_due_monev", "schedule": 300.0},
    "send-reminders": {"task": "netralitas.send_reminders", "schedule": crontab(minute=0, hour=6)},
    # The national dashboards and /statistik/ read the rollup this rebuilds (issue 15).
    "refresh-statistics": {"task": "sanctions.refresh_statistics", "schedule": 600.0},
}
