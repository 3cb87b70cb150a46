"""The draft decision letter (SK hukuman disiplin / keputusan sanksi moral) as PDF, for the PPK's office to sign.

Filled from the case: the instansi, its PPK, the recommendation (number, date,
authority, violation) and the terlapor; the sanction and its period come from
the recorded decision, else stay "…" for the PPK to fill. Like the
recommendation letter it reads nothing of the report, so the reporter never
appears (domain.md §8).
"""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, SimpleDocTemplate, Spacer, Table, TableStyle

from netralitas.calendar import format_date
from netralitas.enums import Level, OrganisationKind, Track
from reports.letters import FIELD_STYLE, paragraph
from reports.models import Terlapor

__all__ = ["decision_letter_pdf"]

BLANK = "…"
UU_ASN = _("Undang-Undang Nomor 20 Tahun 2023 tentang Aparatur Sipil Negara")
PP_94 = _("Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin Pegawai Negeri Sipil")
PP_42 = _("Peraturan Pemerintah Nomor 42 Tahun 2004 tentang Pembinaan Jiwa Korps dan Kode Etik Pegawai Negeri Sipil")
SKB_2022 = _(
    "Keputusan Bersama Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi, Menteri Dalam Negeri, "
    "Kepala Badan Kepegawaian Negara, Ketua Komisi Aparatur Sipil Negara, dan Ketua Badan Pengawas Pemilihan "
    "Umum Nomor 2 Tahun 2022, Nomor 800-5474 Tahun 2022, Nomor 246 Tahun 2022, Nomor 30 Tahun 2022, Nomor "
    "1447.1/PM.01/K.1/09/2022 tentang Pedoman Pembinaan dan Pengawasan Netralitas Pegawai Aparatur Sipil Negara "
    "dalam Penyelenggaraan Pemilihan Umum dan Pemilihan"
)


def _subject(track: str, level: str) -> str:
    """What the decision is about, as in the letter's title: "PENJATUHAN HUKUMAN DISIPLIN BERAT"."""
    if track == Track.ETIK:
        return _("penjatuhan sanksi moral")
    if track == Track.UU_ASN:
        return _("pemberhentian tidak dengan hormat")
    levels = {Level.RINGAN: _("ringan"), Level.SEDANG: _("sedang"), Level.BERAT: _("berat")}
    return _("penjatuhan hukuman disiplin %(level)s") % {"level": levels.get(level, "")}


def _legal_bases(track: str) -> list[str]:
    if track == Track.ETIK:
        return [UU_ASN, PP_42, SKB_2022]
    return [UU_ASN, PP_94, SKB_2022]


def _place(organisation) -> str:
    """Where the PPK signs: the region's name without "Kabupaten"/"Kota"/"Provinsi"."""
    if organisation.region_id is None:
        return BLANK
    place = organisation.region.name
    for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
        place = place.removeprefix(prefix)
    return place


def decision_letter_pdf(terlapor: Terlapor) -> bytes:
    """A draft of the PPK's decision on ``terlapor``'s recommendation, as PDF bytes.

    Raises Recommendation.DoesNotExist for a case without a recommendation. Deterministic
    (reportlab invariant mode) and uncompressed, so its text can be searched.
    """
    recommendation = terlapor.recommendation
    decision = getattr(terlapor, "decision", None)  # the reverse one-to-one's DoesNotExist is an AttributeError
    instansi = terlapor.instansi
    authority = recommendation.authority.organisation
    ppk = instansi.ppk_display or _("Pejabat Pembina Kepegawaian %(instansi)s") % {"instansi": instansi.name}
    track, level = recommendation.track, recommendation.level
    subject = _subject(track, level)
    violation = recommendation.violation_type

    styles = getSampleStyleSheet()
    body = ParagraphStyle(
        "sk", parent=styles["BodyText"], fontName="Helvetica", fontSize=10.5, leading=14, alignment=TA_JUSTIFY
    )
    bold = ParagraphStyle("sk-bold", parent=body, fontName="Helvetica-Bold")
    center = ParagraphStyle("sk-center", parent=bold, alignment=TA_CENTER)
    kop = ParagraphStyle("sk-kop", parent=center, fontSize=14, leading=18)
    kop_small = ParagraphStyle("sk-kop-small", parent=body, fontSize=9, leading=11, alignment=TA_CENTER)
    note = ParagraphStyle("sk-note", parent=body, fontName="Helvetica-Oblique", fontSize=8.5, leading=10)

    story: list = [
        paragraph(
            _("DRAF dari portal Netralitas ASN. Lengkapi bagian bertanda “%(blank)s” sebelum ditandatangani.")
            % {"blank": BLANK},
            note,
        ),
        Spacer(1, 3 * mm),
        paragraph(instansi.name.upper(), kop),
    ]
    if instansi.address:
        story.append(paragraph(instansi.address, kop_small))
    story += [
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.5, color=colors.black),
        Spacer(1, 5 * mm),
        paragraph(_("KEPUTUSAN %(ppk)s") % {"ppk": ppk.upper()}, center),
        paragraph(_("NOMOR %(number)s") % {"number": decision.sk_number if decision else BLANK}, center),
        Spacer(1, 2 * mm),
        paragraph(_("TENTANG"), center),
        paragraph(subject.upper(), center),
        paragraph(_("ATAS NAMA %(name)s") % {"name": terlapor.name.upper()}, center),
        Spacer(1, 4 * mm),
        paragraph(ppk.upper() + ",", center),
        Spacer(1, 4 * mm),
    ]

    def clauses(label: str, items: list[str], numbering: str) -> Table:
        marks = [chr(ord("a") + i) + "." if numbering == "alpha" else f"{i + 1}." for i in range(len(items))]
        rows = [
            [
                paragraph(label if i == 0 else "", bold),
                paragraph(":" if i == 0 else "", body),
                paragraph(mark, body),
                paragraph(text, body),
            ]
            for i, (mark, text) in enumerate(zip(marks, items, strict=True))
        ]
        table = Table(rows, colWidths=[30 * mm, 4 * mm, 7 * mm, 129 * mm])
        table.setStyle(TableStyle([*FIELD_STYLE, ("LEFTPADDING", (0, 0), (0, -1), 0)]))
        return table

    considering = [
        _(
            "bahwa berdasarkan surat rekomendasi %(authority)s Nomor %(number)s tanggal %(date)s, Saudara "
            "%(name)s NIP %(nip)s terbukti melakukan pelanggaran netralitas Aparatur Sipil Negara berupa "
            "%(code)s · %(title)s;"
        )
        % {
            "authority": authority.name,
            "number": recommendation.letter_number,
            "date": format_date(recommendation.letter_date),
            "name": terlapor.name,
            "nip": terlapor.nip or "-",
            "code": violation.code,
            "title": violation.title,
        },
        _(
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a, perlu menetapkan Keputusan "
            "%(ppk)s tentang %(subject)s;"
        )
        % {"ppk": ppk, "subject": subject.title()},
    ]
    story += [clauses(_("Menimbang"), considering, "alpha"), Spacer(1, 3 * mm)]
    story += [clauses(_("Mengingat"), [f"{basis};" for basis in _legal_bases(track)], "number"), Spacer(1, 3 * mm)]
    if decision is not None and decision.examination_date:
        examined = [
            _("Berita acara pemeriksaan oleh %(examiner)s tanggal %(date)s.")
            % {"examiner": decision.get_examiner_display().lower(), "date": format_date(decision.examination_date)}
        ]
        story += [clauses(_("Memperhatikan"), examined, "number"), Spacer(1, 3 * mm)]

    story += [paragraph(_("MEMUTUSKAN:"), center), Spacer(1, 3 * mm)]

    sanction = decision.sanction_kind.name if decision else BLANK
    identity_rows = [
        (_("Nama"), terlapor.name),
        (_("NIP"), terlapor.nip or "-"),
        (_("Pangkat/jabatan"), terlapor.position or BLANK),
        (_("Unit kerja"), terlapor.work_unit or BLANK),
        (_("Instansi"), instansi.name),
    ]
    identity = Table(
        [[paragraph(label, body), paragraph(":", body), paragraph(value, body)] for label, value in identity_rows],
        colWidths=[40 * mm, 4 * mm, 96 * mm],
    )
    identity.setStyle(TableStyle(FIELD_STYLE))
    if decision is not None and decision.effective_from:
        period = _("berlaku sejak %(start)s") % {"start": format_date(decision.effective_from)}
        if decision.effective_until:
            period += _(" sampai dengan %(end)s") % {"end": format_date(decision.effective_until)}
    elif decision is not None:
        period = _("berlaku sejak tanggal ditetapkan")
    else:
        period = _("berlaku sejak %(blank)s sampai dengan %(blank)s") % {"blank": BLANK}
    punishment = _("sanksi moral") if track == Track.ETIK else _("hukuman disiplin")
    decided = [
        (
            _("Menetapkan"),
            [
                paragraph(
                    _("KEPUTUSAN %(ppk)s TENTANG %(subject)s.") % {"ppk": ppk.upper(), "subject": subject.upper()}, body
                )
            ],
        ),
        (
            _("KESATU"),
            [
                paragraph(_("Menjatuhkan %(punishment)s berupa:") % {"punishment": punishment}, body),
                paragraph(sanction, bold),
                paragraph(_("kepada:"), body),
                identity,
            ],
        ),
        (
            _("KEDUA"),
            [
                paragraph(
                    _(
                        "%(punishment)s sebagaimana dimaksud dalam Diktum KESATU dijatuhkan karena yang bersangkutan "
                        "melakukan pelanggaran netralitas Aparatur Sipil Negara berupa %(code)s · %(title)s, "
                        "sesuai rekomendasi %(authority)s, jalur %(track)s, %(level)s."
                    )
                    % {
                        "punishment": punishment.capitalize(),
                        "code": violation.code,
                        "title": violation.title,
                        "authority": authority.name,
                        "track": recommendation.get_track_display(),
                        "level": recommendation.get_level_display().lower(),
                    },
                    body,
                )
            ],
        ),
        (
            _("KETIGA"),
            [
                paragraph(
                    _("%(punishment)s sebagaimana dimaksud dalam Diktum KESATU %(period)s.")
                    % {"punishment": punishment.capitalize(), "period": period},
                    body,
                )
            ],
        ),
        (_("KEEMPAT"), [paragraph(_("Keputusan ini mulai berlaku pada tanggal ditetapkan."), body)]),
    ]
    dictum = Table(
        [[paragraph(label, bold), paragraph(":", body), content] for label, content in decided],
        colWidths=[30 * mm, 4 * mm, 136 * mm],
    )
    dictum.setStyle(TableStyle([*FIELD_STYLE, ("LEFTPADDING", (0, 0), (0, -1), 0)]))
    story += [dictum, Spacer(1, 8 * mm)]

    signed_on = format_date(decision.sk_date) if decision else BLANK
    signature = Table(
        [
            [paragraph(_("Ditetapkan di %(place)s") % {"place": _place(instansi)}, body)],
            [paragraph(_("pada tanggal %(date)s") % {"date": signed_on}, body)],
            [Spacer(1, 2 * mm)],
            [paragraph(ppk.upper() + ",", bold)],
            [Spacer(1, 18 * mm)],
            [paragraph(instansi.ppk_name.upper() if instansi.ppk_name else BLANK, bold)],
        ],
        colWidths=[80 * mm],
        hAlign="RIGHT",
    )
    copies = [_("Kepala Badan Kepegawaian Negara")]
    if authority.kind != OrganisationKind.BKN:
        copies.append(_("Pimpinan %(authority)s") % {"authority": authority.name})
    copies.append(_("Yang bersangkutan"))
    story += [signature, Spacer(1, 6 * mm), paragraph(_("Tembusan:"), bold)]
    story += [paragraph(f"{i}. {copy}", body) for i, copy in enumerate(copies, start=1)]

    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=_("Draf keputusan %(ppk)s: %(subject)s") % {"ppk": ppk, "subject": subject},
        author=instansi.name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        # Uncompressed and invariant: searchable text, and the same bytes for the same case.
        pageCompression=0,
        invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()
