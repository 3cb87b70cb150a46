"""PDFs for staff (issue 15): the case summary for the PPK's file and the dashboard on one A4 page.

Both read only what their user may see (the caller passes a visible case or the figures of the
user's dashboard) and nothing sealed: no reporter, no witnesses, no report description.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from netralitas.calendar import format_date
from reports.models import Terlapor
from reports.selectors import case_timeline
from sanctions.measures import COLUMNS

_GRID = [
    ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
]


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("summary", parent=base["BodyText"], fontName="Helvetica", fontSize=9, leading=11)
    heading = ParagraphStyle("summary-h", parent=body, fontName="Helvetica-Bold", fontSize=12, leading=15)
    small = ParagraphStyle("summary-small", parent=body, fontSize=7.5, leading=9)
    return body, heading, small


def _p(text, style) -> Paragraph:
    return Paragraph(escape("" if text is None else str(text)), style)


def _date(value) -> str:
    return format_date(value) if value else "–"


def case_summary_pdf(terlapor: Terlapor) -> bytes:
    """One case for the PPK's file: the ASN, the report's when and where, recommendation, decision, blocks, events."""
    body, heading, small = _styles()
    report = terlapor.report
    recommendation = getattr(terlapor, "recommendation", None)
    decision = getattr(terlapor, "decision", None)
    rows = [
        (_("Nama terlapor"), terlapor.name),
        (_("NIP"), terlapor.nip or "–"),
        (_("Jabatan / unit kerja"), " / ".join(filter(None, [terlapor.position, terlapor.work_unit])) or "–"),
        (_("Instansi"), terlapor.instansi.name if terlapor.instansi_id else "–"),
        (_("Status perkara"), terlapor.get_case_status_display()),
        (_("Tenggat"), _date(terlapor.due_date)),
        (_("Laporan diterima"), _date(timezone.localdate(report.received_at))),
        (_("Tanggal kejadian"), _date(report.incident_date)),
        (_("Wilayah kejadian"), report.region.name if report.region_id else "–"),
        (
            _("Pemilihan / tahapan"),
            " / ".join(filter(None, [getattr(report.election, "name", ""), report.get_period_phase_display()])) or "–",
        ),
    ]
    if recommendation is not None:
        rows += [
            (_("Rekomendasi"), f"{recommendation.letter_number}, {_date(recommendation.letter_date)}"),
            (_("Pelanggaran"), f"{recommendation.violation_type.code} {recommendation.violation_type.title}"),
            (_("Jalur / tingkat"), f"{recommendation.get_track_display()} / {recommendation.get_level_display()}"),
            (_("Diterima PPK"), _date(recommendation.received_date)),
        ]
    if decision is not None:
        rows += [
            (_("SK"), f"{decision.sk_number}, {_date(decision.sk_date)}"),
            (_("Sanksi"), str(decision.sanction_kind)),
            (_("Kepatuhan PPK"), decision.get_compliance_display()),
        ]
    for block in terlapor.blocks.order_by("blocked_on", "pk"):
        lifted = _("dibuka %(date)s") % {"date": _date(block.lifted_on)} if block.lifted_on else _("masih berlaku")
        rows.append((_("Pemblokiran BKN"), f"{block.letter_number}, {_date(block.blocked_on)} ({lifted})"))
    facts = Table([[_p(label, body), _p(value, body)] for label, value in rows], colWidths=[45 * mm, 125 * mm])
    facts.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey)])
    )
    story = [
        _p(_("Ringkasan perkara netralitas ASN"), heading),
        _p(
            _("Untuk berkas PPK. Dibuat %(at)s WIB; tanpa data pelapor.")
            % {"at": timezone.localtime().strftime("%d-%m-%Y %H:%M")},
            small,
        ),
        Spacer(1, 4 * mm),
        facts,
        Spacer(1, 5 * mm),
        _p(_("Riwayat perkara"), heading),
    ]
    events = [[_p(_("Waktu"), body), _p(_("Perubahan"), body), _p(_("Oleh"), body)]]
    for entry in case_timeline(terlapor):
        change = f"{entry.from_label} → {entry.to_label}" if entry.from_label else entry.to_label
        events.append(
            [
                _p(timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M"), small),
                _p(change, small),
                _p(entry.actor, small),
            ]
        )
    if len(events) == 1:
        story.append(_p(_("Belum ada kejadian."), body))
    else:
        table = Table(events, colWidths=[30 * mm, 100 * mm, 40 * mm], repeatRows=1)
        table.setStyle(TableStyle(_GRID))
        story.append(table)
    buffer = BytesIO()
    margins = {"leftMargin": 20 * mm, "rightMargin": 20 * mm, "topMargin": 18 * mm, "bottomMargin": 18 * mm}
    SimpleDocTemplate(buffer, pagesize=A4, title=_("Ringkasan perkara"), author="Netralitas ASN", **margins).build(
        story
    )
    return buffer.getvalue()


def dashboard_pdf(context: dict) -> bytes:
    """The dashboard of ``context`` (sanctions.dashboard_views.dashboard_context) on one A4 page."""
    body, heading, small = _styles()
    totals = context["totals"]
    title = {
        "instansi": _("Dasbor sanksi instansi"),
        "regional": _("Dasbor tindak lanjut wilayah"),
        "national": _("Dasbor tindak lanjut nasional"),
    }[context["view"]]
    at = timezone.localtime(context["now"]).strftime("%d-%m-%Y %H:%M")
    form = context["form"]
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = ", ".join(
        f"{form.fields[name].label}: {value}" for name, value in chosen.items() if value not in (None, "")
    ) or _("tanpa saringan")

    def pct(value):
        return "–" if value is None else f"{value}%"

    def number(value):
        return "–" if value is None else f"{value:g}"

    figures = [(str(label), totals[key]) for key, label in COLUMNS] + [
        (_("Rekomendasi ditindaklanjuti PPK"), pct(totals["rate"])),  # the dashboard's labels of its rates
        (_("Ditindaklanjuti tepat waktu"), pct(totals["on_time_rate"])),
        (_("Median hari kerja laporan → rekomendasi"), number(totals.get("median_rec_days"))),
        (_("Median hari kerja rekomendasi → sanksi"), number(totals.get("median_sanction_days"))),
    ]
    half = (len(figures) + 1) // 2
    grid = []
    for index in range(half):
        left = figures[index]
        right = figures[index + half] if index + half < len(figures) else ("", "")
        grid.append([_p(left[0], small), _p(left[1], body), _p(right[0], small), _p(right[1], body)])
    summary = Table(grid, colWidths=[55 * mm, 30 * mm, 55 * mm, 30 * mm])
    summary.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, colors.grey)]))

    def ranked(rows, label, name_of, limit=8):
        data = [[_p(label, small), _p(_("ASN"), small), _p(_("Disanksi"), small)]]
        data += [
            [_p(name_of(row), small), _p(row["cases"], small), _p(row["sanctioned"], small)] for row in rows[:limit]
        ]
        table = Table(data, colWidths=[55 * mm, 14 * mm, 16 * mm])
        table.setStyle(TableStyle(_GRID))
        return table

    violations = ranked(context["by_violation"], _("Kode"), lambda r: r["code"] or _("Belum diketahui"))
    regions = ranked(context["by_region"], _("Provinsi"), lambda r: r["label"])
    phases = ranked(context["by_phase"], _("Tahapan"), lambda r: r["phase_label"])
    jabatan = ranked(context["by_jabatan"], _("Kelas jabatan"), lambda r: r["label"])
    pair_1 = Table([[violations, regions]], colWidths=[85 * mm, 85 * mm])
    pair_2 = Table([[phases, jabatan]], colWidths=[85 * mm, 85 * mm])
    for pair in (pair_1, pair_2):
        pair.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    overdue = [[_p(_("Surat rekomendasi"), small), _p(_("Instansi"), small), _p(_("Terlambat (hari kerja)"), small)]]
    overdue += [
        [_p(r["recommendation__letter_number"], small), _p(r["instansi__name"], small), _p(r["days_late"], small)]
        for r in context["overdue_list"][:8]
    ]
    if context["overdue_list"]:
        overdue_table = Table(overdue, colWidths=[60 * mm, 80 * mm, 30 * mm])
        overdue_table.setStyle(TableStyle(_GRID))
    else:  # as the page says it, not a table of headers alone
        overdue_table = _p(_("Tidak ada rekomendasi yang melewati tenggat."), small)
    story = [
        _p(title, heading),
        _p(_("Data per %(at)s WIB; %(filters)s. Tanpa data pelapor.") % {"at": at, "filters": filters}, small),
        Spacer(1, 3 * mm),
        summary,
        Spacer(1, 3 * mm),
        pair_1,
        Spacer(1, 3 * mm),
        pair_2,
        Spacer(1, 3 * mm),
        _p(_("Rekomendasi melewati tenggat (terlama 8)"), body),
        overdue_table,
    ]
    buffer = BytesIO()
    margins = {"leftMargin": 20 * mm, "rightMargin": 20 * mm, "topMargin": 15 * mm, "bottomMargin": 15 * mm}
    SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Netralitas ASN", **margins).build(story)
    return buffer.getvalue()
