"""Clean copies of evidence for staff: checked against the visibility rule, always an attachment, never a public URL.

Only the copy without metadata is served here (reports.cleaning); the original is sealed and
leaves only through reports.staff.sealed.unseal_view, logged (reports.confidentiality). The name sent
is ours ("bukti-<id>-salinan.<ext>"), never the uploader's, with nosniff so the browser does
not guess another type.
"""

from __future__ import annotations

import logging

from django.contrib.admin.views.decorators import staff_member_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import path
from django.views.decorators.http import require_safe

from netralitas.security import log_event
from reports.cleaning import shared_copy_media_type
from reports.enums import EvidenceKind
from reports.evidence_checks import media_type_extension
from reports.selectors import evidence_visible_to

logger = logging.getLogger(__name__)


@require_safe
@staff_member_required
def download_shared_copy(request, pk: int):
    """The copy without metadata (photo re-encoded, PDF rewritten), for whoever may see the report."""
    # Missing, foreign and draft evidence all give the same 404; so does a file without a clean copy.
    evidence = get_object_or_404(evidence_visible_to(request.user).filter(kind=EvidenceKind.FILE), pk=pk)
    stored = evidence.shared_copy
    if not stored:
        raise Http404
    try:
        handle = stored.storage.open(stored.name, "rb")
    except FileNotFoundError:
        logger.error("Evidence %s: file %s is missing from storage", evidence.pk, stored.name)
        raise Http404 from None
    media_type = shared_copy_media_type(evidence)
    filename = f"bukti-{evidence.pk}-salinan.{media_type_extension(media_type)}"
    log_event("evidence_download", request=request, evidence=evidence.pk, copy="salinan")
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("bukti/<int:pk>/salinan/", download_shared_copy, name="evidence-download-shared"),
]
