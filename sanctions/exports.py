"""Files staff take away: the case list (CSV, XLSX), a case summary (PDF) and the dashboard on one page (PDF).

Every file holds exactly what its user may see on the page it comes from: the rows of the visibility
selectors with the filters in force, never a sealed field (reports.confidentiality). Text cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas.enums import PeriodPhase
from reports.enums import CaseStatus
from sanctions.enums import Compliance
from sanctions.measures import violation_code
from sanctions.models import Block

# Characters that make a spreadsheet read a cell as a formula (or a DDE call), including their
# full-width forms, which Excel folds to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value) -> str:
    """``value`` as text, prefixed with an apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip(" ")[:1] in FORMULA_STARTS else text


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")  # Indonesian Excel reads a decimal comma
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def csv_response(rows: Iterable[Sequence], filename: str) -> HttpResponse:
    """A CSV for Indonesian Excel: UTF-8 with a BOM, ``;`` between cells, text neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return response


def _xlsx_cell(value):
    if value is None or isinstance(value, (bool, int, float, date, datetime)):
        if isinstance(value, datetime):
            return timezone.localtime(value).replace(tzinfo=None)  # openpyxl refuses aware datetimes
        return value
    return neutralise(value)


def xlsx_response(rows: Iterable[Sequence], filename: str, *, title: str) -> HttpResponse:
    """An XLSX of ``rows`` (the first one bold, the header): numbers and dates keep their type, text is neutralised."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for index, row in enumerate(rows):
        cells = [_xlsx_cell(value) for value in row]
        if index == 0:
            cells = [_header_cell(sheet, value, Font) for value in cells]
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _header_cell(sheet, value, font_class):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font_class(bold=True)
    return cell


# --- the case list ---------------------------------------------------------------------------

EXPORT_LIMIT = 50_000


def case_list_rows(cases) -> list[list]:
    """The case list of ``cases`` (already narrowed by visibility and the filters) as rows, header first.

    One query. Only the case, the terlapor's work data and the follow-up: nothing of the report's
    reporter, witnesses or description.
    """
    header = [
        _("ID perkara"),
        _("Diterima"),
        _("Provinsi/kab/kota kejadian"),
        _("Pemilihan"),
        _("Tahapan"),
        _("Kode pelanggaran"),
        _("Nama terlapor"),
        _("NIP"),
        _("Jabatan"),
        _("Unit kerja"),
        _("Instansi"),
        _("Status perkara"),
        _("Tenggat"),
        _("Nomor rekomendasi"),
        _("Tanggal rekomendasi"),
        _("Nomor SK"),
        _("Tanggal SK"),
        _("Kepatuhan PPK"),
        _("Masih diblokir"),
    ]
    fields = (
        "pk",
        "report__received_at",
        "report__region__name",
        "report__election__name",
        "report__period_phase",
        "code",
        "name",
        "nip",
        "position",
        "work_unit",
        "instansi__name",
        "case_status",
        "due_date",
        "recommendation__letter_number",
        "recommendation__letter_date",
        "decision__sk_number",
        "decision__sk_date",
        "decision__compliance",
        "blocked_now",
    )
    rows = (
        cases.order_by("report__received_at", "pk")
        .annotate(
            code=violation_code(),
            blocked_now=Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True)),
        )
        .values_list(*fields)[:EXPORT_LIMIT]
    )
    statuses, phases, compliance = dict(CaseStatus.choices), dict(PeriodPhase.choices), dict(Compliance.choices)
    out = [header]
    for row in rows.iterator(chunk_size=2000):
        row = list(row)
        row[4] = str(phases.get(row[4], ""))
        row[11] = str(statuses.get(row[11], row[11]))
        row[17] = str(compliance.get(row[17], "")) if row[17] else ""
        out.append(row)
    return out
