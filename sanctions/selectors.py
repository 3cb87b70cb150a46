"""Reads of the sanctions app, and the one visibility rule of each of its models.

Each follows the case it belongs to: whoever may see the terlapor's case may see
its decision, blocks, escalations and events (reports.selectors.terlapor_visible_to).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from netralitas import visibility
from netralitas.calendar import working_days_between_given
from netralitas.enums import INSTANSI_KINDS
from netralitas.models import Holiday
from reports.enums import CaseStatus
from reports.models import Evidence, Recommendation, Terlapor
from reports.outcomes import SanctionFact
from reports.selectors import terlapor_visible_to
from sanctions.enums import Compliance
from sanctions.models import Block, DashboardRollup, Decision, Escalation, SanctionEvent

for _model in (Decision, Block, Escalation, SanctionEvent):
    visibility.register_follows(_model, "terlapor", terlapor_visible_to)


@visibility.register(DashboardRollup)
def rollup_visible_to(user) -> QuerySet[DashboardRollup]:
    """The rollup rows whose cases ``user`` counts on a dashboard: one grain, the rows of their scope.

    The same cases as sanctions.dashboards.dashboard_cases, summed: a national viewer reads the
    national rows; staff of an instansi (its PPK, BKPSDM, Satgas) the rows of their instansi's ASN;
    anyone else (Bawaslu) the rows of the reports received by their organisation or filed about
    their region. Whether those rows are all the cases the dashboard counts is
    ``rollup_answers_for``'s question; where they are not, the dashboard counts live.
    """
    scope = visibility.scope_for(user)
    rows = DashboardRollup.objects.all()
    if scope.national:
        return rows.filter(grain=DashboardRollup.Grain.NATIONAL)
    if not scope.organisation_ids and not scope.region_ids:
        return rows.none()
    if scope.organisation_kind in INSTANSI_KINDS:
        return rows.filter(grain=DashboardRollup.Grain.INSTANSI, instansi_id__in=scope.organisation_ids)
    mine = Q(intake_id__in=scope.organisation_ids) | Q(region_id__in=scope.region_ids)
    return rows.filter(mine, grain=DashboardRollup.Grain.REGION)


def rollup_answers_for(user) -> bool:
    """Whether ``user``'s dashboard cases are a sum of rollup rows (at most one indexed query).

    Not for an empty scope, nor for a non-instansi organisation that employs a terlapor itself:
    reports_visible_to counts the reports naming its ASN, which no grain keeps.
    """
    scope = visibility.scope_for(user)
    if scope.national or scope.organisation_kind in INSTANSI_KINDS:
        return scope.national or bool(scope.organisation_ids)
    if not scope.organisation_ids and not scope.region_ids:
        return False
    cached = getattr(user, "_netralitas_employs_no_terlapor", None)  # asked once per request
    if cached is None:
        cached = not Terlapor.objects.filter(instansi_id__in=scope.organisation_ids).exists()
        user._netralitas_employs_no_terlapor = cached
    return cached


# ---------------------------------------------------------------- the PPK's inbox, BKN's lists, compliance


@dataclass(frozen=True)
class InboxRow:
    """One recommendation awaiting the PPK: what the PPK needs, nothing of the report or its reporter."""

    terlapor: Terlapor
    recommendation: Recommendation
    due_date: date | None
    days_left: int | None  # working days; negative once overdue
    evidence_count: int
    blocked: bool

    @property
    def track(self) -> str:
        return self.recommendation.track

    @property
    def level(self) -> str:
        return self.recommendation.level

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


# Only these columns are read for the inbox: the report (and so the reporter) is never joined.
_INBOX_FIELDS = (
    "id",
    "report_id",
    "name",
    "nip",
    "position",
    "work_unit",
    "instansi_id",
    "employee_status",
    "case_status",
    "due_date",
    "overdue_since",
    "recommendation__id",
    "recommendation__terlapor_id",
    "recommendation__letter_number",
    "recommendation__letter_date",
    "recommendation__track",
    "recommendation__level",
    "recommendation__finding",
    "recommendation__violation_type__id",
    "recommendation__violation_type__code",
    "recommendation__violation_type__title",
)


def _active_block():
    return Exists(Block.objects.filter(terlapor=OuterRef("pk"), lifted_on__isnull=True))


def ppk_inbox(user, *, today: date | None = None) -> list[InboxRow]:
    """Cases awaiting the PPK of ``user``'s instansi, soonest deadline first, with working days left.

    Three queries whatever the number of rows (the cases, the holidays in the span; the user's
    scope once per request). Empty for a user without an instansi.
    """
    scope = visibility.scope_for(user)
    if scope.organisation_id is None:
        return []
    today = today or timezone.localdate()
    evidence_count = (
        Evidence.objects.filter(report_id=OuterRef("report_id"))
        .order_by()
        .values("report_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = list(
        terlapor_visible_to(user)
        .filter(case_status=CaseStatus.AWAITING_PPK, recommendation__addressed_to_id=scope.organisation_id)
        .select_related("recommendation__violation_type")
        .only(*_INBOX_FIELDS)
        .annotate(
            evidence_count=Coalesce(Subquery(evidence_count, output_field=IntegerField()), 0),
            blocked=_active_block(),
        )
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )
    dues = [case.due_date for case in cases if case.due_date is not None]
    holidays: set[date] = set()
    if dues:
        low, high = min([today, *dues]), max([today, *dues])
        holidays = set(
            Holiday.objects.filter(is_active=True, date__gt=low, date__lte=high).values_list("date", flat=True)
        )
    return [
        InboxRow(
            terlapor=case,
            recommendation=case.recommendation,
            due_date=case.due_date,
            # Same count as netralitas.calendar.working_days_between, with the holidays loaded once for all rows.
            days_left=working_days_between_given(today, case.due_date, holidays) if case.due_date else None,
            evidence_count=case.evidence_count,
            blocked=case.blocked,
        )
        for case in cases
    ]


def overdue_cases(user) -> QuerySet[Terlapor]:
    """Cases past the PPK's deadline without a decision that ``user`` may see (BKN: national), oldest first.

    Each row is annotated with ``blocked`` (an active block exists).
    """
    return (
        terlapor_visible_to(user)
        .filter(case_status=CaseStatus.AWAITING_PPK, overdue_since__isnull=False)
        .select_related("instansi", "recommendation")
        .annotate(blocked=_active_block())
        .order_by("overdue_since", "due_date", "pk")
    )


def blocks_to_lift(user) -> QuerySet[Block]:
    """Active blocks marked for lifting (the PPK acted) that ``user`` may see, longest waiting first."""
    return (
        visibility.visible_to(Block, user)
        .filter(lifted_on__isnull=True, lift_requested_at__isnull=False)
        .select_related("terlapor__instansi", "terlapor__decision__sanction_kind")
        .order_by("lift_requested_at", "pk")
    )


def compliance_summary(cases: QuerySet[Terlapor]) -> dict[str, int]:
    """PPK compliance over a queryset of cases, in one query.

    on_time / late: decisions recorded by / after the deadline; not_followed_up: cases still
    awaiting the PPK past the deadline (marked by the sweep); blocked: cases under an active block.
    """
    totals = cases.order_by().aggregate(
        on_time=Count("pk", filter=Q(decision__compliance=Compliance.ON_TIME)),
        late=Count("pk", filter=Q(decision__compliance=Compliance.LATE)),
        not_followed_up=Count("pk", filter=Q(case_status=CaseStatus.AWAITING_PPK, overdue_since__isnull=False)),
        blocked=Count("pk", filter=_active_block()),
    )
    return {key: totals[key] or 0 for key in ("on_time", "late", "not_followed_up", "blocked")}


def sanctions_imposed(terlapor_ids: Iterable[int]) -> dict[int, SanctionFact]:
    """The sanction kind and SK date per terlapor id, for the reporter's status page (reports.outcomes reads it).

    One query. Only the kind and the date: no SK number, no file, nothing of the examination.
    """
    rows = Decision.objects.filter(terlapor_id__in=list(terlapor_ids)).values_list(
        "terlapor_id", "sanction_kind__name", "sk_date"
    )
    return {terlapor_id: SanctionFact(kind=kind, sk_date=sk_date) for terlapor_id, kind, sk_date in rows}
