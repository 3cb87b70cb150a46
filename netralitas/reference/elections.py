"""Pemilu 2024 and Pilkada Serentak 2024 with their phases (domain.md §6; domain-research.md §5)."""

from __future__ import annotations

from datetime import date

from netralitas.enums import ElectionKind, ElectionScope, PhaseKind, RegionLevel
from netralitas.models import Election, ElectionPhase, Region

PILKADA_EXCLUDED_PROVINCES = {"ID-YO"}  # DI Yogyakarta: its Gubernur is not elected

# name, kind, scope, legal basis, basis of the phase dates, phases (kind, start, end)
ELECTIONS = [
    (
        "Pemilu 2024",
        ElectionKind.PEMILU,
        ElectionScope.NATIONAL,
        "UU 7/2017 tentang Pemilihan Umum; PKPU 3/2022 tentang Tahapan dan Jadwal Penyelenggaraan Pemilihan "
        "Umum Tahun 2024; PKPU 15/2023 tentang Kampanye Pemilihan Umum",
        "PKPU 3/2022",
        [
            (PhaseKind.PENETAPAN, date(2022, 12, 14), date(2022, 12, 14)),
            (PhaseKind.KAMPANYE, date(2023, 11, 28), date(2024, 2, 10)),
            (PhaseKind.MASA_TENANG, date(2024, 2, 11), date(2024, 2, 13)),
            (PhaseKind.PEMUNGUTAN, date(2024, 2, 14), date(2024, 2, 14)),
        ],
    ),
    (
        "Pilkada Serentak 2024",
        ElectionKind.PILKADA,
        ElectionScope.REGIONAL,
        "UU 1/2015 jo. UU 10/2016 tentang Pemilihan Gubernur, Bupati, dan Wali Kota; PKPU 2/2024 tentang "
        "Tahapan dan Jadwal Pemilihan Gubernur dan Wakil Gubernur, Bupati dan Wakil Bupati, serta Wali Kota "
        "dan Wakil Wali Kota Tahun 2024",
        "PKPU 2/2024",
        [
            (PhaseKind.PENETAPAN, date(2024, 9, 22), date(2024, 9, 22)),
            (PhaseKind.KAMPANYE, date(2024, 9, 25), date(2024, 11, 23)),
            (PhaseKind.MASA_TENANG, date(2024, 11, 24), date(2024, 11, 26)),
            (PhaseKind.PEMUNGUTAN, date(2024, 11, 27), date(2024, 11, 27)),
        ],
    ),
]


def pilkada_2024_regions():
    """Every provinsi but DI Yogyakarta and every autonomous kab/kota: 37 + 508 = 545."""
    provinces = Region.objects.filter(level=RegionLevel.PROVINSI).exclude(code__in=PILKADA_EXCLUDED_PROVINCES)
    kabkota = Region.objects.exclude(level=RegionLevel.PROVINSI).filter(is_autonomous=True)
    return provinces | kabkota


REGIONS_OF = {"Pilkada Serentak 2024": pilkada_2024_regions}


def load_elections() -> tuple[int, int]:
    """Create missing elections (keyed by name) and phases (by election and kind); return both counts.

    A regional election gets its regions only when it is created: later edits of the list are the
    administrator's.
    """
    elections_created = phases_created = 0
    for name, kind, scope, basis, phase_basis, phases in ELECTIONS:
        election = Election.objects.filter(name=name).order_by("id").first()
        if election is None:
            election = Election.objects.create(name=name, kind=kind, scope=scope, legal_basis=basis)
            elections_created += 1
            if name in REGIONS_OF:
                election.regions.set(REGIONS_OF[name]())
        have = set(election.phases.values_list("kind", flat=True))
        new = [
            ElectionPhase(election=election, kind=phase, start=start, end=end, legal_basis=phase_basis)
            for phase, start, end in phases
            if phase not in have
        ]
        ElectionPhase.objects.bulk_create(new)
        phases_created += len(new)
    return elections_created, phases_created
