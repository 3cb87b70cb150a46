"""Bulk scale data for benchmarks: up to millions of realistic reports (domain.md §9).

Generated reports are marked by their tracking code: ``NTR-0…``. The digit 0
is not in reports.pins.ALPHABET, so no real code can start like that, yet the
code still survives normalise_tracking_code and is found by the status page.
Deleting (``reset``) therefore never touches a citizen's report.

Everything is derived from (seed, index): report ``i`` has the tracking code
``scale_tracking_code(i)`` and the PIN ``scale_pin(seed, i)``, so a benchmark
can look up any generated report without the PINs being stored in clear.

On PostgreSQL the rows go in with COPY (one transaction per batch); elsewhere
(SQLite in tests) with bulk_create.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import PROTECT, Model, QuerySet
from django.utils import timezone

from netralitas.elections import election_context
from netralitas.enums import EmployeeStatus, OrganisationKind, RegionLevel
from netralitas.models import Election, Organisation, Region, ViolationType
from reports.enums import Confidentiality, EventKind, EvidenceKind, EvidenceSource, ReportKind, ReportStatus
from reports.models import Evidence, Recommendation, Report, ReportEvent, Terlapor
from reports.pins import ALPHABET, PIN_LENGTH, hash_pin

SCALE_CODE_PREFIX = "NTR-0"
DEFAULT_SEED = 1
DEFAULT_BATCH = 20_000

_BASE = len(ALPHABET)
_CODE_DIGITS = 7
_CODE_SPACE = _BASE**_CODE_DIGITS
# index -> (index * _CODE_STEP + _CODE_OFFSET) mod 29**7 is a bijection (the step is not a
# multiple of 29): unique codes that do not look sequential, whatever the seed.
_CODE_STEP = 7_919_461_529
_CODE_OFFSET = 1_234_567_891
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

_REPORT_FIELDS = (
    "id",
    "tracking_code",
    "kind",
    "status",
    "intake_organisation",
    "confidentiality",
    "reporter_name",
    "reporter_nik",
    "reporter_address",
    "reporter_phone",
    "reporter_email",
    "consent_at",
    "pin_hash",
    "incident_date",
    "learned_date",
    "region",
    "place",
    "description",
    "violation_type",
    "election",
    "period_phase",
    "reported_late",
    "witnesses",
    "received_at",
    "updated_at",
)
_TERLAPOR_FIELDS = ("report", "name", "nip", "position", "work_unit", "instansi", "employee_status")
_EVENT_FIELDS = ("report", "kind", "from_status", "to_status", "note", "public_message", "is_public", "created_at")
_EVIDENCE_FIELDS = (
    "report",
    "draft_token",
    "kind",
    "source",
    "file",
    "shared_copy",
    "original_name",
    "media_type",
    "size",
    "sha256",
    "url",
    "uploaded_at",
)


class ScaleDataMismatch(RuntimeError):
    """Existing generated rows do not continue with this seed; reset them first."""


@dataclass
class ScaleResult:
    created: int = 0
    deleted: int = 0
    total: int = 0
    rows_written: int = 0
    seconds: float = 0.0


@dataclass
class _Batch:
    reports: list[tuple] = field(default_factory=list)
    terlapor: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    evidence: list[tuple] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.reports) + len(self.terlapor) + len(self.events) + len(self.evidence)


def scale_tracking_code(index: int) -> str:
    """The tracking code of generated report ``index`` (0-based), e.g. ``NTR-0K7M-Q9XD``."""
    if not 0 <= index < _CODE_SPACE:
        raise ValueError(f"index out of range: {index}")
    n = (index * _CODE_STEP + _CODE_OFFSET) % _CODE_SPACE
    digits = []
    for _ in range(_CODE_DIGITS):
        n, r = divmod(n, _BASE)
        digits.append(ALPHABET[r])
    body = "0" + "".join(digits)
    return f"NTR-{body[:4]}-{body[4:]}"


def scale_pin(seed: int, index: int) -> str:
    """The PIN of generated report ``index``: HMAC(seed, index) spelled in the PIN alphabet."""
    n = int.from_bytes(hmac.new(f"netralitas-scale:{seed}".encode(), str(index).encode(), hashlib.sha256).digest())
    chars = []
    for _ in range(PIN_LENGTH):
        n, r = divmod(n, _BASE)
        chars.append(ALPHABET[r])
    return "-".join("".join(chars[i : i + 4]) for i in range(0, PIN_LENGTH, 4))


def scale_reports() -> QuerySet[Report]:
    """The generated reports (and only those)."""
    return Report.objects.filter(tracking_code__startswith=SCALE_CODE_PREFIX)


def _delete_case_follow_up(report_ids: list[int]) -> None:
    """Delete what protects the generated reports' terlapor (recommendations, and whatever other apps attach:
    decisions, blocks, escalations), found through the models' relations so that reports imports no app."""
    cases = Terlapor.objects.filter(report_id__in=report_ids).values("pk")
    protecting = [
        rel
        for rel in Terlapor._meta.related_objects
        if getattr(rel, "on_delete", None) is PROTECT and rel.related_model is not Recommendation
    ]
    for rel in protecting:  # the other apps' rows first: a decision follows its recommendation
        rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": cases}).delete()
    Recommendation._base_manager.filter(terlapor__in=cases).delete()


def delete_scale_data(*, batch: int = DEFAULT_BATCH, progress: Callable[[str], None] | None = None) -> int:
    """Delete every generated report with its terlapor, evidence and events; return how many reports.

    Goes through the ORM in batches so that whatever references a report later
    is cascaded (or protected) as the models say.
    """
    say = progress or (lambda message: None)
    deleted = 0
    step = max(1, min(batch, 10_000))
    while True:
        ids = list(scale_reports().order_by().values_list("pk", flat=True)[:step])
        if not ids:
            break
        with transaction.atomic():
            _delete_case_follow_up(ids)
            Report.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
        say(f"dihapus / deleted: {deleted}")
    return deleted


def generate_scale_data(
    target: int,
    *,
    seed: int = DEFAULT_SEED,
    batch: int = DEFAULT_BATCH,
    reset: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ScaleResult:
    """Top the generated reports up to ``target`` (each with 1–3 terlapor, one link, one event).

    With ``reset`` the generated reports are deleted first. Commits once per
    batch, so an interrupted run is continued by the next. Runs ANALYZE on
    PostgreSQL. Raises ScaleDataMismatch when the existing generated reports
    were made with another seed or have gaps. Needs the reference data.
    """
    say = progress or (lambda message: None)
    started = time.monotonic()
    result = ScaleResult()
    if reset:
        result.deleted = delete_scale_data(batch=batch, progress=say)
    existing = scale_reports().count()
    result.total = existing
    if existing >= target:
        result.seconds = time.monotonic() - started
        return result
    _check_continuation(existing, seed)
    pools = _Pools.load()
    pools.warm_elections()
    postgres = connection.vendor == "postgresql"
    index = existing

    def submit(start: int) -> Future:
        count = min(batch, target - start)
        ids = _reserve_report_ids(count) if postgres else None
        return builder.submit(_prepare_batch, pools, seed, start, count, ids)

    # One thread builds the next batch in Python while the database takes this one in.
    with ThreadPoolExecutor(max_workers=1) as builder:
        pending = submit(index)
        while pending is not None:
            prepared = pending.result()
            following = index + prepared.reports
            pending = submit(following) if following < target else None
            with transaction.atomic():
                (_write_copy if postgres else _write_orm)(prepared)
            index = following
            result.created += prepared.reports
            result.rows_written += prepared.rows
            elapsed = time.monotonic() - started
            say(
                f"{index}/{target} laporan/reports, {result.rows_written} baris/rows, "
                f"{result.created / elapsed:,.0f} laporan/s, {result.rows_written / elapsed:,.0f} baris/s"
            )
    if postgres:
        with connection.cursor() as cursor:
            for model in (Report, Terlapor, ReportEvent, Evidence):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    result.total = index
    result.seconds = time.monotonic() - started
    return result


def _check_continuation(existing: int, seed: int) -> None:
    if existing == 0:
        return
    from reports.pins import check_pin

    first = scale_reports().filter(tracking_code=scale_tracking_code(0)).values_list("pin_hash", flat=True).first()
    if first is None or not check_pin(scale_pin(seed, 0), first):
        raise ScaleDataMismatch("generated reports exist with another seed (or index 0 is missing): use --reset")
    last_present = scale_reports().filter(tracking_code=scale_tracking_code(existing - 1)).exists()
    next_present = scale_reports().filter(tracking_code=scale_tracking_code(existing)).exists()
    if not last_present or next_present:
        raise ScaleDataMismatch("generated reports have gaps: use --reset")


@dataclass(frozen=True)
class _Region:
    id: int
    name: str
    nik_prefix: str
    pemda_id: int
    bawaslu_id: int
    signature: frozenset[int]


@dataclass
class _Pools:
    regions: list[_Region]
    violations: list[int | None]
    violation_groups: list[str]
    violation_weights: list[float]
    representative: dict[frozenset[int], Region]
    contexts: dict[tuple[frozenset[int], dt.date], tuple[int | None, str]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> _Pools:
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


def _build_batch(pools: _Pools, seed: int, start: int, count: int) -> _Batch:
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
    out = _Batch()
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


def _columns(model: type[Model], names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).column for name in names]


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(rows: Iterable[tuple]) -> io.StringIO:
    out = io.StringIO()
    for row in rows:
        values = []
        for value in row:
            if value is None:
                values.append("\\N")
            elif value is True:
                values.append("t")
            elif value is False:
                values.append("f")
            elif isinstance(value, str):
                values.append(value.translate(_COPY_ESCAPES))
            elif isinstance(value, dt.date):
                values.append(value.isoformat())
            elif isinstance(value, dict | list):
                values.append(json.dumps(value).translate(_COPY_ESCAPES))
            else:
                values.append(str(value))
        out.write("\t".join(values))
        out.write("\n")
    out.seek(0)
    return out


def _reserve_report_ids(count: int) -> list[int]:
    """PostgreSQL: take ``count`` report ids from the table's sequence (outside any transaction is fine)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Report._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class _Prepared:
    """A batch ready to write: COPY payloads (PostgreSQL) or the raw rows (elsewhere)."""

    reports: int
    rows: int
    batch: _Batch | None = None
    copies: list[tuple[str, io.StringIO]] = field(default_factory=list)


def _prepare_batch(pools: _Pools, seed: int, start: int, count: int, ids: list[int] | None) -> _Prepared:
    """Build a batch; with report ids, also format it for COPY. Runs in the builder thread: no queries."""
    batch = _build_batch(pools, seed, start, count)
    prepared = _Prepared(reports=len(batch.reports), rows=batch.rows)
    if ids is None:
        prepared.batch = batch
        return prepared
    quote = connection.ops.quote_name
    for model, names, table_rows in (
        (Report, _REPORT_FIELDS, [(ids[i], *row[1:]) for i, row in enumerate(batch.reports)]),
        (Terlapor, _TERLAPOR_FIELDS, [(ids[row[0]], *row[1:]) for row in batch.terlapor]),
        (ReportEvent, _EVENT_FIELDS, [(ids[row[0]], *row[1:]) for row in batch.events]),
        (Evidence, _EVIDENCE_FIELDS, [(ids[row[0]], *row[1:]) for row in batch.evidence]),
    ):
        extra_fields, extra_values = _defaults_for_other_fields(model, names)
        columns = ", ".join(quote(column) for column in _columns(model, names) + [f.column for f in extra_fields])
        prepared.copies.append(
            (
                f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN",
                _copy_text(row + extra_values for row in table_rows),
            )
        )
    return prepared


def _defaults_for_other_fields(model: type[Model], names: Sequence[str]) -> tuple[list, tuple]:
    """The columns this module does not set, with the value the model would give them.

    Later work adds fields (case status, deadlines …): COPY names every column
    it fills, so those get the model's default, as an ORM insert would. A field
    with only a database default is left out, so the database fills it in.
    """
    given = set(names) | {"id"}
    now = timezone.now()
    fields, values = [], []
    for f in model._meta.concrete_fields:
        if f.name in given or f.primary_key:
            continue
        if f.has_default():
            value = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_db_default():
            continue
        elif f.null:
            value = None
        else:
            raise RuntimeError(f"reports.scale cannot fill {model.__name__}.{f.name}: give it a value there")
        if f.unique and value is not None:
            raise RuntimeError(f"reports.scale cannot repeat a default in unique {model.__name__}.{f.name}")
        fields.append(f)
        values.append(value)
    return fields, tuple(values)


def _write_copy(prepared: _Prepared) -> None:
    """PostgreSQL: COPY each table (inside the caller's transaction)."""
    with connection.cursor() as cursor:
        # Generated data can be regenerated: no need to wait for the WAL flush at each commit.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for sql, payload in prepared.copies:
            cursor.copy_expert(sql, payload)


def _attnames(model: type[Model], names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def _write_orm(prepared: _Prepared) -> None:
    """Any database (SQLite in tests): bulk_create, which fills in the report ids.

    Here auto_now fields (Report.updated_at, ReportEvent.created_at) get the insert time.
    """
    rows = prepared.batch
    report_attrs = _attnames(Report, _REPORT_FIELDS[1:])
    reports = Report.objects.bulk_create(
        [Report(**dict(zip(report_attrs, row[1:], strict=True))) for row in rows.reports]
    )
    ids = [report.pk for report in reports]
    for model, names, table_rows in (
        (Terlapor, _TERLAPOR_FIELDS, rows.terlapor),
        (ReportEvent, _EVENT_FIELDS, rows.events),
        (Evidence, _EVIDENCE_FIELDS, rows.evidence),
    ):
        attrs = _attnames(model, names)
        model.objects.bulk_create(
            [model(**dict(zip(attrs, (ids[row[0]], *row[1:]), strict=True))) for row in table_rows]
        )
