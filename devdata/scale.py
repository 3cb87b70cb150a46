"""Bulk scale data for benchmarks: up to millions of realistic reports (domain.md §9).

Generated reports are recognised by their tracking code (devdata.scale_codes); their rows are
drawn by devdata.scale_rows and written by devdata.scale_writer: on PostgreSQL with COPY (one
transaction per batch), elsewhere (SQLite in tests) with bulk_create.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import PROTECT

from devdata.scale_codes import DEFAULT_SEED, scale_pin, scale_reports, scale_tracking_code
from devdata.scale_rows import Pools, build_batch
from devdata.scale_writer import Prepared, prepare_batch, reserve_report_ids, write_copy, write_orm
from reports.models import Evidence, Recommendation, Report, ReportEvent, Terlapor

DEFAULT_BATCH = 20_000


class ScaleDataMismatch(RuntimeError):
    """Existing generated rows do not continue with this seed; reset them first."""


@dataclass
class ScaleResult:
    created: int = 0
    deleted: int = 0
    total: int = 0
    rows_written: int = 0
    seconds: float = 0.0


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
    pools = Pools.load()
    pools.warm_elections()
    postgres = connection.vendor == "postgresql"
    index = existing

    def submit(start: int) -> Future:
        count = min(batch, target - start)
        ids = reserve_report_ids(count) if postgres else None
        return builder.submit(_build_and_prepare, pools, seed, start, count, ids)

    # One thread builds the next batch in Python while the database takes this one in.
    with ThreadPoolExecutor(max_workers=1) as builder:
        pending = submit(index)
        while pending is not None:
            prepared = pending.result()
            following = index + prepared.reports
            pending = submit(following) if following < target else None
            with transaction.atomic():
                (write_copy if postgres else write_orm)(prepared)
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


def _build_and_prepare(pools: Pools, seed: int, start: int, count: int, ids: list[int] | None) -> Prepared:
    """Build a batch and format it for writing. Runs in the builder thread: no queries."""
    return prepare_batch(build_batch(pools, seed, start, count), ids)
