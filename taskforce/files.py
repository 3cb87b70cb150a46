"""The Satgas's uploaded PDFs (signed decree, meeting minutes): checked by content like evidence, stored privately.

When reports.evidence gets its public ``check_pdf_upload``, ``checked_pdf`` should call it
instead of the private helpers (the same ones sanctions uses for the signed SK today).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from reports.evidence import SNIFF_BYTES, EvidenceRejected, _check_pdf, _identify, _shown_name, clean_file_name

logger = logging.getLogger(__name__)


def checked_pdf(upload: File, field: str, *, what: str) -> str:
    """Check ``upload`` is a real PDF, not empty, within the evidence size limit, without scripts.

    Returns its SHA-256. Raises ValidationError keyed on ``field``, naming the file and ``what`` it should be.
    """
    shown = _shown_name(clean_file_name(getattr(upload, "name", "") or ""))
    size = upload.size
    limit = settings.NETRALITAS_EVIDENCE_MAX_FILE_BYTES
    if not size:
        raise ValidationError({field: [_("Berkas «%(name)s» ditolak: berkasnya kosong (0 bita).") % {"name": shown}]})
    if size > limit:
        message = _("Berkas «%(name)s» ditolak: ukurannya %(size)s, melebihi batas %(limit)s per berkas.") % {
            "name": shown,
            "size": filesizeformat(size),
            "limit": filesizeformat(limit),
        }
        raise ValidationError({field: [message]})
    try:
        upload.seek(0)
        if _identify(upload.read(SNIFF_BYTES), shown) != "application/pdf":
            raise EvidenceRejected(
                _("Berkas «%(name)s» ditolak: %(what)s harus berupa PDF (hasil pindai atau cetak ke PDF).")
                % {"name": shown, "what": what}
            )
        upload.seek(0)
        _check_pdf(upload.read(), shown)
    except EvidenceRejected as rejected:
        raise ValidationError({field: [rejected.message]}) from None
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


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
