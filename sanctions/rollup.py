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
from django.db.models import CharField, F, IntegerField, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from reports.models import Terlapor
from sanctions import measures
from sanctions.models import DashboardRollup

logger = logging.getLogger(__name__)

TABLE = DashboardRollup._meta.db_table
_DIMENSIONS = ("r_provinsi", "r_election", "r_kind", "r_key", "r_label")


def _kind(kind: str, key, label=None, cases: QuerySet[Terlapor] | None = None) -> QuerySet:
    cases = Terlapor.objects.all() if cases is None else cases
    return (
        cases.order_by()
        .annotate(
            r_provinsi=measures.provinsi_of_incident(),
            r_election=F("report__election_id"),
            r_kind=Value(kind, output_field=CharField()),
            r_key=key,
            r_label=Value("", output_field=CharField()) if label is None else label,
        )
        .values(*_DIMENSIONS)
        .annotate(**measures.case_metrics())
    )


def rollup_queries() -> list[QuerySet]:
    """The SELECT of each kind of rollup row (see DashboardRollup)."""
    text = measures.as_text
    return [
        _kind("total", Value("", output_field=CharField())),
        _kind("violation", measures.violation_code(), measures.violation_title()),
        _kind("jabatan", measures.jabatan_class()),
        _kind("phase", F("report__period_phase")),
        _kind(
            "election_phase",
            Concat(Coalesce(text(F("report__election_id")), Value("")), Value(":"), F("report__period_phase")),
            Coalesce(F("report__election__name"), Value("")),
        ),
        _kind("instansi", text(F("instansi_id")), F("instansi__name")),
        _kind("region", Coalesce(text(measures.provinsi_of_incident()), Value(""))),
        _kind("week", text(measures.received_week())),
        _kind("outcome", F("case_status")),
        _kind(
            "rec_days",
            text(measures.days_to_recommendation()),
            cases=Terlapor.objects.filter(recommendation__isnull=False),
        ),
        _kind(
            "sanction_days", text(measures.days_to_sanction()), cases=Terlapor.objects.filter(decision__isnull=False)
        ),
    ]


@transaction.atomic
def refresh_dashboard_rollup(now: datetime | None = None) -> int:
    """Rebuild DashboardRollup from the cases; returns the number of rows written.

    Side effects: replaces every rollup row in one transaction (PostgreSQL: INSERT .. SELECT;
    elsewhere the same SELECTs through the ORM).
    """
    now = now or timezone.now()
    started = time.monotonic()
    DashboardRollup.objects.all().delete()
    written = 0
    columns = ["provinsi_id", "election_id", "kind", "key", "label", *measures.METRIC_KEYS, "refreshed_at"]
    for query in rollup_queries():
        if connection.vendor == "postgresql":
            sql, params = query.query.sql_with_params()
            selected = ", ".join([f"s.{name}" for name in _DIMENSIONS] + [f"s.{key}" for key in measures.METRIC_KEYS])
            with connection.cursor() as cursor:
                cursor.execute(  # the table, columns and compiled SELECT are ours; values are parameters
                    f"INSERT INTO {TABLE} ({', '.join(columns)}) SELECT {selected}, %s FROM ({sql}) AS s",  # noqa: S608
                    (now, *params),
                )
                written += cursor.rowcount
        else:  # pragma: no cover - SQLite without services
            rows = [
                DashboardRollup(
                    provinsi_id=row["r_provinsi"],
                    election_id=row["r_election"],
                    kind=row["r_kind"],
                    key=row["r_key"] or "",
                    label=row["r_label"] or "",
                    refreshed_at=now,
                    **{key: row[key] for key in measures.METRIC_KEYS},
                )
                for row in query
            ]
            DashboardRollup.objects.bulk_create(rows)
            written += len(rows)
    logger.info("dashboard rollup: %s rows in %.1f s", written, time.monotonic() - started)
    return written


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
