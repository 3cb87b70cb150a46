"""The Satgas's page for a case outside the matrix (B13): record the track and level it decided."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from netralitas.enums import Level, Track
from reports.selectors import terlapor_visible_to
from reports.workflow import StaleReport
from taskforce.queues import b13_awaiting_decision
from taskforce.services import SATGAS_DECISION_OPEN, record_satgas_decision


class SatgasDecisionForm(forms.Form):
    track = forms.ChoiceField(
        label=gettext_lazy("Jalur"),
        choices=[("", "---------"), *((t.value, t.label) for t in (Track.ETIK, Track.DISIPLIN, Track.UU_ASN))],
        error_messages={"required": gettext_lazy("Pilih jalur.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    level = forms.ChoiceField(
        label=gettext_lazy("Tingkat"),
        choices=[("", "---------"), *Level.choices],
        error_messages={"required": gettext_lazy("Pilih tingkat.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Pertimbangan Satgas"),
        help_text=gettext_lazy("Dasar keputusan: rapat, fakta, dan alasan memilih jalur dan tingkat ini."),
        error_messages={"required": gettext_lazy("Pertimbangan Satgas wajib diisi.")},
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 6}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def satgas_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a case (never its reporter) and take the Satgas's decision on it."""
    # A case the user may not see is a 404, never a hint that it exists.
    case = get_object_or_404(
        terlapor_visible_to(request.user).select_related("report__violation_type", "instansi"), pk=pk
    )
    if not request.user.has_perm("reports.record_satgas_decision"):
        raise PermissionDenied(_("Anda tidak berwenang mencatat keputusan Satgas."))
    initial = {"track": case.satgas_track, "level": case.satgas_level, "reasoning": case.satgas_reasoning}
    form = SatgasDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_satgas_decision(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except StaleReport:
            form.add_error(None, _("Perkara ini baru saja diubah petugas lain. Muat ulang halaman lalu coba lagi."))
        else:
            messages.success(request, _("Keputusan Satgas dicatat."))
            return redirect("satgas_decision", pk=case.pk)
    context = {
        "nav": "satgas",
        "case": case,
        "violation_type": case.report.violation_type,
        "open": case.case_status in SATGAS_DECISION_OPEN,
        "form": form,
    }
    return render(request, "taskforce/satgas_decision_form.html", context)


@login_required
@require_http_methods(["GET"])
def satgas_home(request: HttpRequest) -> HttpResponse:
    """The Satgas's page: B13 cases awaiting its decision, and those it decided."""
    if not request.user.has_perm("reports.record_satgas_decision"):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    waiting = list(b13_awaiting_decision(request.user)[:200])
    decided = list(
        terlapor_visible_to(request.user)
        .filter(satgas_decided_at__isnull=False)
        .select_related("report", "instansi")
        .order_by("-satgas_decided_at", "-pk")[:50]
    )
    context = {"nav": "satgas", "waiting": waiting, "decided": decided, "today": timezone.localdate()}
    return render(request, "taskforce/satgas_home.html", context)
