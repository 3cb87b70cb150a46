"""Clean copies of evidence: what everyone but the intake's verifiers downloads (reports.confidentiality).

A reporter's photo carries the camera, the photographer (EXIF Artist), the place (GPS), and
often XMP and IPTC blocks; a PDF carries its author, the program that made it, XMP metadata,
attached files, JavaScript and actions. The original is kept untouched (it is the evidence,
its SHA-256 is on the receipt) and sealed; the shared copy is made once, at upload
(reports.evidence.store_evidence_file) or by ``manage.py clean_evidence`` for older files:

- images Pillow decodes (JPEG, PNG, WebP, GIF) are re-encoded from their pixels alone
  (reports.evidence_checks.image_without_metadata: no EXIF, GPS, XMP, IPTC, comments);
- PDFs are rewritten with pikepdf (qpdf), a maintained PDF library, not by scanning bytes:
  without the document information dictionary, XMP metadata streams, embedded files and
  file attachment annotations, JavaScript, the catalog's OpenAction and every additional
  action (AA), annotation actions, outlines, forms' XFA, and encryption;
- formats the portal cannot clean (video, HEIC) get no copy: staff who may not open the
  original see their hash, size and type, and nothing to download.
"""

from __future__ import annotations

import io
import logging

import pikepdf
from django.core.files.base import ContentFile
from django.db.models import Q
from PIL import Image

from reports.enums import EvidenceKind
from reports.models import Evidence

logger = logging.getLogger(__name__)

PDF = "application/pdf"
_PILLOW_FORMATS = {"image/jpeg": ["JPEG", "MPO"], "image/png": ["PNG"], "image/webp": ["WEBP"], "image/gif": ["GIF"]}
CLEANABLE = frozenset({PDF, *_PILLOW_FORMATS})

# Keys removed from the document catalog: metadata, automatic actions, scripts and attachments
# (/Names holds /EmbeddedFiles and /JavaScript), bookmarks (their /A actions), portfolios.
_CATALOG_KEYS = ("/Metadata", "/OpenAction", "/AA", "/Names", "/Outlines", "/PieceInfo", "/Collection", "/URI")
# Keys removed from every dictionary and stream of the file.
_EVERYWHERE_KEYS = ("/Metadata", "/PieceInfo", "/AA", "/JS", "/EF", "/RichMediaContent")


class CleaningFailed(ValueError):
    """The file could not be rewritten; no clean copy is made."""


def shared_copy_media_type(evidence: Evidence) -> str:
    """The type of the clean copy: a PDF for a PDF, a JPEG for a JPEG, a PNG for every other image."""
    if evidence.media_type == PDF:
        return PDF
    return "image/jpeg" if evidence.media_type == "image/jpeg" else "image/png"


def clean_pdf(data: bytes) -> bytes:
    """``data`` rewritten without document info, XMP, embedded files, JavaScript and actions.

    Raises CleaningFailed when pikepdf cannot open it (encrypted with a user password, damaged
    beyond repair) or write it.
    """
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            _strip(pdf)
            out = io.BytesIO()
            pdf.save(out, encryption=False, fix_metadata_version=False, deterministic_id=True)
    except (pikepdf.PdfError, pikepdf.PasswordError, ValueError, KeyError, TypeError) as exc:
        raise CleaningFailed(str(exc)) from exc
    return out.getvalue()


def _strip(pdf: pikepdf.Pdf) -> None:
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    root = pdf.Root
    for key in _CATALOG_KEYS:
        if key in root:
            del root[key]
    if "/AcroForm" in root:
        form = root["/AcroForm"]
        for key in ("/XFA", "/AA"):
            if key in form:
                del form[key]
    for page in pdf.pages:
        if "/Annots" not in page.obj:
            continue
        kept = pikepdf.Array()
        for annotation in page.obj["/Annots"]:
            if not isinstance(annotation, pikepdf.Dictionary):
                continue
            if annotation.get("/Subtype") in (pikepdf.Name.FileAttachment, pikepdf.Name.Sound, pikepdf.Name.Movie):
                continue  # each carries a file of its own
            for key in ("/A", "/AA"):
                if key in annotation:
                    del annotation[key]
            kept.append(annotation)
        page.obj["/Annots"] = kept
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            for key in _EVERYWHERE_KEYS:
                if key in obj:
                    del obj[key]
            if obj.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch) and "/JS" not in obj:
                obj["/S"] = pikepdf.Name.Named  # a dangling action whose owner was kept: neutered


def clean_image(data: bytes, media_type: str) -> bytes:
    """The picture of ``data`` re-encoded without any metadata (the same copy the upload makes)."""
    from reports.evidence_checks import image_without_metadata  # the upload's own re-encoder, so both copies agree

    try:
        with Image.open(io.BytesIO(data), formats=_PILLOW_FORMATS[media_type]) as image:
            image.load()
            return image_without_metadata(image, media_type)
    except Exception as exc:  # Pillow reports hostile input with many exception types
        raise CleaningFailed(str(exc)) from exc


def clean_copy(upload, media_type: str) -> bytes | None:
    """The clean copy of an upload already checked as ``media_type``, or None when the portal cannot clean it.

    Called by reports.evidence.store_evidence_file for what it does not re-encode itself (PDFs).
    A PDF pikepdf cannot rewrite gets no copy (logged): it stays sealed with the original.
    """
    if media_type != PDF:
        return None
    upload.seek(0)
    try:
        return clean_pdf(upload.read())
    except CleaningFailed as exc:
        logger.warning("PDF evidence could not be cleaned, no shared copy: %s", exc)
        return None


def make_missing_clean_copies(*, limit: int | None = None) -> tuple[int, int]:
    """Give every stored file that the portal can clean and that has no clean copy one; return (made, failed).

    Side effects: writes the copies under MEDIA_ROOT and sets Evidence.shared_copy. Idempotent:
    a second run finds nothing to do. Files missing from storage count as failed (logged).
    """
    pending = (
        Evidence.objects.filter(kind=EvidenceKind.FILE, media_type__in=CLEANABLE)
        .filter(Q(shared_copy="") | Q(shared_copy__isnull=True))
        .exclude(file="")
        .order_by("pk")
    )
    made = failed = 0
    for evidence in pending[:limit] if limit else pending.iterator(chunk_size=100):
        try:
            with evidence.file.open("rb") as handle:
                data = handle.read()
            copy = clean_pdf(data) if evidence.media_type == PDF else clean_image(data, evidence.media_type)
        except (OSError, CleaningFailed) as exc:
            logger.warning("Evidence %s: no clean copy: %s", evidence.pk, exc)
            failed += 1
            continue
        evidence.shared_copy.save("evidence", ContentFile(copy), save=False)
        Evidence.objects.filter(pk=evidence.pk).update(shared_copy=evidence.shared_copy.name)
        made += 1
    return made, failed
