"""The dashboard rollup: every dashboard figure, rebuilt in SQL (INSERT .. SELECT), read in one query.

A full rebuild is one GROUP BY GROUPING SETS pass over the cases per kind inside one transaction:
readers see the old rows until it commits. Each pass writes the three grains of DashboardRollup at
once (national; per instansi; per region and intake organisation). Celery runs it every few
minutes (sanctions.refresh_statistics); pages that read it show its age. Which rows a viewer sums
is sanctions.selectors.rollup_visible_to; a scope the grains cannot express is counted live.
"""

from __future__ import annotations

import logging
import time
from datetime import date, datetime

from django.db import connection, transaction
from django.db.models import F, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from reports.models import Terlapor
from sanctions import measures
from sanctions.models import DashboardRollup

logger = logging.getLogger(__name__)

TABLE = DashboardRollup._meta.db_table
LOCK_KEY = 0x6E7472_0015  # pg_advisory_xact_lock key of the rebuild ("ntr", issue 15)
_DIMENSIONS = ("r_provinsi", "r_election", "r_kind", "r_key", "r_label")


def case_rows() -> QuerySet:
    """One row per case: every dimension the rollup groups by and the 0/1 flag of each figure (one scan)."""
    text = measures.as_text
    dimensions = {
        "d_provinsi": measures.provinsi_of_incident(),
        "d_election": F("report__election_id"),
        "d_election_name": Coalesce(F("report__election__name"), Value("")),
        "d_phase": F("report__period_phase"),
        "d_code": measures.violation_code(),
        "d_title": measures.violation_title(),
        "d_jabatan": measures.jabatan_class(),
        "d_instansi": text(F("instansi_id")),
        "d_instansi_name": Coalesce(F("instansi__name"), Value("")),
        "d_instansi_id": F("instansi_id"),
        "d_region": F("report__region_id"),
        "d_intake": F("report__intake_organisation_id"),
        "d_week": text(measures.received_week()),
        "d_status": F("case_status"),
        "d_due": F("due_date"),
    }
    if connection.vendor == "postgresql":  # the medians' histograms (percentile_cont has no SQLite twin)
        dimensions["d_rec_days"] = measures.days_to_recommendation()
        dimensions["d_sanction_days"] = measures.days_to_sanction()
    flags = {f"f_{key}": flag for key, flag in measures.case_flags().items()}
    return Terlapor.objects.order_by().annotate(**dimensions, **flags).values(*dimensions, *flags)


# Each kind of row: (kind, key, label, condition), SQL over the per-case rows (this module's constants only).
KINDS: list[tuple[str, str, str, str]] = [
    ("total", "''", "''", "TRUE"),
    ("violation", "d_code", "d_title", "TRUE"),
    ("jabatan", "d_jabatan", "''", "TRUE"),
    ("phase", "d_phase", "''", "TRUE"),
    ("election_phase", "COALESCE(d_election::text, '') || ':' || d_phase", "d_election_name", "TRUE"),
    ("instansi", "COALESCE(d_instansi, '')", "d_instansi_name", "TRUE"),
    ("region", "COALESCE(d_provinsi::text, '')", "''", "TRUE"),
    ("week", "COALESCE(d_week, '')", "''", "TRUE"),
    ("outcome", "d_status", "''", "TRUE"),
    ("rec_days", "d_rec_days::text", "''", "f_proven = 1 AND d_rec_days IS NOT NULL"),
    ("sanction_days", "d_sanction_days::text", "''", "f_sanctioned = 1 AND d_sanction_days IS NOT NULL"),
    # Recommendations awaiting the PPK past their deadline on the day of the rebuild (Jakarta), per instansi.
    ("ppk_overdue", "COALESCE(d_instansi, '')", "d_instansi_name", "d_status = 'awaiting_ppk' AND d_due < %s"),
]
# Parameters of a kind's condition, from the day of the rebuild in Asia/Jakarta.
KIND_PARAMS = {"ppk_overdue": lambda today: [today]}


Grain = DashboardRollup.Grain
# GROUPING(d_instansi_id, d_region, d_intake) of each grouping set: a bit for each column left out.
_GRAIN_OF_GROUPING = {7: Grain.NATIONAL, 3: Grain.INSTANSI, 4: Grain.REGION}
_GROUPING_SETS = (
    "GROUPING SETS ((d_provinsi, d_election, k, l), (d_provinsi, d_election, d_instansi_id, k, l),"
    " (d_provinsi, d_election, d_region, d_intake, k, l))"
)


@transaction.atomic
def refresh_dashboard_rollup(now: datetime | None = None) -> int:
    """Rebuild DashboardRollup from the cases; returns the number of rows written.

    Side effects: replaces every rollup row in one transaction. On PostgreSQL the cases are read
    once into a temporary table (the joins, the working-day counts), then each kind is one
    INSERT .. SELECT .. GROUP BY GROUPING SETS over it (the three grains in one pass); elsewhere
    the same sums in Python.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    started = time.monotonic()
    if connection.vendor == "postgresql":
        # One rebuild at a time: a second one's DELETE would not see the rows the first inserts
        # (its snapshot predates them) and the figures would count twice. Held until COMMIT.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
    DashboardRollup.objects.all().delete()
    if connection.vendor != "postgresql":  # pragma: no cover - SQLite without services
        written = refresh_in_python(now, today)
    else:
        written = 0
        metrics = measures.METRIC_KEYS
        columns = ", ".join(
            ["grain", "provinsi_id", "election_id", "instansi_id", "region_id", "intake_id", "kind", "key", "label"]
            + [*metrics, "refreshed_at"]
        )
        sums = ", ".join(f"sum(f_{key})" for key in metrics)
        flags = ", ".join(f"f_{key}" for key in metrics)
        grain = "CASE GROUPING(d_instansi_id, d_region, d_intake) {} END".format(
            " ".join(f"WHEN {bits} THEN '{value}'" for bits, value in _GRAIN_OF_GROUPING.items())
        )
        sql, params = case_rows().query.sql_with_params()
        with connection.cursor() as cursor:
            # JIT compiling this wide SELECT costs seconds and saves little: one pass, plain execution.
            cursor.execute("SET LOCAL jit = off")
            # Our compiled SELECT and this module's constants only; values travel as parameters.
            cursor.execute(f"CREATE TEMPORARY TABLE rollup_cases ON COMMIT DROP AS {sql}", params)
            cursor.execute("ANALYZE rollup_cases")
            for kind, key, label, condition in KINDS:
                cursor.execute(
                    f"INSERT INTO {TABLE} ({columns})"  # noqa: S608 - this module's constants
                    f" SELECT {grain}, d_provinsi, d_election, d_instansi_id, d_region, d_intake, %s, k, l, {sums}, %s"
                    f" FROM (SELECT d_provinsi, d_election, d_instansi_id, d_region, d_intake,"
                    f" {key} AS k, {label} AS l, {flags} FROM rollup_cases WHERE {condition}) AS c"
                    f" GROUP BY {_GROUPING_SETS}",
                    [kind, now, *KIND_PARAMS.get(kind, lambda _today: [])(today)],
                )
                written += cursor.rowcount
            cursor.execute("DROP TABLE rollup_cases")
    logger.info("dashboard rollup: %s rows in %.1f s", written, time.monotonic() - started)
    return written


def refresh_in_python(now: datetime, today: date) -> int:  # pragma: no cover - SQLite without services
    sums: dict[tuple, dict] = {}
    for row in case_rows():
        keys = {
            "total": ("", ""),
            "violation": (row["d_code"], row["d_title"]),
            "jabatan": (row["d_jabatan"], ""),
            "phase": (row["d_phase"], ""),
            "election_phase": (f"{row['d_election'] or ''}:{row['d_phase']}", row["d_election_name"]),
            "instansi": (row["d_instansi"] or "", row["d_instansi_name"]),
            "region": (str(row["d_provinsi"] or ""), ""),
            "week": (row["d_week"] or "", ""),
            "outcome": (row["d_status"], ""),
        }
        if row["d_status"] == "awaiting_ppk" and row["d_due"] is not None and row["d_due"] < today:
            keys["ppk_overdue"] = (row["d_instansi"] or "", row["d_instansi_name"])
        grains = {
            Grain.NATIONAL: (None, None, None),
            Grain.INSTANSI: (row["d_instansi_id"], None, None),
            Grain.REGION: (None, row["d_region"], row["d_intake"]),
        }
        for kind, (key, label) in keys.items():
            for grain, scoped in grains.items():
                group = (grain, row["d_provinsi"], row["d_election"], *scoped, kind, key, label)
                into = sums.setdefault(group, dict.fromkeys(measures.METRIC_KEYS, 0))
                for metric in measures.METRIC_KEYS:
                    into[metric] += row[f"f_{metric}"]
    rows = [
        DashboardRollup(
            grain=g,
            provinsi_id=p,
            election_id=e,
            instansi_id=i,
            region_id=r,
            intake_id=n,
            kind=k,
            key=key,
            label=label,
            refreshed_at=now,
            **figures,
        )  # fmt: skip
        for (g, p, e, i, r, n, k, key, label), figures in sums.items()
    ]
    DashboardRollup.objects.bulk_create(rows)
    return len(rows)


def rollup_rows(
    rows: QuerySet[DashboardRollup] | None = None, *, provinsi_id: int | None = None, election_id: int | None = None
) -> list[dict]:
    """Rollup rows summed over the other dimensions, per (kind, key, label) (one query).

    ``rows``: the rows to sum, one grain of them (sanctions.selectors.rollup_visible_to for a
    viewer); the national grain when None. An empty list when the rollup was never built.
    """
    rows = DashboardRollup.objects.filter(grain=Grain.NATIONAL) if rows is None else rows
    rows = rows.order_by()
    if provinsi_id is not None:
        rows = rows.filter(provinsi_id=provinsi_id)
    if election_id is not None:
        rows = rows.filter(election_id=election_id)
    # A group has at least one row, so no sum is NULL: no Coalesce, and no converter per value
    # (Django's converters of Coalesce were 30 ms of the instansi dashboard's 300 rows at 1 M).
    sums = {key: Sum(key) for key in measures.METRIC_KEYS}
    return list(rows.values("kind", "key", "label").annotate(**sums).order_by("kind", "key", "label"))


def rollup_refreshed_at() -> datetime | None:
    """When the rollup was last rebuilt (None: never)."""
    # The newest row: a rebuild deletes every row and inserts anew, so the lowest ids are dead
    # tuples until VACUUM, and walking them cost 65 ms at 1 M cases; the highest id is live.
    return DashboardRollup.objects.order_by("-pk").values_list("refreshed_at", flat=True).first()
