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

__all__ = ["copy_recipients", "recommendation_letter_pdf"]

SUBJECT = "Rekomendasi atas Pelanggaran Netralitas ASN"
# Label : value rows; the colon column is narrow, so it has no padding.
_FIELD_STYLE = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (1, 0), (1, -1), 0),
    ("RIGHTPADDING", (1, 0), (1, -1), 0),
]


def _p(text: str, style) -> Paragraph:
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

    story: list = [_p(authority.name.upper(), kop)]
    if authority.address:
        story.append(_p(authority.address, kop_small))
    story += [
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.5, color=colors.black),
        Spacer(1, 4 * mm),
    ]

    header = Table(
        [
            [_p(_("Nomor"), body), _p(":", body), _p(recommendation.letter_number, body)],
            [_p(_("Tanggal"), body), _p(":", body), _p(format_date(recommendation.letter_date), body)],
            [_p(_("Lampiran"), body), _p(":", body), _p("-", body)],
            [_p(_("Hal"), body), _p(":", body), _p(SUBJECT, bold)],
        ],
        colWidths=[25 * mm, 4 * mm, 141 * mm],
    )
    header.setStyle(TableStyle([*_FIELD_STYLE, ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    story += [header, Spacer(1, 5 * mm)]

    ppk = addressed.ppk_display or addressed.name
    story += [_p(_("Yth."), body), _p(ppk, bold), _p(_("selaku Pejabat Pembina Kepegawaian"), body)]
    story += [_p(addressed.name, body), _p(_("di tempat"), body), Spacer(1, 5 * mm)]

    story.append(
        _p(
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
        [[_p(label, body), _p(":", body), _p(value, body)] for label, value in identity_rows],
        colWidths=[45 * mm, 4 * mm, 121 * mm],
    )
    identity.setStyle(TableStyle([*_FIELD_STYLE, ("LEFTPADDING", (0, 0), (0, -1), 5 * mm)]))
    story += [Spacer(1, 2 * mm), identity, Spacer(1, 3 * mm)]

    violation = recommendation.violation_type
    story += [
        _p(_("Temuan/fakta:"), bold),
        _p(recommendation.finding, body),
        Spacer(1, 2 * mm),
        _p(_("Jenis pelanggaran:"), bold),
        _p(f"{violation.code} · {violation.title}", body),
        Spacer(1, 2 * mm),
        _p(_("Jalur dan tingkat sanksi:"), bold),
        _p(f"{recommendation.get_track_display()}, {recommendation.get_level_display()}", body),
        Spacer(1, 2 * mm),
        _p(_("Jenis sanksi yang direkomendasikan:"), bold),
        ListFlowable([ListItem(_p(kind.name, body), leftIndent=10 * mm) for kind in kinds], bulletType="1"),
        Spacer(1, 2 * mm),
        _p(_("Pertimbangan:"), bold),
        _p(recommendation.reasoning, body),
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
        _p(_("Dasar hukum:"), bold),
        *[_p(basis, small) for basis in _legal_bases(recommendation, kinds)],
        Spacer(1, 8 * mm),
    ]

    signer = recommendation.issued_by
    signature = Table(
        [
            [""],
            [_p(authority.name, body)],
            [Spacer(1, 14 * mm)],
            [_p(signer.get_full_name() or signer.get_username(), bold)],
        ],
        colWidths=[80 * mm],
        hAlign="RIGHT",
    )
    story += [signature, Spacer(1, 8 * mm), _p(_("Tembusan:"), bold)]
    story.append(
        ListFlowable(
            [ListItem(_p(copy, body), leftIndent=10 * mm) for copy in copy_recipients(recommendation)],
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
