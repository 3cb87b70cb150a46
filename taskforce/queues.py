"""The Satgas's queues of the staff workspace: the cases assigned to me, and cases outside the matrix (B13)
awaiting its decision; and its pages in the staff header."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import workspace
from netralitas.enums import Track
from reports.models import Terlapor
from reports.selectors import terlapor_visible_to
from taskforce.emails import subject_url
from taskforce.selectors import assigned_to_me
from taskforce.services import SATGAS_DECISION_OPEN


def _item(case: Terlapor, today: date) -> workspace.WorkItem:
    return workspace.WorkItem(
        title=f"{case.name} · {case.report.tracking_code}",
        detail=f"{case.get_case_status_display()} · {case.instansi.name}",
        due_date=case.due_date,
        today=today,
        url=reverse("satgas_decision", args=[case.pk]),
        action=_("Putuskan jalur dan tingkat"),
    )


def b13_awaiting_decision(user):
    """Cases ``user`` may see whose report is outside the matrix (B13) and that the Satgas has not decided."""
    return workspace.by_deadline(
        terlapor_visible_to(user)
        .filter(
            report__violation_type__track=Track.SATGAS,
            case_status__in=SATGAS_DECISION_OPEN,
            satgas_decided_at__isnull=True,
        )
        .select_related("report", "instansi")
    )


def _fetch(user, today: date, limit: int) -> workspace.QueueResult:
    return workspace.fetch_queryset(b13_awaiting_decision(user), today=today, limit=limit, item=_item)


workspace.register(
    workspace.Queue(
        key="taskforce.b13_awaiting_satgas",
        title=gettext_lazy("Perkara B13 menunggu keputusan Satgas"),
        description=gettext_lazy(
            "Pelanggaran di luar matriks: Satgas menetapkan jalur dan tingkat sebelum rekomendasi."
        ),
        order=80,
        applies=lambda user: user.has_perm("reports.record_satgas_decision"),
        fetch=_fetch,
    )
)


def _assigned_item(assignment, today: date) -> workspace.WorkItem:
    if assignment.report_id is not None:
        report = assignment.report
        title, status = report.tracking_code, report.get_status_display()
    else:
        case = assignment.terlapor
        title, status = f"{case.name} · {case.report.tracking_code}", case.get_case_status_display()
    return workspace.WorkItem(
        title=title,
        detail=f"{assignment.get_role_display()} · {assignment.satgas.name} · {status}",
        due_date=assignment.due,
        today=today,
        url=subject_url(assignment),
        action=_("Buka perkara"),
    )


def _fetch_assigned(user, today: date, limit: int) -> workspace.QueueResult:
    return workspace.fetch_queryset(assigned_to_me(user, today=today), today=today, limit=limit, item=_assigned_item)


workspace.register(
    workspace.Queue(
        key="taskforce.assigned_to_me",
        title=gettext_lazy("Perkara yang ditugaskan kepada saya"),
        description=gettext_lazy(
            "Laporan dan perkara yang ditugaskan Satgas kepada Anda, tenggat terdekat lebih dulu."
        ),
        order=75,
        applies=lambda user: user.has_perm("taskforce.view_assignment"),
        fetch=_fetch_assigned,
    )
)


workspace.register_page(
    workspace.StaffPage(
        key="taskforce.satgas",
        title=gettext_lazy("Satgas"),
        url_name="satgas_home",
        order=60,
        applies=lambda user: user.has_perm("reports.record_satgas_decision") or user.has_perm("taskforce.view_satgas"),
    )
)
