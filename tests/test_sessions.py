"""Staff sessions: 30 minutes idle, 12 hours at most; and the password and the code again (within the last
10 minutes) before issuing a recommendation, recording a PPK decision or changing a membership."""

from __future__ import annotations

import html as html_module
import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from netralitas.enums import Role
from netralitas.models import Membership
from reports.enums import CaseStatus
from reports.models import Recommendation, Terlapor
from sanctions.models import Decision
from tests.test_admin_triage import recommendation_data
from tests.test_recommendations import case_in_clarification
from tests.test_sanctions_pages import awaiting_ppk, decision_post, sk_pdf
from tests.twofactor import TEST_DEVICE_NAME, next_code

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 08:00 in Jakarta
PASSWORD = "kata-sandi-uji-123"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- idle and absolute limits ------------------------------------------------------------------------


def test_an_idle_staff_session_ends_after_thirty_minutes(cast, clock):
    client = Client()
    client.force_login(cast["ppk_sleman"])
    assert client.get("/sanksi/").status_code == 200

    clock.shift(timedelta(minutes=29, seconds=59))
    assert client.get("/sanksi/").status_code == 200
    clock.shift(timedelta(minutes=30, seconds=1))
    expired = client.get("/sanksi/")

    assert expired.status_code == 302 and expired["Location"] == "/admin/login/?next=/sanksi/"
    assert not signed_in(client)
    login = client.get(expired["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak ada kegiatan selama 30 menit. Silakan masuk lagi." in login


def test_the_idle_clock_is_written_once_a_minute_not_on_every_request(cast, clock):
    """A staff page within a minute of the last recorded request writes no session (no UPDATE, no cache set);
    the idle limit then counts from the recorded request: at most a minute early, never late."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(cast["ppk_sleman"])
    client.get("/sanksi/")

    def session_writes(after: timedelta) -> int:
        clock.shift(after)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/sanksi/").status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in queries.captured_queries)

    assert [session_writes(timedelta(seconds=s)) for s in (1, 30, 28, 2, 59)] == [0, 0, 0, 1, 0]
    # Recorded at 61 s; 29 min 59 s after that record the session lives (and records again); 30 min later it ends.
    assert session_writes(timedelta(minutes=29, seconds=59) - timedelta(seconds=59)) == 1
    clock.shift(timedelta(minutes=30))
    assert client.get("/sanksi/").status_code == 302
    assert not signed_in(client)


def test_a_busy_staff_session_still_ends_after_twelve_hours(cast, clock):
    client = Client()
    client.force_login(cast["ppk_sleman"])
    for step in range(1, 36):  # every 20 minutes up to 11 h 40 min
        clock.shift(timedelta(minutes=20))
        assert client.get("/sanksi/").status_code == 200, step
    clock.shift(timedelta(minutes=20))  # 12 h after the sign-in
    expired = client.get("/sanksi/")

    assert expired.status_code == 302 and expired["Location"] == "/admin/login/?next=/sanksi/"
    assert not signed_in(client)
    login = client.get(expired["Location"]).content.decode()
    assert "Sesi Anda sudah berlangsung 12 jam. Silakan masuk lagi." in login


def test_a_citizens_status_session_is_not_signed_out_by_the_staff_limits(cast, clock):
    client = Client()
    client.get("/status/")
    clock.shift(timedelta(hours=2))
    assert client.get("/status/").status_code == 200


# --- re-authentication before the acts that matter ------------------------------------------------------


def hidden_fields(html: str) -> list[tuple[str, str]]:
    """The hidden inputs of the re-authentication form (the act's own fields, replayed)."""
    form = re.search(r'<form[^>]*data-testid="reauth-form".*?</form>', html, re.S)[0]
    return [
        (m["name"], m["value"])
        for m in re.finditer(r'<input type="hidden" name="(?P<name>[^"]+)" value="(?P<value>[^"]*)"', form)
    ]


def replay(client: Client, url: str, html: str, code: str, *, password: str = PASSWORD, files: dict | None = None):
    data: dict[str, list[str] | object] = {}
    for name, value in hidden_fields(html):
        data.setdefault(name, []).append(html_module.unescape(value))
    data["reauth-password"] = password
    data["reauth-code"] = code
    data.update(files or {})
    return client.post(url, data)


def device_of(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.get(user=user, name=TEST_DEVICE_NAME)


def assert_reauth_page(response) -> str:
    html = response.content.decode()
    assert response.status_code == 403
    assert "Konfirmasi identitas Anda" in html
    assert 'name="reauth-password"' in html and 'name="reauth-code"' in html
    return html


def test_issuing_a_recommendation_needs_the_password_and_code_again(cast, organisations, clock):
    case = case_in_clarification(cast, organisations)
    officer = cast["authority_bkn"]
    client = Client()
    client.force_login(officer)
    url = reverse("admin:reports_terlapor_action", args=[case.pk, "rekomendasi"])
    clock.shift(timedelta(minutes=10, seconds=1))

    challenged = client.post(url, recommendation_data(letter_number="B-900/R/BKN/III/2026"))

    html = assert_reauth_page(challenged)
    assert "B-900/R/BKN/III/2026" in html  # what the officer typed is kept, in the hidden fields
    assert not Recommendation.objects.exists()
    done = replay(client, url, html, next_code(device_of(officer)))
    assert done.status_code == 302
    assert Recommendation.objects.get().letter_number == "B-900/R/BKN/III/2026"
    assert Terlapor.objects.get(pk=case.pk).case_status == CaseStatus.AWAITING_PPK


def test_within_ten_minutes_of_the_sign_in_no_second_confirmation_is_asked(cast, organisations, clock):
    case = case_in_clarification(cast, organisations)
    client = Client()
    client.force_login(cast["authority_bkn"])
    clock.shift(timedelta(minutes=9, seconds=59))

    response = client.post(
        reverse("admin:reports_terlapor_action", args=[case.pk, "rekomendasi"]), recommendation_data()
    )

    assert response.status_code == 302
    assert Recommendation.objects.count() == 1


def test_a_wrong_password_or_code_keeps_the_act_waiting(cast, organisations, clock):
    case = case_in_clarification(cast, organisations)
    officer = cast["authority_bkn"]
    client = Client()
    client.force_login(officer)
    url = reverse("admin:reports_terlapor_action", args=[case.pk, "rekomendasi"])
    clock.shift(timedelta(minutes=11))
    html = assert_reauth_page(client.post(url, recommendation_data()))

    wrong_password = replay(client, url, html, next_code(device_of(officer)), password="bukan-sandinya-123")
    wrong_code = replay(client, url, assert_reauth_page(wrong_password), "000000", password=PASSWORD)

    assert "Kata sandi salah." in wrong_password.content.decode()
    assert "Kode tidak cocok." in assert_reauth_page(wrong_code)
    assert not Recommendation.objects.exists()


def test_recording_a_ppk_decision_needs_the_password_and_code_again(cast, organisations, clock):
    terlapor = awaiting_ppk(cast, organisations)
    ppk = cast["ppk_sleman"]
    client = Client()
    client.force_login(ppk)
    url = f"/sanksi/perkara/{terlapor.pk}/keputusan/"
    clock.shift(timedelta(minutes=15))

    challenged = client.post(url, {k: v for k, v in decision_post("x").items() if k != "csrfmiddlewaretoken"})

    html = assert_reauth_page(challenged)
    assert "800/123/SK/2024" in html
    assert 'type="file" name="keputusan-signed_sk"' in html  # a file cannot be kept: choose it again
    assert not Decision.objects.exists()
    done = replay(client, url, html, next_code(device_of(ppk)), files={"keputusan-signed_sk": sk_pdf()})
    assert done.status_code == 302 and done["Location"] == f"/sanksi/perkara/{terlapor.pk}/"
    assert Decision.objects.get().sk_number == "800/123/SK/2024"


def test_changing_a_membership_needs_the_password_and_code_again(cast, organisations, clock):
    admin = cast["admin"]
    client = Client()
    client.force_login(admin)
    membership = Membership.objects.get(user=cast["operator_yogya"])
    url = f"/admin/netralitas/membership/{membership.pk}/change/"
    clock.shift(timedelta(minutes=12))
    data = {
        "user": cast["operator_yogya"].pk,
        "organisation": organisations["pemda_sleman"].pk,
        "role": Role.OPERATOR,
        "is_active": "on",
        "_save": "Simpan",
    }

    html = assert_reauth_page(client.post(url, data))

    assert Membership.objects.get(pk=membership.pk).organisation == organisations["pemda_yogya"]
    done = replay(client, url, html, next_code(device_of(admin)))
    assert done.status_code == 302
    assert Membership.objects.get(pk=membership.pk).organisation == organisations["pemda_sleman"]


def test_giving_a_user_a_role_in_the_user_admin_needs_the_password_and_code_again(cast, clock):
    client = Client()
    client.force_login(cast["admin"])
    target = cast["ppk_sleman"]
    clock.shift(timedelta(minutes=12))

    response = client.post(f"/admin/auth/user/{target.pk}/change/", {"username": target.username, "is_staff": "on"})

    assert_reauth_page(response)


def test_the_reauth_page_confirms_and_returns_to_next(cast, clock):
    from netralitas.security.session import PROVED_AT

    ppk = cast["ppk_sleman"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(ppk)
    clock.shift(timedelta(minutes=20))
    page = client.get("/masuk/konfirmasi/?next=/sanksi/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())[1]

    response = client.post(
        "/masuk/konfirmasi/?next=/sanksi/",
        {
            "csrfmiddlewaretoken": token,
            "reauth-password": PASSWORD,
            "reauth-code": next_code(device_of(ppk)),
            "next": "/sanksi/",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/sanksi/"
    assert client.session[PROVED_AT] == START.timestamp() + 20 * 60


def test_five_wrong_passwords_at_the_reauth_lock_the_account_and_end_the_session(cast, clock):
    ppk = cast["ppk_sleman"]
    client = Client()
    client.force_login(ppk)
    clock.shift(timedelta(minutes=20))
    code = next_code(device_of(ppk))
    for _ in range(4):
        response = client.post("/masuk/konfirmasi/", {"reauth-password": "salah-lagi-12345", "reauth-code": code})
        assert response.status_code == 200
    locked = client.post("/masuk/konfirmasi/", {"reauth-password": "salah-lagi-12345", "reauth-code": code})

    assert locked.status_code == 429
    assert not signed_in(client)


# ---------------------------------------------------------------- the session store's rows (netralitas.sessions)


def _clashing_store(monkeypatch):
    from netralitas.sessions import SessionStore

    existing = SessionStore()
    existing["eksis"] = 1
    existing.save()
    keys = iter([existing.session_key, "k" * 32])
    monkeypatch.setattr(SessionStore, "_get_new_session_key", lambda self: next(keys))
    store = SessionStore()
    store["baru"] = 2
    return existing, store


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_session_row_is_one_statement_and_a_clashing_key_draws_again(monkeypatch):
    from django.contrib.sessions.backends.base import UpdateError
    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from netralitas.sessions import SessionStore

    existing, store = _clashing_store(monkeypatch)
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert store.session_key == "k" * 32
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["INSERT", "INSERT"]
    assert SessionStore(session_key=existing.session_key)["eksis"] == 1  # the clash changed nothing
    # The plain INSERT writes what Django's backend writes: its encoding and the expiry date.
    row = Session.objects.get(pk="k" * 32)
    assert row.get_decoded() == {"baru": 2}
    assert abs((row.expire_date - store.get_expiry_date()).total_seconds()) < 5
    store["baru"] = 3
    with CaptureQueriesContext(connection) as queries:
        store.save()
    assert [query["sql"].split()[0] for query in queries.captured_queries] == ["UPDATE"]
    Session.objects.filter(pk=store.session_key).delete()  # signed out elsewhere meanwhile
    store["baru"] = 4
    with pytest.raises(UpdateError):
        store.save()


@pytest.mark.django_db
def test_inside_a_transaction_a_clashing_session_key_rolls_back_to_a_savepoint(monkeypatch):
    from netralitas.models import Region
    from netralitas.sessions import SessionStore

    existing, store = _clashing_store(monkeypatch)
    store.save()
    assert store.session_key == "k" * 32
    assert SessionStore(session_key=existing.session_key)["eksis"] == 1
    assert Region.objects.count() >= 0  # the surrounding transaction is still usable
