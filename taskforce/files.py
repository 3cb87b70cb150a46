"""The Satgas's uploaded PDFs (signed decree, meeting minutes): checked by content like evidence, stored privately."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse, Http404

from reports.evidence import checked_pdf_document

logger = logging.getLogger(__name__)


def checked_pdf(upload: File, field: str) -> str:
    """Check ``upload`` like a staff document (reports.evidence.checked_pdf_document); return its SHA-256.

    Raises ValidationError keyed on ``field``.
    """
    try:
        return checked_pdf_document(upload)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def private_download(stored, *, filename: str, content_type: str) -> FileResponse:
    """A stored file as an attachment nobody caches (the caller has checked who asks); 404 when missing."""
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        logger.error("Satgas file %s is missing from storage", stored.name)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
