"""The recommendation letter (surat rekomendasi) as PDF, built with reportlab.

The letter goes to the PPK, the terlapor's chain of command, so it carries
the case and never the reporter (domain.md §8): the builder reads the
recommendation, the terlapor and the report's region and intake organisation,
and nothing else of the report.
"""

from __future__ import annotations

from io import BytesIO
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    HRFlowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from netralitas.calendar import format_date
from netralitas.enums import DayType, OrganisationKind
from netralitas.models import Organisation, SanctionKind
from reports.models import Recommendation
from reports.recommendations import ppk_due

__all__ = ["FIELD_STYLE", "copy_recipients", "paragraph", "recommendation_letter_pdf"]

SUBJECT = "Rekomendasi atas Pelanggaran Netralitas ASN"
# Label : value rows; the colon column is narrow, so it has no padding.
FIELD_STYLE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (1, 0), (1, -1), 0),
    ("RIGHTPADDING", (1, 0), (1, -1), 0),
]


def paragraph(text: str, style) -> Paragraph:
    """``text`` as a reportlab paragraph: escaped, its line breaks kept (the letters of sanctions use it too)."""
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _intake_bawaslu(recommendation: Recommendation) -> Organisation | None:
    """The Bawaslu that received the report, else the Bawaslu of the incident's region (the kajian's)."""
    report = recommendation.terlapor.report
    intake = report.intake_organisation
    if intake is not None and intake.is_bawaslu:
        return None if intake.kind == OrganisationKind.BAWASLU_RI else intake
    kind = OrganisationKind.BAWASLU_PROVINSI if report.region.parent_id is None else OrganisationKind.BAWASLU_KABKOTA
    return Organisation.objects.filter(kind=kind, region_id=report.region_id, is_active=True).first()


def _legal_bases(recommendation: Recommendation, kinds: list[SanctionKind]) -> list[str]:
    """The violation's basis, then each recommended sanction's, without repeats."""
    bases: list[str] = []
    for basis in [recommendation.violation_type.legal_basis, *(kind.legal_basis for kind in kinds)]:
        if basis and basis not in bases:
            bases.append(basis)
    return bases


def copy_recipients(recommendation: Recommendation) -> list[str]:
    """Tembusan: the head of BKN, Bawaslu RI, and the Bawaslu that handled the report."""
    copies = [_("Kepala Badan Kepegawaian Negara"), _("Ketua Badan Pengawas Pemilihan Umum Republik Indonesia")]
    bawaslu = _intake_bawaslu(recommendation)
    if bawaslu is not None:
        copies.append(_("Ketua %(bawaslu)s") % {"bawaslu": bawaslu.name})
    return copies


def recommendation_letter_pdf(recommendation: Recommendation) -> bytes:
    """The letter of ``recommendation`` to the PPK of the terlapor's instansi, as PDF bytes.

    Deterministic (reportlab invariant mode) and uncompressed, so the same recommendation gives
    the same bytes and archiving tools can search its text.
    """
    terlapor = recommendation.terlapor
    authority = recommendation.authority.organisation
    addressed = recommendation.addressed_to
    due = ppk_due(recommendation.letter_date)
    unit = _("hari kerja") if due.day_type == DayType.WORKING else _("hari kalender")
    kinds = list(recommendation.sanction_kinds.order_by("sort_order", "code"))

    styles = getSampleStyleSheet()
    body = ParagraphStyle("letter", parent=styles["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14)
    bold = ParagraphStyle("letter-bold", parent=body, fontName="Helvetica-Bold")
    kop = ParagraphStyle("kop", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=18, alignment=TA_CENTER)
    kop_small = ParagraphStyle("kop-small", parent=body, fontSize=9, leading=11, alignment=TA_CENTER)
    small = ParagraphStyle("small", parent=body, fontSize=9, leading=11)

    story: list = [paragraph(authority.name.upper(), kop)]
    if authority.address:
        story.append(paragraph(authority.address, kop_small))
    story += [
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.5, color=colors.black),
        Spacer(1, 4 * mm),
    ]

    header = Table(
        [
            [paragraph(_("Nomor"), body), paragraph(":", body), paragraph(recommendation.letter_number, body)],
            [
                paragraph(_("Tanggal"), body),
                paragraph(":", body),
                paragraph(format_date(recommendation.letter_date), body),
            ],
            [paragraph(_("Lampiran"), body), paragraph(":", body), paragraph("-", body)],
            [paragraph(_("Hal"), body), paragraph(":", body), paragraph(SUBJECT, bold)],
        ],
        colWidths=[25 * mm, 4 * mm, 141 * mm],
    )
    header.setStyle(TableStyle([*FIELD_STYLE, ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    story += [header, Spacer(1, 5 * mm)]

    ppk = addressed.ppk_display or addressed.name
    story += [
        paragraph(_("Yth."), body),
        paragraph(ppk, bold),
        paragraph(_("selaku Pejabat Pembina Kepegawaian"), body),
    ]
    story += [paragraph(addressed.name, body), paragraph(_("di tempat"), body), Spacer(1, 5 * mm)]

    story.append(
        paragraph(
            _(
                "Berdasarkan hasil klarifikasi atas dugaan pelanggaran netralitas Aparatur Sipil Negara (ASN), "
                "dengan ini %(authority)s menyampaikan rekomendasi atas pegawai berikut:"
            )
            % {"authority": authority.name},
            body,
        )
    )
    identity_rows = [
        (_("Nama"), terlapor.name),
        (_("NIP"), terlapor.nip or "-"),
        (_("Status kepegawaian"), terlapor.get_employee_status_display()),
        (_("Jabatan"), terlapor.position or "-"),
        (_("Unit kerja"), terlapor.work_unit or "-"),
        (_("Instansi"), terlapor.instansi.name),
    ]
    identity = Table(
        [[paragraph(label, body), paragraph(":", body), paragraph(value, body)] for label, value in identity_rows],
        colWidths=[45 * mm, 4 * mm, 121 * mm],
    )
    identity.setStyle(TableStyle([*FIELD_STYLE, ("LEFTPADDING", (0, 0), (0, -1), 5 * mm)]))
    story += [Spacer(1, 2 * mm), identity, Spacer(1, 3 * mm)]

    violation = recommendation.violation_type
    story += [
        paragraph(_("Temuan/fakta:"), bold),
        paragraph(recommendation.finding, body),
        Spacer(1, 2 * mm),
        paragraph(_("Jenis pelanggaran:"), bold),
        paragraph(f"{violation.code} · {violation.title}", body),
        Spacer(1, 2 * mm),
        paragraph(_("Jalur dan tingkat sanksi:"), bold),
        paragraph(f"{recommendation.get_track_display()}, {recommendation.get_level_display()}", body),
        Spacer(1, 2 * mm),
        paragraph(_("Jenis sanksi yang direkomendasikan:"), bold),
        ListFlowable([ListItem(paragraph(kind.name, body), leftIndent=10 * mm) for kind in kinds], bulletType="1"),
        Spacer(1, 2 * mm),
        paragraph(_("Pertimbangan:"), bold),
        paragraph(recommendation.reasoning, body),
        Spacer(1, 4 * mm),
        Paragraph(
            escape(
                _(
                    "Sehubungan dengan hal tersebut, kami meminta %(ppk)s menindaklanjuti rekomendasi ini dengan "
                    "menjatuhkan sanksi sesuai jalur dan tingkat di atas"
                )
                % {"ppk": ppk}
            )
            + " <b>"
            + escape(
                _("paling lambat %(due)s (%(days)d %(unit)s)")
                % {"due": format_date(due.due), "days": due.days, "unit": unit}
            )
            + "</b> "
            + escape(
                _(
                    "sejak tanggal surat ini, dan mencatat keputusannya (SK hukuman) di portal Netralitas ASN. "
                    "Rekomendasi yang tidak ditindaklanjuti dapat berujung pada pemblokiran data kepegawaian oleh "
                    "Badan Kepegawaian Negara."
                )
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        paragraph(_("Dasar hukum:"), bold),
        *[paragraph(basis, small) for basis in _legal_bases(recommendation, kinds)],
        Spacer(1, 8 * mm),
    ]

    signer = recommendation.issued_by
    signature = Table(
        [
            [""],
            [paragraph(authority.name, body)],
            [Spacer(1, 14 * mm)],
            [paragraph(signer.get_full_name() or signer.get_username(), bold)],
        ],
        colWidths=[80 * mm],
        hAlign="RIGHT",
    )
    story += [signature, Spacer(1, 8 * mm), paragraph(_("Tembusan:"), bold)]
    story.append(
        ListFlowable(
            [ListItem(paragraph(copy, body), leftIndent=10 * mm) for copy in copy_recipients(recommendation)],
            bulletType="1",
        )
    )

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"{SUBJECT} {recommendation.letter_number}",
        author=authority.name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        # Uncompressed and invariant: searchable text, and the same bytes for the same letter.
        pageCompression=0,
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
