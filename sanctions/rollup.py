"""The dashboard rollup: every national figure, rebuilt in SQL (INSERT .. SELECT), read in one query.

A full rebuild is one GROUP BY pass over the cases per kind inside one transaction: readers see the
old rows until it commits. Celery runs it every few minutes (sanctions.refresh_statistics); pages
that read it show its age. Scoped (non-national) dashboards never read it: they count their own
cases live through the visibility selectors, which is cheap for one instansi or region.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from django.db import connection, transaction
from django.db.models import F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from reports.models import Terlapor
from sanctions import measures
from sanctions.models import DashboardRollup

logger = logging.getLogger(__name__)

TABLE = DashboardRollup._meta.db_table
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
        "d_week": text(measures.received_week()),
        "d_status": F("case_status"),
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
]


@transaction.atomic
def refresh_dashboard_rollup(now: datetime | None = None) -> int:
    """Rebuild DashboardRollup from the cases; returns the number of rows written.

    Side effects: replaces every rollup row in one transaction. On PostgreSQL the cases are read
    once into a temporary table (the joins, the working-day counts), then each kind is one
    INSERT .. SELECT .. GROUP BY over it; elsewhere the same sums in Python.
    """
    now = now or timezone.now()
    started = time.monotonic()
    DashboardRollup.objects.all().delete()
    if connection.vendor != "postgresql":  # pragma: no cover - SQLite without services
        written = _refresh_in_python(now)
    else:
        written = 0
        metrics = measures.METRIC_KEYS
        columns = ", ".join(["provinsi_id", "election_id", "kind", "key", "label", *metrics, "refreshed_at"])
        sums = ", ".join(f"sum(f_{key})" for key in metrics)
        sql, params = case_rows().query.sql_with_params()
        with connection.cursor() as cursor:
            # JIT compiling this wide SELECT costs seconds and saves little: one pass, plain execution.
            cursor.execute("SET LOCAL jit = off")
            # Our compiled SELECT and this module's constants only; values travel as parameters.
            cursor.execute(f"CREATE TEMPORARY TABLE rollup_cases ON COMMIT DROP AS {sql}", params)
            for kind, key, label, condition in KINDS:
                insert = (
                    f"INSERT INTO {TABLE} ({columns}) SELECT d_provinsi, d_election, %s, {key}, {label}, {sums}, %s"
                )
                group = (
                    f" FROM rollup_cases WHERE {condition} GROUP BY 1, 2, 4, 5"  # the provinsi, election, key, label
                )
                cursor.execute(insert + group, [kind, now])
                written += cursor.rowcount
            cursor.execute("DROP TABLE rollup_cases")
    logger.info("dashboard rollup: %s rows in %.1f s", written, time.monotonic() - started)
    return written


def _refresh_in_python(now: datetime) -> int:  # pragma: no cover - SQLite without services
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
        for kind, (key, label) in keys.items():
            group = (row["d_provinsi"], row["d_election"], kind, key, label)
            into = sums.setdefault(group, dict.fromkeys(measures.METRIC_KEYS, 0))
            for metric in measures.METRIC_KEYS:
                into[metric] += row[f"f_{metric}"]
    rows = [
        DashboardRollup(provinsi_id=p, election_id=e, kind=k, key=key, label=label, refreshed_at=now, **figures)
        for (p, e, k, key, label), figures in sums.items()
    ]
    DashboardRollup.objects.bulk_create(rows)
    return len(rows)


def rollup_rows(*, provinsi_id: int | None = None, election_id: int | None = None) -> list[dict]:
    """Rollup rows summed over the other dimensions, per (kind, key, label), with the time of the refresh (one query).

    An empty list when the rollup was never built.
    """
    rows = DashboardRollup.objects.order_by()
    if provinsi_id is not None:
        rows = rows.filter(provinsi_id=provinsi_id)
    if election_id is not None:
        rows = rows.filter(election_id=election_id)
    sums = {key: Coalesce(Sum(key), 0, output_field=IntegerField()) for key in measures.METRIC_KEYS}
    return list(rows.values("kind", "key", "label").annotate(**sums).order_by("kind", "key", "label"))


def rollup_refreshed_at() -> datetime | None:
    """When the rollup was last rebuilt (None: never)."""
    return DashboardRollup.objects.order_by().values_list("refreshed_at", flat=True).first()
