"""The security log: sign-ins, failures, lockouts, second-factor enrolment and resets, permission changes,
exports and unsealing as JSON lines and rows shown read-only in the admin; never a secret in any line."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client, RequestFactory

from netralitas.enums import Role
from netralitas.models import Membership
from reports.public.antibot import issue_timer
from tests.logwatch import leaks_in, remember
from tests.twofactor import code_for_secret, enrol, next_code

PASSWORD = "kata-sandi-uji-123"


class Lines(logging.Handler):
    """Every record of the loggers it is attached to, formatted as the configured handler formats it."""

    def __init__(self, formatter: logging.Formatter | None = None):
        super().__init__(level=logging.DEBUG)
        if formatter is not None:
            self.setFormatter(formatter)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def security_formatter() -> logging.Formatter:
    """The formatter of the handler settings.LOGGING gives the security logger."""
    handlers = logging.getLogger("netralitas.security").handlers
    configured = [h for h in handlers if h.formatter is not None and type(h).__name__ != "SecretWatcher"]
    assert configured, "the security logger has no handler of its own"
    return configured[0].formatter


@contextmanager
def captured() -> Iterator[tuple[Lines, Lines]]:
    """(JSON lines of the security log, every other log line of every logger) while the block runs."""
    security = Lines(security_formatter())
    everything = Lines(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root, sec = logging.getLogger(), logging.getLogger("netralitas.security")
    root_level = root.level
    root.setLevel(logging.DEBUG)
    sec.addHandler(security)
    root.addHandler(everything)
    try:
        yield security, everything
    finally:
        sec.removeHandler(security)
        root.removeHandler(everything)
        root.setLevel(root_level)


def events(lines: Lines) -> list[dict]:
    return [json.loads(line) for line in lines.lines]


def login_post(client: Client, username: str, password: str, ip: str = "203.0.113.5"):
    return client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


# --- the API -----------------------------------------------------------------------------------------------


def test_log_event_writes_one_json_line_and_one_row(cast):
    from netralitas.security import log_event
    from netralitas.security.models import SecurityEvent

    request = RequestFactory().get("/dasbor/instansi.csv", REMOTE_ADDR="203.0.113.5")
    request.user = cast["viewer"]
    moment = datetime(2026, 3, 2, 8, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
    with time_machine.travel(moment, tick=False), captured() as (security, _):
        log_event("export", request=request, rows=12, what="dasbor per instansi")

    (line,) = security.lines
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "2026-03-02T01:30:00+00:00",
        "kind": "export",
        "user": "pemantau.kemendagri",
        "user_id": cast["viewer"].pk,
        "ip": "203.0.113.5",
        "method": "GET",
        "path": "/dasbor/instansi.csv",
        "rows": 12,
        "what": "dasbor per instansi",
    }
    row = SecurityEvent.objects.get()
    assert (row.kind, row.user, row.username, row.ip, row.path) == (
        "export",
        cast["viewer"],
        "pemantau.kemendagri",
        "203.0.113.5",
        "/dasbor/instansi.csv",
    )
    assert row.detail == {"rows": 12, "what": "dasbor per instansi"}


def test_newlines_and_control_characters_are_neutralised(db):
    from netralitas.security import log_event
    from netralitas.security.models import SecurityEvent

    with captured() as (security, _):
        log_event("login_failed", username="budi\n2026-03-02 login ok admin\r\x1b[31m\u2028x")

    (line,) = security.lines
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert json.loads(line)["username"] == "budi\\n2026-03-02 login ok admin\\r\\x1b[31m\\u2028x"
    assert SecurityEvent.objects.get().username == "budi\\n2026-03-02 login ok admin\\r\\x1b[31m\\u2028x"


@pytest.mark.parametrize(
    "field", ["password", "pin", "nik", "token", "otp_code", "secret", "reporter_name", "reporter_email", "witnesses"]
)
def test_a_secret_field_is_never_written(db, field):
    from netralitas.security import log_event
    from netralitas.security.models import SecurityEvent

    with captured() as (security, _):
        log_event("export", **{field: "rahasia-sekali-3404015205900002"})

    assert "rahasia-sekali" not in security.lines[0]
    assert json.loads(security.lines[0])[field] == "[disaring]"
    assert SecurityEvent.objects.get().detail == {field: "[disaring]"}


def test_a_nik_inside_any_value_is_masked(db):
    from netralitas.security import log_event

    with captured() as (security, _):
        log_event("login_failed", username="3404015205900002")

    assert "3404015205900002" not in security.lines[0]


# --- what is logged ----------------------------------------------------------------------------------------


def test_sign_in_failures_lockout_second_factor_and_sign_out_are_logged(cast, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the right code follows the wrong one at once
    device = enrol(cast["satgas_sleman"])
    operator_device = enrol(cast["operator_sleman"])
    with captured() as (security, _):
        login_post(Client(), "satgas.sleman", "salah-sama-sekali-1")
        login_post(Client(), "kata sandi di kolom nama", "salah-sama-sekali-1")
        for _ in range(4):
            login_post(Client(), "satgas.sleman", "salah-sama-sekali-1")
        client = Client()
        login_post(client, "operator.sleman", PASSWORD)
        client.post("/masuk/kode/?next=/admin/", {"code": "000000", "next": "/admin/"})
        client.post("/masuk/kode/?next=/admin/", {"code": next_code(operator_device), "next": "/admin/"})
        client.post("/admin/logout/")

    logged = events(security)
    kinds = [e["kind"] for e in logged]
    assert kinds == [
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
        "login_failed",
        "lockout",
        "login",
        "otp_failed",
        "otp_verified",
        "logout",
    ]
    assert logged[0]["username"] == "satgas.sleman"
    # A string typed as a user name that names nobody may be a password typed in the wrong box: only its hash.
    assert logged[1]["username"] == "(tidak dikenal)"
    assert re.fullmatch(r"[0-9a-f]{12}", logged[1]["username_hash"])
    assert logged[6]["username"] == "satgas.sleman" and logged[6]["ip"] == "203.0.113.5"
    assert device  # the satgas's device was never asked: the lock came first


def test_an_expired_session_is_logged(cast):
    start = datetime(2026, 3, 2, 1, 0, tzinfo=ZoneInfo("UTC"))
    with time_machine.travel(start, tick=False) as clock, captured() as (security, _):
        client = Client()
        client.force_login(cast["ppk_sleman"])
        clock.shift(timedelta(minutes=31))
        client.get("/sanksi/")

    assert [e["kind"] for e in events(security)][-1] == "session_expired"
    assert events(security)[-1]["reason"] == "idle"


def test_membership_and_permission_changes_are_logged_with_their_actor(cast, organisations):
    admin = Client()
    admin.force_login(cast["admin"])
    membership = Membership.objects.get(user=cast["operator_yogya"])
    target = cast["ppk_sleman"]

    with captured() as (security, _):
        admin.post(
            f"/admin/netralitas/membership/{membership.pk}/change/",
            {
                "user": cast["operator_yogya"].pk,
                "organisation": organisations["pemda_yogya"].pk,
                "role": Role.SATGAS,
                "is_active": "on",
                "_save": "Simpan",
            },
        )
    root = Client()
    superuser = cast["admin"].__class__.objects.create_superuser("akar", "akar@example.org", "kata-sandi-akar")
    root.force_login(superuser)
    with captured() as (grants, _):
        root.post(
            f"/admin/auth/user/{target.pk}/change/",
            {
                "username": target.username,
                "is_active": "on",
                "is_staff": "on",
                "is_superuser": "on",
                "groups": list(target.groups.values_list("pk", flat=True)),
                "user_permissions": [Permission.objects.get(codename="view_securityevent").pk],
                "date_joined_0": "2026-01-01",
                "date_joined_1": "08:00:00",
                "membership_events-TOTAL_FORMS": "0",  # the read-only history inline (issue 8)
                "membership_events-INITIAL_FORMS": "0",
                "membership-TOTAL_FORMS": "1",
                "membership-INITIAL_FORMS": "1",
                "membership-MIN_NUM_FORMS": "0",
                "membership-MAX_NUM_FORMS": "1",
                "membership-0-id": Membership.objects.get(user=target).pk,
                "membership-0-user": target.pk,
                "membership-0-organisation": organisations["pemda_sleman"].pk,
                "membership-0-role": Role.PPK,
                "membership-0-is_active": "on",
                "_save": "Simpan",
            },
        )

    (changed,) = events(security)
    assert (changed["kind"], changed["user"], changed["target"], changed["role"]) == (
        "membership_changed",
        "admin.portal",
        "operator.yogya",
        "satgas",
    )
    granted = [e for e in events(grants) if e["kind"] == "permissions_changed"]
    assert len(granted) == 1
    assert (granted[0]["user"], granted[0]["target"]) == ("akar", "ppk.sleman")
    assert granted[0]["changed"] == ["is_superuser", "user_permissions"]


def test_exports_and_downloads_are_logged(cast, organisations, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.evidence import store_evidence_file
    from tests.factories import ReportFactory
    from tests.test_evidence import jpeg_with_gps

    settings.MEDIA_ROOT = str(tmp_path / "private")
    report = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    evidence = store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_gps()), report=report)
    viewer, officer = Client(), Client()
    viewer.force_login(cast["viewer"])
    officer.force_login(cast["bawaslu_sleman"])

    with captured() as (security, _):
        viewer.get("/dasbor/instansi.csv")
        # Issue 8: the original leaves only through the unsealing page, with a reason (and issue 9's re-auth).
        opened = officer.post(
            f"/rahasia/laporan/{report.pk}/buka/",
            {"item": f"bukti-{evidence.pk}", "reason": "Memeriksa foto asli untuk verifikasi."},
        )
        officer.get(f"/bukti/{evidence.pk}/salinan/")

    assert opened.status_code == 200
    logged = events(security)
    assert [(e["kind"], e["user"]) for e in logged] == [
        ("export", "pemantau.kemendagri"),
        ("sealed_opened", "bawaslu.sleman"),
        ("evidence_download", "bawaslu.sleman"),
    ]
    assert logged[0]["what"] == "dasbor per instansi" and logged[0]["path"] == "/dasbor/instansi.csv"
    assert (logged[1]["report"], logged[1]["item"], logged[1]["evidence"]) == (report.pk, "original", evidence.pk)
    assert (logged[2]["evidence"], logged[2]["copy"]) == (evidence.pk, "salinan")


def test_the_admin_shows_the_log_read_only_to_administrators(cast):
    from netralitas.security import log_event

    log_event("login_failed", username="operator.sleman", ip="203.0.113.5")
    admin, ppk = Client(), Client()
    admin.force_login(cast["admin"])
    ppk.force_login(cast["ppk_sleman"])

    page = admin.get("/admin/security/securityevent/")
    row_id = re.search(r'href="/admin/security/securityevent/(\d+)/change/"', page.content.decode())[1]
    detail = admin.get(f"/admin/security/securityevent/{row_id}/change/")
    edit = admin.post(f"/admin/security/securityevent/{row_id}/change/", {"kind": "login"})
    delete = admin.get(f"/admin/security/securityevent/{row_id}/delete/")

    assert page.status_code == 200 and "operator.sleman" in page.content.decode()
    assert detail.status_code == 200 and 'name="kind"' not in detail.content.decode()
    assert edit.status_code == 403
    assert delete.status_code == 403
    assert ppk.get("/admin/security/securityevent/").status_code == 403


# --- no secret in any log line --------------------------------------------------------------------------


def test_no_secret_reaches_any_log_line_or_the_stored_log(cast, organisations, settings, tmp_path):
    """Citizens file and look up a report; staff sign in, fail, enrol, re-authenticate: then grep everything."""
    from axes.models import AccessAttempt
    from django_otp.plugins.otp_static.models import StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from netralitas.models import Region
    from netralitas.security.models import SecurityEvent
    from tests.test_intake import report_data

    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    places = {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}
    lasting = [PASSWORD, "salah-sama-sekali-1", "salah-lagi-1234", "Siti Rahmawati", "3404015205900002"]
    lasting += ["siti@example.org", "0812 3456 7890", "Jl. Kaliurang km 5, Sleman"]

    jakarta = ZoneInfo("Asia/Jakarta")
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=jakarta), tick=True), captured() as (security, rest):
        citizen = Client()
        receipt = citizen.post("/lapor/", report_data(places), follow=True).content.decode()
        pin = re.search(r'data-testid="pin">([A-Z0-9-]+)<', receipt)[1]
        code = re.search(r'data-testid="tracking-code">([A-Z0-9-]+)<', receipt)[1]
        looker = Client()
        looker.post("/status/", {"tracking_code": code, "pin": pin, "form_ts": issue_timer(), "situs_web": ""})
        looker.post("/status/", {"tracking_code": code, "pin": pin[::-1], "form_ts": issue_timer(), "situs_web": ""})

        login_post(Client(), "ppk.sleman", "salah-sama-sekali-1")
        login_post(Client(), "salah-sama-sekali-1", PASSWORD)  # the password typed as the user name
        staff = Client()
        login_post(staff, "ppk.sleman", PASSWORD)
        enrolment = staff.get("/masuk/aktifkan/?next=/sanksi/").content.decode()
        secret = re.search(r'data-testid="totp-secret"[^>]*>([A-Z2-7 ]+)<', enrolment)[1]
        first_code = code_for_secret(secret)
        staff.post("/masuk/aktifkan/?next=/sanksi/", {"code": first_code, "next": "/sanksi/"})
        backup_codes = list(StaticToken.objects.filter(device__user=cast["ppk_sleman"]).values_list("token", flat=True))
        staff.post("/masuk/konfirmasi/", {"reauth-password": "salah-lagi-1234", "reauth-code": "123456"})
        staff.post("/masuk/konfirmasi/", {"reauth-password": PASSWORD, "reauth-code": backup_codes[0]})
        lasting += [pin, secret.replace(" ", ""), *backup_codes, staff.cookies["sessionid"].value]
        lasting.append(TOTPDevice.objects.get(user=cast["ppk_sleman"]).key)

    for secret_value in lasting:
        remember(secret_value)  # the run-wide watcher (tests/conftest.py) looks for these from now on
    lines = security.lines + rest.lines
    assert len(security.lines) >= 6 and len(rest.lines) >= 6
    assert len(pin) == 19  # the flows really ran: a receipt with a PIN
    assert [(line, leaks_in(line)) for line in lines if leaks_in(line)] == []
    assert [line for line in lines if re.search(rf"(?<!\d)({first_code}|123456)(?!\d)", line)] == []
    stored = json.dumps(list(SecurityEvent.objects.values()), default=str)
    stored += json.dumps(list(AccessAttempt.objects.values()), default=str)
    assert leaks_in(stored) == []
    assert first_code not in stored
