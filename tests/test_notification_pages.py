"""The notifications in the staff workspace: the list, the unread count in the header, mark read, settings."""

from __future__ import annotations

import itertools
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from netralitas.enums import DeliveryMode
from netralitas.models import Notification, NotificationPreference
from tests.test_sanctions_pages import csrf_client, csrf_token

pytestmark = pytest.mark.django_db
_serial = itertools.count(1)


def notify(user, n: int = 1, *, read: bool = False, url: str = "/sanksi/perkara/7/") -> list[Notification]:
    return [
        Notification.objects.create(
            user=user,
            kind=f"overdue:{next(_serial)}",
            subject="sanctions.ppk_follow_up:7",
            due_date=date(2024, 5, 8),
            title=f"Lewat tenggat: Tindak lanjut rekomendasi oleh PPK · Budi {i}",
            body="Tenggat 8 Mei 2024 terlewati 1 hari kerja.",
            url=url,
            read_at=timezone.now() if read else None,
        )
        for i in range(n)
    ]


def unread_badge(html: str) -> str | None:
    found = re.search(r'data-testid="unread-count">.*?(\d+)</span>', html, re.S)
    return found[1] if found else None


def test_the_header_shows_the_unread_count_on_every_staff_page(cast):
    ppk = cast["ppk_sleman"]
    notify(ppk, 3)
    notify(ppk, 2, read=True)
    notify(cast["operator_sleman"], 4)  # someone else's
    client = Client()
    client.force_login(ppk)
    for url in ("/kerja/", "/sanksi/", "/admin/"):
        html = client.get(url).content.decode()
        assert unread_badge(html) == "3", url
        assert 'href="/kerja/notifikasi/"' in html


def test_no_badge_without_unread_notifications(cast):
    client = Client()
    client.force_login(cast["ppk_sleman"])
    html = client.get("/kerja/").content.decode()
    assert unread_badge(html) is None
    assert 'data-testid="nav-notifications"' in html


def test_the_header_costs_one_count_whatever_the_number_of_notifications(cast):
    ppk = cast["ppk_sleman"]

    def queries() -> list[str]:
        client = Client()
        client.force_login(ppk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/kerja/notifikasi/pengaturan/").status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    notify(ppk, 1)
    few = queries()
    notify(ppk, 40)
    many = queries()
    assert len(few) == len(many)
    counts = [sql for sql in many if 'FROM "netralitas_notification" ' in sql]
    assert len(counts) == 1 and counts[0].startswith("SELECT COUNT(*)") and '"read_at" IS NULL' in counts[0]
    assert "LIMIT 100" in counts[0]


def test_the_header_shows_99_plus_beyond_99_unread(cast):
    ppk = cast["ppk_sleman"]
    notify(ppk, 100)
    client = Client()
    client.force_login(ppk)
    assert '<span class="nt-visually-hidden">belum dibaca: </span>99+</span>' in client.get("/kerja/").content.decode()
    assert "100 belum dibaca." in client.get("/kerja/notifikasi/").content.decode()


def test_the_list_shows_only_the_users_own_notifications_newest_first(cast):
    ppk = cast["ppk_sleman"]
    old, new = notify(ppk, 2)
    Notification.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(days=1))
    notify(cast["operator_sleman"], 1, url="/rahasia/")
    client = Client()
    client.force_login(ppk)
    html = client.get("/kerja/notifikasi/").content.decode()
    assert re.findall(r'href="/kerja/notifikasi/(\d+)/" data-testid="notification-link"', html) == [
        str(new.pk),
        str(old.pk),
    ]
    assert "/rahasia/" not in html
    assert "2 belum dibaca." in html


def test_list_queries_do_not_grow_with_the_notifications(cast):
    ppk = cast["ppk_sleman"]

    def count() -> int:
        client = Client()
        client.force_login(ppk)
        with CaptureQueriesContext(connection) as captured:
            client.get("/kerja/notifikasi/")
        return len(captured.captured_queries)

    notify(ppk, 2)
    few = count()
    notify(ppk, 45)
    assert count() == few


def test_opening_a_notification_marks_it_read_and_goes_to_the_act(cast):
    ppk = cast["ppk_sleman"]
    (note,) = notify(ppk, 1)
    client = Client()
    client.force_login(ppk)
    response = client.get(f"/kerja/notifikasi/{note.pk}/")
    assert (response.status_code, response["Location"]) == (302, "/sanksi/perkara/7/")
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_a_404_and_stays_unread(cast):
    (note,) = notify(cast["operator_sleman"], 1)
    client = Client()
    client.force_login(cast["ppk_sleman"])
    assert client.get(f"/kerja/notifikasi/{note.pk}/").status_code == 404
    assert client.post(f"/kerja/notifikasi/{note.pk}/dibaca/").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_a_stored_link_to_another_site_is_not_followed(cast):
    ppk = cast["ppk_sleman"]
    (note,) = notify(ppk, 1, url="https://jahat.example.com/")
    client = Client()
    client.force_login(ppk)
    assert client.get(f"/kerja/notifikasi/{note.pk}/")["Location"] == "/kerja/"


def test_mark_read_and_mark_all_read_need_the_csrf_token(cast):
    ppk = cast["ppk_sleman"]
    first, *_rest = notify(ppk, 3)
    client = csrf_client(ppk)
    assert client.post(f"/kerja/notifikasi/{first.pk}/dibaca/").status_code == 403
    token = csrf_token(client, "/kerja/notifikasi/")
    response = client.post(f"/kerja/notifikasi/{first.pk}/dibaca/", {"csrfmiddlewaretoken": token})
    assert (response.status_code, response["Location"]) == (302, "/kerja/notifikasi/")
    assert Notification.objects.filter(user=ppk, read_at__isnull=True).count() == 2
    response = client.post("/kerja/notifikasi/dibaca-semua/", {"csrfmiddlewaretoken": token}, follow=True)
    assert "2 notifikasi ditandai sudah dibaca." in response.content.decode()
    assert Notification.objects.filter(user=ppk, read_at__isnull=True).count() == 0


def test_the_settings_choose_the_digest_and_english(cast):
    ppk = cast["ppk_sleman"]
    client = csrf_client(ppk)
    token = csrf_token(client, "/kerja/notifikasi/pengaturan/")
    response = client.post(
        "/kerja/notifikasi/pengaturan/",
        {"csrfmiddlewaretoken": token, "delivery": DeliveryMode.DIGEST, "language": "en"},
        follow=True,
    )
    assert "Pengaturan notifikasi disimpan." in response.content.decode()
    preference = NotificationPreference.objects.get(user=ppk)
    assert (preference.delivery, preference.language) == (DeliveryMode.DIGEST, "en")


def test_a_bad_setting_is_refused_next_to_the_field_and_keeps_the_rest(cast):
    ppk = cast["ppk_sleman"]
    client = csrf_client(ppk)
    token = csrf_token(client, "/kerja/notifikasi/pengaturan/")
    response = client.post(
        "/kerja/notifikasi/pengaturan/", {"csrfmiddlewaretoken": token, "delivery": "pos", "language": "en"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan pilihan yang valid. pos bukan salah satu dari pilihan yang tersedia." in html
    assert '<option value="en" selected>' in html
    assert not NotificationPreference.objects.filter(user=ppk).exists()


def test_the_pages_are_for_staff_only(cast, django_user_model):
    citizen = django_user_model.objects.create_user("warga")
    client = Client()
    client.force_login(citizen)
    assert client.get("/kerja/notifikasi/").status_code == 302
    assert Client().get("/kerja/notifikasi/pengaturan/").status_code == 302
