"""Evidence files for staff: checked against the visibility rule, always an attachment, never a public URL.

The name sent is ours ("bukti-<id>.<ext>"), never the uploader's; the type is the one found
by content at upload, with nosniff so the browser does not guess another.
"""

from __future__ import annotations

import logging

from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_safe

from netralitas.security import log_event
from reports.enums import EvidenceKind
from reports.evidence import media_type_extension, shared_copy_media_type
from reports.selectors import evidence_visible_to

logger = logging.getLogger(__name__)


@require_safe
@staff_member_required
def download_evidence(request, pk: int):
    """The original file, byte for byte as the reporter sent it."""
    return _serve(request, pk, shared=False)


@require_safe
@staff_member_required
def download_shared_copy(request, pk: int):
    """The photo re-encoded without EXIF/GPS, for passing on."""
    return _serve(request, pk, shared=True)


def _serve(request, pk: int, *, shared: bool) -> FileResponse:
    # Missing, foreign and draft evidence all give the same 404.
    evidence = get_object_or_404(evidence_visible_to(request.user).filter(kind=EvidenceKind.FILE), pk=pk)
    stored = evidence.shared_copy if shared else evidence.file
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        logger.error("Evidence %s: file %s is missing from storage", evidence.pk, stored.name)
        raise Http404 from None
    if shared:
        media_type = shared_copy_media_type(evidence)
        filename = f"bukti-{evidence.pk}-salinan.{media_type_extension(media_type)}"
    else:
        media_type = evidence.media_type or "application/octet-stream"
        filename = f"bukti-{evidence.pk}.{media_type_extension(evidence.media_type)}"
    log_event("evidence_download", request=request, evidence=evidence.pk, copy="salinan" if shared else "asli")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("bukti/<int:pk>/unduh/", download_evidence, name="evidence-download"),
    path("bukti/<int:pk>/salinan/", download_shared_copy, name="evidence-download-shared"),
]
