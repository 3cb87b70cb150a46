"""Dashboards: exact counts per viewer, filters, the CSV, no reporter data, constant queries."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from netralitas.authority import authority_in_force
from netralitas.enums import Level, PeriodPhase, Track
from netralitas.models import Election, Organisation, Region, SanctionKind, ViolationType
from reports.enums import CaseStatus
from reports.models import Recommendation, Terlapor
from sanctions.dashboards import LISTS_CACHE_SECONDS, dashboard_cases, dashboard_totals
from sanctions.enums import Compliance
from sanctions.models import Block, Decision
from tests.factories import ReportFactory, TerlaporFactory

REPORTER = ("Rahasia Pelapor Wijaya", "3404015508910002", "saksi.rahasia@example.org", "081234567890")
_letters = itertools.count(1)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


@dataclass
class World:
    organisations: dict
    actor: object

    def case(
        self,
        instansi: str,
        region: str,
        *,
        status: str = CaseStatus.PENDING,
        code: str | None = None,
        recommended: str | None = None,
        compliance: str | None = None,
        overdue: bool = False,
        blocked: bool = False,
        lifted_block: bool = False,
        election: str | None = None,
        phase: str = "",
        received: datetime | None = None,
    ) -> Terlapor:
        """One case with exactly the follow-up rows asked for (written directly: the dashboard only reads)."""
        report = ReportFactory(
            region=Region.objects.get(name=region),
            violation_type=ViolationType.objects.get(code=code) if code else None,
            election=Election.objects.get(name=election) if election else None,
            period_phase=phase,
            received_at=received or at("2024-10-15T09:00:00+07:00"),
            reporter_name=REPORTER[0],
            reporter_nik=REPORTER[1],
            reporter_email=REPORTER[2],
            reporter_phone=REPORTER[3],
        )
        terlapor = TerlaporFactory(
            report=report,
            instansi=self.organisations[instansi],
            case_status=status,
            overdue_since=date(2024, 11, 20) if overdue else None,
        )
        if recommended:
            violation = ViolationType.objects.get(code=recommended)
            Recommendation.objects.create(
                terlapor=terlapor,
                authority=authority_in_force(date(2024, 10, 30)),
                addressed_to=terlapor.instansi,
                finding="Temuan.",
                violation_type=violation,
                track=violation.track,
                level=violation.level,
                reasoning="Pertimbangan.",
                letter_number=f"R-{next(_letters)}/BKN/2024",
                letter_date=date(2024, 10, 30),
                issued_by=self.actor,
            )
        if compliance:
            Decision.objects.create(
                terlapor=terlapor,
                sk_number=f"SK-{terlapor.pk}",
                sk_date=date(2024, 11, 15),
                sanction_kind=SanctionKind.objects.filter(track=Track.DISIPLIN, level=Level.BERAT).first(),
                signed_sk="sk/2024/11/contoh",
                signed_sk_sha256="0" * 64,
                compliance=compliance,
                recorded_by=self.actor,
            )
        if lifted_block:
            Block.objects.create(
                terlapor=terlapor,
                blocked_on=date(2024, 11, 21),
                letter_number=f"BLK-{terlapor.pk}-1",
                letter_date=date(2024, 11, 21),
                blocked_by=self.actor,
                lifted_on=date(2024, 11, 25),
            )
        if blocked:
            Block.objects.create(
                terlapor=terlapor,
                blocked_on=date(2024, 11, 26),
                letter_number=f"BLK-{terlapor.pk}-2",
                letter_date=date(2024, 11, 26),
                blocked_by=self.actor,
            )
        return terlapor


@pytest.fixture
def world(cast, organisations):
    semarang = Organisation.objects.get(kind="pemda_kota", region__name="Kota Semarang")
    return World(organisations={**organisations, "pemda_semarang": semarang}, actor=cast["authority_bkn"])


PILKADA = "Pilkada Serentak 2024"


@pytest.fixture
def dataset(world):
    """Three cases at Sleman, one at Kota Yogyakarta (DIY), one at Kota Semarang (Jawa Tengah)."""
    sleman = "Kabupaten Sleman"
    return {
        "sanctioned": world.case(
            "pemda_sleman",
            sleman,
            status=CaseStatus.SANCTIONED,
            code="B4",
            recommended="B4",
            compliance=Compliance.ON_TIME,
            election=PILKADA,
            phase=PeriodPhase.KAMPANYE,
            received=at("2024-10-01T17:30:00+00:00"),  # 2 October, 00:30 in Jakarta
        ),
        "overdue": world.case(
            "pemda_sleman",
            sleman,
            status=CaseStatus.AWAITING_PPK,
            code="B6",
            recommended="B6",
            overdue=True,
            blocked=True,
            lifted_block=True,
            election=PILKADA,
            phase=PeriodPhase.KAMPANYE,
        ),
        "not_proven": world.case(
            "pemda_sleman",
            sleman,
            status=CaseStatus.NOT_PROVEN,
            code="A4",
            election="Pemilu 2024",
            phase=PeriodPhase.SEBELUM,
            received=at("2023-11-01T10:00:00+07:00"),
        ),
        "yogya": world.case(
            "pemda_yogya",
            "Kota Yogyakarta",
            status=CaseStatus.SANCTIONED,
            code="B4",
            recommended="B4",
            compliance=Compliance.LATE,
            overdue=True,
            election=PILKADA,
            phase=PeriodPhase.MASA_TENANG,
        ),
        "semarang": world.case("pemda_semarang", "Kota Semarang", code="B2"),
    }


def totals(**values) -> dict:
    row = dict.fromkeys(
        (
            "cases",
            "proven",
            "not_proven",
            "awaiting_ppk",
            "sanctioned",
            "overdue",
            "blocked",
            "on_time",
            "late",
            "not_followed_up",
        ),
        0,
    )
    row.update(values)
    return row


SLEMAN_ONLY = totals(
    cases=3,
    proven=2,
    not_proven=1,
    awaiting_ppk=1,
    sanctioned=1,
    overdue=1,
    blocked=1,
    on_time=1,
    not_followed_up=1,
    rate=50.0,
)
# The page adds the on-time rate and the medians in working days (October 2024 has no holiday;
# report -> recommendation: 2 Oct -> 30 Oct = 20, 15 Oct -> 30 Oct = 11; letter 30 Oct -> SK 15 Nov = 12).
SLEMAN_PAGE = {**SLEMAN_ONLY, "on_time_rate": 50.0, "median_rec_days": 15.5, "median_sanction_days": 12.0}
DIY = totals(
    cases=4,
    proven=3,
    not_proven=1,
    awaiting_ppk=1,
    sanctioned=2,
    overdue=2,
    blocked=1,
    on_time=1,
    late=1,
    not_followed_up=1,
    rate=66.7,
)
EVERYWHERE = {**DIY, "cases": 5}
DIY_PAGE = {**DIY, "on_time_rate": 33.3, "median_rec_days": 11.0, "median_sanction_days": 12.0}
EVERYWHERE_PAGE = {**DIY_PAGE, "cases": 5}


def dashboard(client: Client, user, query: str = ""):
    client.force_login(user)
    return client.get(f"/dasbor/{query}")


# ---------------------------------------------------------------- counts per viewer


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("ppk_sleman", SLEMAN_PAGE),
        ("viewer", EVERYWHERE_PAGE),
        ("bawaslu_diy", DIY_PAGE),
        ("wasdal_bkn", EVERYWHERE_PAGE),
    ],
)
def test_dashboard_counts_the_cases_each_user_may_see(cast, dataset, client, who, expected):
    response = dashboard(client, cast[who])
    assert response.status_code == 200
    assert response.context["totals"] == expected


def test_dashboard_of_bawaslu_jateng_counts_its_region_only(cast, dataset):
    assert dashboard_totals(dashboard_cases(cast["bawaslu_jateng"])) == totals(cases=1, rate=None)


def test_dashboard_of_an_instansi_counts_its_own_asn_only(cast, world, dataset):
    """A report naming ASN of two instansi: the PPK of Sleman sees the report, counts only its ASN."""
    shared = world.case("pemda_sleman", "Kabupaten Sleman", status=CaseStatus.CLARIFICATION)
    TerlaporFactory(report=shared.report, instansi=world.organisations["pemda_yogya"])

    assert dashboard_totals(dashboard_cases(cast["ppk_sleman"]))["cases"] == 4
    assert dashboard_totals(dashboard_cases(cast["bawaslu_diy"]))["cases"] == 6


def test_dashboard_tables(cast, dataset, client):
    context = dashboard(client, cast["viewer"]).context
    assert [(r["code"], r["cases"], r["proven"], r["sanctioned"], r["rate"]) for r in context["by_violation"]] == [
        ("B4", 2, 2, 2, 100.0),
        ("A4", 1, 0, 0, None),
        ("B2", 1, 0, 0, None),
        ("B6", 1, 1, 0, 0.0),
    ]
    assert [(r["instansi_name"], r["cases"], r["blocked"], r["late"]) for r in context["by_instansi"]] == [
        ("Pemerintah Kabupaten Sleman", 3, 1, 0),
        ("Pemerintah Kota Semarang", 1, 0, 0),
        ("Pemerintah Kota Yogyakarta", 1, 0, 1),
    ]
    assert [(r["election_name"], r["phase_label"], r["cases"], r["sanctioned"]) for r in context["by_election"]] == [
        ("Pemilu 2024", "Sebelum masa kampanye", 1, 0),
        (PILKADA, "Selama masa kampanye", 2, 1),
        (PILKADA, "Masa tenang", 1, 1),
        (None, "-", 1, 0),
    ]
    assert context["by_violation"][0]["values"] == [2, 2, 0, 0, 2, 1, 0, 1, 1, 0]

    ppk = dashboard(client, cast["ppk_sleman"]).context
    assert [(r["instansi_name"], r["cases"]) for r in ppk["by_instansi"]] == [("Pemerintah Kabupaten Sleman", 3)]
    assert ppk["own_instansi"] is True


# ---------------------------------------------------------------- filters


@pytest.mark.parametrize(
    ("query", "cases"),
    [
        ("", 5),
        ("election={pilkada}", 3),
        ("provinsi={jateng}", 1),
        ("provinsi={diy}&election={pilkada}", 3),
        ("received_from=2024-10-02", 4),  # 2 October 00:30 in Jakarta counts as 2 October
        ("received_until=2024-10-01", 1),
        ("received_from=2024-10-02&received_until=2024-10-02", 1),
        ("received_from=2023-01-01&received_until=2023-12-31", 1),
    ],
)
def test_dashboard_filters(cast, dataset, client, query, cases):
    ids = {
        "pilkada": Election.objects.get(name=PILKADA).pk,
        "jateng": Region.objects.get(name="Jawa Tengah").pk,
        "diy": Region.objects.get(name="Daerah Istimewa Yogyakarta").pk,
    }
    response = dashboard(client, cast["viewer"], "?" + query.format(**ids))
    assert response.context["totals"]["cases"] == cases


def test_dashboard_refuses_a_backwards_period_and_counts_unfiltered(cast, dataset, client):
    response = dashboard(client, cast["viewer"], "?received_from=2024-12-01&received_until=2024-11-01")
    assert response.context["form"].errors == {"received_until": ["Tanggal akhir tidak boleh sebelum tanggal awal."]}
    assert response.context["totals"]["cases"] == 5


# ---------------------------------------------------------------- the page


def test_dashboard_page_shows_jakarta_time_and_no_reporter(cast, dataset, client):
    with time_machine.travel(at("2024-11-30T17:30:00+00:00"), tick=False):
        html = dashboard(client, cast["viewer"]).content.decode()
    assert "Data per 1 Desember 2024, 00:30 WIB." in html
    assert '<meter class="w-100" min="0" max="3" value="3">3</meter>' in html
    assert [secret for secret in REPORTER if secret in html] == []
    assert [case.name for case in dataset.values() if case.name in html] == []


def test_dashboard_needs_a_staff_login(cast, dataset, client, django_user_model):
    assert client.get("/dasbor/")["Location"] == "/admin/login/?next=/dasbor/"
    assert client.get("/dasbor/instansi.csv")["Location"] == "/admin/login/?next=/dasbor/instansi.csv"
    client.force_login(django_user_model.objects.create_user("tanpa.organisasi"))
    assert (client.get("/dasbor/").status_code, client.get("/dasbor/instansi.csv").status_code) == (403, 403)


# ---------------------------------------------------------------- CSV

HEADER = (
    "Instansi,ASN dilaporkan,Terbukti (direkomendasikan),Tidak terbukti,Menunggu PPK,Disanksi,"
    "Melewati tenggat,Diblokir BKN,Tepat waktu,Terlambat,Tidak ditindaklanjuti,Tindak lanjut (%)\n"
)


def test_dashboard_csv_of_the_ppk_has_its_instansi_only(cast, dataset, client):
    client.force_login(cast["ppk_sleman"])
    with time_machine.travel(at("2024-11-30T17:30:00+00:00"), tick=False):
        response = client.get("/dasbor/instansi.csv")
    assert (response["Content-Type"], response["Content-Disposition"]) == (
        "text/csv; charset=utf-8",
        'attachment; filename="dasbor-netralitas-20241201.csv"',
    )
    assert response.content.decode() == (
        HEADER + "Pemerintah Kabupaten Sleman,3,2,1,1,1,1,1,1,0,1,50.0\nJumlah,3,2,1,1,1,1,1,1,0,1,50.0\n"
    )


def test_dashboard_csv_of_the_national_viewer_with_filters(cast, dataset, client):
    client.force_login(cast["viewer"])
    everything = client.get("/dasbor/instansi.csv").content.decode()
    assert everything == (
        HEADER + "Pemerintah Kabupaten Sleman,3,2,1,1,1,1,1,1,0,1,50.0\n"
        "Pemerintah Kota Semarang,1,0,0,0,0,0,0,0,0,0,\n"
        "Pemerintah Kota Yogyakarta,1,1,0,0,1,1,0,0,1,0,100.0\n"
        "Jumlah,5,3,1,1,2,2,1,1,1,1,66.7\n"
    )
    jateng = Region.objects.get(name="Jawa Tengah").pk
    assert client.get(f"/dasbor/instansi.csv?provinsi={jateng}").content.decode() == (
        HEADER + "Pemerintah Kota Semarang,1,0,0,0,0,0,0,0,0,0,\nJumlah,1,0,0,0,0,0,0,0,0,0,\n"
    )
    assert [secret for secret in REPORTER if secret in everything] == []


def test_dashboard_csv_of_bawaslu_leaves_out_other_regions(cast, dataset, client):
    client.force_login(cast["bawaslu_diy"])
    body = client.get("/dasbor/instansi.csv").content.decode()
    assert "Semarang" not in body
    assert body.splitlines()[1:] == [
        "Pemerintah Kabupaten Sleman,3,2,1,1,1,1,1,1,0,1,50.0",
        "Pemerintah Kota Yogyakarta,1,1,0,0,1,1,0,0,1,0,100.0",
        "Jumlah,4,3,1,1,2,2,1,1,1,1,66.7",
    ]


# ---------------------------------------------------------------- queries


def add_cases(world, n: int) -> None:
    variants = [
        {"status": CaseStatus.SANCTIONED, "code": "B4", "recommended": "B4", "compliance": Compliance.ON_TIME},
        {"status": CaseStatus.AWAITING_PPK, "code": "B6", "recommended": "B6", "overdue": True, "blocked": True},
        {"status": CaseStatus.NOT_PROVEN, "code": "A4", "election": PILKADA, "phase": PeriodPhase.KAMPANYE},
    ]
    places = [("pemda_sleman", "Kabupaten Sleman"), ("pemda_yogya", "Kota Yogyakarta")]
    for index in range(n):
        instansi, region = places[index % 2]
        world.case(instansi, region, **variants[index % 3])


@pytest.mark.parametrize("who", ["viewer", "ppk_sleman", "bawaslu_diy"])
@pytest.mark.parametrize("url", ["/dasbor/", "/dasbor/instansi.csv"])
def test_dashboard_queries_do_not_grow_with_the_cases(cast, world, who, url):
    client = Client()
    client.force_login(cast[who])
    counts = []
    with time_machine.travel(at("2024-12-02T09:00:00+07:00"), tick=False) as clock:
        for more in (2, 8):
            add_cases(world, more)
            clock.shift(timedelta(seconds=LISTS_CACHE_SECONDS))  # the lists counted again (no case event here)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts.append(len(queries))
    assert Terlapor.objects.count() == 10
    assert counts[0] == counts[1]
