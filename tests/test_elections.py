from datetime import date

import pytest

from netralitas.elections import (
    ElectionContext,
    IncompleteElection,
    election_context,
    elections_for,
    period_phase,
)
from netralitas.enums import ElectionKind, ElectionScope, PeriodPhase, PhaseKind, RegionLevel
from netralitas.models import Election, ElectionPhase, Region

K = PhaseKind


@pytest.fixture
def regions(db):
    jateng = Region.objects.create(code="T-33", name="Jawa Tengah (uji)", level=RegionLevel.PROVINSI)
    return {
        "jateng": jateng,
        "semarang": Region.objects.create(
            code="T-33.22", name="Kabupaten Semarang (uji)", level=RegionLevel.KABUPATEN, parent=jateng
        ),
        "kudus": Region.objects.create(
            code="T-33.19", name="Kabupaten Kudus (uji)", level=RegionLevel.KABUPATEN, parent=jateng
        ),
        "diy": (diy := Region.objects.create(code="T-34", name="DI Yogyakarta (uji)", level=RegionLevel.PROVINSI)),
        "sleman": Region.objects.create(
            code="T-34.04", name="Kabupaten Sleman (uji)", level=RegionLevel.KABUPATEN, parent=diy
        ),
        "bantul": Region.objects.create(
            code="T-34.02", name="Kabupaten Bantul (uji)", level=RegionLevel.KABUPATEN, parent=diy
        ),
    }


def _election(name, kind, scope, phases, regions=()):
    election = Election.objects.create(name=name, kind=kind, scope=scope)
    ElectionPhase.objects.bulk_create(
        ElectionPhase(election=election, kind=kind_, start=start, end=end) for kind_, start, end in phases
    )
    election.regions.set(regions)
    return election


@pytest.fixture
def elections(regions):
    """Pemilu 2024 (national) and Pilkada 2024 in Jawa Tengah (so every kab of it) and Sleman, not DIY."""
    Election.objects.all().delete()  # the session's reference load has its own copies; rolled back after
    pemilu = _election(
        "Pemilu 2024 (uji)",
        ElectionKind.PEMILU,
        ElectionScope.NATIONAL,
        [
            (K.PENETAPAN, date(2022, 12, 14), date(2022, 12, 14)),
            (K.KAMPANYE, date(2023, 11, 28), date(2024, 2, 10)),
            (K.MASA_TENANG, date(2024, 2, 11), date(2024, 2, 13)),
            (K.PEMUNGUTAN, date(2024, 2, 14), date(2024, 2, 14)),
        ],
    )
    pilkada = _election(
        "Pilkada 2024 (uji)",
        ElectionKind.PILKADA,
        ElectionScope.REGIONAL,
        [
            (K.PENETAPAN, date(2024, 9, 22), date(2024, 9, 22)),
            (K.KAMPANYE, date(2024, 9, 25), date(2024, 11, 23)),
            (K.MASA_TENANG, date(2024, 11, 24), date(2024, 11, 26)),
            (K.PEMUNGUTAN, date(2024, 11, 27), date(2024, 11, 27)),
        ],
        regions=[regions["jateng"], regions["sleman"]],
    )
    return {"pemilu": pemilu, "pilkada": pilkada}


# ---------------------------------------------------------------- period_phase


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2022, 12, 14), PeriodPhase.SEBELUM),
        (date(2023, 11, 27), PeriodPhase.SEBELUM),
        (date(2023, 11, 28), PeriodPhase.KAMPANYE),
        (date(2024, 1, 10), PeriodPhase.KAMPANYE),
        (date(2024, 2, 10), PeriodPhase.KAMPANYE),
        (date(2024, 2, 11), PeriodPhase.MASA_TENANG),
        (date(2024, 2, 12), PeriodPhase.MASA_TENANG),
        (date(2024, 2, 13), PeriodPhase.MASA_TENANG),
        (date(2024, 2, 14), PeriodPhase.PEMUNGUTAN),
        (date(2024, 2, 15), PeriodPhase.SESUDAH),
    ],
)
def test_period_phase_of_pemilu_2024(elections, on, expected):
    assert period_phase(elections["pemilu"], on) == expected


def test_period_phase_without_pemungutan_raises(db):
    election = _election(
        "Tanpa pemungutan",
        ElectionKind.PILKADA,
        ElectionScope.REGIONAL,
        [(K.KAMPANYE, date(2030, 1, 1), date(2030, 2, 1))],
    )

    with pytest.raises(IncompleteElection, match="Tanpa pemungutan"):
        period_phase(election, date(2030, 1, 15))


# ---------------------------------------------------------------- elections_for


def test_elections_for_pilkada_region_inside_both_windows(elections, regions):
    assert list(elections_for(regions["semarang"], date(2024, 1, 10))) == [elections["pemilu"], elections["pilkada"]]


def test_elections_for_matches_region_itself_or_its_provinsi(elections, regions):
    on = date(2024, 10, 1)
    assert list(elections_for(regions["jateng"], on)) == [elections["pilkada"]]
    assert list(elections_for(regions["kudus"], on)) == [elections["pilkada"]]  # via its provinsi
    assert list(elections_for(regions["sleman"], on)) == [elections["pilkada"]]  # listed itself
    assert list(elections_for(regions["bantul"], on)) == []
    assert list(elections_for(regions["diy"], on)) == []


def test_elections_for_without_region_only_national(elections):
    assert list(elections_for(None, date(2024, 1, 10))) == [elections["pemilu"]]
    assert list(elections_for(None, date(2024, 10, 1))) == []


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2021, 12, 13), []),  # 366 days before penetapan
        (date(2021, 12, 14), ["pemilu"]),  # 365 days before penetapan
        (date(2024, 8, 12), ["pemilu"]),  # 180 days after pemungutan
        (date(2024, 8, 13), []),
    ],
)
def test_elections_for_window_edges(elections, regions, on, expected):
    assert list(elections_for(regions["diy"], on)) == [elections[name] for name in expected]


def test_elections_for_skips_election_without_kampanye(elections, regions):
    _election(
        "Hanya pemungutan",
        ElectionKind.PEMILU,
        ElectionScope.NATIONAL,
        [(K.PEMUNGUTAN, date(2024, 3, 1), date(2024, 3, 1))],
    )

    assert list(elections_for(regions["diy"], date(2024, 2, 1))) == [elections["pemilu"]]


# ---------------------------------------------------------------- election_context


def test_election_context_pemilu_kampanye_nearest_first(elections, regions):
    assert election_context(regions["semarang"], date(2024, 1, 10)) == [
        ElectionContext(elections["pemilu"], PeriodPhase.KAMPANYE),
        ElectionContext(elections["pilkada"], PeriodPhase.SEBELUM),
    ]


def test_election_context_pilkada_nearer_comes_first(elections, regions):
    # 2024-07-01: 138 days after the Pemilu vote, 149 before Pilkada's: Pemilu first.
    # 2024-07-20: 157 days after, 130 before: Pilkada first.
    assert election_context(regions["sleman"], date(2024, 7, 1)) == [
        ElectionContext(elections["pemilu"], PeriodPhase.SESUDAH),
        ElectionContext(elections["pilkada"], PeriodPhase.SEBELUM),
    ]
    assert election_context(regions["sleman"], date(2024, 7, 20)) == [
        ElectionContext(elections["pilkada"], PeriodPhase.SEBELUM),
        ElectionContext(elections["pemilu"], PeriodPhase.SESUDAH),
    ]


@pytest.mark.parametrize(
    ("region", "on", "expected"),
    [
        ("semarang", date(2024, 2, 12), [("pemilu", PeriodPhase.MASA_TENANG), ("pilkada", PeriodPhase.SEBELUM)]),
        ("semarang", date(2024, 10, 1), [("pilkada", PeriodPhase.KAMPANYE)]),
        ("sleman", date(2024, 11, 25), [("pilkada", PeriodPhase.MASA_TENANG)]),
        ("kudus", date(2024, 11, 27), [("pilkada", PeriodPhase.PEMUNGUTAN)]),
        ("jateng", date(2025, 1, 5), [("pilkada", PeriodPhase.SESUDAH)]),
        ("diy", date(2024, 6, 1), [("pemilu", PeriodPhase.SESUDAH)]),
        ("diy", date(2024, 10, 1), []),  # Pemilu's window closed on 2024-08-12; no Pilkada in DIY provinsi
        ("bantul", date(2024, 11, 27), []),
    ],
)
def test_election_context_exact_phases(elections, regions, region, on, expected):
    assert election_context(regions[region], on) == [
        ElectionContext(elections[name], phase) for name, phase in expected
    ]


def test_election_context_two_queries(elections, regions, django_assert_num_queries):
    for i in range(3):
        _election(
            f"Pemilu sela {i}",
            ElectionKind.PEMILU,
            ElectionScope.NATIONAL,
            [(K.KAMPANYE, date(2024, 1, 1), date(2024, 1, 31)), (K.PEMUNGUTAN, date(2024, 2, 1), date(2024, 2, 1))],
        )

    # Elections, phases, regions: the whole calendar, which a process keeps (netralitas.refcache).
    with django_assert_num_queries(3):
        contexts = election_context(regions["semarang"], date(2024, 1, 10))

    assert [context.phase for context in contexts] == [PeriodPhase.KAMPANYE] * 4 + [PeriodPhase.SEBELUM]


def test_election_context_with_reference_data(reference_data):
    """The loaded Pilkada covers Sleman but not the provinsi DI Yogyakarta."""
    sleman = Region.objects.get(name="Kabupaten Sleman")
    diy = Region.objects.get(name="Daerah Istimewa Yogyakarta")

    assert [(c.election.name, c.phase) for c in election_context(sleman, date(2024, 10, 1))] == [
        ("Pilkada Serentak 2024", PeriodPhase.KAMPANYE)
    ]
    assert election_context(diy, date(2024, 10, 1)) == []
    assert [(c.election.name, c.phase) for c in election_context(diy, date(2024, 2, 12))] == [
        ("Pemilu 2024", PeriodPhase.MASA_TENANG)
    ]
