"""What the generated reports look like (domain.md §9): weights, names and places, and the rows of one batch.

Each batch draws from its own generator seeded by (seed, first index), so a batch is the same
whatever ran before it; the reference data (regions, organisations, elections, the violation
catalogue) is read once into Pools, and a batch needs no query.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from devdata.scale_codes import scale_pin, scale_tracking_code
from devdata.scale_writer import Batch
from netralitas.elections import election_context
from netralitas.enums import EmployeeStatus, OrganisationKind, RegionLevel
from netralitas.models import Election, Organisation, Region, ViolationType
from reports.enums import Confidentiality, EventKind, EvidenceKind, EvidenceSource, ReportKind, ReportStatus
from reports.pins import hash_pin

_JAKARTA = ZoneInfo("Asia/Jakarta")

# Violation codes and weights (domain.md §9): social media ~30%, partisan
# activities ~22%, photos with candidates ~13%, the rest spread; None = "tidak tahu".
VIOLATION_WEIGHTS: dict[str | None, float] = {
    "B2": 8,
    "B6": 10,
    "A2": 5,
    "A4": 7,
    "B8": 22,
    "A5": 5,
    "B7": 8,
    "A1": 2,
    "A3": 3,
    "A6": 3,
    "A7": 1,
    "B1": 3,
    "B3": 2,
    "B4": 5,
    "B5": 2,
    "B9": 1,
    "B10": 2,
    "B11": 2,
    "B12": 4,
    "B13": 1,
    None: 4,
}
STATUS_WEIGHTS: dict[str, float] = {
    ReportStatus.RECEIVED: 14,
    ReportStatus.VERIFYING: 10,
    ReportStatus.NEEDS_COMPLETION: 6,
    ReportStatus.REJECTED: 12,
    ReportStatus.WITHDRAWN: 3,
    ReportStatus.REGISTERED: 10,
    ReportStatus.KAJIAN: 12,
    ReportStatus.FORWARDED: 13,
    ReportStatus.CLOSED: 20,
}
ANONYMOUS_SHARE = 0.10
OPEN_SHARE = 0.25  # of all reports; the rest are identitas dirahasiakan
TERLAPOR_COUNT_WEIGHTS = {1: 83, 2: 14, 3: 3}  # mean 1.2
EMPLOYEE_STATUS_WEIGHTS = {EmployeeStatus.PNS: 80, EmployeeStatus.PPPK: 15, EmployeeStatus.CPNS: 5}

# Incident dates: a background over 2023–2024 plus the two campaign seasons.
_DATE_WINDOWS = (
    (0.40, dt.date(2023, 1, 1), dt.date(2024, 12, 31)),
    (0.30, dt.date(2023, 11, 1), dt.date(2024, 2, 20)),  # Pemilu 2024
    (0.30, dt.date(2024, 8, 15), dt.date(2024, 12, 10)),  # Pilkada 2024
)

FIRST_NAMES = (  # noqa: SIM905 - a list of words reads better as words
    "Agus Budi Dedi Eko Fajar Hendra Imam Joko Kurniawan Lukman Muhammad Nur Rizki Slamet Teguh Wahyu "
    "Yusuf Ahmad Bambang Dimas Andi Ayu Dewi Fitri Indah Kartika Lestari Mega Nurul Putri Ratna Rina "
    "Sari Siti Sri Tri Wulan Yuni Ani Desi Lina"
).split()
LAST_NAMES = (  # noqa: SIM905 - a list of words reads better as words
    "Santoso Wijaya Saputra Hidayat Setiawan Pratama Kusuma Nugroho Wibowo Siregar Nasution Lubis "
    "Harahap Simanjuntak Situmorang Tanjung Hasibuan Sinaga Purba Ginting Rahman Hakim Syahputra Gunawan "
    "Susanto Rahayu Lestari Handayani Wulandari Permata Utami Maharani Anggraini Kurniasih Susilawati "
    "Ramadhan Firmansyah Hasanah Yulianti Sembiring"
).split()
POSITIONS = (
    "Kepala Desa",
    "Sekretaris Desa",
    "Lurah",
    "Camat",
    "Sekretaris Camat",
    "Kepala Seksi Pemerintahan",
    "Kepala Bidang",
    "Kepala Dinas",
    "Guru SD Negeri",
    "Guru SMP Negeri",
    "Kepala Sekolah",
    "Tenaga Kesehatan Puskesmas",
    "Analis Kepegawaian",
    "Staf Pelaksana",
    "Penyuluh Pertanian",
    "Pengawas Sekolah",
)
WORK_UNITS = (
    "Dinas Pendidikan",
    "Dinas Kesehatan",
    "Dinas Pekerjaan Umum",
    "Dinas Sosial",
    "Dinas Pertanian",
    "Badan Kepegawaian dan Pengembangan SDM",
    "Sekretariat Daerah",
    "Kecamatan",
    "Kelurahan",
    "Puskesmas",
    "SD Negeri",
    "SMP Negeri",
    "RSUD",
    "Satpol PP",
)
PLACES = (
    "Balai desa",
    "Kantor kecamatan",
    "Aula kantor dinas",
    "Pasar",
    "Lapangan",
    "Rumah warga",
    "Masjid",
    "Sekolah",
    "Akun Facebook pribadi",
    "Grup WhatsApp warga",
    "Akun Instagram pribadi",
    "Akun TikTok pribadi",
    "Posko pemenangan",
    "Gedung serbaguna",
)
STREETS = ("Jl. Merdeka", "Jl. Sudirman", "Jl. Diponegoro", "Jl. Ahmad Yani", "Jl. Gatot Subroto", "Jl. Pahlawan")
SOCIAL_HOSTS = (
    "https://www.facebook.com/{user}/posts/{n}",
    "https://www.instagram.com/p/{n}/",
    "https://www.tiktok.com/@{user}/video/{n}",
    "https://x.com/{user}/status/{n}",
    "https://www.youtube.com/watch?v={n}",
)
DESCRIPTIONS = {
    "social": (
        "Terlapor mengunggah ajakan memilih pasangan calon di akun media sosial pribadinya pada {date} "
        "dan membagikannya ke grup warga. Unggahan itu masih dapat dilihat sampai laporan ini dibuat."
    ),
    "activity": (
        "Pada {date} terlapor hadir di {place} dalam pertemuan yang dihadiri tim pemenangan, mengajak warga "
        "yang hadir untuk memilih pasangan calon tertentu dan membagikan bingkisan."
    ),
    "photo": (
        "Terlapor berfoto bersama calon dengan pose jari simbol nomor urut pada {date} dan foto itu "
        "diunggah di media sosial dengan keterangan dukungan."
    ),
    "other": (
        "Pada {date} di {place} terlapor terlihat terlibat dalam kegiatan yang menguntungkan salah satu "
        "calon. Beberapa warga menyaksikan kejadian tersebut."
    ),
}
_GROUP = {
    "B2": "social",
    "B6": "social",
    "A2": "social",
    "A4": "social",
    "B8": "activity",
    "A5": "photo",
    "B7": "photo",
}


@dataclass(frozen=True)
class _Region:
    id: int
    name: str
    nik_prefix: str
    pemda_id: int
    bawaslu_id: int
    signature: frozenset[int]


@dataclass
class Pools:
    regions: list[_Region]
    violations: list[int | None]
    violation_groups: list[str]
    violation_weights: list[float]
    representative: dict[frozenset[int], Region]
    contexts: dict[tuple[frozenset[int], dt.date], tuple[int | None, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Pools:
        kabkota = list(Region.objects.exclude(level=RegionLevel.PROVINSI).select_related("parent").order_by("code"))
        if not kabkota:
            raise RuntimeError("no regions: run `manage.py load_reference` first")
        pemda = {
            org.region_id: org.pk
            for org in Organisation.objects.filter(
                kind__in=[
                    OrganisationKind.PEMDA_PROVINSI,
                    OrganisationKind.PEMDA_KABUPATEN,
                    OrganisationKind.PEMDA_KOTA,
                ]
            )
        }
        bawaslu = {org.region_id: org.pk for org in Organisation.objects.filter(kind=OrganisationKind.BAWASLU_KABKOTA)}
        voting: dict[int, set[int]] = {}
        for election_id, region_id in Election.regions.through.objects.values_list("election_id", "region_id"):
            voting.setdefault(region_id, set()).add(election_id)
        province_number = {
            pk: number
            for number, pk in enumerate(
                Region.objects.filter(level=RegionLevel.PROVINSI).order_by("code").values_list("pk", flat=True),
                start=11,
            )
        }
        regions, representative, serial = [], {}, {}
        for region in kabkota:
            signature = frozenset(voting.get(region.pk, set()) | voting.get(region.parent_id, set()))
            representative.setdefault(signature, region)
            serial[region.parent_id] = serial.get(region.parent_id, 0) + 1
            # DKI's administrative cities have no pemda of their own: the province employs their ASN.
            instansi = pemda[region.pk] if region.is_autonomous else pemda[region.parent_id]
            regions.append(
                _Region(
                    id=region.pk,
                    name=region.name,
                    nik_prefix=f"{province_number[region.parent_id] % 100:02d}{serial[region.parent_id]:02d}",
                    pemda_id=instansi,
                    bawaslu_id=bawaslu[region.pk],
                    signature=signature,
                )
            )
        types = dict(ViolationType.objects.values_list("code", "pk"))
        codes = [code for code in VIOLATION_WEIGHTS if code is None or code in types]
        return cls(
            regions=regions,
            violations=[types[code] if code else None for code in codes],
            violation_groups=[_GROUP.get(code or "", "other") for code in codes],
            violation_weights=[VIOLATION_WEIGHTS[code] for code in codes],
            representative=representative,
        )

    def warm_elections(self) -> None:
        """Derive (election id, phase) for every voting signature and day, so batches need no query."""
        first = min(window[1] for window in _DATE_WINDOWS)
        last = max(window[2] for window in _DATE_WINDOWS)
        for signature, region in self.representative.items():
            for offset in range((last - first).days + 1):
                on = first + dt.timedelta(days=offset)
                context = election_context(region, on)
                self.contexts[signature, on] = (context[0].election.pk, context[0].phase) if context else (None, "")

    def election(self, region: _Region, on: dt.date) -> tuple[int | None, str]:
        """(election id, phase) of the nearest relevant election (see warm_elections)."""
        return self.contexts[region.signature, on]


def _pick_window(windows: list[tuple[float, dt.date, int]], roll: float) -> tuple[dt.date, int]:
    for share, first, span in windows:
        if roll < share:
            return first, span
        roll -= share
    return windows[-1][1], windows[-1][2]


def _weighted(rng: random.Random, weights: dict) -> Callable[[], object]:
    values, cumulative = list(weights), []
    total = 0.0
    for weight in weights.values():
        total += weight
        cumulative.append(total)

    def pick() -> object:
        return rng.choices(values, cum_weights=cumulative)[0]

    return pick


def build_batch(pools: Pools, seed: int, start: int, count: int) -> Batch:
    """Rows for reports start … start+count-1, as tuples in the *_FIELDS orders (report id filled later)."""
    rng = random.Random(f"{seed}:{start}")  # noqa: S311 - reproducible test data, no secret
    pick_status = _weighted(rng, STATUS_WEIGHTS)
    pick_terlapor_count = _weighted(rng, TERLAPOR_COUNT_WEIGHTS)
    pick_employee = _weighted(rng, EMPLOYEE_STATUS_WEIGHTS)
    violation_cum = []
    total = 0.0
    for weight in pools.violation_weights:
        total += weight
        violation_cum.append(total)
    positions = range(len(pools.violations))
    windows = [(share, first, (last - first).days) for share, first, last in _DATE_WINDOWS]
    out = Batch()
    for index in range(start, start + count):
        region = rng.choice(pools.regions)
        first, span = _pick_window(windows, rng.random())
        incident = first + dt.timedelta(days=rng.randint(0, span))
        learned = incident + dt.timedelta(days=rng.choice((0, 0, 0, 1, 1, 2, 3, 5, 8, 14)))
        late = rng.random() < 0.12
        received_day = learned + dt.timedelta(days=rng.randint(8, 40) if late else rng.randint(0, 7))
        received = dt.datetime.combine(
            received_day, dt.time(rng.randint(6, 23), rng.randint(0, 59), rng.randint(0, 59)), tzinfo=_JAKARTA
        )
        slot = rng.choices(positions, cum_weights=violation_cum)[0]
        election_id, phase = pools.election(region, incident)
        status = pick_status()
        updated = received if status == ReportStatus.RECEIVED else received + dt.timedelta(days=rng.randint(1, 60))
        place = f"{rng.choice(PLACES)}, {region.name}"
        confidentiality_roll = rng.random()
        if confidentiality_roll < ANONYMOUS_SHARE:
            confidentiality, kind = Confidentiality.ANONYMOUS, ReportKind.INFORMASI
            name = nik = address = phone = email = ""
            consent = None
        else:
            confidentiality = (
                Confidentiality.OPEN
                if confidentiality_roll < ANONYMOUS_SHARE + OPEN_SHARE
                else Confidentiality.CONFIDENTIAL
            )
            kind = ReportKind.LAPORAN
            first_name, last_name = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            name = f"{first_name} {last_name}"
            birth = f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}"
            nik = f"{region.nik_prefix}{rng.randint(1, 30):02d}{birth}{rng.randint(1, 9999):04d}"
            address = f"{rng.choice(STREETS)} No. {rng.randint(1, 200)}, {region.name}"
            phone = f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}" if rng.random() < 0.8 else ""
            email = (
                f"{first_name.lower()}.{last_name.lower()}{index}@example.org"
                if rng.random() < 0.6 or not phone
                else ""
            )
            consent = received
        description = DESCRIPTIONS[pools.violation_groups[slot]].format(date=f"{incident:%d-%m-%Y}", place=place)
        out.reports.append(
            (
                None,
                scale_tracking_code(index),
                kind,
                status,
                region.bawaslu_id,
                confidentiality,
                name,
                nik,
                address,
                phone,
                email,
                consent,
                hash_pin(scale_pin(seed, index)),
                incident,
                learned,
                region.id,
                place,
                description,
                pools.violations[slot],
                election_id,
                phase,
                late,
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" if rng.random() < 0.3 else "",
                received,
                updated,
            )
        )
        position = len(out.reports) - 1
        for _ in range(pick_terlapor_count()):
            birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randint(0, 35 * 365))
            appointed = min(birth.year + rng.randint(20, 35), 2023)
            nip = f"{birth:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{rng.randint(1, 2)}{rng.randint(1, 999):03d}"
            out.terlapor.append(
                (
                    position,
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    nip,
                    rng.choice(POSITIONS),
                    rng.choice(WORK_UNITS),
                    region.pemda_id,
                    pick_employee(),
                )
            )
        out.events.append((position, EventKind.SUBMITTED, "", ReportStatus.RECEIVED, "", "", True, received))
        user = f"{rng.choice(FIRST_NAMES).lower()}{rng.randint(1, 9999)}"
        url = rng.choice(SOCIAL_HOSTS).format(user=user, n=rng.randint(10**9, 10**12))
        out.evidence.append(
            (position, "", EvidenceKind.LINK, EvidenceSource.INTAKE, "", "", "", "", 0, "", url, received)
        )
    return out
