"""Issue 10, findings 1 and 2: the citizen's report survives a Redis outage; a database outage loses
nothing silently (a plain 503 in Indonesian, no orphan rows or files)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client

from reports.models import Evidence, Report
from tests.conftest import NEEDS_POSTGRES, NEEDS_REDIS
from tests.test_intake import jpeg_bytes, receipt_values, report_data, text


@pytest.fixture
def places(organisations):
    from netralitas.models import Region

    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    return {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}


@pytest.fixture(autouse=True)
def fault_env(settings, tmp_path):
    import time_machine

    from tests.test_intake import NOW

    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(NOW, tick=True):
        yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A redis-server of this test's own on a free port (never the shared one), stopped by the test."""
    port = free_port()
    process = subprocess.Popen(
        [
            shutil.which("redis-server") or "/usr/bin/redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import redis

    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=0.2)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.exceptions.ConnectionError:
            time.sleep(0.02)
    else:
        process.kill()
        pytest.fail("redis-server did not start")

    def stop() -> None:
        process.terminate()
        process.wait(timeout=5)

    yield url, stop
    if process.poll() is None:
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def broker_at():
    """Point Celery's broker at ``url`` for this test (on connections made for it), then back (tests/celeryapp.py)."""
    from tests.celeryapp import celery_app, fresh_connections, give_back, pinned

    app = celery_app()
    before = pinned(app)

    def point(url: str) -> None:
        app.conf.broker_url = url
        fresh_connections(app)

    yield point
    give_back(app, before)


def files_under(root: str) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


# ------------------------------------------------------------------ finding 1: Redis down


@NEEDS_REDIS
def test_redis_stopped_while_a_citizen_submits_keeps_the_report(
    places, own_redis, broker_at, settings, django_user_model, django_capture_on_commit_callbacks
):
    url, stop_redis = own_redis
    # Cache, sessions (whatever engine the settings chose for a Redis site), rate limits and broker: one Redis.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    settings.CELERY_BROKER_URL = url
    broker_at(url)
    citizen = Client()
    form = citizen.get("/lapor/")
    assert form.status_code == 200
    photo = jpeg_bytes()
    data = report_data(places, evidence_files=SimpleUploadedFile("foto.jpg", photo, content_type="image/jpeg"))

    stop_redis()

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen.post("/lapor/", data)
    assert (response.status_code, response["Location"]) == (303, "/lapor/tanda-terima/")
    assert time.monotonic() - started < 5
    report = Report.objects.get()
    assert report.reporter_name == "Siti Rahmawati"
    assert [e.original_name for e in Evidence.objects.filter(report=report, kind="file")] == ["foto.jpg"]
    # The receipt (kept in the session) still shows the code and the PIN, read from the database.
    code, _pin = receipt_values(text(citizen.get("/lapor/tanda-terima/")))
    assert code == report.tracking_code
    # The e-mail waits in the outbox for the broker.
    from netralitas.models import OutboxMessage

    assert OutboxMessage.objects.get().sent_at is None

    # Staff still sign in.
    django_user_model.objects.create_user("petugas", password="kata-sandi-uji-123", is_staff=True)
    staff = Client()
    login = staff.post("/admin/login/?next=/admin/", {"username": "petugas", "password": "kata-sandi-uji-123"})
    assert (login.status_code, login["Location"]) == (302, "/admin/")
    # Issue 9: the password alone leads to the second factor's enrolment, which the session carries.
    assert staff.get("/admin/")["Location"] == "/masuk/aktifkan/?next=/admin/"
    assert staff.get("/masuk/aktifkan/?next=/admin/").status_code == 200

    # /healthz says which part is down, and 200: a submission still succeeds.
    health = citizen.get("/healthz")
    body = json.loads(health.content)
    assert health.status_code == 200
    assert (body["status"], body["database"]["ok"], body["cache"]["ok"], body["broker"]["ok"]) == (
        "degraded",
        True,
        False,
        False,
    )


@NEEDS_REDIS
def test_status_lookup_works_with_redis_down(places, own_redis, settings):
    from reports.pins import hash_pin
    from tests.factories import ReportFactory

    url, stop_redis = own_redis
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    ReportFactory(tracking_code="NTR-7K3M-Q9XD", pin_hash=hash_pin("K7QM-3XWD-9PHT-R2NB"))
    client = Client()
    form = client.get("/status/")
    timer = form.context["timer"]
    stop_redis()
    response = client.post(
        "/status/", {"tracking_code": "NTR-7K3M-Q9XD", "pin": "K7QM-3XWD-9PHT-R2NB", "form_ts": timer, "situs_web": ""}
    )
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    assert client.get("/status/laporan/").status_code == 200


# ------------------------------------------------------------------ finding 2: database down


@pytest.fixture
def database_down(monkeypatch):
    """Close the connection and refuse new ones, as when PostgreSQL stops; restored after the test."""

    def refuse(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused (test)")

    def take_down() -> None:
        connection.close()
        monkeypatch.setattr(connection, "get_new_connection", refuse)

    yield take_down
    monkeypatch.undo()


@pytest.mark.django_db(transaction=True)
def test_database_down_form_page_is_a_plain_indonesian_503(reference_data, database_down):
    database_down()
    client = Client(raise_request_exception=False)
    response = client.get("/lapor/")
    html = text(response)
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "<title>Layanan sedang terganggu · Netralitas ASN</title>" in html
    assert '<a class="navbar-brand fw-semibold" href="/">Netralitas ASN</a>' in html
    assert "Server Error" not in html and "Traceback" not in html and "OperationalError" not in html


@pytest.mark.django_db(transaction=True)
def test_database_down_on_submit_says_the_report_was_not_saved(places, database_down):
    data = report_data(places)
    database_down()
    client = Client(raise_request_exception=False)
    response = client.post("/lapor/", data)
    html = text(response)
    assert response.status_code == 503
    assert "Laporan Anda <strong>belum tersimpan</strong>." in html
    assert "Tekan tombol <strong>Kembali</strong> (Back) di peramban Anda: isian Anda masih ada" in html


@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_connection_killed_inside_the_save_leaves_no_rows_and_no_files(places, settings, monkeypatch):
    """The database connection dies after the report's rows are written: nothing stays behind, not even a file."""
    import psycopg2

    from reports import services

    original = services.attach_drafts  # runs right after the report, terlapor, evidence and event are written

    def kill_then_continue(*args, **kwargs):
        pid = connection.connection.get_backend_pid()
        params = connection.get_connection_params()
        killer = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        killer.close()
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "attach_drafts", kill_then_continue)
    client = Client(raise_request_exception=False)
    for attempt in range(3):
        photo = SimpleUploadedFile(f"foto-{attempt}.jpg", jpeg_bytes((attempt * 40, 10, 10)), content_type="image/jpeg")
        response = client.post("/lapor/", report_data(places, evidence_files=photo))
        assert response.status_code == 503
        assert "Laporan Anda <strong>belum tersimpan</strong>." in text(response)
    monkeypatch.undo()
    assert (Report.objects.count(), Evidence.objects.count()) == (0, 0)
    assert files_under(settings.MEDIA_ROOT) == []


def test_rolled_back_submission_removes_its_files(places, settings):
    """Any failure inside submit_report (here after the rows are written) removes the files written in it."""
    from unittest import mock

    from reports.services import ReporterIdentity, TerlaporEntry, submit_report
    from tests.test_intake import TODAY

    upload = SimpleUploadedFile("foto.jpg", jpeg_bytes(), content_type="image/jpeg")
    failing = mock.patch("reports.services.attach_drafts", side_effect=OperationalError("gone"))
    with failing, pytest.raises(OperationalError):
        submit_report(
            confidentiality="anonymous",
            reporter=ReporterIdentity(),
            consent=False,
            terlapor=[TerlaporEntry(name="Budi", instansi=places["pemda_sleman"], employee_status="pns")],
            incident_date=TODAY,
            learned_date=None,
            region=places["sleman"],
            place="Balai desa",
            description="Uraian yang cukup panjang untuk sebuah laporan uji.",
            files=[upload],
        )
    assert files_under(settings.MEDIA_ROOT) == []
