"""Writing a batch of generated rows: COPY on PostgreSQL (one transaction per batch), bulk_create elsewhere.

The row tuples of a Batch follow the *_FIELDS orders below (the report's position in the
batch stands for its id until the ids are known).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from reports.models import Evidence, Report, ReportEvent, Terlapor

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


@dataclass
class Batch:
    reports: list[tuple] = field(default_factory=list)
    terlapor: list[tuple] = field(default_factory=list)
    events: list[tuple] = field(default_factory=list)
    evidence: list[tuple] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return len(self.reports) + len(self.terlapor) + len(self.events) + len(self.evidence)


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


def reserve_report_ids(count: int) -> list[int]:
    """PostgreSQL: take ``count`` report ids from the table's sequence (outside any transaction is fine)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [Report._meta.db_table, count],
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Prepared:
    """A batch ready to write: COPY payloads (PostgreSQL) or the raw rows (elsewhere)."""

    reports: int
    rows: int
    batch: Batch | None = None
    copies: list[tuple[str, io.StringIO]] = field(default_factory=list)


def prepare_batch(batch: Batch, ids: list[int] | None) -> Prepared:
    """A built batch ready to write; with report ids (PostgreSQL), formatted for COPY. No queries."""
    prepared = Prepared(reports=len(batch.reports), rows=batch.rows)
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
            raise RuntimeError(f"devdata.scale_writer cannot fill {model.__name__}.{f.name}: give it a value there")
        if f.unique and value is not None:
            raise RuntimeError(f"devdata.scale_writer cannot repeat a default in unique {model.__name__}.{f.name}")
        fields.append(f)
        values.append(value)
    return fields, tuple(values)


def write_copy(prepared: Prepared) -> None:
    """PostgreSQL: COPY each table (inside the caller's transaction)."""
    with connection.cursor() as cursor:
        # Generated data can be regenerated: no need to wait for the WAL flush at each commit.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        for sql, payload in prepared.copies:
            cursor.copy_expert(sql, payload)


def _attnames(model: type[Model], names: Sequence[str]) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def write_orm(prepared: Prepared) -> None:
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
