"""Evidence: files checked by content (reports.evidence_checks), hashed, kept outside the web root; links by shape.

Files are written in the caller's transaction. A rollback cannot delete them, so
sweep_orphan_evidence (run daily) removes drafts nobody attached and files no row names.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import os
import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.enums import EvidenceKind, EvidenceSource
from reports.evidence_checks import SNIFF_BYTES, EvidenceRejected, check_content, identify_media_type
from reports.models import Evidence, Report

logger = logging.getLogger(__name__)

LINK_MAX_LENGTH = 1000


def clean_file_name(name: str) -> str:
    """The uploader's file name, fit to show: base name only, no control or direction characters, ≤ 255."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    # Cf includes U+202E (right-to-left override), which makes "gpj.exe" display as "exe.jpg".
    name = "".join(ch for ch in name if unicodedata.category(ch) not in {"Cc", "Cf", "Zl", "Zp"})
    return name.strip()[:255]


def checked_pdf_document(upload) -> str:
    """Check a staff document (hasil kajian, minutes) like evidence, by its content; return its SHA-256.

    A PDF, not empty, within the evidence size limit, that passes reports.pdfcheck (no scripts,
    launch or submit actions, embedded files). Raises ValidationError with the reason in Indonesian.
    """
    from django.core.exceptions import ValidationError
    from django.template.defaultfilters import filesizeformat

    from reports.pdfcheck import check_pdf_upload

    shown = _shown_name(clean_file_name(getattr(upload, "name", "") or ""))
    size = upload.size or 0
    limit = settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES
    if not size:
        raise ValidationError(_("Berkas «%(name)s» ditolak: berkasnya kosong (0 bita).") % {"name": shown})
    if size > limit:
        raise ValidationError(
            _("Berkas «%(name)s» ditolak: ukurannya %(size)s, melebihi batas %(limit)s per berkas.")
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    try:
        check_pdf_upload(upload, shown)
    except EvidenceRejected as rejected:
        raise ValidationError(rejected.message) from None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


# --- storing -------------------------------------------------------------------------------------------------


def store_evidence_file(
    upload: UploadedFile,
    *,
    report: Report | None = None,
    draft_token: str = "",
    source: str = EvidenceSource.INTAKE,
) -> Evidence:
    """Check ``upload`` by its content, store it under a server-made name, and return the saved Evidence.

    Side effects: writes the original (and, for images and PDFs, a copy without metadata: reports.cleaning)
    under MEDIA_ROOT and saves the row in the caller's transaction; files of a rolled-back transaction
    are removed later by sweep_orphan_evidence. Raises EvidenceRejected with a message for the citizen.
    """
    evidence = new_evidence_file(upload, report=report, draft_token=draft_token, source=source)
    try:
        evidence.save()
    except BaseException:
        delete_evidence_files([evidence.file.name, evidence.shared_copy.name])
        raise
    return evidence


def new_evidence_file(
    upload: UploadedFile,
    *,
    report: Report | None = None,
    draft_token: str = "",
    source: str = EvidenceSource.INTAKE,
) -> Evidence:
    """Check ``upload`` by its content and store its files as store_evidence_file does; the row is left unsaved.

    For a caller that INSERTs the row with others (reports.services.submit_report, issue 11), and so
    also deletes the files (delete_evidence_files) when it cannot. Raises EvidenceRejected.
    """
    _require_owner(report, draft_token)
    name = clean_file_name(upload.name or "")
    shown = _shown_name(name)
    size = _size_of(upload)
    limit = settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES
    if size == 0:
        raise EvidenceRejected(
            _("Berkas «%(name)s» ditolak: berkasnya kosong (0 bita).") % {"name": shown}, code="empty"
        )
    if size > limit:
        raise EvidenceRejected(
            _("Berkas «%(name)s» ditolak: ukurannya %(size)s, melebihi batas %(limit)s per berkas.")
            % {"name": shown, "size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    upload.seek(0)
    media_type = identify_media_type(upload.read(SNIFF_BYTES), shown)
    shared = check_content(upload, media_type, size, shown)
    if shared is None:
        from reports.cleaning import clean_copy  # PDFs: rewritten without metadata, files and actions

        shared = clean_copy(upload, media_type)

    evidence = Evidence(
        report=report,
        draft_token="" if report is not None else draft_token,
        kind=EvidenceKind.FILE,
        source=source,
        original_name=name,
        media_type=media_type,
        size=size,
    )
    original = _HashingFile(upload)
    try:
        # The name given here is ignored: Evidence.file's upload_to makes a random one.
        evidence.file.save("evidence", original, save=False)
        if original.bytes_seen != size:
            raise RuntimeError(f"stored {original.bytes_seen} bytes of an upload of {size}")
        evidence.sha256 = original.sha256.hexdigest()
        if shared is not None:
            evidence.shared_copy.save("evidence", ContentFile(shared), save=False)
    except BaseException:
        delete_evidence_files([evidence.file.name, evidence.shared_copy.name])
        raise
    return evidence


def store_evidence_link(
    url: str,
    *,
    report: Report | None = None,
    draft_token: str = "",
    source: str = EvidenceSource.INTAKE,
) -> Evidence:
    """Save a public http(s) link as evidence and return it.

    Refused (EvidenceRejected): other schemes (javascript:, data:, file:…), user names or passwords in the
    address, hosts in a private, loopback or link-local network, single-label hosts, over 1000 characters.
    """
    evidence = new_evidence_link(url, report=report, draft_token=draft_token, source=source)
    evidence.save()
    return evidence


def new_evidence_link(
    url: str,
    *,
    report: Report | None = None,
    draft_token: str = "",
    source: str = EvidenceSource.INTAKE,
) -> Evidence:
    """The link as an unsaved Evidence, checked (check_link) unless check_link already returned it; EvidenceRejected."""
    _require_owner(report, draft_token)
    if not isinstance(url, CheckedLink):
        url = check_link(url)
    return Evidence(
        report=report,
        draft_token="" if report is not None else draft_token,
        kind=EvidenceKind.LINK,
        source=source,
        url=str(url),
    )


class CheckedLink(str):
    """A link check_link accepted, trimmed: storing it needs no second check (a plain str is always checked)."""

    __slots__ = ()


def check_link(url: str) -> CheckedLink:
    """The link, trimmed, if it may be kept as evidence; EvidenceRejected otherwise."""
    url = (url or "").strip()
    shown = url if len(url) <= 80 else url[:77] + "…"
    if not url:
        raise EvidenceRejected(_("Tautan kosong."), code="link_empty")
    if len(url) > LINK_MAX_LENGTH:
        raise EvidenceRejected(
            _("Tautan ditolak: panjangnya melebihi %(max)d karakter.") % {"max": LINK_MAX_LENGTH}, code="link_too_long"
        )

    def invalid() -> EvidenceRejected:  # built when raised: a valid link (every submission's) translates nothing
        return EvidenceRejected(
            _("Tautan «%(url)s» ditolak: alamatnya tidak sah.") % {"url": shown}, code="link_invalid"
        )

    # Printable ASCII without a space has no white space and no control or format character: the common
    # case skips the look-up of each character's Unicode category.
    plain = url.isascii() and url.isprintable() and " " not in url
    if not plain and any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"} for ch in url):
        raise invalid()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise invalid() from None
    if parts.scheme.lower() not in {"http", "https"}:
        raise EvidenceRejected(
            _("Tautan «%(url)s» ditolak: hanya alamat yang diawali http:// atau https:// yang diterima.")
            % {"url": shown},
            code="link_scheme",
        )
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise EvidenceRejected(
            _("Tautan «%(url)s» ditolak: alamat yang memuat nama pengguna atau kata sandi tidak diterima.")
            % {"url": shown},
            code="link_credentials",
        )
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise invalid()
    if _is_private_host(host):
        raise EvidenceRejected(
            _("Tautan «%(url)s» ditolak: alamatnya menunjuk ke jaringan lokal atau pribadi, bukan situs publik.")
            % {"url": shown},
            code="link_private",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise invalid() from None
    return CheckedLink(url)


def attach_drafts(draft_token: str, report: Report) -> int:
    """Give ``report`` the evidence kept from failed attempts under ``draft_token``; return how many.

    Side effects: sets report and clears the token on those rows (in the caller's transaction).
    """
    if not draft_token:
        return 0
    return Evidence.objects.filter(draft_token=draft_token, report__isnull=True).update(report=report, draft_token="")


def sweep_orphan_evidence(older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete draft evidence never attached to a report, older than ``older_than``; return how many rows.

    Side effects: deletes those rows and their files, then every file under MEDIA_ROOT/evidence older
    than ``older_than`` that no Evidence row names (left by a transaction that rolled back).
    """
    cutoff = timezone.now() - older_than
    storage = Evidence._meta.get_field("file").storage
    deleted = 0
    while True:
        with transaction.atomic():
            rows = list(
                Evidence.objects.select_for_update(skip_locked=True)
                .filter(report__isnull=True, uploaded_at__lt=cutoff)
                .values_list("pk", "file", "shared_copy")[:500]
            )
            if not rows:
                break
            Evidence.objects.filter(pk__in=[pk for pk, _f, _s in rows]).delete()
        deleted += len(rows)
        delete_evidence_files([name for _pk, *names in rows for name in names])
    stray = _sweep_unnamed_files(storage, cutoff.timestamp())
    if deleted or stray:
        logger.info("Swept %d draft evidence rows and %d files no row named", deleted, stray)
    return deleted


# --- helpers -------------------------------------------------------------------------------------------------


class _HashingFile(File):
    """Feeds the upload to storage in chunks, hashing and counting what was written."""

    def __init__(self, upload: UploadedFile):
        super().__init__(upload, name="evidence")
        self.sha256 = hashlib.sha256()
        self.bytes_seen = 0

    def chunks(self, chunk_size=None):
        self.file.seek(0)
        for chunk in self.file.chunks(chunk_size):
            self.sha256.update(chunk)
            self.bytes_seen += len(chunk)
            yield chunk


def _require_owner(report: Report | None, draft_token: str) -> None:
    if report is None and not draft_token:
        raise ValueError("Evidence needs a report or a draft_token")
    if len(draft_token) > 64:
        raise ValueError("draft_token is at most 64 characters")


def _shown_name(name: str) -> str:
    name = name or _("(tanpa nama)")
    return name if len(name) <= 80 else name[:77] + "…"


def _size_of(upload: UploadedFile) -> int:
    if upload.size is not None:
        return upload.size
    upload.seek(0, os.SEEK_END)
    return upload.tell()


def _is_private_host(host: str) -> bool:
    host = host.lower()
    if host == "localhost" or host.endswith(".localhost") or ("." not in host and ":" not in host):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def delete_evidence_files(names) -> None:
    """Delete stored evidence files by name (a rolled-back upload, an expired seal); a missing file is fine."""
    storage = Evidence._meta.get_field("file").storage
    for name in names:
        if name:
            try:
                storage.delete(name)
            except OSError:
                logger.exception("Could not delete evidence file %s", name)


def _sweep_unnamed_files(storage, cutoff: float) -> int:
    """Delete files under evidence/ older than ``cutoff`` that no row names; return how many."""
    root = storage.path("evidence")
    removed = 0
    for directory, _dirs, files in os.walk(root):
        candidates = {}
        for filename in files:
            path = os.path.join(directory, filename)
            try:
                if os.stat(path).st_mtime < cutoff:
                    candidates[os.path.relpath(path, storage.location).replace(os.sep, "/")] = path
            except FileNotFoundError:
                continue
        names = list(candidates)
        for start in range(0, len(names), 500):
            batch = names[start : start + 500]
            named = Evidence.objects.filter(Q(file__in=batch) | Q(shared_copy__in=batch)).values_list(
                "file", "shared_copy"
            )
            kept = {name for pair in named for name in pair}
            for name in batch:
                if name not in kept:
                    try:
                        os.remove(candidates[name])
                        removed += 1
                    except FileNotFoundError:
                        pass
    return removed
