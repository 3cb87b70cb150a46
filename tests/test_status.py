"""The reporter's status page: lookup by code + PIN, timeline, completion, withdrawal, limits."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import uuid

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from PIL import Image

from reports import followup
from reports.enums import EventKind, EvidenceKind, EvidenceSource, ReportStatus
from reports.models import Evidence, Report, ReportEvent
from reports.pins import hash_pin
from reports.public.antibot import issue_timer
from reports.workflow import TransitionNotAllowed
from tests.conftest import NEEDS_REDIS
from tests.factories import ReportFactory

CODE = "NTR-7K3M-Q9XD"
PIN = "K7QM-3XWD-9PHT-R2NB"
MISMATCH = "Kode atau PIN tidak cocok."
UTC = dt.UTC


@pytest.fixture(autouse=True)
def status_settings(settings):
    """No anti-bot wait, and a cache of this test's own so rate-limit counters never leak between tests."""
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    prefix = f"test-status-{uuid.uuid4().hex}"
    if not os.environ.get("REDIS_URL"):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": prefix}}
        yield
        return
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    yield
    delete_keys(prefix)


def delete_keys(prefix: str) -> None:
    """Remove one test's keys from the shared Redis (never FLUSHDB: other tests may be using it)."""
    import redis

    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(raw.scan_iter(match=f"{prefix}:*"))
    if keys:
        raw.delete(*keys)


@pytest.fixture
def limits(settings):
    def set_limits(**overrides):
        settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, **overrides}

    return set_limits


def make_report(**fields) -> Report:
    fields.setdefault("tracking_code", CODE)
    return ReportFactory(pin_hash=hash_pin(PIN), **fields)


def browser() -> Client:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/status/")
    assert page.status_code == 200
    return client


def token(client: Client) -> str:
    return client.cookies["csrftoken"].value


def post_lookup(client: Client, code: str, pin: str, *, timer: str | None = None, **extra):
    data = {
        "tracking_code": code,
        "pin": pin,
        "form_ts": timer or issue_timer(),
        "situs_web": "",
        "csrfmiddlewaretoken": token(client),
        **extra,
    }
    return client.post("/status/", data)


def opened(report: Report) -> Client:
    client = browser()
    response = post_lookup(client, report.tracking_code, PIN)
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    return client


def post(client: Client, url: str, data: dict):
    return client.post(url, {**data, "csrfmiddlewaretoken": token(client)})


def html_of(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# Lookup --------------------------------------------------------------------------------------------


def test_lookup_form_is_labelled_and_keeps_the_pin_out_of_autocomplete(reference_data):
    html = html_of(Client().get("/status/"))
    assert '<label class="form-label" for="id_tracking_code">Kode pelacakan</label>' in html
    assert '<label class="form-label" for="id_pin">PIN</label>' in html
    pin_input = re.search(r"<input[^>]*id=\"id_pin\"[^>]*>", html).group(0)
    assert 'type="password"' in pin_input
    assert 'autocomplete="off"' in pin_input
    assert 'inputmode="text"' in pin_input
    assert 'aria-describedby="id_pin_helptext"' in pin_input
    code_input = re.search(r"<input[^>]*id=\"id_tracking_code\"[^>]*>", html).group(0)
    assert 'inputmode="text"' in code_input and 'autocapitalize="characters"' in code_input
    timer = re.search(r'name="form_ts" value="([^"]+)"', html).group(1)
    assert len(timer.split(":")) == 3  # nonce:timestamp:signature
    assert '<div class="nt-hp" aria-hidden="true">' in html


def test_lookup_shows_status_and_public_timeline_but_no_internal_note(cast):
    with time_machine.travel(dt.datetime(2024, 10, 14, 20, 30, tzinfo=UTC), tick=False):
        report = make_report(status=ReportStatus.VERIFYING, received_at=dt.datetime(2024, 10, 14, 20, 30, tzinfo=UTC))
        ReportEvent.objects.create(
            report=report,
            kind=EventKind.SUBMITTED,
            to_status=ReportStatus.RECEIVED,
            public_message="Laporan Anda masuk antrean verifikasi.",
        )
    with time_machine.travel(dt.datetime(2024, 10, 15, 2, 0, tzinfo=UTC), tick=False):
        ReportEvent.objects.create(
            report=report,
            kind=EventKind.NOTE,
            actor=cast["satgas_sleman"],
            note="Catatan internal: terlapor kerabat camat.",
            is_public=False,
        )
        ReportEvent.objects.create(
            report=report,
            kind=EventKind.STATUS_CHANGED,
            from_status=ReportStatus.RECEIVED,
            to_status=ReportStatus.VERIFYING,
            actor=cast["satgas_sleman"],
            note="Hubungi BKPSDM sebelum Jumat.",
            public_message="Satgas Kabupaten Sleman memeriksa laporan Anda.",
        )
    client = opened(report)
    page = client.get("/status/laporan/")
    html = html_of(page)
    assert page.status_code == 200
    assert page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert '<dd class="col-sm-8 font-monospace">NTR-7K3M-Q9XD</dd>' in html
    assert '<span class="status-label">Diverifikasi</span>' in html
    assert (
        '<p class="mb-0 status-explanation">Petugas sedang memeriksa kelengkapan laporan dan bukti Anda. '
        "Bila ada yang kurang, permintaan kelengkapan akan muncul di halaman ini.</p>"
    ) in html
    # Received 20.30 UTC is 03.30 WIB the next day.
    assert '<time datetime="2024-10-15T03:30:00+07:00">15 Oktober 2024, 03.30 WIB</time>' in html
    first = html.index("Laporan Anda masuk antrean verifikasi.")
    second = html.index("Satgas Kabupaten Sleman memeriksa laporan Anda.")
    assert first < second
    assert '<span class="fw-semibold">Laporan diterima</span>' in html
    assert '<span class="fw-semibold">Diverifikasi</span>' in html  # the status it moved to, not "Status berubah"
    assert "15 Oktober 2024, 09.00 WIB" in html
    assert '<div class="small">Status: Diverifikasi</div>' in html
    assert "Catatan internal" not in html
    assert "kerabat camat" not in html
    assert "Hubungi BKPSDM" not in html
    assert "Catatan petugas" not in html  # the non-public event's kind label
    assert "satgas.sleman" not in html
    assert html.count('<li class="list-group-item">') == 2
    # Received: no request for information, no completion form; withdrawing is allowed.
    assert "Permintaan kelengkapan dari petugas" not in html
    assert 'action="/status/laporan/lengkapi/"' not in html
    assert 'action="/status/laporan/cabut/"' in html


def test_page_shows_nothing_of_the_reporter_identity(reference_data):
    report = make_report(
        reporter_name="Siti Rahmawati",
        reporter_nik="3404015507880002",
        reporter_email="siti.rahma@example.org",
        reporter_phone="081227771234",
        reporter_address="Jalan Kaliurang KM 7, Sleman",
        status=ReportStatus.NEEDS_COMPLETION,
    )
    client = opened(report)
    html = html_of(client.get("/status/laporan/"))
    assert '<span class="status-label">Perlu dilengkapi</span>' in html
    for secret in ("Siti", "Rahmawati", "3404015507880002", "siti.rahma", "081227771234", "Kaliurang"):
        assert secret not in html
    assert report.description not in html


def test_wrong_pin_and_missing_code_give_the_same_page(reference_data):
    make_report()
    client = browser()
    timer = issue_timer()
    wrong_pin = post_lookup(client, CODE, "AAAA-BBBB-CCCC-DDDD", timer=timer)
    missing = post_lookup(client, "NTR-2345-6789", "AAAA-BBBB-CCCC-DDDD", timer=timer)
    assert (wrong_pin.status_code, missing.status_code) == (200, 200)

    def comparable(response, typed):
        html = html_of(response)
        assert f'value="{typed}"' in html  # the typed code is kept
        html = html.replace(f'value="{typed}"', 'value="KODE"')
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value=""', html)

    assert comparable(wrong_pin, CODE) == comparable(missing, "NTR-2345-6789")
    assert f'<p class="mb-1">{MISMATCH}</p>' in html_of(missing)
    assert "AAAA-BBBB" not in html_of(missing)  # the PIN is never written back
    assert wrong_pin.headers.keys() == missing.headers.keys()
    assert "sessionid" not in wrong_pin.cookies and "sessionid" not in missing.cookies


@pytest.mark.parametrize(
    ("typed_code", "typed_pin"),
    [
        ("ntr-7k3m-q9xd", "k7qm-3xwd-9pht-r2nb"),
        (" NTR 7K3M Q9XD ", "K7QM 3XWD 9PHT R2NB"),
        ("NTR7K3MQ9XD", "K7QM3XWD9PHTR2NB"),
        ("7k3mq9xd", "k7qm3xwd9phtr2nb"),
    ],
)
def test_lookup_normalises_case_spaces_and_dashes(reference_data, typed_code, typed_pin):
    report = make_report()
    client = browser()
    response = post_lookup(client, typed_code, typed_pin)
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    assert client.session["status_report_id"] == report.pk


def test_lookup_reads_the_report_in_one_query(reference_data):
    make_report()
    client = browser()
    with CaptureQueriesContext(connection) as queries:
        response = post_lookup(client, CODE, PIN)
    assert response.status_code == 303
    report_queries = [q["sql"] for q in queries.captured_queries if '"reports_report"' in q["sql"]]
    assert len(report_queries) == 1
    assert '"tracking_code" = ' in report_queries[0]
    assert report_queries[0].startswith('SELECT "id", "pin_hash" FROM')  # no wide row


def test_malformed_code_is_explained_next_to_the_field(reference_data):
    client = browser()
    response = post_lookup(client, "NTR-12", "pendek")
    html = html_of(response)
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_tracking_code_error">'
        "Kode pelacakan terdiri dari NTR dan 8 huruf atau angka, misalnya NTR-7K3M-Q9XD.</div>"
    ) in html
    assert (
        '<div class="invalid-feedback d-block" id="id_pin_error">'
        "PIN terdiri dari 16 huruf dan angka, misalnya K7QM-3XWD-9PHT-R2NB.</div>"
    ) in html
    assert '<a href="#id_tracking_code">Kode pelacakan</a>' in html
    assert 'aria-describedby="id_tracking_code_helptext id_tracking_code_error"' in html
    assert 'value="NTR-12"' in html


def test_honeypot_and_hurried_posts_are_refused(reference_data, settings):
    make_report()
    client = browser()
    trapped = post_lookup(client, CODE, PIN, situs_web="http://spam.example")
    assert trapped.status_code == 200
    assert "Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi." in html_of(trapped)
    assert "status_report_id" not in client.session
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 3
    hurried = post_lookup(client, CODE, PIN)
    assert "Formulir terkirim terlalu cepat. Periksa isian Anda lalu kirim sekali lagi." in html_of(hurried)
    assert "status_report_id" not in client.session


# Rate limits ---------------------------------------------------------------------------------------

# 10:10:00 WIB: the hour-long lookup_failed window ends in 50 minutes.
FROZEN = dt.datetime(2024, 10, 14, 3, 10, tzinfo=UTC)


def test_failed_lookups_lock_the_guessed_code_even_for_the_right_pin(reference_data, limits):
    limits(lookup_failed_code=(3, 3600))
    make_report()
    with time_machine.travel(FROZEN, tick=False):
        client = browser()
        answers = [post_lookup(client, CODE, "AAAA-BBBB-CCCC-DDDD") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert all(MISMATCH in html_of(a) for a in answers)
        right = post_lookup(client, CODE, PIN)
    message = (
        "Terlalu banyak percobaan PIN yang salah untuk kode pelacakan ini. Demi keamanan laporan, "
        "kode ini dapat dibuka lagi dalam 50 menit."
    )
    assert (right.status_code, right["Retry-After"]) == (429, "3000")
    assert message in html_of(right)
    assert 'name="pin"' not in html_of(right)
    assert "status_report_id" not in client.session


def test_a_missing_code_is_locked_like_a_real_one(reference_data, limits):
    limits(lookup_failed_code=(2, 3600))
    make_report()
    with time_machine.travel(FROZEN, tick=False):
        client = browser()
        for code in (CODE, "NTR-2345-6789"):
            assert [post_lookup(client, code, "AAAA-BBBB-CCCC-DDDD").status_code for _ in range(2)] == [200, 200]
        real, missing = post_lookup(client, CODE, PIN), post_lookup(client, "NTR-2345-6789", PIN)
    assert (real.status_code, missing.status_code) == (429, 429)

    def masked(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html_of(response))

    assert masked(real) == masked(missing)


@NEEDS_REDIS
def test_failed_lookup_limit_holds_in_real_redis(reference_data, settings, limits):
    import redis

    prefix = f"test-status-redis-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": prefix,
        }
    }
    limits(lookup_failed_code=(2, 3600))
    make_report()
    raw = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        with time_machine.travel(FROZEN, tick=False):
            client = browser()
            assert post_lookup(client, CODE, "AAAA-BBBB-CCCC-DDDD").status_code == 200
            assert post_lookup(client, CODE, "AAAA-BBBB-CCCC-DDDD").status_code == 200
            blocked = post_lookup(client, CODE, PIN)
        assert (blocked.status_code, blocked["Retry-After"]) == (429, "3000")
        window = int(FROZEN.timestamp()) // 3600
        assert raw.get(f"{prefix}:1:rl:lookup_failed_code:{CODE}:{window}") == b"2"
        assert raw.get(f"{prefix}:1:rl:lookup_failed:127.0.0.1:{window}") == b"2"
    finally:
        delete_keys(prefix)


def test_reporter_updates_are_limited(reference_data, limits):
    limits(reporter_update=(1, 3600))
    report = make_report()
    client = opened(report)
    first = post(client, "/status/laporan/cabut/", {"alasan": "Belum yakin"})
    assert first.status_code == 200
    blocked = post(client, "/status/laporan/cabut/", {"alasan": "Belum yakin", "yakin": "on"})
    assert blocked.status_code == 429
    assert 0 < int(blocked["Retry-After"]) <= 3600
    assert "Terlalu banyak pengiriman dari jaringan Anda. Coba lagi dalam" in html_of(blocked)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RECEIVED


# Session access ------------------------------------------------------------------------------------


def test_access_ends_after_30_idle_minutes(reference_data):
    report = make_report()
    with time_machine.travel(dt.datetime(2024, 10, 14, 3, 0, tzinfo=UTC), tick=False) as traveller:
        client = opened(report)
        assert client.get("/status/laporan/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/status/laporan/").status_code == 200  # activity renews access
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/status/laporan/")
        assert (response.status_code, response["Location"]) == (303, "/status/")
        page = client.get("/status/")
    assert (
        "Demi keamanan, akses ke laporan berakhir setelah 30 menit tanpa aktivitas. "
        "Masukkan kode pelacakan dan PIN lagi."
    ) in html_of(page)
    assert "status_report_id" not in client.session


def test_detail_without_access_sends_to_lookup(reference_data):
    response = Client().get("/status/laporan/", follow=True)
    assert response.redirect_chain == [("/status/", 303)]
    assert messages_of(response) == ["Masukkan kode pelacakan dan PIN untuk melihat laporan Anda."]


def test_keluar_forgets_access(reference_data):
    report = make_report()
    client = opened(report)
    response = post(client, "/status/keluar/", {})
    assert (response.status_code, response["Location"]) == (303, "/status/")
    assert "status_report_id" not in client.session
    assert client.get("/status/laporan/")["Location"] == "/status/"


def test_lookup_changes_the_session_key(reference_data):
    report = make_report()
    client = browser()
    client.session.save()
    before = client.cookies.get("sessionid")
    post_lookup(client, CODE, PIN)
    assert client.cookies["sessionid"].value != (before.value if before else "")
    assert client.session["status_report_id"] == report.pk


# CSRF ----------------------------------------------------------------------------------------------


def test_every_post_needs_the_csrf_token(reference_data):
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    client = opened(report)
    data = {"tracking_code": CODE, "pin": PIN, "form_ts": issue_timer()}
    assert Client(enforce_csrf_checks=True).post("/status/", data).status_code == 403
    assert client.post("/status/laporan/cabut/", {"yakin": "on"}).status_code == 403
    assert client.post("/status/laporan/lengkapi/", {"keterangan": "Tambahan"}).status_code == 403
    assert client.post("/status/keluar/").status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.NEEDS_COMPLETION
    assert client.session["status_report_id"] == report.pk


# Withdrawal ----------------------------------------------------------------------------------------


def test_withdraw_needs_confirmation_then_withdraws_once(reference_data):
    report = make_report()
    client = opened(report)
    unconfirmed = post(client, "/status/laporan/cabut/", {"alasan": "Sudah diselesaikan secara kekeluargaan."})
    html = html_of(unconfirmed)
    assert unconfirmed.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_yakin_error">'
        "Centang kotak ini bila Anda yakin ingin mencabut laporan.</div>"
    ) in html
    assert "\nSudah diselesaikan secara kekeluargaan.</textarea>" in html
    assert Report.objects.get(pk=report.pk).status == ReportStatus.RECEIVED

    done = post(client, "/status/laporan/cabut/", {"alasan": "Sudah diselesaikan secara kekeluargaan.", "yakin": "on"})
    assert (done.status_code, done["Location"]) == (303, "/status/laporan/")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.WITHDRAWN
    event = ReportEvent.objects.get(report=report)
    assert (event.kind, event.from_status, event.to_status, event.actor, event.is_public, event.note) == (
        EventKind.WITHDRAWN,
        ReportStatus.RECEIVED,
        ReportStatus.WITHDRAWN,
        None,
        True,
        "Sudah diselesaikan secara kekeluargaan.",
    )
    page = client.get("/status/laporan/")
    html = html_of(page)
    assert messages_of(page) == ["Laporan Anda sudah dicabut dan tidak akan diproses lebih lanjut."]
    assert '<span class="status-label">Dicabut pelapor</span>' in html
    assert "Laporan ini sudah Anda cabut, sehingga tidak diproses lebih lanjut." in html
    assert '<span class="fw-semibold">Laporan dicabut pelapor</span>' in html
    assert 'action="/status/laporan/cabut/"' not in html
    assert "kekeluargaan" not in html  # the reason is for staff

    again = post(client, "/status/laporan/cabut/", {"yakin": "on"})
    assert again["Location"] == "/status/laporan/"
    assert messages_of(client.get("/status/laporan/")) == [
        "Laporan berstatus “Dicabut pelapor” tidak dapat dicabut lagi."
    ]
    assert ReportEvent.objects.filter(report=report).count() == 1


# Completion ----------------------------------------------------------------------------------------


def request_information(report: Report, message: str) -> None:
    ReportEvent.objects.create(
        report=report,
        kind=EventKind.INFO_REQUESTED,
        from_status=ReportStatus.VERIFYING,
        to_status=ReportStatus.NEEDS_COMPLETION,
        note="Bukti foto buram.",
        public_message=message,
    )


def png_bytes(color: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), color).save(buffer, "PNG")
    return buffer.getvalue()


def test_reporter_adds_information_and_evidence_when_asked(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    request_information(report, "Mohon kirim foto spanduk yang lebih jelas.")
    client = opened(report)
    html = html_of(client.get("/status/laporan/"))
    assert '<p class="mb-0 information-request">Mohon kirim foto spanduk yang lebih jelas.</p>' in html
    assert "Bukti foto buram." not in html  # the request's internal note
    assert 'action="/status/laporan/lengkapi/" enctype="multipart/form-data"' in html
    assert '<input type="file" name="berkas" class="form-control" accept="image/jpeg,' in html
    assert 'aria-describedby="id_berkas_helptext" multiple id="id_berkas">' in html

    photo = png_bytes()
    response = client.post(
        "/status/laporan/lengkapi/",
        {
            "keterangan": "Spanduk dipasang di depan kantor kecamatan.",
            "tautan": "https://www.instagram.com/p/C1x2y3z/\n",
            "berkas": [SimpleUploadedFile("spanduk.png", photo, content_type="application/octet-stream")],
            "csrfmiddlewaretoken": token(client),
        },
    )
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VERIFYING
    event = ReportEvent.objects.get(report=report, kind=EventKind.REPORTER_ADDED)
    assert (event.from_status, event.to_status, event.actor, event.is_public, event.note) == (
        ReportStatus.NEEDS_COMPLETION,
        ReportStatus.VERIFYING,
        None,
        True,
        "Spanduk dipasang di depan kantor kecamatan.",
    )
    stored = Evidence.objects.get(report=report, kind=EvidenceKind.FILE)
    expected_hash = hashlib.sha256(photo).hexdigest()
    assert (stored.source, stored.original_name, stored.media_type, stored.size, stored.sha256, stored.draft_token) == (
        EvidenceSource.COMPLETION,
        "spanduk.png",
        "image/png",
        len(photo),
        expected_hash,
        "",
    )
    with stored.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == expected_hash
    link = Evidence.objects.get(report=report, kind=EvidenceKind.LINK)
    assert (link.source, link.url) == (EvidenceSource.COMPLETION, "https://www.instagram.com/p/C1x2y3z/")

    page = client.get("/status/laporan/")
    html = html_of(page)
    assert messages_of(page) == ["Terima kasih. Kelengkapan Anda sudah kami terima dan laporan kembali diverifikasi."]
    assert '<span class="status-label">Diverifikasi</span>' in html
    assert '<span class="fw-semibold">Pelapor menambahkan keterangan</span>' in html
    assert "Permintaan kelengkapan dari petugas" not in html
    assert 'action="/status/laporan/lengkapi/"' not in html
    assert "kantor kecamatan" not in html  # the added text is for staff, not for whoever holds the phone
    assert "status_draft_token" not in client.session


def test_completion_error_keeps_text_and_accepted_files(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    request_information(report, "Mohon kirim foto dari sisi jalan.")
    client = opened(report)
    photo = png_bytes("blue")
    first = client.post(
        "/status/laporan/lengkapi/",
        {
            "keterangan": "Foto kedua dari sisi jalan.",
            "tautan": "bukan tautan",
            "berkas": [
                SimpleUploadedFile("sisi-jalan.png", photo, content_type="image/png"),
                SimpleUploadedFile("foto.jpg", b"MZ\x90\x00\x03" + b"\x00" * 300, content_type="image/jpeg"),
            ],
            "csrfmiddlewaretoken": token(client),
        },
    )
    html = html_of(first)
    assert first.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_tautan_error"><span class="d-block">'
        "Tautan «bukan tautan» ditolak: alamatnya tidak sah.</span></div>"
    ) in html
    assert (
        '<div class="invalid-feedback d-block" id="id_berkas_error"><span class="d-block">'
        "Berkas «foto.jpg» ditolak: isinya program (executable), bukan foto, video, atau PDF.</span></div>"
    ) in html
    assert "\nFoto kedua dari sisi jalan.</textarea>" in html
    assert "\nbukan tautan</textarea>" in html
    assert (
        f"<li>sisi-jalan.png ({len(photo)}\xa0bita) · SHA-256 "
        f'<span class="font-monospace text-break">{hashlib.sha256(photo).hexdigest()}</span></li>'
    ) in html
    draft = Evidence.objects.get()
    assert (draft.report, draft.original_name, draft.source, draft.sha256) == (
        None,
        "sisi-jalan.png",
        EvidenceSource.COMPLETION,
        hashlib.sha256(photo).hexdigest(),
    )
    assert Report.objects.get(pk=report.pk).status == ReportStatus.NEEDS_COMPLETION
    assert ReportEvent.objects.filter(report=report, kind=EventKind.REPORTER_ADDED).count() == 0

    second = post(client, "/status/laporan/lengkapi/", {"keterangan": "Foto kedua dari sisi jalan.", "tautan": ""})
    assert (second.status_code, second["Location"]) == (303, "/status/laporan/")
    attached = Evidence.objects.get(pk=draft.pk)
    assert (attached.report_id, attached.draft_token) == (report.pk, "")
    assert list(Evidence.objects.filter(report=report).values_list("original_name", flat=True)) == ["sisi-jalan.png"]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VERIFYING


def test_oversized_upload_is_refused_while_streaming_and_text_kept(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 100
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    client = opened(report)
    response = client.post(
        "/status/laporan/lengkapi/",
        {
            "keterangan": "Video lengkap acara.",
            "berkas": [SimpleUploadedFile("acara.png", png_bytes() + b"\x00" * 200)],
            "csrfmiddlewaretoken": token(client),
        },
    )
    html = html_of(response)
    assert response.status_code == 200
    assert (
        '<div class="invalid-feedback d-block" id="id_berkas_error"><span class="d-block">'
        "Berkas «acara.png» ditolak: ukurannya melebihi batas 100\xa0bita per berkas.</span></div>"
    ) in html
    assert "\nVideo lengkap acara.</textarea>" in html
    assert Evidence.objects.count() == 0
    assert Report.objects.get(pk=report.pk).status == ReportStatus.NEEDS_COMPLETION


def test_service_adds_uploads_directly(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    photo = png_bytes("green")
    event = followup.add_reporter_information(
        report, text="", files=[SimpleUploadedFile("a.png", photo)], links=["https://x.com/a/status/1"]
    )
    assert (event.kind, report.status) == (EventKind.REPORTER_ADDED, ReportStatus.VERIFYING)
    assert sorted(Evidence.objects.filter(report=report).values_list("kind", "sha256", "url")) == [
        (EvidenceKind.FILE, hashlib.sha256(photo).hexdigest(), ""),
        (EvidenceKind.LINK, "", "https://x.com/a/status/1"),
    ]


def test_adding_information_is_refused_unless_asked(reference_data):
    report = make_report(status=ReportStatus.VERIFYING)
    client = opened(report)
    assert 'action="/status/laporan/lengkapi/"' not in html_of(client.get("/status/laporan/"))
    response = post(client, "/status/laporan/lengkapi/", {"keterangan": "Tambahan"})
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    assert messages_of(client.get("/status/laporan/")) == [
        "Laporan ini tidak sedang menunggu kelengkapan, jadi keterangan tambahan tidak dapat dikirim sekarang."
    ]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VERIFYING
    assert ReportEvent.objects.filter(report=report).count() == 0


def test_completion_with_nothing_asks_for_something(reference_data):
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    client = opened(report)
    response = post(client, "/status/laporan/lengkapi/", {"keterangan": "  ", "tautan": ""})
    assert response.status_code == 200
    assert '<p class="mb-1">Isi keterangan tambahan atau lampirkan paling sedikit satu bukti.</p>' in html_of(response)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.NEEDS_COMPLETION


def test_service_refuses_information_unless_asked(reference_data):
    report = make_report(status=ReportStatus.RECEIVED)
    with pytest.raises(TransitionNotAllowed):
        followup.add_reporter_information(report, text="Tambahan", files=[], links=[])
    assert ReportEvent.objects.count() == 0


def test_service_withdraw_refused_after_registration(reference_data):
    report = make_report(status=ReportStatus.REGISTERED)
    with pytest.raises(TransitionNotAllowed):
        followup.withdraw_report(report, reason="")
    assert Report.objects.get(pk=report.pk).status == ReportStatus.REGISTERED


# Services ------------------------------------------------------------------------------------------


def test_every_status_has_its_own_explanation():
    texts = {status: followup.status_explanation(status) for status in ReportStatus}
    assert len(set(texts.values())) == len(ReportStatus)
    assert texts[ReportStatus.NEEDS_COMPLETION] == (
        "Petugas memerlukan keterangan atau bukti tambahan dari Anda. "
        "Kirimkan kelengkapannya melalui formulir di halaman ini; setelah itu laporan diperiksa kembali."
    )


def test_public_timeline_carries_no_actor_or_note(cast):
    report = make_report(status=ReportStatus.NEEDS_COMPLETION)
    request_information(report, "Mohon kirim foto spanduk yang lebih jelas.")
    ReportEvent.objects.create(report=report, kind=EventKind.NOTE, note="rahasia", is_public=False)
    timeline = followup.public_timeline(report)
    assert [(e.kind, e.kind_label, e.public_message, e.to_status_label) for e in timeline] == [
        (
            EventKind.INFO_REQUESTED,
            "Petugas meminta kelengkapan",
            "Mohon kirim foto spanduk yang lebih jelas.",
            "Perlu dilengkapi",
        )
    ]
    assert not hasattr(timeline[0], "note") and not hasattr(timeline[0], "actor")
    assert followup.open_information_request(report, timeline) == "Mohon kirim foto spanduk yang lebih jelas."
    report.status = ReportStatus.VERIFYING
    assert followup.open_information_request(report, timeline) == ""


def test_the_completion_forms_links_are_checked_once(monkeypatch):
    """The form hands on the links check_link returned, so storing them does not check each one again."""
    from reports import evidence
    from reports.public import status_forms

    calls = []

    def counted(url):
        calls.append(url)
        return real(url)

    real = evidence.check_link
    monkeypatch.setattr(evidence, "check_link", counted)
    monkeypatch.setattr(status_forms, "check_link", counted)
    form = status_forms.CompletionForm(
        {"tautan": " https://www.instagram.com/p/C1x2y3z/ \n\nhttps://x.com/a/status/1\n"}
    )
    assert form.is_valid(), form.errors
    links = form.cleaned_data["tautan"]
    assert links == ["https://www.instagram.com/p/C1x2y3z/", "https://x.com/a/status/1"]
    built = [evidence.new_evidence_link(link, draft_token="d" * 32) for link in links]
    assert [item.url for item in built] == links
    assert calls == links  # once each, by the form
