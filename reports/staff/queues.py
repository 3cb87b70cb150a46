"""The reports app's queues of the staff workspace (netralitas.workspace).

Each queue reads through the visibility rule (reports_visible_to /
terlapor_visible_to) and links to the admin page where the next act is done.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import visibility, workspace
from reports.enums import REPORT_FINISHED, CaseStatus, EventKind, ReportStatus
from reports.models import Report, ReportEvent, Terlapor
from reports.selectors import reports_visible_to, terlapor_visible_to

VERIFYING = (ReportStatus.RECEIVED, ReportStatus.VERIFYING)
KAJIAN = (ReportStatus.REGISTERED, ReportStatus.KAJIAN)
AT_AUTHORITY = (CaseStatus.CLARIFICATION, CaseStatus.RECOMMENDED)


def _report_changelist(**params) -> str:
    return f"{reverse('admin:reports_report_changelist')}?{urlencode(params)}"


def _report_item(action: str):
    def item(report: Report, today: date) -> workspace.WorkItem:
        return workspace.WorkItem(
            title=report.tracking_code,
            detail=f"{report.get_status_display()} · {report.region.name}",
            due_date=report.due_date,
            today=today,
            url=reverse("admin:reports_report_change", args=[report.pk]),
            action=action,
        )

    return item


def _held_by_my_organisation(user) -> Q:
    """Reports whose intake organisation is the user's; a national body also holds the national queue."""
    scope = visibility.scope_for(user)
    held = Q(intake_organisation_id=scope.organisation_id)
    if scope.national and scope.organisation_id is not None:
        held |= Q(intake_organisation__isnull=True)
    return held


def _answered_completion() -> Exists:
    """The reporter answered a completion request: their addition is newer than the last request."""
    last_request = (
        ReportEvent.objects.filter(report=OuterRef(OuterRef("pk")), kind=EventKind.INFO_REQUESTED)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    return Exists(
        ReportEvent.objects.filter(
            report=OuterRef("pk"), kind=EventKind.REPORTER_ADDED, created_at__gt=Subquery(last_request)
        )
    )


def _reports(user) -> QuerySet[Report]:
    return workspace.by_deadline(reports_visible_to(user).select_related("region"))


# ---------------------------------------------------------------- to verify, completion answers


def _to_verify(user) -> QuerySet[Report]:
    return _reports(user).filter(_held_by_my_organisation(user), status__in=VERIFYING)


def _fetch_to_verify(user, today: date, limit: int) -> workspace.QueueResult:
    qs = _to_verify(user).filter(~_answered_completion())
    return workspace.fetch_queryset(
        qs,
        today=today,
        limit=limit,
        item=_report_item(_("Verifikasi")),
        more_url=_report_changelist(status__exact="received"),
    )


def _fetch_completion_answers(user, today: date, limit: int) -> workspace.QueueResult:
    qs = _to_verify(user).filter(status=ReportStatus.VERIFYING).filter(_answered_completion())
    return workspace.fetch_queryset(
        qs,
        today=today,
        limit=limit,
        item=_report_item(_("Baca jawaban pelapor")),
        more_url=_report_changelist(status__exact="verifying"),
    )


def _may_verify(user) -> bool:
    return user.has_perm("reports.verify_report")


workspace.register(
    workspace.Queue(
        key="reports.to_verify",
        title=gettext_lazy("Laporan untuk diverifikasi"),
        description=gettext_lazy("Laporan yang diterima organisasi Anda dan belum selesai diverifikasi."),
        order=10,
        applies=_may_verify,
        fetch=_fetch_to_verify,
    )
)
workspace.register(
    workspace.Queue(
        key="reports.completion_answers",
        title=gettext_lazy("Jawaban pelapor diterima"),
        description=gettext_lazy("Pelapor telah melengkapi laporan yang Anda minta dilengkapi."),
        order=20,
        applies=_may_verify,
        fetch=_fetch_completion_answers,
    )
)


# ---------------------------------------------------------------- kajian


def _fetch_kajian(user, today: date, limit: int) -> workspace.QueueResult:
    qs = _reports(user).filter(_held_by_my_organisation(user), status__in=KAJIAN)
    return workspace.fetch_queryset(
        qs,
        today=today,
        limit=limit,
        item=_report_item(_("Kaji laporan")),
        more_url=_report_changelist(status__exact="kajian"),
    )


workspace.register(
    workspace.Queue(
        key="reports.kajian_due",
        title=gettext_lazy("Kajian jatuh tempo"),
        description=gettext_lazy("Laporan teregistrasi yang menunggu kajian dan penerusan oleh Bawaslu."),
        order=30,
        applies=lambda user: user.has_perm("reports.assess_report"),
        fetch=_fetch_kajian,
    )
)


# ---------------------------------------------------------------- at the recommending authority


def _case_item(action: str):
    def item(case: Terlapor, today: date) -> workspace.WorkItem:
        return workspace.WorkItem(
            title=f"{case.name} · {case.report.tracking_code}",
            detail=f"{case.get_case_status_display()} · {case.instansi.name}",
            due_date=case.due_date,
            today=today,
            url=reverse("admin:reports_terlapor_change", args=[case.pk]),
            action=action,
        )

    return item


def _fetch_forwarded(user, today: date, limit: int) -> workspace.QueueResult:
    scope = visibility.scope_for(user)
    qs = workspace.by_deadline(
        terlapor_visible_to(user)
        .filter(case_status__in=AT_AUTHORITY, authority__organisation_id=scope.organisation_id)
        .select_related("report", "instansi")
    )
    return workspace.fetch_queryset(
        qs,
        today=today,
        limit=limit,
        item=_case_item(_("Klarifikasi dan rekomendasi")),
        more_url=f"{reverse('admin:reports_terlapor_changelist')}?{urlencode({'case_status__exact': 'clarification'})}",
    )


workspace.register(
    workspace.Queue(
        key="reports.forwarded_to_authority",
        title=gettext_lazy("Diteruskan kepada lembaga Anda"),
        description=gettext_lazy("Perkara yang diteruskan Bawaslu dan menunggu klarifikasi serta rekomendasi."),
        order=40,
        applies=lambda user: user.has_perm("reports.issue_recommendation"),
        fetch=_fetch_forwarded,
    )
)


# ---------------------------------------------------------------- assigned to me


def _fetch_assigned(user, today: date, limit: int) -> workspace.QueueResult:
    qs = _reports(user).filter(assigned_to=user).exclude(status__in=REPORT_FINISHED)
    return workspace.fetch_queryset(
        qs,
        today=today,
        limit=limit,
        item=_report_item(_("Tangani")),
        more_url=_report_changelist(ditangani="saya"),
    )


workspace.register(
    workspace.Queue(
        key="reports.assigned_to_me",
        title=gettext_lazy("Ditugaskan kepada saya"),
        description=gettext_lazy("Laporan yang sedang Anda tangani."),
        order=90,
        applies=lambda user: user.has_perm("reports.change_report"),
        fetch=_fetch_assigned,
    )
)


workspace.register_page(
    workspace.StaffPage(
        key="reports.reports",
        title=gettext_lazy("Laporan"),
        url_name="admin:reports_report_changelist",
        order=10,
        applies=lambda user: user.has_perm("reports.view_report"),
    )
)
workspace.register_page(
    workspace.StaffPage(
        key="reports.cases",
        title=gettext_lazy("Perkara terlapor"),
        url_name="admin:reports_terlapor_changelist",
        order=20,
        applies=lambda user: user.has_perm("reports.view_terlapor"),
    )
)
