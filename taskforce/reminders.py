"""The Satgas's step for the reminder engine (netralitas.reminders): the member assigned to a report or a case.

Each open assignment is due when its report or case is (``open_assignments().due``). The member hears
of it by their own account; when it stays overdue the ketua (and wakil ketua) of the Satgas serving
that day hear of it, the route of the ReminderRule "taskforce.assignment" (target STEP).

A member outside their period of appointment or on leave is reminded of nothing, by this step or any
other: the recipient filter below drops them (the ketua then hears of the overdue assignment and
reassigns it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas import reminders
from netralitas.enums import Role
from taskforce.emails import subject_url
from taskforce.enums import SatgasRole
from taskforce.models import Assignment, SatgasMember
from taskforce.selectors import on_leave_q, open_assignments, serving_q

STEP = "taskforce.assignment"
SUPERVISING_ROLES = (SatgasRole.KETUA, SatgasRole.WAKIL_KETUA)

_FIELDS = (
    "pk",
    "due",
    "member__user_id",
    "satgas__organisation_id",
    "satgas__organisation__region_id",
    "satgas__name",
    "report__tracking_code",
    "terlapor__name",
    "terlapor__report__tracking_code",
    "report_id",
    "terlapor_id",
    "role",
)


def _rows():
    return open_assignments().filter(member__user__isnull=False, due__isnull=False).values_list(*_FIELDS)


def _item(row: tuple) -> reminders.DueItem:
    pk, due, user_id, organisation_id, region_id, satgas, code, name, case_code, report_id, terlapor_id, role = row
    if report_id is not None:
        title = _("Penugasan Satgas: laporan %(code)s") % {"code": code}
        subject = Assignment(report_id=report_id)
    else:
        title = _("Penugasan Satgas: perkara %(name)s (laporan %(code)s)") % {"name": name, "code": case_code}
        subject = Assignment(terlapor_id=terlapor_id)
    return reminders.DueItem(
        subject=f"{STEP}:{pk}",
        due_date=due,
        title=title,
        url=subject_url(subject),
        user_ids=(user_id,),
        organisation_ids=(organisation_id,),
        region_id=region_id,
        detail=satgas,
        supervisor_title=title,
        supervisor_url=subject_url(subject),
    )


def _due(query: reminders.DueQuery) -> list[reminders.DueItem]:
    return [_item(row) for row in _rows().filter(query.q("due")).order_by("due", "pk")]


def _recheck(subject: str) -> reminders.DueItem | None:
    row = _rows().filter(pk=reminders.subject_pk(subject)).first()
    return _item(row) if row else None


def _supervisors(item: reminders.DueItem) -> list[int]:
    """The accounts of the Satgas's ketua and wakil ketua serving on the day (one query per escalated item)."""
    today = timezone.localdate()
    satgas = Assignment.objects.filter(pk=reminders.subject_pk(item.subject)).values("satgas_id")
    return list(
        SatgasMember.objects.filter(satgas_id__in=satgas, role__in=SUPERVISING_ROLES, user__isnull=False)
        .filter(serving_q(today))
        .exclude(on_leave_q(today))
        .exclude(user_id__in=item.user_ids)
        .order_by("order", "pk")
        .values_list("user_id", flat=True)
    )


def serving_on(recipients: Sequence, on: date) -> list:
    """Drop the Satgas-role recipients appointed to a Satgas but serving on none on ``on`` (period over, on leave).

    An account of the Satgas role that no decree names (no SatgasMember row) is left as it is.
    """
    satgas_users = {r.user_id for r in recipients if r.role == Role.SATGAS and r.user_id is not None}
    if not satgas_users:
        return list(recipients)
    appointed: set[int] = set()
    serving: set[int] = set()
    rows = (
        SatgasMember.objects.filter(user_id__in=satgas_users)
        .annotate(serving=ExpressionWrapper(serving_q(on) & ~on_leave_q(on), output_field=BooleanField()))
        .values_list("user_id", "serving")
    )
    for user_id, is_serving in rows:
        appointed.add(user_id)
        if is_serving:
            serving.add(user_id)
    return [r for r in recipients if r.role != Role.SATGAS or r.user_id not in appointed or r.user_id in serving]


reminders.register_step(
    reminders.Step(
        key=STEP,
        title=gettext_lazy("Penugasan anggota Satgas"),
        order=70,
        due=_due,
        recheck=_recheck,
        supervisors=_supervisors,
    )
)
reminders.register_recipient_filter(serving_on)
