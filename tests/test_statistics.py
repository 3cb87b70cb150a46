"""/statistik/: public aggregates from the rollup, small counts suppressed, CSV and XLSX, refreshed by Celery."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from netralitas.models import Election
from reports.enums import CaseStatus
from sanctions.enums import Compliance
from sanctions.rollup import refresh_dashboard_rollup
from sanctions.statistics import build_statistics, suppress
from tests import test_dashboards as base
from tests.test_dashboards import PILKADA, REPORTER, at

world = base.world


@pytest.fixture
def public_cases(world):
    """Sleman: 6 recommended (5 on time, 1 late); Kota Yogyakarta: 2 on time; Kota Semarang: 1 pending."""
    cases = []
    for index in range(6):
        compliance = Compliance.LATE if index == 5 else Compliance.ON_TIME
        cases.append(
            world.case(
                "pemda_sleman",
                "Kabupaten Sleman",
                status=CaseStatus.SANCTIONED,
                code="B4",
                recommended="B4",
                compliance=compliance,
                election=PILKADA,
            )  # fmt: skip
        )
    for _index in range(2):
        cases.append(
            world.case(
                "pemda_yogya",
                "Kota Yogyakarta",
                status=CaseStatus.SANCTIONED,
                code="B4",
                recommended="B4",
                compliance=Compliance.ON_TIME,
                election=PILKADA,
            )  # fmt: skip
        )
    cases.append(world.case("pemda_semarang", "Kota Semarang", code="B2"))
    with time_machine.travel(at("2024-12-01T03:00:00+00:00"), tick=False):
        refresh_dashboard_rollup()
    return cases


def test_suppress_marks_one_to_four():
    assert [suppress(n) for n in range(7)] == [0, None, None, None, None, 5, 6]


def test_public_statistics_suppress_small_counts(public_cases):
    data = build_statistics()
    assert data["refreshed_at"] == "2024-12-01T03:00:00+00:00"
    assert data["totals"] == {
        "label": "Jumlah",
        "cases": 9,
        "proven": 8,
        "sanctioned": 8,
        "not_proven": 0,
        "rate": 100.0,
    }
    assert [(r["label"], r["cases"], r["proven"], r["sanctioned"], r["rate"]) for r in data["by_region"]] == [
        ("Daerah Istimewa Yogyakarta", 8, 8, 8, 100.0),
        ("Jawa Tengah", None, 0, 0, None),
    ]
    assert [(r["label"], r["cases"], r["proven"]) for r in data["by_violation"]] == [("B2", None, 0), ("B4", 8, 8)]
    assert data["by_violation"][0]["title"].startswith("Melakukan sosialisasi/kampanye melalui media sosial")
    assert [(r["label"], r["cases"]) for r in data["by_election"]] == [(PILKADA, 8), ("Tanpa pemilihan", None)]
    assert data["by_outcome"] == [
        {"label": "Menunggu penerusan", "cases": None},
        {"label": "Sanksi dijatuhkan", "cases": 8},
    ]
    assert data["follow_up"] == [
        {
            "label": "Pemerintah Kabupaten Sleman",
            "proven": 6,
            "on_time": 5,
            "late": None,
            "not_followed_up": 0,
            # A share computed with a suppressed count would give it away.
            "on_time_rate": None,
            "late_rate": None,
            "not_followed_up_rate": None,
        },
        {
            "label": "Pemerintah Kota Yogyakarta",
            "proven": None,
            "on_time": None,
            "late": 0,
            "not_followed_up": 0,
            "on_time_rate": None,
            "late_rate": None,
            "not_followed_up_rate": None,
        },
    ]


def test_public_statistics_per_election(public_cases):
    pilkada = Election.objects.get(name=PILKADA)
    data = build_statistics(pilkada.pk)
    assert (data["election"], data["totals"]["cases"], len(data["by_region"])) == (PILKADA, 8, 1)


def test_statistics_page_is_public_names_nobody_and_is_linked_from_the_landing_page(public_cases):
    client = Client()
    assert 'href="/statistik/"' in client.get("/").content.decode()
    response = client.get("/statistik/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Diperbarui 1 Desember 2024, 10:00 WIB" in html
    assert html.count("&lt;5") >= 5
    assert [case.name for case in public_cases if case.name in html] == []
    assert [secret for secret in REPORTER if secret in html] == []
    assert '<script id="dashboard-chart-data" type="application/json">' in html
    assert "no-store" not in response.get("Cache-Control", "")  # aggregates: a browser may keep them


def test_statistics_csv_and_xlsx_hold_the_same_suppressed_aggregates(public_cases):
    client = Client()
    body = client.get("/statistik/statistik.csv").content.decode("utf-8")
    assert body.startswith("\ufeffTabel;Kelompok;ASN dilaporkan;Terbukti;Disanksi;Tindak lanjut (%);")
    lines = body.lstrip("\ufeff").splitlines()
    assert lines[1:3] == ["Jumlah;Jumlah;9;8;8;100,0;;;", "Pemilihan;Pilkada Serentak 2024;8;8;8;100,0;;;"]
    assert "Provinsi;Jawa Tengah;<5;0;0;;;;" in lines
    assert "Tindak lanjut per pemda;Pemerintah Kabupaten Sleman;;6;;;5;<5;0" in lines

    response = client.get("/statistik/statistik.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1] == ("Jumlah", "Jumlah", 9, 8, 8, 100.0, None, None, None)
    assert ("Provinsi", "Jawa Tengah", "<5", 0, 0, None, None, None, None) in rows
    assert len(rows) == len(lines)


def test_celery_task_refreshes_rollup_and_cache(world, celery_eager):
    from sanctions.tasks import task_refresh_statistics

    client = Client()
    assert client.get("/statistik/").context["data"]["totals"]["cases"] == 0
    world.case("pemda_sleman", "Kabupaten Sleman", code="B2")
    # Cached: the new case shows only after the refresh.
    assert client.get("/statistik/").context["data"]["totals"]["cases"] == 0
    assert task_refresh_statistics.delay().get() == 1 + Election.objects.count()
    assert client.get("/statistik/").context["data"]["totals"]["cases"] is None  # 1: suppressed


def test_refresh_is_on_the_beat_schedule():
    from netralitas.celery import app

    assert app.conf.beat_schedule["refresh-statistics"] == {"task": "sanctions.refresh_statistics", "schedule": 600.0}
