"""What a reporter can do after filing, holding the tracking code and PIN.

Read the public-safe timeline, add information and evidence when asked
(*perlu dilengkapi*), or withdraw the report. Status changes go through
reports.workflow.transition_report with actor=None (the reporter).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.enums import EventKind, EvidenceKind, EvidenceSource, ReportStatus
from reports.evidence import attach_drafts, store_evidence_file, store_evidence_link
from reports.evidence_checks import EvidenceRejected
from reports.models import Evidence, Report, ReportEvent
from reports.workflow import TransitionNotAllowed, transition_report

STATUS_EXPLANATIONS = {
    ReportStatus.RECEIVED: gettext_lazy(
        "Laporan Anda sudah kami terima dan menunggu diperiksa petugas. "
        "Berikutnya petugas memeriksa kelengkapan laporan dan buktinya."
    ),
    ReportStatus.VERIFYING: gettext_lazy(
        "Petugas sedang memeriksa kelengkapan laporan dan bukti Anda. "
        "Bila ada yang kurang, permintaan kelengkapan akan muncul di halaman ini."
    ),
    ReportStatus.NEEDS_COMPLETION: gettext_lazy(
        "Petugas memerlukan keterangan atau bukti tambahan dari Anda. "
        "Kirimkan kelengkapannya melalui formulir di halaman ini; setelah itu laporan diperiksa kembali."
    ),
    ReportStatus.REJECTED: gettext_lazy(
        "Laporan tidak dapat ditindaklanjuti karena tidak memenuhi syarat. "
        "Alasannya tercantum pada riwayat laporan di halaman ini."
    ),
    ReportStatus.WITHDRAWN: gettext_lazy("Laporan ini sudah Anda cabut, sehingga tidak diproses lebih lanjut."),
    ReportStatus.REGISTERED: gettext_lazy(
        "Laporan lolos verifikasi dan sudah diregistrasi. "
        "Berikutnya Bawaslu mengkaji apakah ada pelanggaran netralitas."
    ),
    ReportStatus.KAJIAN: gettext_lazy(
        "Bawaslu sedang mengkaji laporan ini. Bila ditemukan dugaan pelanggaran, "
        "hasil kajian diteruskan ke lembaga yang berwenang memberi rekomendasi."
    ),
    ReportStatus.FORWARDED: gettext_lazy(
        "Hasil kajian sudah diteruskan ke lembaga pemberi rekomendasi. Lembaga itu menilai pelanggarannya "
        "lalu merekomendasikan sanksi kepada pejabat pembina kepegawaian ASN yang dilaporkan. "
        "Perkembangan untuk setiap ASN tercantum di bawah."
    ),
    ReportStatus.CLOSED: gettext_lazy(
        "Penanganan laporan sudah selesai. Hasil untuk setiap ASN yang Anda laporkan tercantum di bawah."
    ),
}


@dataclass(frozen=True)
class TimelineEntry:
    """One event as the reporter may see it: no actor, no internal note."""

    kind: str
    kind_label: str
    created_at: dt.datetime
    public_message: str
    to_status: str
    to_status_label: str


def status_explanation(status: str) -> str:
    """What ``status`` means for the reporter and what happens next, in plain words."""
    return str(STATUS_EXPLANATIONS[ReportStatus(status)])


def public_timeline(report: Report) -> list[TimelineEntry]:
    """The public events of ``report``, oldest first; loads only the public-safe columns."""
    rows = (
        ReportEvent.objects.filter(report_id=report.pk, is_public=True)
        .order_by("created_at", "id")
        .values_list("kind", "created_at", "public_message", "to_status")
    )
    return [
        TimelineEntry(
            kind=kind,
            # "Status berubah" says nothing: name the status the report moved to.
            kind_label=str(ReportStatus(to_status).label)
            if kind == EventKind.STATUS_CHANGED and to_status
            else str(EventKind(kind).label),
            created_at=created_at,
            public_message=public_message,
            to_status=to_status,
            to_status_label=str(ReportStatus(to_status).label) if to_status else "",
        )
        for kind, created_at, public_message, to_status in rows
    ]


def open_information_request(report: Report, timeline: Sequence[TimelineEntry] | None = None) -> str:
    """The message of the latest public request for information while ``report`` awaits it, else ""."""
    if report.status != ReportStatus.NEEDS_COMPLETION:
        return ""
    if timeline is None:
        timeline = public_timeline(report)
    for entry in reversed(timeline):
        if entry.kind == EventKind.INFO_REQUESTED:
            return entry.public_message
    return ""


def draft_files(draft_token: str) -> list[Evidence]:
    """Files kept from earlier attempts of one completion form, not yet attached to the report."""
    if not draft_token:
        return []
    return list(
        Evidence.objects.filter(draft_token=draft_token, report__isnull=True, kind=EvidenceKind.FILE).only(
            "id", "original_name", "size", "sha256", "media_type"
        )
    )


def keep_draft_files(uploads: Iterable[UploadedFile], *, draft_token: str) -> list[str]:
    """Store each acceptable upload as a draft of ``draft_token``; return a message per refused file.

    Accepted files survive a failed attempt, so the reporter does not upload them again.
    At most NETRALITAS_EVIDENCE_MAX_FILES drafts are kept per token; the rest are refused.
    """
    uploads = list(uploads)
    if not uploads:
        return []
    limit = settings.NETRALITAS_EVIDENCE_MAX_FILES
    room = max(limit - Evidence.objects.filter(draft_token=draft_token, report__isnull=True).count(), 0)
    errors = []
    for upload in uploads[:room]:
        try:
            store_evidence_file(upload, draft_token=draft_token, source=EvidenceSource.COMPLETION)
        except EvidenceRejected as exc:
            errors.append(exc.message)
    for upload in uploads[room:]:
        errors.append(
            _("Berkas «%(name)s» ditolak: paling banyak %(max)d berkas sekali kirim.")
            % {"name": upload.name, "max": limit}
        )
    return errors


@transaction.atomic
def add_reporter_information(
    report: Report,
    *,
    text: str,
    files: Iterable[UploadedFile] = (),
    links: Iterable[str] = (),
    draft_token: str = "",
) -> ReportEvent:
    """Attach the reporter's information and evidence and move ``report`` from perlu dilengkapi to verifying.

    Stores ``files`` and ``links`` as completion evidence and attaches the drafts kept under
    ``draft_token``; the text goes in the event note, which staff read and the status page never shows.
    Raises TransitionNotAllowed when the report is not awaiting information, StaleReport when another
    request moved it first, reports.evidence_checks.EvidenceRejected when a file or link is refused
    (nothing is saved then), ValueError when there is nothing to add.
    """
    if report.status != ReportStatus.NEEDS_COMPLETION:
        raise TransitionNotAllowed(f"{report.status} → {ReportStatus.VERIFYING}")
    # The compare-and-set comes first: of two concurrent submissions one wins, the other stores nothing.
    event = transition_report(
        report, ReportStatus.VERIFYING, actor=None, kind=EventKind.REPORTER_ADDED, note=text.strip()
    )
    added = attach_drafts(draft_token, report)
    for upload in files:
        store_evidence_file(upload, report=report, source=EvidenceSource.COMPLETION)
        added += 1
    for url in links:
        store_evidence_link(url, report=report, source=EvidenceSource.COMPLETION)
        added += 1
    if not text.strip() and not added:
        raise ValueError("nothing to add")
    return event


@transaction.atomic
def withdraw_report(report: Report, *, reason: str) -> ReportEvent:
    """Withdraw ``report`` at the reporter's request; the reason goes in the event note for staff.

    Raises TransitionNotAllowed when the workflow no longer lets the reporter withdraw, StaleReport
    when another request moved the report first.
    """
    return transition_report(report, ReportStatus.WITHDRAWN, actor=None, kind=EventKind.WITHDRAWN, note=reason.strip())
