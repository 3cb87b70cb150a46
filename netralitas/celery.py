"""The Celery app: Redis broker, JSON, late acks; schedule kept here, in code."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netralitas.settings")

app = Celery("netralitas")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Times are Asia/Jakarta (CELERY_TIMEZONE). Later issues add their sweeps here.
app.conf.beat_schedule = {
    "flush-outbox": {"task": "netralitas.flush_outbox", "schedule": 60.0},
    "sweep-orphan-evidence": {
        "task": "reports.sweep_orphan_evidence",
        "schedule": crontab(minute=30, hour=3),
    },
    "sync-holidays-yearly": {
        "task": "netralitas.sync_holidays",
        "schedule": crontab(minute=0, hour=2, day_of_month=1, month_of_year=1),
    },
    "sweep-overdue-recommendations": {"task": "sanctions.sweep_overdue", "schedule": crontab(minute=15)},
    "build-due-monev": {"task": "taskforce.build_due_monev", "schedule": 300.0},
}
