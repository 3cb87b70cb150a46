"""Evidence files judged by their content: the media types we take, what the first bytes say, the deeper checks.

A file is judged on what it is, never on what it is called nor on the MIME type the
browser sent: its first bytes are sniffed (filetype, plus our own ISO-BMFF brand table
because filetype's 3GP matcher never fires), then each kind gets a deeper check:
Pillow decodes images under a pixel cap and a per-request budget (reports.imagebudget; so
a truncated JPEG or a decompression bomb is refused), video and HEIC containers are walked
box by box (WebM element by element, reports.mediacheck), and PDFs are read with a real
parser that refuses scripts, dangerous actions and embedded files (reports.pdfcheck).
Storing what passes is the work of reports.evidence.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import NoReturn

import filetype
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

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


# --- identification ------------------------------------------------------------------------------------------


def identify_media_type(head: bytes, shown: str) -> str:
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


def check_content(upload: UploadedFile, media_type: str, size: int, shown: str) -> bytes | None:
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
        # The photo's own quantization tables: no second loss of detail in the evidence, and no bigger file
        # (quality 90 made a 199 KB photo 255 KB). Only a plain JPEG still read from its file has them:
        # Pillow refuses "keep" for a phone's MPO, and a converted image has none.
        keep = clean.format == "JPEG" and bool(getattr(clean, "quantization", None))
        clean.save(out, "JPEG", quality="keep" if keep else 90, exif=b"", icc_profile=icc)
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
