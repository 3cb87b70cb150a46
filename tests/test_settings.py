"""Settings read from the environment; production refuses insecure defaults."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def _settings_in_subprocess(env: dict, expr: str) -> subprocess.CompletedProcess:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CELERY_"))
    }
    clean.update(env)
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'netralitas.settings'; django.setup(); "
        f"from django.conf import settings as s; print({expr})"
    )
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_production_without_secret_key_refuses_to_start():
    result = _settings_in_subprocess({"DJANGO_DEBUG": "0"}, "s.SECRET_KEY")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY wajib diisi" in result.stderr


def test_production_settings_are_strict():
    result = _settings_in_subprocess(
        {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60},
        "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.X_FRAME_OPTIONS, "
        "s.SECURE_SSL_REDIRECT, s.CELERY_TASK_ALWAYS_EAGER, s.DATABASES['default']['ENGINE']",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "31536000 True True DENY True True django.db.backends.sqlite3"


def test_redis_url_switches_cache_and_broker():
    result = _settings_in_subprocess(
        {"DJANGO_DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/3"},
        "s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "netralitas.rediscache.RedisCache redis://127.0.0.1:6379/3 False"


def test_database_url_selects_postgresql():
    result = _settings_in_subprocess(
        {"DJANGO_DEBUG": "1", "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/netralitas"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql netralitas"


def test_locale_time_and_upload_limits():
    assert settings.LANGUAGE_CODE == "id"
    assert [code for code, _ in settings.LANGUAGES] == ["id", "en"]
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.USE_TZ is True
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_NUMBER_FILES == 30
    assert settings.FILE_UPLOAD_HANDLERS[0] == "reports.uploadhandlers.LimitedUploadHandler"


def test_celery_configuration():
    from netralitas.celery import app

    conf = app.conf
    assert conf.task_ignore_result is True
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.timezone == "Asia/Jakarta"
    assert conf.result_backend is None
    assert "sync-holidays-yearly" in conf.beat_schedule


def test_beat_schedule_names_registered_tasks():
    from netralitas.celery import app

    app.loader.import_default_modules()
    for entry in app.conf.beat_schedule.values():
        assert entry["task"] in app.tasks, entry["task"]
