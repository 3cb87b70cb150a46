"""Evidence: files checked by their content, hashed and kept outside the web root; links checked by shape.

A file is judged on what it is, never on what it is called nor on the MIME type the
browser sent: its first bytes are sniffed (filetype, plus our own ISO-BMFF brand table
because filetype's 3GP matcher never fires), then each kind gets a deeper check:
Pillow decodes images under a pixel cap and a per-request budget (reports.imagebudget; so
a truncated JPEG or a decompression bomb is refused), video and HEIC containers are walked
box by box (WebM element by element, reports.mediacheck), and PDFs are read with a real
parser that refuses scripts, dangerous actions and embedded files (reports.pdfcheck).

Files are written in the caller's transaction. A rollback cannot delete them, so
sweep_orphan_evidence (run daily) removes drafts nobody attached and files no row names.
"""

from __future__ import annotations

import hashlib
import io
import ipaddress
import logging
import os
import unicodedata
import warnings
from dataclasses import dataclass
from datetime import timedelta
from typing import NoReturn
from urllib.parse import urlsplit

import filetype
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
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from reports.enums import EvidenceKind, EvidenceSource
from reports.models import Evidence, Report

logger = logging.getLogger(__name__)

IMAGE, VIDEO, PDF = "image", "video", "pdf"


@dataclass(frozen=True)
class MediaType:
    label: str
    extension: str
    kind: str  # IMAGE, VIDEO or PDF


ALLOWED_MEDIA_TYPES: dict[str, MediaType] = {
    "image/jpeg": MediaType(gettext_lazy("Foto JPEG"), "jpg", IMAGE),
    "image/png": MediaType(gettext_lazy("Gambar PNG"), "png", IMAGE),
    "image/webp": MediaType(gettext_lazy("Gambar WebP"), "webp", IMAGE),
    "image/gif": MediaType(gettext_lazy("Gambar GIF"), "gif", IMAGE),
    "image/heic": MediaType(gettext_lazy("Foto HEIC"), "heic", IMAGE),
    "image/heif": MediaType(gettext_lazy("Foto HEIF"), "heif", IMAGE),
    "video/mp4": MediaType(gettext_lazy("Video MP4"), "mp4", VIDEO),
    "video/quicktime": MediaType(gettext_lazy("Video MOV"), "mov", VIDEO),
    "video/webm": MediaType(gettext_lazy("Video WebM"), "webm", VIDEO),
    "video/3gpp": MediaType(gettext_lazy("Video 3GP"), "3gp", VIDEO),
    "application/pdf": MediaType(gettext_lazy("Dokumen PDF"), "pdf", PDF),
}
# Images Pillow decodes (and so can verify and strip); HEIC/HEIF are kept as sent, without a shared copy.
_PILLOW_FORMATS = {"image/jpeg": ["JPEG", "MPO"], "image/png": ["PNG"], "image/webp": ["WEBP"], "image/gif": ["GIF"]}
_ISOBMFF_TYPES = {"image/heic", "image/heif", "video/mp4", "video/quicktime", "video/3gpp"}

SNIFF_BYTES = 8192
# A phone's full-resolution 108-megapixel JPEG passes (decoded at a smaller scale); a header declaring more
# is refused as a possible decompression bomb. Other formats stop at reports.imagebudget.MAX_DECODED_PIXELS.
MAX_IMAGE_PIXELS = 120_000_000
_MAX_TOP_LEVEL_BOXES = 10_000
LINK_MAX_LENGTH = 1000

_EXECUTABLES = {
    "application/x-msdownload",
    "application/x-executable",
    "application/wasm",
    "application/x-shockwave-flash",
    "application/x-google-chrome-extension",
    "application/x-deb",
    "application/x-rpm",
}
_ARCHIVES = {
    "application/zip",
    "application/x-tar",
    "application/x-rar-compressed",
    "application/gzip",
    "application/x-bzip2",
    "application/x-7z-compressed",
    "application/x-xz",
    "application/zstd",
    "application/x-brotli",
    "application/x-lz4",
    "application/x-lzip",
    "application/x-lzop",
    "application/x-compress",
    "application/vnd.ms-cab-compressed",
    "application/x-unix-archive",
    "application/epub+zip",
}
_OFFICE = {
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.presentation",
    "application/rtf",
}
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1",
    b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"MSNV", b"dash", b"f4v ", b"XAVC",
}  # fmt: skip
_WHAT_WE_TAKE = gettext_lazy("Kirim foto (JPEG, PNG, WebP, HEIC), video (MP4, MOV, WebM, 3GP), atau PDF.")


class EvidenceRejected(ValueError):
    """A file or link refused as evidence; ``message`` is shown to the citizen as is, ``code`` names the rule."""

    def __init__(self, message: str, *, code: str = "rejected"):
        super().__init__(message)
        self.message = message
        self.code = code


def media_type_label(media_type: str) -> str:
    """Plain words for a stored media type ("Foto JPEG"), for receipts and staff pages."""
    known = ALLOWED_MEDIA_TYPES.get(media_type)
    return str(known.label) if known else _("Berkas")


def media_type_extension(media_type: str) -> str:
    known = ALLOWED_MEDIA_TYPES.get(media_type)
    return known.extension if known else "bin"


def accept_attribute() -> str:
    """Value for <input type=file accept=…>: a hint to the phone's picker, not a check."""
    return ",".join([*ALLOWED_MEDIA_TYPES, ".heic", ".heif", ".mov", ".3gp"])


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
    media_type = _identify(upload.read(SNIFF_BYTES), shown)
    shared = _check_content(upload, media_type, size, shown)
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
        evidence.save()
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
    _require_owner(report, draft_token)
    url = check_link(url)
    return Evidence.objects.create(
        report=report,
        draft_token="" if report is not None else draft_token,
        kind=EvidenceKind.LINK,
        source=source,
        url=url,
    )


def check_link(url: str) -> str:
    """The link, trimmed, if it may be kept as evidence; EvidenceRejected otherwise."""
    url = (url or "").strip()
    shown = url if len(url) <= 80 else url[:77] + "…"
    if not url:
        raise EvidenceRejected(_("Tautan kosong."), code="link_empty")
    if len(url) > LINK_MAX_LENGTH:
        raise EvidenceRejected(
            _("Tautan ditolak: panjangnya melebihi %(max)d karakter.") % {"max": LINK_MAX_LENGTH}, code="link_too_long"
        )
    invalid = EvidenceRejected(
        _("Tautan «%(url)s» ditolak: alamatnya tidak sah.") % {"url": shown}, code="link_invalid"
    )
    if any(ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf"} for ch in url):
        raise invalid
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        raise invalid from None
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
        raise invalid
    if _is_private_host(host):
        raise EvidenceRejected(
            _("Tautan «%(url)s» ditolak: alamatnya menunjuk ke jaringan lokal atau pribadi, bukan situs publik.")
            % {"url": shown},
            code="link_private",
        )
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise invalid from None
    return url


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


# --- identification ------------------------------------------------------------------------------------------


def _identify(head: bytes, shown: str) -> str:
    """The media type of content starting with ``head``, or EvidenceRejected saying what it is instead."""
    media_type = _sniff_isobmff(head) or getattr(filetype.guess(head), "mime", None)
    if media_type in ALLOWED_MEDIA_TYPES:
        return media_type
    if media_type in _EXECUTABLES:
        raise EvidenceRejected(
            _("Berkas «%(name)s» ditolak: isinya program (executable), bukan foto, video, atau PDF.") % {"name": shown},
            code="executable",
        )
    if media_type in _ARCHIVES:
        raise EvidenceRejected(
            _(
                "Berkas «%(name)s» ditolak: isinya arsip terkompresi (ZIP, RAR, 7z, gzip, …). "
                "Kirim foto, video, atau PDF di dalamnya satu per satu."
            )
            % {"name": shown},
            code="archive",
        )
    if media_type in _OFFICE:
        raise EvidenceRejected(
            _(
                "Berkas «%(name)s» ditolak: dokumen Office (Word, Excel, PowerPoint) tidak diterima. "
                "Simpan atau cetak dokumennya sebagai PDF, lalu kirim PDF-nya."
            )
            % {"name": shown},
            code="office",
        )
    if media_type is not None:
        kind = filetype.get_type(mime=media_type)
        fmt = (kind.extension if kind else media_type).upper()
        raise EvidenceRejected(
            _("Berkas «%(name)s» ditolak: format %(format)s tidak diterima. %(what)s")
            % {"name": shown, "format": fmt, "what": _WHAT_WE_TAKE},
            code="unsupported",
        )
    _refuse_text(head, shown)


def _refuse_text(head: bytes, shown: str) -> NoReturn:
    """Name what an unrecognised file looks like (script, HTML, SVG) so the refusal is useful."""
    text = head.replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text.startswith(b"#!"):
        raise EvidenceRejected(
            _("Berkas «%(name)s» ditolak: isinya skrip program, bukan foto, video, atau PDF.") % {"name": shown},
            code="script",
        )
    if b"<svg" in text:
        raise EvidenceRejected(
            _(
                "Berkas «%(name)s» ditolak: gambar SVG tidak diterima karena dapat berisi skrip. "
                "Kirim gambarnya sebagai JPEG atau PNG (misalnya tangkapan layar)."
            )
            % {"name": shown},
            code="svg",
        )
    if any(tag in text for tag in (b"<html", b"<!doctype html", b"<script", b"<body", b"<iframe", b"<head")):
        raise EvidenceRejected(
            _(
                "Berkas «%(name)s» ditolak: isinya halaman web (HTML), yang dapat menjalankan skrip. "
                "Kirim tangkapan layarnya sebagai foto, atau tempelkan tautannya."
            )
            % {"name": shown},
            code="html",
        )
    raise EvidenceRejected(
        _("Berkas «%(name)s» ditolak: jenis isinya tidak dikenali. %(what)s") % {"name": shown, "what": _WHAT_WE_TAKE},
        code="unknown",
    )


def _sniff_isobmff(head: bytes) -> str | None:
    """MP4, MOV, 3GP and HEIC/HEIF share one container; its ftyp brands say which it is."""
    if len(head) < 16 or head[4:8] != b"ftyp":
        return None
    ftyp_size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    brands = {major, *(head[i : i + 4] for i in range(16, min(ftyp_size, len(head)) - 3, 4))}
    if major in {b"heic", b"heix", b"heim", b"heis"}:
        return "image/heic"
    if major in {b"mif1", b"msf1"}:
        if brands & {b"heic", b"heix"}:
            return "image/heic"
        return "image/avif" if b"avif" in brands else "image/heif"
    if major in {b"avif", b"avis"}:
        return "image/avif"
    if major == b"qt  ":
        return "video/quicktime"
    if major[:3] in {b"3gp", b"3g2"}:
        return "video/3gpp"
    if major in {b"M4A ", b"M4B ", b"M4P "}:
        return "audio/mp4"
    return "video/mp4" if brands & _MP4_BRANDS else None


# --- deeper checks -------------------------------------------------------------------------------------------


def _check_content(upload: UploadedFile, media_type: str, size: int, shown: str) -> bytes | None:
    """Check the whole file as ``media_type``; return the shared copy's bytes for a decodable image."""
    if media_type in _PILLOW_FORMATS:
        return _check_image(upload, media_type, shown)
    if media_type in _ISOBMFF_TYPES:
        _check_boxes(upload, size, media_type, shown)
    elif media_type == "video/webm":
        from reports.mediacheck import HasAttachments, NotWebm, check_webm

        try:
            check_webm(upload, size)
        except HasAttachments:
            raise EvidenceRejected(
                _("Berkas «%(name)s» ditolak: video ini membawa lampiran berkas lain.") % {"name": shown},
                code="video_attachment",
            ) from None
        except NotWebm:
            raise _corrupt(media_type, shown) from None
    elif media_type == "application/pdf":
        from reports.pdfcheck import check_pdf_upload

        check_pdf_upload(upload, shown)
    return None


def _corrupt(media_type: str, shown: str) -> EvidenceRejected:
    return EvidenceRejected(
        _("Berkas «%(name)s» ditolak: isinya rusak atau tidak lengkap sebagai %(label)s. Coba kirim berkas aslinya.")
        % {"name": shown, "label": media_type_label(media_type)},
        code="corrupt",
    )


def _check_image(upload: UploadedFile, media_type: str, shown: str) -> bytes:
    from reports.imagebudget import MAX_DECODED_PIXELS, BudgetExceeded, spend

    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=_PILLOW_FORMATS[media_type])
        with image:
            pixels = image.width * image.height
            # A JPEG decodes at 1/2, 1/4 or 1/8 scale (the whole stream is still read, so truncation shows);
            # other formats decode whole, so their cap is the decoded one.
            if image.format in {"JPEG", "MPO"} and MAX_DECODED_PIXELS < pixels <= MAX_IMAGE_PIXELS:
                image.draft("RGB", _draft_size(image.width, image.height, MAX_DECODED_PIXELS))
            decoded = image.width * image.height
            if pixels > MAX_IMAGE_PIXELS or decoded > MAX_DECODED_PIXELS:
                raise _bomb(shown, MAX_IMAGE_PIXELS if image.format in {"JPEG", "MPO"} else MAX_DECODED_PIXELS)
            spend(decoded)
            image.load()  # decodes the (first) frame: a truncated or corrupt file fails here
            return image_without_metadata(image, media_type)
    except Image.DecompressionBombError:
        raise _bomb(shown, MAX_IMAGE_PIXELS if media_type == "image/jpeg" else MAX_DECODED_PIXELS) from None
    except BudgetExceeded:
        raise EvidenceRejected(
            _(
                "Berkas «%(name)s» belum diperiksa: foto dalam satu kiriman sudah terlalu banyak atau terlalu besar. "
                "Berkas lain sudah tersimpan; kirim berkas ini sekali lagi bersama kiriman berikutnya."
            )
            % {"name": shown},
            code="budget",
        ) from None
    except EvidenceRejected:
        raise
    except Exception:  # Pillow reports hostile input with many exception types
        raise _corrupt(media_type, shown) from None


def _bomb(shown: str, limit: int) -> EvidenceRejected:
    return EvidenceRejected(
        _(
            "Berkas «%(name)s» ditolak: gambarnya lebih dari %(max)d megapiksel. Berkas seperti ini dapat "
            "dipakai sebagai «bom dekompresi». Kirim foto dengan resolusi lebih kecil."
        )
        % {"name": shown, "max": limit // 1_000_000},
        code="bomb",
    )


def _draft_size(width: int, height: int, limit: int) -> tuple[int, int]:
    """The size to ask JPEG draft mode for: the largest 1/2, 1/4 or 1/8 scale within ``limit`` pixels."""
    for scale in (2, 4, 8):
        if (width // scale) * (height // scale) <= limit:
            return width // scale, height // scale
    return width // 8, height // 8


def image_without_metadata(image: Image.Image, media_type: str) -> bytes:
    """Re-encode with the orientation applied and nothing else of the metadata (EXIF, GPS, XMP, comments)."""
    clean = image
    ImageOps.exif_transpose(clean, in_place=True)  # no second full-size copy; the EXIF is cleared below
    icc = clean.info.get("icc_profile")
    transparency = clean.info.get("transparency")
    clean.info = {}
    out = io.BytesIO()
    if media_type == "image/jpeg":
        if clean.mode not in {"RGB", "L", "CMYK"}:
            clean = clean.convert("RGB")
        clean.save(out, "JPEG", quality=90, exif=b"", icc_profile=icc)
    else:
        if clean.mode not in {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"}:
            clean = clean.convert("RGBA")
        options = {"transparency": transparency} if transparency is not None and clean.mode in {"P", "L", "RGB"} else {}
        clean.save(out, "PNG", exif=b"", icc_profile=icc, **options)
    return out.getvalue()


def _check_boxes(upload: UploadedFile, size: int, media_type: str, shown: str) -> None:
    """Walk the container's top-level boxes: each must be well-formed and end inside the file."""
    position = 0
    for _box in range(_MAX_TOP_LEVEL_BOXES):
        if position == size:
            return
        upload.seek(position)
        header = upload.read(16)
        if len(header) < 8 or not all(0x20 <= b <= 0x7E or b == 0xA9 for b in header[4:8]):
            raise _corrupt(media_type, shown)
        box_size, header_size = int.from_bytes(header[:4], "big"), 8
        if box_size == 0:  # "extends to the end of the file"
            return
        if box_size == 1:
            if len(header) < 16:
                raise _corrupt(media_type, shown)
            box_size, header_size = int.from_bytes(header[8:16], "big"), 16
        if box_size < header_size or position + box_size > size:
            raise _corrupt(media_type, shown)
        position += box_size
    raise _corrupt(media_type, shown)


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
