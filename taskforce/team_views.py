"""A team's members and decree, its meetings, and its monev: pages, uploads and permission-checked downloads.

Every file (signed decree, minutes, monev PDF/XLSX) lives in private storage and is served
only after the visibility rule found its Satgas, as an attachment with Cache-Control: no-store.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from netralitas import visibility
from reports.enums import REPORT_FINISHED
from reports.models import Report, Terlapor
from taskforce import permissions
from taskforce.enums import MonevStatus
from taskforce.files import private_download
from taskforce.forms import MeetingForm, MemberImportForm, MonevForm
from taskforce.members_xlsx import check_against_satgas, member_list_xlsx, read_member_list, save_member_list
from taskforce.models import Meeting, MonevReport, SatgasMember
from taskforce.monev_jobs import request_monev
from taskforce.monitoring import recent_meetings, record_meeting
from taskforce.selectors import members_serving, serving_q, team_cases, team_reports
from taskforce.views import team_context

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_MAX_AGE = 3600


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---------------------------------------------------------------- members and decree


@login_required
@require_safe
def satgas_members(request: HttpRequest, pk: int) -> HttpResponse:
    """The decree and the member list, with each member's period, leave and whether they serve today."""
    satgas, _member, context = team_context(request, pk, tab="anggota")
    today = timezone.localdate()
    members = list(
        SatgasMember.objects.filter(satgas=satgas)
        .select_related("user")
        .prefetch_related("leaves")
        .order_by("order", "pk")
    )
    serving = set(members_serving(satgas, today=today).values_list("pk", flat=True))
    for row in members:
        row.serving = row.pk in serving
        row.leave_now = next((leave for leave in row.leaves.all() if leave.start <= today <= leave.end), None)
    context.update(members=members, covered=list(satgas.also_covers.all()), today=today)
    return render(request, "taskforce/team_members.html", context)


@login_required
@require_safe
def satgas_members_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    satgas, _member, _context = team_context(request, pk, tab="anggota")
    response = HttpResponse(member_list_xlsx(satgas), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="anggota-satgas-{satgas.pk}.xlsx"'
    return _no_store(response)


@login_required
@require_safe
def satgas_decree_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    satgas, _member, _context = team_context(request, pk, tab="anggota")
    return private_download(satgas.decree_pdf, filename=f"sk-satgas-{satgas.pk}.pdf", content_type="application/pdf")


def _signer(satgas_pk: int) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"taskforce.member-import:{satgas_pk}")


@login_required
@require_http_methods(["GET", "POST"])
def satgas_members_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a decree's member list; see every row's problem before anything is saved; then confirm."""
    satgas, member, context = team_context(request, pk, tab="anggota")
    if not permissions.may_manage_members(request.user, member):
        raise PermissionDenied(_("Anda tidak berwenang mengubah daftar anggota Satgas ini."))
    form = MemberImportForm()
    errors, rows, token, status = [], [], "", 200
    if request.method == "POST" and "token" in request.POST:
        try:
            rows = _signer(satgas.pk).unsign_object(request.POST["token"], max_age=IMPORT_MAX_AGE)
        except signing.BadSignature:
            errors = [_("Pratinjau ini sudah kedaluwarsa atau rusak. Unggah lagi berkasnya.")]
            status = 400
        else:
            try:
                added, updated = save_member_list(satgas, rows, actor=request.user)
            except ValueError as problem:
                errors, rows, status = list(problem.args[0]), [], 400
            else:
                messages.success(
                    request,
                    _("Daftar anggota disimpan: %(added)d ditambahkan, %(updated)d diperbarui.")
                    % {"added": added, "updated": updated},
                )
                return redirect("satgas_members", pk=satgas.pk)
    elif request.method == "POST":
        form = MemberImportForm(request.POST, request.FILES)
        if form.is_valid():
            result = check_against_satgas(read_member_list(form.cleaned_data["file"].read()), satgas)
            if result.errors:
                errors, status = result.errors, 400
            else:
                rows = result.rows
                token = _signer(satgas.pk).sign_object(rows, compress=True)
        else:
            status = 400
    context.update(form=form, errors=errors, rows=rows, token=token)
    return render(request, "taskforce/team_members_import.html", context, status=status)


# ---------------------------------------------------------------- meetings


def _meeting_form(satgas, user, data=None, files=None) -> MeetingForm:
    today = timezone.localdate()
    members = SatgasMember.objects.filter(satgas=satgas).filter(serving_q(today)).order_by("order", "pk")
    reports = team_reports(user, satgas).exclude(status__in=REPORT_FINISHED).order_by("-received_at")[:200]
    cases = team_cases(user, satgas).select_related("report").order_by("-report__received_at", "pk")[:200]
    return MeetingForm(
        data,
        files,
        members=members,
        reports=Report.objects.filter(pk__in=[r.pk for r in reports]).order_by("-received_at"),
        cases=Terlapor.objects.filter(pk__in=[c.pk for c in cases]).select_related("report"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def satgas_meetings(request: HttpRequest, pk: int) -> HttpResponse:
    """The rapat pembahasan of a team, and (for its leadership) the form to record one."""
    satgas, member, context = team_context(request, pk, tab="rapat")
    may_record = permissions.may_record_meeting(request.user, member)
    form = _meeting_form(satgas, request.user) if may_record else None
    status = 200
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied(_("Hanya ketua, wakil ketua, atau sekretaris Satgas yang mencatat rapat."))
        form = _meeting_form(satgas, request.user, request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                record_meeting(
                    satgas,
                    actor=request.user,
                    held_on=data["held_on"],
                    place=data["place"],
                    agenda=data["agenda"],
                    conclusions=data["conclusions"],
                    attendees=list(data["attendees"]),
                    reports=list(data["reports"]),
                    cases=list(data["cases"]),
                    minutes=data["minutes"],
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("Rapat pembahasan dicatat."))
                return redirect("satgas_meetings", pk=satgas.pk)
        status = 400
    context.update(meetings=recent_meetings(satgas, limit=50), form=form)
    return render(request, "taskforce/team_meetings.html", context, status=status)


@login_required
@require_safe
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(visibility.visible_to(Meeting, request.user), pk=pk)
    if not request.user.has_perm("taskforce.view_meeting"):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    return private_download(meeting.minutes, filename=f"notulen-rapat-{meeting.pk}.pdf", content_type="application/pdf")


# ---------------------------------------------------------------- monev


@login_required
@require_http_methods(["GET", "POST"])
def satgas_monev(request: HttpRequest, pk: int) -> HttpResponse:
    """The team's monev reports, and (for its leadership) the form to build one for a period."""
    satgas, member, context = team_context(request, pk, tab="monev")
    if not permissions.may_read_monev(request.user, member):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    may_generate = permissions.may_generate_monev(request.user, member)
    today = timezone.localdate()
    form = MonevForm(initial={"start": today.replace(month=1, day=1), "end": today}) if may_generate else None
    status = 200
    if request.method == "POST":
        if not may_generate:
            raise PermissionDenied(_("Hanya ketua, wakil ketua, atau sekretaris Satgas yang menyusun monev."))
        form = MonevForm(request.POST)
        if form.is_valid():
            try:
                monev = request_monev(
                    satgas, actor=request.user, start=form.cleaned_data["start"], end=form.cleaned_data["end"]
                )
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                return redirect("monev_detail", pk=monev.pk)
        status = 400
    reports = list(MonevReport.objects.filter(satgas=satgas).select_related("requested_by")[:50])
    context.update(form=form, reports=reports)
    return render(request, "taskforce/team_monev.html", context, status=status)


def _monev(request: HttpRequest, pk: int) -> MonevReport:
    monev = get_object_or_404(visibility.visible_to(MonevReport, request.user).select_related("satgas"), pk=pk)
    _satgas, member, _context = team_context(request, monev.satgas_id, tab="monev")
    if not permissions.may_read_monev(request.user, member):
        raise PermissionDenied(_("Halaman ini untuk anggota Satgas."))
    return monev


@login_required
@require_safe
def monev_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One monev: its progress while it is built (the page refreshes itself), then its figures and files."""
    monev = _monev(request, pk)
    _satgas, _member, context = team_context(request, monev.satgas_id, tab="monev")
    working = monev.status in (MonevStatus.QUEUED, MonevStatus.RUNNING)
    context.update(monev=monev, working=working)
    response = _no_store(render(request, "taskforce/monev_detail.html", context))
    if working:
        response["Refresh"] = "3"  # the browser reloads the page while the job runs: no script needed
    return response


@login_required
@require_safe
def monev_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    monev = _monev(request, pk)
    if monev.status != MonevStatus.DONE:
        raise Http404
    stem = f"monev-satgas-{monev.satgas_id}-{monev.period_start:%Y%m%d}-{monev.period_end:%Y%m%d}"
    if fmt == "pdf":
        return private_download(monev.pdf, filename=f"{stem}.pdf", content_type="application/pdf")
    return private_download(monev.xlsx, filename=f"{stem}.xlsx", content_type=XLSX)
