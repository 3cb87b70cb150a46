"""The Satgas's page of one report or one case: its team, the assignment forms, notes and meetings.

A report or case the user may not see is a 404 (reports.selectors); the page shows the
Satgas teams the user serves on whose region it is, and offers each act only to whom
taskforce.permissions allows it. Nothing of the reporter is read: no identity, no
witnesses, no evidence files (the evidence count only).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reports.models import Report, Terlapor
from reports.selectors import case_timeline, report_timeline, reports_visible_to, terlapor_visible_to
from taskforce import permissions
from taskforce.assignments import assign_by_rotation, assign_team
from taskforce.forms import AssignmentForm, NoteForm, RotationForm
from taskforce.models import Satgas
from taskforce.monitoring import meetings_about, notes_about, record_monitoring_note
from taskforce.selectors import (
    assignment_history,
    current_assignments,
    member_of,
    members_serving,
    team_cases,
    team_reports,
    teams_of,
)

KINDS = {"laporan": "report", "perkara": "terlapor"}


def _subject(request: HttpRequest, kind: str, pk: int) -> Report | Terlapor:
    """The report or case ``pk`` if the user may see it (404 otherwise) and may open the Satgas's pages (403)."""
    if kind == "report":
        subject = get_object_or_404(
            reports_visible_to(request.user).select_related("intake_organisation", "region", "violation_type"), pk=pk
        )
    else:
        subject = get_object_or_404(
            terlapor_visible_to(request.user).select_related("report__violation_type", "instansi", "recommendation"),
            pk=pk,
        )
    if not request.user.has_perm("taskforce.view_assignment"):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    return subject


def _teams_for(user, subject: Report | Terlapor) -> list[Satgas]:
    """The Satgas ``user`` serves on whose region ``subject`` is in."""
    teams = []
    for satgas in teams_of(user):
        ours = team_reports(user, satgas) if isinstance(subject, Report) else team_cases(user, satgas)
        if ours.filter(pk=subject.pk).exists():
            teams.append(satgas)
    return teams


def _panels(request: HttpRequest, subject, teams: list[Satgas], bound: dict) -> list[dict]:
    """Per team: its current assignment on ``subject``, the forms the user may use (``bound`` keeps posted ones)."""
    by_subject = {"report": subject} if isinstance(subject, Report) else {"terlapor": subject}
    current = current_assignments(**by_subject)
    panels = []
    for satgas in teams:
        member = member_of(request.user, satgas)
        may_assign = permissions.may_assign(request.user, member)
        members = members_serving(satgas)
        team_now = [a for a in current if a.satgas_id == satgas.pk]
        lead = next((a.member for a in team_now if a.role == "lead"), None)
        initial = {"lead": lead, "members": [a.member for a in team_now if a.role == "member"]}
        panels.append(
            {
                "satgas": satgas,
                "current": team_now,
                "may_assign": may_assign,
                "may_note": permissions.may_note(request.user, member),
                "members": members,
                "assign_form": bound.get(("assign", satgas.pk))
                or (AssignmentForm(members=members, initial=initial) if may_assign else None),
                "rotation_form": bound.get(("rotation", satgas.pk)) or (RotationForm() if may_assign else None),
                "note_form": bound.get(("note", satgas.pk)) or NoteForm(),
            }
        )
    return panels


def _render(request: HttpRequest, kind: str, subject, *, bound: dict | None = None, status: int = 200):
    teams = _teams_for(request.user, subject)
    by_subject = {"report": subject} if kind == "report" else {"terlapor": subject}
    team_ids = [t.pk for t in teams]
    if kind == "report":
        timeline = [entry for entry in report_timeline(subject) if not entry.terlapor]
        cases = list(terlapor_visible_to(request.user).filter(report=subject).select_related("instansi"))
    else:
        timeline = case_timeline(subject)
        cases = []
    context = {
        "nav": "satgas",
        "kind": kind,
        "act_url": "satgas_report_act" if kind == "report" else "satgas_case_act",
        "subject": subject,
        "report": subject if kind == "report" else subject.report,
        "cases": cases,
        "panels": _panels(request, subject, teams, bound or {}),
        "history": assignment_history(**by_subject),
        "notes": notes_about(team_ids, **by_subject),
        "meetings": meetings_about(team_ids, **by_subject),
        "timeline": timeline,
        "today": timezone.localdate(),
    }
    return render(request, "taskforce/case_detail.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def subject_page(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    kind = KINDS[kind]
    return _render(request, kind, _subject(request, kind, pk))


def _team_of(request: HttpRequest, subject, satgas_pk: str | None) -> Satgas:
    """The team named in the form, among those the user serves on that cover ``subject`` (403 otherwise)."""
    for satgas in _teams_for(request.user, subject):
        if str(satgas.pk) == str(satgas_pk):
            return satgas
    raise PermissionDenied(_("Anda tidak bertugas pada Satgas yang menangani perkara ini."))


def _apply_errors(form, error: ValidationError) -> None:
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def subject_act(request: HttpRequest, kind: str, pk: int, action: str) -> HttpResponse:
    """Assign by hand ("tugaskan"), by the rotation ("giliran"), or record a monitoring note ("catatan")."""
    kind = KINDS[kind]
    subject = _subject(request, kind, pk)
    satgas = _team_of(request, subject, request.POST.get("satgas"))
    base_url = request.build_absolute_uri("/")  # for the e-mails' links when SITE_URL is not set
    back = redirect(reverse("satgas_report" if kind == "report" else "satgas_case", args=[subject.pk]))
    if action == "tugaskan":
        form = AssignmentForm(request.POST, members=members_serving(satgas))
        if form.is_valid():
            try:
                created = assign_team(
                    subject,
                    satgas=satgas,
                    actor=request.user,
                    lead=form.cleaned_data["lead"],
                    members=list(form.cleaned_data["members"]),
                    reason=form.cleaned_data["reason"],
                    base_url=base_url,
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Penugasan disimpan; %(n)d anggota diberi tahu.") % {"n": len(created)})
                return back
        return _render(request, kind, subject, bound={("assign", satgas.pk): form}, status=400)
    if action == "giliran":
        form = RotationForm(request.POST)
        if form.is_valid():
            try:
                assignment = assign_by_rotation(
                    subject, satgas=satgas, actor=request.user, reason=form.cleaned_data["reason"], base_url=base_url
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Ditugaskan menurut giliran kepada %(name)s.") % {"name": assignment.member.name},
                )
                return back
        return _render(request, kind, subject, bound={("rotation", satgas.pk): form}, status=400)
    if action == "catatan":
        form = NoteForm(request.POST)
        if form.is_valid():
            target = {"reports": [subject]} if kind == "report" else {"cases": [subject]}
            try:
                record_monitoring_note(satgas, actor=request.user, text=form.cleaned_data["text"], **target)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Catatan pemantauan disimpan."))
                return back
        return _render(request, kind, subject, bound={("note", satgas.pk): form}, status=400)
    raise PermissionDenied(_("Tindakan tidak dikenal."))
