"""Opening a report's sealed data: the one page that shows a reporter's identity or serves an original file.

``unseal_view`` is the whole act, in one function (so a re-authentication decorator can wrap
it): GET asks which item and why; POST records the opening through
reports.confidentiality.unseal and only then shows the identity and witnesses, or sends the
original file. A report the user may not see is a 404; one whose sealed data they may not
open is a 403. Nothing here is cached by the browser.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from netralitas.security.reauth import reauth_required
from reports.confidentiality import REASON_MAX_LENGTH, ReasonRequired, may_see_sealed, unseal
from reports.enums import EvidenceKind, SealedItem
from reports.evidence_checks import media_type_extension, media_type_label
from reports.models import Evidence, Report
from reports.selectors import reports_visible_to

IDENTITY_CHOICE = "identitas"


class UnsealForm(forms.Form):
    item = forms.ChoiceField(label=gettext_lazy("Yang dibuka"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Alasan membuka"),
        max_length=REASON_MAX_LENGTH,
        error_messages={
            "required": gettext_lazy("Tuliskan alasan membuka data ini, paling sedikit 10 karakter."),
            "max_length": gettext_lazy("Alasan paling banyak 500 karakter."),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Misalnya: menghubungi pelapor untuk klarifikasi bukti. Alasan, nama Anda, dan waktunya dicatat "
            "dan dapat dibaca organisasi penerima serta BKN."
        ),
    )

    def __init__(self, *args, files_of: list[Evidence], **kwargs):
        super().__init__(*args, **kwargs)
        self.files = {f"bukti-{item.pk}": item for item in files_of}
        self.fields["item"].choices = [(IDENTITY_CHOICE, _("Identitas pelapor dan saksi"))] + [
            (
                key,
                _("Berkas asli: %(name)s (%(type)s, %(size)s)")
                % {
                    "name": item.original_name or f"bukti-{item.pk}",
                    "type": media_type_label(item.media_type),
                    "size": filesizeformat(item.size),
                },
            )
            for key, item in self.files.items()
        ]

    def chosen(self) -> tuple[str, Evidence | None]:
        key = self.cleaned_data["item"]
        if key == IDENTITY_CHOICE:
            return SealedItem.IDENTITY, None
        return SealedItem.ORIGINAL, self.files[key]


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@staff_member_required
@require_http_methods(["GET", "POST"])
@reauth_required(methods=("POST",))  # opening sealed data needs the password and second factor again (issue 9)
def unseal_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask which sealed item and why; on a valid POST log the opening, then show or send it."""
    report = get_object_or_404(reports_visible_to(request.user).select_related("intake_organisation"), pk=pk)
    if not may_see_sealed(request.user, report):
        raise PermissionDenied(
            _(
                "Identitas pelapor, saksi, dan berkas asli hanya dapat dibuka verifikator organisasi penerima "
                "yang independen dari instansi terlapor."
            )
        )
    files = list(report.evidence.filter(kind=EvidenceKind.FILE).order_by("uploaded_at", "pk"))
    if request.method == "POST":
        form = UnsealForm(request.POST, files_of=files)
        if form.is_valid():
            item, evidence = form.chosen()
            try:
                access = unseal(
                    report, actor=request.user, item=item, evidence=evidence, reason=form.cleaned_data["reason"]
                )
            except ReasonRequired as exc:
                form.add_error("reason", str(exc))
            else:
                if evidence is not None:
                    return _original(evidence)
                return _no_store(_render(request, report, form=None, access=access))
    else:
        wanted = request.GET.get("item", IDENTITY_CHOICE)
        form = UnsealForm(initial={"item": wanted}, files_of=files)
    return _no_store(_render(request, report, form=form))


def _render(request: HttpRequest, report: Report, *, form: UnsealForm | None, access=None) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Data tersegel laporan %(code)s") % {"code": report.tracking_code},
        "report": report,
        "form": form,
        "access": access,
        "case_url": reverse("admin:reports_report_change", args=[report.pk]),
    }
    return TemplateResponse(request, "reports/sealed_open.html", context)


def _original(evidence: Evidence) -> FileResponse:
    """The original file, byte for byte as the reporter sent it, under our name."""
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"bukti-{evidence.pk}-asli.{media_type_extension(evidence.media_type)}",
        content_type=evidence.media_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return _no_store(response)


urlpatterns = [
    path("rahasia/laporan/<int:pk>/buka/", unseal_view, name="sealed-open"),
]
