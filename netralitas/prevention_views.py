"""The instansi's prevention checklist page (/kerja/pencegahan/): tick each obligation with evidence."""

from __future__ import annotations

import logging

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from netralitas import visibility, workspace
from netralitas.models import Organisation, PreventionCheck, PreventionItem
from netralitas.prevention import checklist, elections_for_prevention, may_tick, tick_prevention

logger = logging.getLogger(__name__)


class TickForm(forms.Form):
    election = forms.IntegerField(widget=forms.HiddenInput)
    item = forms.IntegerField(widget=forms.HiddenInput)
    evidence_file = forms.FileField(
        label=gettext_lazy("Berkas bukti (PDF, JPEG, PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    evidence_url = forms.CharField(
        label=gettext_lazy("atau tautan bukti"),
        required=False,
        max_length=1000,
        widget=forms.URLInput(attrs={"class": "form-control", "placeholder": "https://"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Keterangan"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )


def _organisation(request: HttpRequest) -> Organisation:
    scope = visibility.scope_for(request.user)
    if scope.organisation_id is None:
        raise PermissionDenied(_("Halaman ini untuk petugas instansi."))
    return Organisation.objects.get(pk=scope.organisation_id)


@require_http_methods(["GET", "POST"])
@staff_member_required
def prevention_page(request: HttpRequest) -> HttpResponse:
    """The checklist of the user's instansi for each election under way there; a tick form per open item."""
    organisation = _organisation(request)
    elections = elections_for_prevention(organisation, timezone.localdate())
    bound: TickForm | None = None
    if request.method == "POST":
        bound = TickForm(request.POST, request.FILES)
        if bound.is_valid():
            data = bound.cleaned_data
            election = next((e for e in elections if e.pk == data["election"]), None)
            item = PreventionItem.objects.filter(pk=data["item"], is_active=True).first()
            if election is None or item is None:
                raise Http404
            try:
                tick_prevention(
                    request.user,
                    organisation=organisation,
                    election=election,
                    item=item,
                    evidence_file=data["evidence_file"],
                    evidence_url=data["evidence_url"],
                    note=data["note"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    bound.add_error(field if field in bound.fields else None, errors)
            else:
                messages.success(request, _("«%(item)s» dicentang.") % {"item": item.title})
                return redirect("prevention")
    sections = []
    for election in elections:
        rows = []
        for row in checklist(organisation, election):
            is_bound = (
                bound is not None
                and bound.data.get("election") == str(election.pk)
                and bound.data.get("item") == str(row.item.pk)
            )
            form = bound if is_bound else TickForm(initial={"election": election.pk, "item": row.item.pk})
            rows.append({"row": row, "form": form})
        sections.append({"election": election, "rows": rows, "done": sum(1 for r in rows if r["row"].check)})
    context = {
        "nav": "prevention",
        "organisation": organisation,
        "sections": sections,
        "may_tick": may_tick(request.user, organisation),
    }
    return render(request, "netralitas/prevention.html", context, status=400 if bound is not None else 200)


@require_GET
@staff_member_required
def prevention_file(request: HttpRequest, pk: int) -> FileResponse:
    """The evidence file of a check the user may see (their instansi's, or any for national bodies)."""
    check = get_object_or_404(visibility.visible_to(PreventionCheck, request.user).exclude(evidence_file=""), pk=pk)
    try:
        handle = check.evidence_file.storage.open(check.evidence_file.name, "rb")
    except FileNotFoundError:
        logger.error("Prevention check %s: file %s is missing", check.pk, check.evidence_file.name)
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=f"pencegahan-{check.pk}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


urlpatterns = [
    path("pencegahan/", prevention_page, name="prevention"),
    path("pencegahan/<int:pk>/berkas/", prevention_file, name="prevention_file"),
]

workspace.register_page(
    workspace.StaffPage(
        key="netralitas.prevention",
        title=gettext_lazy("Pencegahan"),
        url_name="prevention",
        order=55,
        applies=lambda user: user.has_perm("netralitas.add_preventioncheck"),
    )
)
