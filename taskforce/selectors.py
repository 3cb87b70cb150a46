"""Reads of the taskforce: who serves on which Satgas, what it covers, who carries which cases.

Also the visibility rules of the taskforce models and the scope contributor that lets a
serving member see the cases of their Satgas's region (netralitas.visibility): cases are
always read through reports.selectors first, then narrowed to a Satgas's coverage.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from netralitas import visibility
from netralitas.enums import Role
from reports.enums import CASE_OUTCOMES, REPORT_FINISHED
from reports.models import Report, Terlapor
from reports.selectors import reports_visible_to, terlapor_visible_to
from taskforce.enums import ROTATION_ROLES, AssignmentRole, SatgasLevel
from taskforce.models import (
    Assignment,
    Meeting,
    MonevReport,
    MonitoringNote,
    Satgas,
    SatgasLeave,
    SatgasMember,
)

# ---------------------------------------------------------------- periods


def serving_q(day: date, prefix: str = "") -> Q:
    """SatgasMember rows (reached through ``prefix``) serving on ``day``: own period and the Satgas's."""
    p = prefix
    return (
        Q(**{f"{p}joined_on__lte": day})
        & (Q(**{f"{p}left_on__isnull": True}) | Q(**{f"{p}left_on__gt": day}))
        & Q(**{f"{p}satgas__period_start__lte": day})
        & (Q(**{f"{p}satgas__period_end__isnull": True}) | Q(**{f"{p}satgas__period_end__gte": day}))
    )


def on_leave_q(day: date) -> Exists:
    """An Exists over SatgasMember rows: the member has a leave covering ``day``."""
    return Exists(SatgasLeave.objects.filter(member=OuterRef("pk"), start__lte=day, end__gte=day))


def teams_of(user, *, today: date | None = None) -> QuerySet[Satgas]:
    """The Satgas ``user`` serves on today (an account linked to a member row in period)."""
    today = today or timezone.localdate()
    if user is None or not user.is_authenticated:
        return Satgas.objects.none()
    serving = SatgasMember.objects.filter(serving_q(today), user=user).values("satgas_id")
    return Satgas.objects.filter(pk__in=serving).select_related("organisation")


def member_of(user, satgas: Satgas, *, today: date | None = None) -> SatgasMember | None:
    """``user``'s member row in ``satgas`` if they serve on it today, else None."""
    today = today or timezone.localdate()
    if user is None or not user.is_authenticated:
        return None
    return (
        SatgasMember.objects.filter(serving_q(today), satgas=satgas, user=user)
        .select_related("satgas")
        .annotate(on_leave=on_leave_q(today))
        .first()
    )


def members_serving(satgas: Satgas, *, today: date | None = None) -> QuerySet[SatgasMember]:
    """The members of ``satgas`` serving today, in the decree's order, each with ``on_leave``."""
    today = today or timezone.localdate()
    return (
        SatgasMember.objects.filter(serving_q(today), satgas=satgas)
        .select_related("user", "satgas")
        .annotate(on_leave=on_leave_q(today))
        .order_by("order", "pk")
    )


def leave_of(member: SatgasMember, day: date) -> SatgasLeave | None:
    return member.leaves.filter(start__lte=day, end__gte=day).order_by("start").first()


# ---------------------------------------------------------------- coverage and access


def covered_organisation_ids(satgas: Satgas) -> frozenset[int] | None:
    """The instansi whose ASN ``satgas`` watches (its pemda and ``also_covers``); None for a national one."""
    if satgas.level == SatgasLevel.NATIONAL:
        return None
    return frozenset({satgas.organisation_id, *satgas.also_covers.values_list("pk", flat=True)})


def _coverage(ids: frozenset[int] | None, *, on_report: str, on_case: str) -> Q:
    if ids is None:
        return Q()
    return Q(**{f"{on_report}intake_organisation_id__in": ids}) | Q(**{f"{on_case}instansi_id__in": ids})


def team_reports(user, satgas: Satgas) -> QuerySet[Report]:
    """Reports ``user`` may see that concern ``satgas``: received by, or naming an ASN of, an instansi it covers."""
    ids = covered_organisation_ids(satgas)
    reports = reports_visible_to(user)
    if ids is None:
        return reports
    names_asn = Exists(Terlapor.objects.filter(report=OuterRef("pk"), instansi_id__in=ids))
    return reports.filter(Q(intake_organisation_id__in=ids) | names_asn)


def team_cases(user, satgas: Satgas) -> QuerySet[Terlapor]:
    """Cases ``user`` may see that concern ``satgas``: of an ASN it covers, or in a report its pemda received."""
    ids = covered_organisation_ids(satgas)
    cases = terlapor_visible_to(user)
    if ids is None:
        return cases
    return cases.filter(_coverage(ids, on_report="report__", on_case=""))


def satgas_scope(user, scope: visibility.Scope) -> visibility.Scope:
    """The scope contributor: a serving member sees the cases of their Satgas's region (national: all).

    An account of the Satgas role whose user sits on a decree reaches exactly its teams' cases,
    so a member who left (or whose Satgas's period ended) loses them. One query.
    """
    today = timezone.localdate()
    rows = list(
        SatgasMember.objects.filter(user_id=user.pk).values_list(
            "joined_on",
            "left_on",
            "satgas__period_start",
            "satgas__period_end",
            "satgas__level",
            "satgas__organisation_id",
            "satgas__also_covers",
        )
    )
    if not rows:
        return scope
    national, ids = False, set()
    for joined, left, start, end, level, organisation_id, also in rows:
        serving = (
            joined <= today and (left is None or today < left) and start <= today and (end is None or today <= end)
        )
        if not serving:
            continue
        national = national or level == SatgasLevel.NATIONAL
        ids.add(organisation_id)
        if also is not None:
            ids.add(also)
    if scope.role == Role.SATGAS:
        scope = replace(scope, organisation_ids=frozenset())
    return visibility.widen(scope, organisation_ids=ids, national=national)


@visibility.register(Satgas)
def satgas_visible_to(user) -> QuerySet[Satgas]:
    """National bodies and administrators see every Satgas; a member the ones they serve on today."""
    if visibility.scope_for(user).national:
        return Satgas.objects.all()
    return teams_of(user)


visibility.register_follows(SatgasMember, "satgas", satgas_visible_to)
visibility.register_follows(SatgasLeave, "member__satgas", satgas_visible_to)
for _model in (Assignment, MonitoringNote, Meeting, MonevReport):
    visibility.register_follows(_model, "satgas", satgas_visible_to)


def satgas_for_user(user, pk: int) -> Satgas:
    """The Satgas ``pk`` if ``user`` may see it; raises Satgas.DoesNotExist otherwise (a 404 for views)."""
    return satgas_visible_to(user).select_related("organisation__region").get(pk=pk)


# ---------------------------------------------------------------- assignments and workload

OPEN_SUBJECT = (Q(report__isnull=False) & ~Q(report__status__in=REPORT_FINISHED)) | (
    Q(terlapor__isnull=False) & ~Q(terlapor__case_status__in=CASE_OUTCOMES)
)


def open_assignments() -> QuerySet[Assignment]:
    """Current assignments whose report or case is still open, with ``due`` (the subject's deadline)."""
    return (
        Assignment.objects.filter(ended_at__isnull=True)
        .filter(OPEN_SUBJECT)
        .annotate(due=Coalesce(F("report__due_date"), F("terlapor__due_date")))
    )


def current_assignments(*, report: Report | None = None, terlapor: Terlapor | None = None) -> list[Assignment]:
    """The current team of one report or one case: its lead first, then members in the decree's order."""
    subject = {"report": report} if report is not None else {"terlapor": terlapor}
    return list(
        Assignment.objects.filter(ended_at__isnull=True, **subject)
        .select_related("member__user", "satgas")
        .order_by(Case(When(role=AssignmentRole.LEAD, then=Value(0)), default=Value(1)), "member__order", "member_id")
    )


def assignment_history(*, report: Report | None = None, terlapor: Terlapor | None = None) -> list[Assignment]:
    """Every assignment of one report or case, newest first, with who assigned and who ended it."""
    subject = {"report": report} if report is not None else {"terlapor": terlapor}
    return list(
        Assignment.objects.filter(**subject)
        .select_related("member", "satgas", "assigned_by", "ended_by")
        .order_by("-assigned_at", "-pk")
    )


def rotation_candidates(satgas: Satgas, *, today: date | None = None) -> QuerySet[SatgasMember]:
    """Members the rotation may pick today, the next one first.

    Serving, with an account, in a working role (ROTATION_ROLES), not on leave; ordered by their open
    workload (current assignments on open reports and cases), then by the oldest last assignment
    (never assigned first), then the decree's order: so equal workloads take turns.
    """
    today = today or timezone.localdate()
    workload = (
        open_assignments().filter(member=OuterRef("pk")).order_by().values("member").annotate(n=Count("pk")).values("n")
    )
    return (
        SatgasMember.objects.filter(serving_q(today), satgas=satgas, user__isnull=False, user__is_active=True)
        .filter(role__in=ROTATION_ROLES)
        .exclude(on_leave_q(today))
        .annotate(
            workload=Coalesce(Subquery(workload, output_field=IntegerField()), Value(0)),
            last_assigned=Max("assignments__assigned_at"),
        )
        .order_by("workload", F("last_assigned").asc(nulls_first=True), "order", "pk")
    )


@dataclass(frozen=True)
class WorkloadRow:
    member: SatgasMember
    open: int
    due_this_week: int
    overdue: int


def week_end(today: date) -> date:
    """The Sunday that ends ``today``'s week."""
    return today + timedelta(days=6 - today.weekday())


def workload(satgas: Satgas, *, today: date | None = None) -> list[WorkloadRow]:
    """Per member of ``satgas`` (serving today, or still holding open work): open, due this week, overdue.

    Two queries whatever the number of cases: the counts grouped by member, and the members.
    """
    today = today or timezone.localdate()
    counts = {
        row["member_id"]: row
        for row in open_assignments()
        .filter(satgas=satgas)
        .order_by()
        .values("member_id")
        .annotate(
            open=Count("pk"),
            due_this_week=Count("pk", filter=Q(due__gte=today, due__lte=week_end(today))),
            overdue=Count("pk", filter=Q(due__lt=today)),
        )
    }
    members = (
        SatgasMember.objects.filter(satgas=satgas)
        .filter(serving_q(today) | Q(pk__in=list(counts)))
        .annotate(on_leave=on_leave_q(today))
        .order_by("order", "pk")
    )
    empty = {"open": 0, "due_this_week": 0, "overdue": 0}
    return [
        WorkloadRow(
            member=m,
            open=counts.get(m.pk, empty)["open"],
            due_this_week=counts.get(m.pk, empty)["due_this_week"],
            overdue=counts.get(m.pk, empty)["overdue"],
        )
        for m in members
    ]


def assigned_to_me(user, *, today: date | None = None) -> QuerySet[Assignment]:
    """Open assignments of ``user`` on the Satgas they serve on, soonest deadline first (overdue first).

    Only reports and cases the user may still see (the visibility rule decides, not the row).
    """
    today = today or timezone.localdate()
    visible = Q(report__in=reports_visible_to(user).values("pk")) | Q(
        terlapor__in=terlapor_visible_to(user).values("pk")
    )
    return (
        open_assignments()
        .filter(serving_q(today, "member__"), member__user=user)
        .filter(visible)
        .select_related("satgas", "report", "terlapor__report", "terlapor__instansi")
        .order_by(F("due").asc(nulls_last=True), "pk")
    )


def lead_name_subquery(field: str):
    """A subquery of the current lead's name on the report or case of each row (``field``: "report" or "terlapor")."""
    leads = Assignment.objects.filter(
        **{field: OuterRef("pk")}, ended_at__isnull=True, role=AssignmentRole.LEAD
    ).values("member__name")[:1]
    return Subquery(leads, output_field=CharField())
