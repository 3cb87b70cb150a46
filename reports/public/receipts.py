"""The PDF receipt of a submitted report (reportlab, no outside service).

It carries what the citizen needs to prove what they sent and to follow it:
the tracking code, the date, the evidence with its SHA-256, and the PIN only
when the caller passes one (see reports.public.intake: only right after submission).
It never carries the reporter's identity, so a forwarded or synced copy
reveals nobody.
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
from reports.enums import EvidenceKind
from reports.models import Report


def _p(text: str, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def render_receipt_pdf(report: Report, *, pin: str | None, status_url: str) -> bytes:
    """The receipt of ``report`` as PDF bytes; the PIN is printed only when given."""
    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10)
    mono = ParagraphStyle("mono", parent=body, fontName="Courier", fontSize=7.5, leading=9)
    big = ParagraphStyle("big", parent=body, fontName="Courier-Bold", fontSize=16, leading=20)

    received = timezone.localtime(report.received_at)
    rows = [
        [_p(_("Kode pelacakan"), body), _p(report.tracking_code, big)],
        [_p(_("Diterima"), body), _p(f"{format_date(received.date())}, {received:%H:%M} WIB", body)],
        [_p(_("Status"), body), _p(report.get_status_display(), body)],
        [_p(_("Jenis"), body), _p(report.get_kind_display(), body)],
        [
            _p(_("Pemilihan dan tahapan"), body),
            _p(
                f"{report.election.name} ({report.get_period_phase_display()})"
                if report.election
                else _("Tidak terkait pemilihan yang tercatat"),
                body,
            ),
        ],
        [_p(_("Tanggal kejadian"), body), _p(format_date(report.incident_date), body)],
    ]
    if pin:
        rows.append([_p(_("PIN"), body), _p(pin, big)])
    table = Table(rows, colWidths=[45 * mm, 125 * mm])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -2), 0.25, colors.lightgrey),
                ("BOX", (0, 0), (-1, -1), 0.5, colors.grey),
            ]
        )
    )

    story = [
        Paragraph(escape(_("Tanda terima laporan netralitas ASN")), styles["Title"]),
        table,
        Spacer(1, 4 * mm),
    ]
    if pin:
        story.append(
            _p(_("PIN ini rahasia dan tidak dapat dipulihkan. Simpan dokumen ini di tempat yang aman."), small)
        )
    else:
        story.append(_p(_("PIN tidak dicantumkan: PIN hanya ditampilkan sekali sesudah laporan terkirim."), small))
    if report.reported_late:
        story.append(
            _p(
                _(
                    "Laporan ini melewati batas 7 hari sejak kejadian diketahui. Laporan tetap diterima dan dicatat "
                    "terlambat."
                ),
                small,
            )
        )
    story.append(_p(_("Pantau laporan di %(url)s dengan kode pelacakan dan PIN.") % {"url": status_url}, small))

    evidence = list(report.evidence.all())
    files = [item for item in evidence if item.kind == EvidenceKind.FILE]
    links = [item for item in evidence if item.kind == EvidenceKind.LINK]
    story += [Spacer(1, 6 * mm), Paragraph(escape(_("Bukti")), styles["Heading2"])]
    for item in files:
        story.append(_p(f"{item.original_name} · {item.size} {_('bita')}", body))
        story.append(_p(f"SHA-256: {item.sha256}", mono))
    for item in links:
        story.append(_p(item.url, body))
    if not evidence:
        story.append(_p(_("Tidak ada bukti tercatat."), body))

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{_('Tanda terima laporan')} {report.tracking_code}",
        author="Netralitas ASN",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        # A page of text is a few KB either way; uncompressed, its text stays searchable by archiving tools.
        pageCompression=0,
    )
    doc.build(story)
    return buffer.getvalue()
