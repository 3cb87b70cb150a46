"""Dashboards of issue 15: the lists, the charts, the rollup of the national view, isolation, constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from netralitas.models import Election, Region
from reports.enums import CaseStatus
from reports.models import Terlapor
from sanctions.dashboards import (
    LISTS_CACHE_SECONDS,
    DashboardFilter,
    dashboard_cases,
    dashboard_figures,
    live_figures,
)
from sanctions.enums import Compliance
from sanctions.models import DashboardRollup
from sanctions.rollup import refresh_dashboard_rollup
from tests import test_dashboards as base
from tests.test_dashboards import PILKADA, add_cases, at

# The cast of cases of tests/test_dashboards.py (fixtures).
world = base.world
dataset = base.dataset

MONDAY = at("2024-12-02T09:00:00+07:00")


def page(client: Client, user, query: str = ""):
    client.force_login(user)
    return client.get(f"/dasbor/{query}")


@pytest.fixture
def deadlines(world):
    """Awaiting the PPK: Sleman due 4 Dec (soon) and 10 Dec (later) and 28 Nov (late); Yogya 28 and 29 Nov (late)."""

    def awaiting(instansi: str, region: str, due: date, letter: str) -> Terlapor:
        case = world.case(instansi, region, status=CaseStatus.AWAITING_PPK, code="B6", recommended="B6")
        case.recommendation.letter_number = letter
        case.recommendation.save(update_fields=["letter_number"])
        Terlapor.objects.filter(pk=case.pk).update(due_date=due)
        return case

    return {
        "soon": awaiting("pemda_sleman", "Kabupaten Sleman", date(2024, 12, 4), "R-SOON/2024"),
        "later": awaiting("pemda_sleman", "Kabupaten Sleman", date(2024, 12, 10), "R-LATER/2024"),
        "late": awaiting("pemda_sleman", "Kabupaten Sleman", date(2024, 11, 28), "R-LATE/2024"),
        "yogya_1": awaiting("pemda_yogya", "Kota Yogyakarta", date(2024, 11, 28), "R-YOGYA-1/2024"),
        "yogya_2": awaiting("pemda_yogya", "Kota Yogyakarta", date(2024, 11, 29), "R-YOGYA-2/2024"),
    }


def _rows(rows, *keys):
    return [tuple(row[key] for key in keys) for row in rows]


def test_instansi_dashboard_lists_due_soon_and_overdue_of_its_own_asn(cast, deadlines, client):
    with time_machine.travel(MONDAY, tick=False):
        context = page(client, cast["ppk_sleman"]).context
    assert context["view"] == "instansi"
    assert context["due_until"] == date(2024, 12, 9)
    assert _rows(context["due_soon"], "recommendation__letter_number", "due_date", "days_left") == [
        ("R-SOON/2024", date(2024, 12, 4), 2)
    ]
    assert _rows(context["overdue_list"], "recommendation__letter_number", "days_late") == [("R-LATE/2024", 2)]
    assert context["worst_ppk"] == []
    html = page(client, cast["ppk_sleman"]).content.decode()
    assert "R-YOGYA" not in html
    assert "Pemerintah Kota Yogyakarta" not in html


def test_national_dashboard_lists_every_instansi_and_the_ppk_most_behind(cast, deadlines, client):
    with time_machine.travel(MONDAY, tick=False):
        context = page(client, cast["viewer"]).context
    assert context["view"] == "national"
    assert _rows(context["overdue_list"], "recommendation__letter_number", "instansi__name", "days_late") == [
        ("R-LATE/2024", "Pemerintah Kabupaten Sleman", 2),
        ("R-YOGYA-1/2024", "Pemerintah Kota Yogyakarta", 2),
        ("R-YOGYA-2/2024", "Pemerintah Kota Yogyakarta", 1),
    ]
    assert context["worst_ppk"] == [
        {"instansi_name": "Pemerintah Kota Yogyakarta", "overdue": 2},
        {"instansi_name": "Pemerintah Kabupaten Sleman", "overdue": 1},
    ]


def test_the_ppk_most_behind_from_the_rollup_are_those_counted_live_on_its_day(cast, deadlines, client):
    with time_machine.travel(MONDAY, tick=False):
        refresh_dashboard_rollup()
        context = page(client, cast["viewer"]).context
    assert context["figures"].source == "rollup"
    assert context["worst_ppk"] == [
        {"instansi_name": "Pemerintah Kota Yogyakarta", "overdue": 2},
        {"instansi_name": "Pemerintah Kabupaten Sleman", "overdue": 1},
    ]
    assert context["figures"].worst_ppk == context["worst_ppk"]  # read with the figures: no query of the cases
    # The rollup counts as of its own day; the page says when that was.
    html = page(client, cast["viewer"]).content.decode()
    assert "Angka dari rekap yang diperbarui 2 Desember 2024, 09:00 WIB." in html


def test_regional_dashboard_of_bawaslu(cast, deadlines, client):
    with time_machine.travel(MONDAY, tick=False):
        context = page(client, cast["bawaslu_diy"]).context
    assert context["view"] == "regional"
    assert len(context["overdue_list"]) == 3
    with time_machine.travel(MONDAY, tick=False):
        jateng = page(client, cast["bawaslu_jateng"]).context
    assert (jateng["due_soon"], jateng["overdue_list"], jateng["totals"]["cases"]) == ([], [], 0)


def test_dashboard_charts_of_the_ppk_hold_its_own_figures_only(cast, dataset, client):
    data = page(client, cast["ppk_sleman"]).context["chart_data"]
    assert data["violation"]["labels"] == ["A4", "B4", "B6"]
    assert data["violation"]["series"][0]["data"] == [1, 1, 1]
    assert data["phase"]["labels"] == ["Sebelum masa kampanye", "Selama masa kampanye"]
    assert data["phase"]["series"][0]["data"] == [1, 2]
    assert data["region"]["labels"] == ["Daerah Istimewa Yogyakarta"]
    assert data["region"]["series"] == [
        {"label": "ASN dilaporkan", "data": [3]},
        {"label": "Disanksi", "data": [1]},
    ]
    assert data["jabatan"] == {
        "labels": ["Lainnya / tidak diketahui"],
        "series": [{"label": "ASN dilaporkan", "data": [3]}],
    }
    # Weeks (Monday, Jakarta) of 2 Oct 2024, 1 Nov 2023 and 15 Oct 2024.
    assert data["trend"]["labels"] == ["2023-10-30", "2024-09-30", "2024-10-14"]
    assert [series["data"] for series in data["trend"]["series"]] == [[1, 1, 1], [0, 1, 1], [0, 1, 0]]


def test_dashboard_page_has_charts_with_tables_and_no_inline_script(cast, dataset, client):
    html = page(client, cast["ppk_sleman"]).content.decode()
    assert html.count("<canvas ") == 5
    assert '<script id="dashboard-chart-data" type="application/json">' in html
    assert "/static/vendor/chartjs/chart.umd." in html and "/static/js/dashboard-charts." in html
    assert html.count("<script") == 3  # the JSON block and the two files, nothing inline
    assert html.count("Tabel data grafik") == 5


def test_position_gives_the_jabatan_class(cast, world):
    for position in ("Kepala Dinas Pendidikan", "Guru SD Negeri 3", "Camat Depok", "Lurah Condongcatur", ""):
        case = world.case("pemda_sleman", "Kabupaten Sleman")
        Terlapor.objects.filter(pk=case.pk).update(position=position)
    rows = live_figures(dashboard_cases(cast["viewer"])).by_jabatan
    assert [(row["jabatan"], row["cases"]) for row in rows] == [
        ("administrator", 1),
        ("fungsional", 1),
        ("jpt", 1),
        ("lainnya", 1),
        ("pengawas", 1),
    ]


# ---------------------------------------------------------------- the rollup


def _comparable(figures):
    def pick(rows, *keys):
        return [{key: row.get(key) for key in keys} for row in rows]

    metrics = ("cases", "proven", "sanctioned", "blocked", "on_time", "late", "not_followed_up", "rate")
    return {
        "totals": figures.totals,
        "violation": pick(figures.by_violation, "code", "title", *metrics),
        "instansi": pick(figures.by_instansi, "instansi_name", *metrics),
        "election": pick(figures.by_election, "election_name", "phase", "phase_label", *metrics),
        "phase": pick(figures.by_phase, "phase", *metrics),
        "jabatan": pick(figures.by_jabatan, "jabatan", "label", *metrics),
        "region": pick(figures.by_region, "provinsi_id", "label", *metrics),
        "trend": [(row["week"], row["cases"], row["proven"], row["sanctioned"]) for row in figures.trend],
    }


ROLLUP_VIEWERS = [
    "viewer", "wasdal_bkn", "ppk_sleman", "operator_sleman", "satgas_sleman", "operator_yogya",
    "bawaslu_sleman", "bawaslu_diy", "bawaslu_jateng",
]  # fmt: skip


@pytest.fixture
def crossing(world, dataset, organisations):
    """Cases that cross scopes: a Sleman incident received by Bawaslu Jawa Tengah, one report naming two instansi."""
    received_elsewhere = world.case("pemda_sleman", "Kabupaten Sleman", code="B2")
    received_elsewhere.report.intake_organisation = organisations["bawaslu_jateng"]
    received_elsewhere.report.save(update_fields=["intake_organisation"])
    shared = world.case("pemda_sleman", "Kabupaten Sleman", status=CaseStatus.CLARIFICATION)
    base.TerlaporFactory(report=shared.report, instansi=organisations["pemda_yogya"], position="Guru SD")
    return dataset


@pytest.mark.parametrize("narrow", ["", "election", "provinsi"])
@pytest.mark.parametrize("who", ROLLUP_VIEWERS)
def test_every_dashboard_from_the_rollup_equals_its_live_count(cast, crossing, who, narrow):
    viewer = cast[who]
    where = DashboardFilter(
        election=Election.objects.get(name=PILKADA) if narrow == "election" else None,
        provinsi=Region.objects.get(name="Daerah Istimewa Yogyakarta") if narrow == "provinsi" else None,
    )
    live = dashboard_figures(viewer, where)
    assert live.source == "live"  # never built: counted live
    written = refresh_dashboard_rollup()
    assert written == DashboardRollup.objects.count() > 0
    from_rollup = dashboard_figures(viewer, where)
    assert from_rollup.source == "rollup"
    assert _comparable(from_rollup) == _comparable(live)


def test_the_rollup_keeps_each_case_once_per_grain(cast, crossing):
    refresh_dashboard_rollup()
    totals = {
        grain: sum(DashboardRollup.objects.filter(grain=grain, kind="total").values_list("cases", flat=True))
        for grain in DashboardRollup.Grain.values
    }
    assert totals == {"national": 8, "instansi": 8, "region": 8}
    counted = {who: dashboard_figures(cast[who]).totals["cases"] for who in ROLLUP_VIEWERS}
    assert counted == {
        "viewer": 8,
        "wasdal_bkn": 8,
        "ppk_sleman": 5,  # its ASN: three of the dataset, the one received in Jawa Tengah, the shared report's
        "operator_sleman": 5,
        "satgas_sleman": 5,
        "operator_yogya": 2,  # Kota Yogyakarta's case and its ASN on the shared report
        "bawaslu_sleman": 6,  # every case filed about Sleman, whoever received it
        "bawaslu_diy": 7,
        "bawaslu_jateng": 2,  # Semarang, and the Sleman incident it received
    }


def test_a_scope_the_rollup_cannot_express_is_counted_live(cast, dataset, organisations):
    """A non-instansi organisation that employs a terlapor: its dashboard counts the reports naming them, live."""
    base.TerlaporFactory(report=dataset["semarang"].report, instansi=organisations["bawaslu_diy"])
    refresh_dashboard_rollup()
    figures = dashboard_figures(cast["bawaslu_diy"])
    assert figures.source == "live"
    assert figures.totals["cases"] == 6  # DIY's four and both terlapor of the Semarang report naming its staff


def test_national_dashboard_shows_the_age_of_the_rollup_and_counts_live_with_a_period(cast, dataset, client):
    with time_machine.travel(at("2024-12-01T03:00:00+00:00"), tick=False):
        refresh_dashboard_rollup()
    # A case the rollup does not know yet.
    Terlapor.objects.create(
        report=dataset["semarang"].report, instansi=dataset["semarang"].instansi, name="Baru", employee_status="pns"
    )
    response = page(client, cast["viewer"])
    assert response.context["totals"]["cases"] == 5
    assert "Angka dari rekap yang diperbarui 1 Desember 2024, 10:00 WIB." in response.content.decode()
    # A period needs the day of receipt: counted live, so the new case is there.
    assert page(client, cast["viewer"], "?received_from=2020-01-01").context["totals"]["cases"] == 6
    # Scoped dashboards read their rows of the same rollup, and say so.
    response = page(client, cast["bawaslu_jateng"])
    assert response.context["totals"]["cases"] == 1
    assert "Angka dari rekap yang diperbarui 1 Desember 2024, 10:00 WIB." in response.content.decode()
    assert page(client, cast["bawaslu_jateng"], "?received_from=2020-01-01").context["totals"]["cases"] == 2


# ---------------------------------------------------------------- constant queries


def test_every_dashboard_costs_the_same_queries_for_1_and_50_cases(cast, world):
    users = {"ppk": cast["ppk_sleman"], "bawaslu": cast["bawaslu_diy"], "national": cast["viewer"]}
    counts: dict[str, list[int]] = {name: [] for name in [*users, *(f"{name}-rollup" for name in users)]}
    world.case("pemda_sleman", "Kabupaten Sleman", status=CaseStatus.SANCTIONED, code="B4", recommended="B4",
               compliance=Compliance.ON_TIME)  # fmt: skip
    with time_machine.travel(MONDAY, tick=False) as clock:
        for size in (1, 50):
            if size == 50:
                add_cases(world, 49)
            assert Terlapor.objects.count() == size
            for name, user in users.items():
                clock.shift(timedelta(seconds=LISTS_CACHE_SECONDS))  # its lists counted (no case event here)
                client = Client()
                client.force_login(user)
                with CaptureQueriesContext(connection) as queries:
                    assert client.get("/dasbor/").status_code == 200
                counts[name].append(len(queries))
            refresh_dashboard_rollup()
            for name, user in users.items():
                clock.shift(timedelta(seconds=LISTS_CACHE_SECONDS))
                client = Client()
                client.force_login(user)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get("/dasbor/")
                assert response.context["figures"].source == "rollup"
                counts[f"{name}-rollup"].append(len(queries))
            DashboardRollup.objects.all().delete()
    assert {name: values[0] == values[1] for name, values in counts.items()} == dict.fromkeys(counts, True), counts


@pytest.mark.django_db(transaction=True)
def test_two_rebuilds_at_once_take_turns_and_count_each_case_once(cast, dataset):
    """A rebuild waits for one in progress (an advisory lock), so overlapping Celery runs never double the rows."""
    import threading

    import psycopg2
    from django.db import connections

    from sanctions.rollup import LOCK_KEY

    refresh_dashboard_rollup()
    single = DashboardRollup.objects.count()
    settings = connection.settings_dict
    holder = psycopg2.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    )
    holder.autocommit = False
    with holder.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])

    def rebuild():
        try:
            refresh_dashboard_rollup()
        finally:
            connections.close_all()

    second = threading.Thread(target=rebuild)
    second.start()
    second.join(timeout=1.0)
    assert second.is_alive()  # waiting for the lock
    holder.rollback()
    holder.close()
    second.join(timeout=60)
    assert not second.is_alive()
    assert DashboardRollup.objects.count() == single
    assert sum(DashboardRollup.objects.filter(grain="national", kind="total").values_list("cases", flat=True)) == 5


def test_the_python_rebuild_of_sqlite_writes_the_rows_of_the_sql_one(cast, crossing):
    """`make run` without services rebuilds in Python: the same rows as PostgreSQL's, but the day histograms."""
    from django.utils import timezone

    from sanctions.rollup import refresh_in_python

    def rows():
        fields = ("grain", "provinsi_id", "election_id", "instansi_id", "region_id", "intake_id", "kind", "key")
        values = DashboardRollup.objects.exclude(kind__in=["rec_days", "sanction_days"]).values_list(
            *fields, "label", "cases", "proven", "sanctioned", "blocked", "not_followed_up"
        )
        return sorted(values, key=repr)

    now = timezone.now()
    refresh_dashboard_rollup(now)
    in_sql = rows()
    DashboardRollup.objects.all().delete()
    refresh_in_python(now, timezone.localdate(now))
    assert rows() == in_sql
    assert len(in_sql) > 100


def test_figures_from_the_rollup_are_rendered_once_per_scope_and_rebuild(cast, crossing, client):
    """The summary and the figure sections are cached per scope and rebuild: shared, never crossed, never stale."""
    with time_machine.travel(at("2024-12-01T03:00:00+00:00"), tick=False):
        refresh_dashboard_rollup()
    first = page(client, cast["ppk_sleman"])
    with CaptureQueriesContext(connection) as queries:
        again = page(Client(), cast["operator_sleman"])  # the same scope: Sleman's ASN
    assert again.context["totals"]["cases"] == first.context["totals"]["cases"] == 5
    assert not any("sanctions_dashboardrollup" in q["sql"] and "SUM(" in q["sql"] for q in queries.captured_queries)
    summary = first.content.decode().split('aria-labelledby="ringkasan"')[1].split("</section>")[0]
    assert summary in again.content.decode()
    # Another scope gets its own figures.
    assert page(Client(), cast["operator_yogya"]).context["totals"]["cases"] == 2
    assert page(Client(), cast["bawaslu_jateng"]).context["totals"]["cases"] == 2
    # A rebuild is a new entry: the case added since is counted.
    Terlapor.objects.create(
        report=crossing["semarang"].report, instansi=crossing["sanctioned"].instansi, name="Baru", employee_status="pns"
    )
    with time_machine.travel(at("2024-12-01T03:10:00+00:00"), tick=False):
        refresh_dashboard_rollup()
    response = page(Client(), cast["ppk_sleman"])
    assert response.context["totals"]["cases"] == 6
    assert "Angka dari rekap yang diperbarui 1 Desember 2024, 10:10 WIB." in response.content.decode()


def test_cached_figures_hold_plain_strings_only(cast, dataset):
    """Unpickling a lazy translation rebuilds its proxy class (~11 ms each at 1 M): the cached Figures have none."""
    import pickle

    refresh_dashboard_rollup()
    figures = dashboard_figures(cast["ppk_sleman"])
    assert figures.cache_key and figures.by_phase
    assert b"_lazy_proxy_unpickle" not in pickle.dumps(figures)


def test_the_lists_are_counted_once_per_scope_until_a_case_moves_or_a_minute_passes(cast, deadlines):
    """The due-soon and overdue lists are shared by a scope: a transition shows at once, any other change
    (written without a case event) within LISTS_CACHE_SECONDS."""
    from reports.workflow import transition_case

    def lists(user):
        with CaptureQueriesContext(connection) as queries:
            context = page(Client(), user).context
        counted = any('AS "recommendation__letter_number"' in q["sql"] for q in queries.captured_queries)
        letters = [row["recommendation__letter_number"] for row in context["due_soon"] + context["overdue_list"]]
        return counted, letters, context["lists_at"]

    with time_machine.travel(MONDAY, tick=False) as clock:
        assert lists(cast["ppk_sleman"]) == (True, ["R-SOON/2024", "R-LATE/2024"], MONDAY)
        clock.shift(timedelta(seconds=10))
        # Another user of the same scope (Sleman's ASN) reads them without counting; another scope counts its own.
        assert lists(cast["operator_sleman"]) == (False, ["R-SOON/2024", "R-LATE/2024"], MONDAY)
        assert lists(cast["operator_yogya"])[:2] == (True, ["R-YOGYA-1/2024", "R-YOGYA-2/2024"])
        # The PPK decides the late one: a transition, seen at once.
        transition_case(deadlines["late"], CaseStatus.SANCTIONED, actor=cast["ppk_sleman"], note="SK terbit.")
        moved = MONDAY + timedelta(seconds=10)
        assert lists(cast["operator_sleman"]) == (True, ["R-SOON/2024"], moved)
        # A deadline written without a transition shows once the entry has aged out, not before.
        Terlapor.objects.filter(pk=deadlines["later"].pk).update(due_date=date(2024, 12, 5))
        clock.shift(timedelta(seconds=LISTS_CACHE_SECONDS - 1))
        assert lists(cast["ppk_sleman"]) == (False, ["R-SOON/2024"], moved)
        clock.shift(timedelta(seconds=2))
        assert lists(cast["ppk_sleman"])[:2] == (True, ["R-SOON/2024", "R-LATER/2024"])
    html = page(Client(), cast["ppk_sleman"]).content.decode()
    assert 'data-testid="lists-at"' in html and "diperbarui tiap menit" in html


def test_the_overdue_list_says_what_it_holds_beside_the_summarys_count(cast, deadlines, client):
    """The summary's "Melewati tenggat" counts every case that ever passed its deadline (decided late too); the
    list holds those still waiting: a PPK seeing a count and a shorter list is told why."""
    with time_machine.travel(MONDAY, tick=False):
        html = page(client, cast["ppk_sleman"]).content.decode()
        client.cookies["django_language"] = "en"
        english = page(client, cast["ppk_sleman"]).content.decode()
    assert (
        '<p class="text-body-secondary small mb-2" data-testid="overdue-scope">Hanya yang masih menunggu keputusan '
        "PPK. Angka «Melewati tenggat» di ringkasan menghitung setiap perkara yang pernah melewati tenggat, termasuk "
        "yang sudah diputus terlambat.</p>"
    ) in html
    assert (
        "Only those still awaiting the PPK's decision. The “Past the deadline” figure in the summary counts every "
        "case that ever passed its deadline, including those decided late.</p>"
    ) in english
