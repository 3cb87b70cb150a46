"""The monev as files: a PDF under the Satgas's heading (reportlab) and an XLSX with one sheet per table.

Both render the tables of taskforce.monev.build_monev as they are, so a figure reads the
same in the PDF text, in the XLSX cells and on the page.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

# Sheet titles: at most 31 characters, none of []:*?/\ (Excel's rules).
SHEET_TITLES = {
    "status": "Status laporan",
    "violation_phase": "Pelanggaran dan tahapan",
    "recommendations": "Rekomendasi",
    "steps": "Ketepatan waktu",
    "blocks": "Pemblokiran",
    "members": "Beban kerja anggota",
}


# Column widths in mm per table (landscape A4 leaves 267 mm between the margins).
COLUMN_WIDTHS = {
    "status": [120, 30],
    "violation_phase": [22, 91, 22, 22, 22, 22, 22, 22, 22],
    "recommendations": [120, 30],
    "steps": [70, 40, 30, 30, 35, 40],
    "blocks": [120, 30],
    "members": [65, 35, 65, 40, 30, 30],
}


def display(value) -> str:
    """A cell as people read it: "-" for nothing, a decimal comma (66,7), integers as they are."""
    if value is None or value == "":
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",") if not value.is_integer() else f"{int(value)}"
    return str(value)


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def monev_pdf(figures: dict) -> bytes:
    """The monev as PDF bytes (A4 landscape), under the Satgas's heading; deterministic and uncompressed."""
    meta = figures["meta"]
    styles = getSampleStyleSheet()
    body = ParagraphStyle("monev", parent=styles["BodyText"], fontName="Helvetica", fontSize=9.5, leading=12)
    cell = ParagraphStyle("monev-cell", parent=body, fontSize=8.5, leading=10)
    numeric = ParagraphStyle("monev-number", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("monev-head", parent=cell, fontName="Helvetica-Bold")
    kop = ParagraphStyle("kop", parent=body, fontName="Helvetica-Bold", fontSize=13, leading=16, alignment=TA_CENTER)
    kop_small = ParagraphStyle("kop-small", parent=body, fontSize=9.5, leading=12, alignment=TA_CENTER)
    title = ParagraphStyle("title", parent=kop, fontSize=12, leading=15)
    section = ParagraphStyle(
        "section", parent=body, fontName="Helvetica-Bold", fontSize=10.5, leading=14, spaceAfter=4, keepWithNext=1
    )

    story: list = [
        _p(_("SATUAN TUGAS PEMBINAAN DAN PENGAWASAN NETRALITAS PEGAWAI ASN"), kop_small),
        _p(meta["satgas"].upper(), kop),
        _p(meta["organisation"], kop_small),
    ]
    if meta.get("address"):
        story.append(_p(meta["address"], kop_small))
    story += [
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.5, color=colors.black),
        Spacer(1, 4 * mm),
        _p(_("LAPORAN MONITORING DAN EVALUASI"), title),
        _p(_("Periode %(period)s") % {"period": meta["period"]}, kop_small),
        Spacer(1, 4 * mm),
        _p(
            _(
                "Dasar: Keputusan Bersama tentang Pedoman Pembinaan dan Pengawasan Netralitas Pegawai ASN (2022) "
                "dan SK pembentukan Satgas nomor %(decree)s. Cakupan: laporan di wilayah Satgas yang diterima dalam "
                "periode, beserta perkembangannya sampai %(as_of)s."
            )
            % {"decree": meta["decree"], "as_of": meta["as_of"]},
            body,
        ),
        Spacer(1, 3 * mm),
    ]
    for number, table in enumerate(figures["tables"], start=1):
        story += [Spacer(1, 4 * mm), _p(f"{number}. {table['title']}", section)]
        data = [[_p(column, head) for column in table["columns"]]]
        data += [
            [_p(display(value), numeric if isinstance(value, int | float) else cell) for value in row]
            for row in table["rows"]
        ]
        if len(data) == 1:
            data.append([_p(_("Tidak ada data."), cell)] + [""] * (len(table["columns"]) - 1))
        widths = COLUMN_WIDTHS.get(table["key"])
        grid = Table(data, repeatRows=1, hAlign="LEFT", colWidths=[w * mm for w in widths] if widths else None)
        grid.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        story.append(grid)

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        title=f"Monev {meta['satgas']} {meta['period_start']} {meta['period_end']}",
        author=meta["satgas"],
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        pageCompression=0,
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()


def _write(sheet, row: int, values: list, *, bold: bool = False) -> None:
    for column, value in enumerate(values, start=1):
        target = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str) and value.startswith("="):
            target.data_type = "s"  # text, never a formula (a name typed as "=…" stays a name)
        if bold:
            target.font = Font(bold=True)


def monev_xlsx(figures: dict) -> bytes:
    """The monev as XLSX bytes: a sheet "Keterangan" with the heading, then one sheet per table (numbers as numbers)."""
    meta = figures["meta"]
    book = Workbook()
    about = book.active
    about.title = "Keterangan"
    lines = [
        [_("Satgas"), meta["satgas"]],
        [_("Dibentuk oleh"), meta["organisation"]],
        [_("Nomor SK"), meta["decree"]],
        [_("Periode"), meta["period"]],
        [_("Keadaan per"), meta["as_of"]],
        [_("Laporan diterima"), meta["reports_received"]],
    ]
    for index, line in enumerate(lines, start=1):
        _write(about, index, line)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 60
    for table in figures["tables"]:
        sheet = book.create_sheet(SHEET_TITLES.get(table["key"], table["key"])[:31])
        _write(sheet, 1, [table["title"]], bold=True)
        _write(sheet, 2, table["columns"], bold=True)
        for index, row in enumerate(table["rows"], start=3):
            _write(sheet, index, row)
        for column in range(1, len(table["columns"]) + 1):
            sheet.column_dimensions[get_column_letter(column)].width = 28 if column <= 2 else 16
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
