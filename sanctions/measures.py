"""The expressions every dashboard, the public statistics and the rollup count with.

One definition of each figure, used over live cases (a Terlapor queryset) and by the SQL that
rebuilds sanctions.DashboardRollup, so the two can never disagree. Nothing here reads the reporter.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db.models import (
    Aggregate,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models import Func as _Func
from django.db.models.functions import Cast, Coalesce, TruncDate, TruncWeek
from django.utils.translation import gettext_lazy

from netralitas.enums import RegionLevel
from reports.enums import CaseStatus
from sanctions.enums import Compliance
from sanctions.models import Block

JAKARTA = ZoneInfo("Asia/Jakarta")

# The summable figures, in the order of every table and CSV: key, heading.
COLUMNS: list[tuple[str, str]] = [
    ("cases", gettext_lazy("ASN dilaporkan")),
    ("proven", gettext_lazy("Terbukti (direkomendasikan)")),
    ("not_proven", gettext_lazy("Tidak terbukti")),
    ("awaiting_ppk", gettext_lazy("Menunggu PPK")),
    ("sanctioned", gettext_lazy("Disanksi")),
    ("overdue", gettext_lazy("Melewati tenggat")),
    ("blocked", gettext_lazy("Diblokir BKN")),
    ("on_time", gettext_lazy("Tepat waktu")),
    ("late", gettext_lazy("Terlambat")),
    ("not_followed_up", gettext_lazy("Tidak ditindaklanjuti")),
]
METRIC_KEYS = [key for key, _label in COLUMNS]

# Classes of jabatan, from the free-text position (regular expressions on its start, first match wins).
JABATAN_CLASSES: list[tuple[str, str, str]] = [
    ("desa", r"^(kepala desa|sekretaris desa|perangkat desa)", gettext_lazy("Kepala/perangkat desa")),
    ("jpt", r"^(kepala dinas|kepala badan|sekretaris daerah|asisten|staf ahli)", gettext_lazy("Pimpinan tinggi")),
    ("administrator", r"^(kepala bidang|kepala bagian|camat)", gettext_lazy("Administrator")),
    ("pengawas", r"^(kepala seksi|kepala sub|lurah|sekretaris camat)", gettext_lazy("Pengawas")),
    (
        "fungsional",
        r"^(guru|kepala sekolah|pengawas sekolah|tenaga kesehatan|dokter|perawat|bidan|analis|penyuluh|auditor)",
        gettext_lazy("Fungsional"),
    ),
    ("pelaksana", r"^(staf|pelaksana|pengadministrasi)", gettext_lazy("Pelaksana")),
]
JABATAN_OTHER = ("lainnya", gettext_lazy("Lainnya / tidak diketahui"))


def jabatan_labels() -> dict[str, str]:
    return {key: str(label) for key, _regex, label in JABATAN_CLASSES} | {JABATAN_OTHER[0]: str(JABATAN_OTHER[1])}


def metric_conditions() -> dict:
    """What makes a case count in each figure (None: every case)."""
    return {
        "cases": None,
        # Proven = a recommendation was issued, whatever happened to the case afterwards.
        "proven": Q(recommendation__isnull=False),
        "not_proven": Q(case_status=CaseStatus.NOT_PROVEN),
        "awaiting_ppk": Q(case_status=CaseStatus.AWAITING_PPK),
        "sanctioned": Q(decision__isnull=False),
        "overdue": Q(overdue_since__isnull=False),
        "blocked": Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True)),
        "on_time": Q(decision__compliance=Compliance.ON_TIME),
        "late": Q(decision__compliance=Compliance.LATE),
        # The deadline passed and still no decision.
        "not_followed_up": Q(overdue_since__isnull=False, decision__isnull=True),
    }


def case_metrics() -> dict:
    """The aggregates of a set of cases, each one COUNT ... FILTER (the one-to-one joins never duplicate a case)."""
    return {
        key: Count("pk") if condition is None else Count("pk", filter=condition)
        for key, condition in metric_conditions().items()
    }


def case_flags() -> dict:
    """The same figures as 0/1 columns of one case (what the rollup sums)."""
    return {
        key: Value(1) if condition is None else Case(When(condition, then=Value(1)), default=Value(0))
        for key, condition in metric_conditions().items()
    }


def rates(row: dict) -> dict:
    """``row`` with the follow-up rate (decided / recommended) and the on-time rate (on time / recommended), in %."""
    proven = row.get("proven") or 0
    row["rate"] = round(100 * row["sanctioned"] / proven, 1) if proven else None
    row["on_time_rate"] = round(100 * row["on_time"] / proven, 1) if proven else None
    return row


# --- dimensions -------------------------------------------------------------------------------


def provinsi_of_incident():
    """The provinsi of the report's region (the region itself when it is one)."""
    return Case(
        When(report__region__level=RegionLevel.PROVINSI, then=F("report__region_id")),
        default=F("report__region__parent_id"),
        output_field=IntegerField(),
    )


def jabatan_class():
    return Case(
        *(When(position__iregex=regex, then=Value(key)) for key, regex, _label in JABATAN_CLASSES),
        default=Value(JABATAN_OTHER[0]),
        output_field=CharField(),
    )


def violation_code():
    """The recommendation's code, else the one the report was filed under ("" when unknown)."""
    return Coalesce(F("recommendation__violation_type__code"), F("report__violation_type__code"), Value(""))


def violation_title():
    return Coalesce(F("recommendation__violation_type__title"), F("report__violation_type__title"), Value(""))


def received_week():
    """Monday of the week the report was received, in Asia/Jakarta."""
    # DATE_TRUNC over the Jakarta wall time, then its date: no second time-zone shift.
    return Cast(TruncWeek("report__received_at", tzinfo=JAKARTA), DateField())


def received_date():
    return TruncDate("report__received_at", tzinfo=JAKARTA)


class WorkingDays(_Func):
    """Working days d with start < d <= end (weekends and active holidays skipped); NULL when either is NULL.

    The same count as netralitas.calendar.working_days_between (negative when end < start), in closed
    form: weekdays from the days since a Monday, less the active weekday holidays in between (one
    indexed lookup in the small holiday table per row), so a million rows cost seconds, not minutes.
    PostgreSQL only.
    """

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        start, end = f"(({start_sql})::date)", f"(({end_sql})::date)"

        def weekdays_before(day: str) -> str:
            # Weekdays in [1970-01-05 (a Monday), day + 1): whole weeks and the rest, at most five.
            days = f"({day} + 1 - DATE '1970-01-05')"
            return f"(5 * ({days} / 7) + LEAST(mod({days}, 7), 5))"  # integer division: date - date is an integer

        sql = (
            f"CASE WHEN {start} IS NULL OR {end} IS NULL THEN NULL ELSE "  # noqa: S608 - our compiled SQL
            f"{weekdays_before(end)} - {weekdays_before(start)} - sign({end} - {start})::int * ("
            "SELECT count(DISTINCT h.date) FROM netralitas_holiday h WHERE h.is_active"
            f" AND h.date > LEAST({start}, {end}) AND h.date <= GREATEST({start}, {end})"
            " AND extract(isodow FROM h.date) < 6) END"
        )
        # In the order the placeholders appear: null checks, weekdays (each day twice), sign, holiday range.
        params = (
            *start_params, *end_params,
            *end_params, *end_params, *start_params, *start_params,
            *end_params, *start_params,
            *start_params, *end_params, *start_params, *end_params,
        )  # fmt: skip
        return sql, params


def days_to_recommendation() -> WorkingDays:
    """Working days from the report's receipt (Jakarta date) to the recommendation letter."""
    return WorkingDays(received_date(), F("recommendation__letter_date"))


def days_to_sanction() -> WorkingDays:
    """Working days from the PPK's receipt of the recommendation (else its letter date) to the SK."""
    return WorkingDays(
        Coalesce(F("recommendation__received_date"), F("recommendation__letter_date")), F("decision__sk_date")
    )


class Median(Aggregate):
    """percentile_cont(0.5) (PostgreSQL): NULLs ignored, the mean of the two middle values for an even count."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def median_of_histogram(pairs: list[tuple[int, int]]) -> float | None:
    """The same median as percentile_cont(0.5) over values given as (value, how many) pairs."""
    pairs = sorted((value, count) for value, count in pairs if count)
    total = sum(count for _value, count in pairs)
    if not total:
        return None
    position = (total - 1) / 2
    low_index, high_index = int(position), int(position + 0.5)

    def nth(index: int) -> int:
        seen = 0
        for value, count in pairs:
            seen += count
            if index < seen:
                return value
        raise IndexError(index)

    low, high = nth(low_index), nth(high_index)
    return float(low + (high - low) * (position - low_index))


def as_text(expression):
    return Cast(expression, CharField())
