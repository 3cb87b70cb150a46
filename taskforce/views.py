"""The Satgas's pages: its teams, the monitoring of a team's region, the workload, and the decision on a
case outside the matrix (B13).

Thin interfaces: a team or case the user may not see is a 404 (the visibility rules decide),
an act the user may not do is a 403 (taskforce.permissions), and every write is a service.
Nothing of the reporter is ever put in a context here.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from netralitas import visibility
from netralitas.enums import Level, Track
from reports.selectors import terlapor_visible_to
from reports.workflow import StaleReport
from taskforce import monitoring, permissions
from taskforce.models import Satgas, SatgasMember
from taskforce.queues import b13_awaiting_decision
from taskforce.selectors import member_of, satgas_for_user, satgas_visible_to, teams_of, week_end, workload
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


def may_open_satgas_pages(user) -> bool:
    return user.has_perm("reports.record_satgas_decision") or user.has_perm("taskforce.view_satgas")


@login_required
@require_http_methods(["GET"])
def satgas_home(request: HttpRequest) -> HttpResponse:
    """The Satgas's page: the teams the user serves on (every team for national bodies), B13 cases awaiting
    its decision, and those it decided."""
    if not may_open_satgas_pages(request.user):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    national = visibility.scope_for(request.user).national
    teams = list(
        (satgas_visible_to(request.user) if national else teams_of(request.user)).select_related("organisation")
    )
    b13 = request.user.has_perm("reports.record_satgas_decision")
    waiting = list(b13_awaiting_decision(request.user)[:200]) if b13 else []
    decided = (
        list(
            terlapor_visible_to(request.user)
            .filter(satgas_decided_at__isnull=False)
            .select_related("report", "instansi")
            .order_by("-satgas_decided_at", "-pk")[:50]
        )
        if b13
        else []
    )
    context = {
        "nav": "satgas",
        "teams": teams,
        "b13": b13,
        "waiting": waiting,
        "decided": decided,
        "today": timezone.localdate(),
    }
    return render(request, "taskforce/satgas_home.html", context)


def team_context(request: HttpRequest, pk: int, *, tab: str) -> tuple[Satgas, SatgasMember | None, dict]:
    """The team ``pk`` (404 unless the user may see it), the user's member row on it, and the frame's context.

    Raises PermissionDenied for an account that may not open the Satgas's pages at all.
    """
    try:
        satgas = satgas_for_user(request.user, pk)
    except Satgas.DoesNotExist:
        raise Http404 from None
    if not may_open_satgas_pages(request.user):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    member = member_of(request.user, satgas)
    context = {
        "nav": "satgas",
        "satgas": satgas,
        "member": member,
        "tab": tab,
        "may_assign": permissions.may_assign(request.user, member),
        "may_note": permissions.may_note(request.user, member),
        "may_record_meeting": permissions.may_record_meeting(request.user, member),
        "may_generate_monev": permissions.may_generate_monev(request.user, member),
        "may_read_monev": permissions.may_read_monev(request.user, member),
        "may_manage_members": permissions.may_manage_members(request.user, member),
    }
    return satgas, member, context


@login_required
@require_http_methods(["GET"])
def satgas_team(request: HttpRequest, pk: int) -> HttpResponse:
    """Monitoring of a team's region: open reports, recommendations awaiting the PPKs (working days left),
    the overdue ones, B13 cases awaiting the Satgas, and the latest notes and meetings."""
    satgas, _member, context = team_context(request, pk, tab="pantau")
    today = timezone.localdate()
    user = request.user
    context.update(
        today=today,
        open_reports=monitoring.open_reports(user, satgas),
        awaiting=monitoring.awaiting_ppk(user, satgas, today=today),
        overdue=monitoring.overdue_followups(user, satgas, today=today),
        b13_cases=monitoring.b13_waiting(user, satgas) if user.has_perm("reports.record_satgas_decision") else None,
        notes=monitoring.recent_notes(satgas),
        meetings=monitoring.recent_meetings(satgas),
        list_rows=monitoring.LIST_ROWS,
    )
    return render(request, "taskforce/team_monitoring.html", context)


@login_required
@require_http_methods(["GET"])
def satgas_workload(request: HttpRequest, pk: int) -> HttpResponse:
    """Per member: open cases, due this week, overdue (two queries whatever the number of cases)."""
    satgas, _member, context = team_context(request, pk, tab="beban")
    today = timezone.localdate()
    rows = workload(satgas, today=today)
    context.update(
        rows=rows,
        today=today,
        week_end=week_end(today),
        totals={
            "open": sum(r.open for r in rows),
            "due_this_week": sum(r.due_this_week for r in rows),
            "overdue": sum(r.overdue for r in rows),
        },
    )
    return render(request, "taskforce/team_workload.html", context)
