"""Dashboards of follow-up and compliance: the figures over the cases a staff user may see.

Three views of the same figures (issue 15): the instansi view (PPK / Pj kepala daerah, BKPSDM:
their own ASN only), the regional view (Bawaslu, a Satgas: the cases of their region or pemdas)
and the national view (BKN, KemenPANRB, Kemendagri, administrators). Every view reads the rows of
its scope in sanctions.DashboardRollup when it has been built and no period filter asks for a
precision the rollup does not keep; otherwise it counts live, through
reports.selectors.terlapor_visible_to, in a fixed number of aggregate queries. The lists of cases
(due soon, overdue) are always live. Nothing of the reporter is read.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from netralitas import safecache, visibility
from netralitas.calendar import add_working_days, working_days_between
from netralitas.enums import INSTANSI_KINDS, PeriodPhase, RegionLevel, Role
from netralitas.models import Election, Region
from reports.enums import CaseStatus
from reports.models import Terlapor
from reports.selectors import terlapor_visible_to
from sanctions import measures, rollup
from sanctions.measures import COLUMNS, case_metrics, rates
from sanctions.models import DashboardRollup
from sanctions.selectors import rollup_answers_for

__all__ = ["COLUMNS", "case_metrics"]

VIOLATION_ROWS = 10
INSTANSI_ROWS = 20
LIST_ROWS = 50
WORST_PPK_ROWS = 10
DUE_SOON_WORKING_DAYS = 5


class View:
    INSTANSI = "instansi"
    REGIONAL = "regional"
    NATIONAL = "national"


def dashboard_view(user) -> str:
    """Which of the three dashboards ``user`` gets."""
    scope = visibility.scope_for(user)
    if scope.national:
        return View.NATIONAL
    if scope.organisation_kind in INSTANSI_KINDS and scope.role != Role.SATGAS:
        return View.INSTANSI
    return View.REGIONAL


@dataclass(frozen=True)
class DashboardFilter:
    election: Election | None = None
    provinsi: Region | None = None
    received_from: date | None = None
    received_until: date | None = None

    @property
    def has_period(self) -> bool:
        return self.received_from is not None or self.received_until is not None


def _start_of(day: date) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def dashboard_cases(user, where: DashboardFilter | None = None) -> QuerySet[Terlapor]:
    """The cases (terlapor) counted on ``user``'s dashboard, narrowed by ``where``.

    Visibility first (terlapor_visible_to); staff of an instansi (PPK, BKPSDM, Satgas) count
    the ASN of their own instansi (and a Satgas member those of the pemdas it serves) only.
    The period is the report's received date in Asia/Jakarta, both ends included.
    """
    where = where or DashboardFilter()
    cases = terlapor_visible_to(user)
    scope = visibility.scope_for(user)
    if not scope.national and scope.organisation_kind in INSTANSI_KINDS:
        cases = cases.filter(instansi_id__in=scope.organisation_ids)
    if where.election is not None:
        cases = cases.filter(report__election=where.election)
    if where.provinsi is not None:
        cases = cases.filter(Q(report__region=where.provinsi) | Q(report__region__parent=where.provinsi))
    if where.received_from is not None:
        cases = cases.filter(report__received_at__gte=_start_of(where.received_from))
    if where.received_until is not None:
        cases = cases.filter(report__received_at__lt=_start_of(where.received_until + timedelta(days=1)))
    return cases


def dashboard_totals(cases: QuerySet[Terlapor]) -> dict:
    """The summable metrics over ``cases`` (one query), with the follow-up rate."""
    row = cases.order_by().aggregate(**case_metrics())
    row["rate"] = rates(dict(row))["rate"]
    return row


@dataclass
class Figures:
    """Everything a dashboard shows except the lists of cases; the same shape live or from the rollup."""

    totals: dict
    by_violation: list[dict]
    by_instansi: list[dict]
    by_election: list[dict]
    by_phase: list[dict]
    by_jabatan: list[dict]
    by_region: list[dict]
    trend: list[dict]
    source: str = "live"
    refreshed_at: datetime | None = None
    # The instansi with the most recommendations past the deadline on the day of the rollup
    # (national view); None when counted live, with the lists.
    worst_ppk: list[dict] | None = None
    # Set when the figures come from the rollup: names them (scope, filter, rebuild, language) in the cache.
    cache_key: str | None = None
    extra: dict = field(default_factory=dict)


def _grouped(cases: QuerySet[Terlapor], keys: dict, order: list, limit: int | None) -> list[dict]:
    rows = cases.order_by().annotate(**keys).values(*keys).annotate(**case_metrics()).order_by(*order)
    return [rates(row) for row in (rows[:limit] if limit else rows)]


def cases_by_violation(cases: QuerySet[Terlapor], limit: int | None = VIOLATION_ROWS) -> list[dict]:
    """Metrics per violation code (the recommendation's, else the report's), most cases first."""
    keys = {"code": measures.violation_code(), "title": measures.violation_title()}
    rows = _grouped(cases, keys, ["-cases", "code"], limit)
    return [{**row, "code": row["code"] or None} for row in rows]


def cases_by_instansi(cases: QuerySet[Terlapor], limit: int | None = INSTANSI_ROWS) -> list[dict]:
    """Metrics per instansi of the terlapor, most cases first (all of them when ``limit`` is None)."""
    keys = {"instansi_name": F("instansi__name"), "instansi_key": F("instansi_id")}
    return _grouped(cases, keys, ["-cases", "instansi_name", "instansi_key"], limit)


def _phase_label(phase: str) -> str:
    # A plain str, not the lazy label: Figures are cached, and unpickling each lazy proxy rebuilds
    # its class (Django's lazy()), which cost ~11 ms apiece, 56 ms of the cached instansi page.
    return str(PeriodPhase(phase).label) if phase in PeriodPhase.values else _("-")


def _phase_order(phase: str) -> int:
    return PeriodPhase.values.index(phase) if phase in PeriodPhase.values else 99


def _sorted_election_rows(rows: list[dict]) -> list[dict]:
    rows.sort(key=lambda r: (r["election_name"] is None, r["election_name"] or "", _phase_order(r["phase"])))
    for row in rows:
        row["phase_label"] = _phase_label(row["phase"])
    return rows


def cases_by_election_phase(cases: QuerySet[Terlapor]) -> list[dict]:
    """Metrics per election and phase of the incident, elections by name, phases in election order."""
    keys = {"election_name": F("report__election__name"), "phase": F("report__period_phase")}
    return _sorted_election_rows(_grouped(cases, keys, [], None))


def _sum_rows(rows: list[dict], key: str) -> list[dict]:
    merged: dict = {}
    for row in rows:
        into = merged.setdefault(row[key], {key: row[key], **dict.fromkeys(measures.METRIC_KEYS, 0)})
        for metric in measures.METRIC_KEYS:
            into[metric] += row[metric]
    return [rates(row) for row in merged.values()]


def phases_of(election_rows: list[dict]) -> list[dict]:
    """Election rows summed per phase, in the order of an election (before, during, after the campaign)."""
    rows = _sum_rows(election_rows, "phase")
    rows.sort(key=lambda r: _phase_order(r["phase"]))
    for row in rows:
        row["phase_label"] = _phase_label(row["phase"])
    return rows


def cases_by_jabatan(cases: QuerySet[Terlapor]) -> list[dict]:
    labels = measures.jabatan_labels()
    rows = _grouped(cases, {"jabatan": measures.jabatan_class()}, ["-cases", "jabatan"], None)
    return [{**row, "label": labels[row["jabatan"]]} for row in rows]


def cases_by_region(cases: QuerySet[Terlapor]) -> list[dict]:
    """Metrics per provinsi of the incident, most cases first."""
    keys = {"provinsi_id": measures.provinsi_of_incident()}
    rows = _grouped(cases, keys, ["-cases", "provinsi_id"], None)
    names = dict(Region.objects.filter(level=RegionLevel.PROVINSI).values_list("pk", "name"))
    return [{**row, "label": names.get(row["provinsi_id"], _("-"))} for row in rows]


def weekly_trend(cases: QuerySet[Terlapor]) -> list[dict]:
    """Cases per week of receipt (Monday, Jakarta), oldest first."""
    rows = (
        cases.order_by()
        .annotate(week=measures.received_week())
        .values("week")
        .annotate(cases=Count("pk"), proven=case_metrics()["proven"], sanctioned=case_metrics()["sanctioned"])
        .order_by("week")
    )
    return list(rows)


def _medians(cases: QuerySet[Terlapor]) -> dict:
    if connection.vendor != "postgresql":  # pragma: no cover - percentile_cont is PostgreSQL's
        return {"median_rec_days": None, "median_sanction_days": None}
    return cases.order_by().aggregate(
        median_rec_days=measures.Median(measures.days_to_recommendation()),
        median_sanction_days=measures.Median(measures.days_to_sanction()),
    )


def live_figures(cases: QuerySet[Terlapor], *, instansi_limit: int | None = INSTANSI_ROWS) -> Figures:
    """Every figure counted over ``cases`` (nine queries whatever their number)."""
    totals = rates(cases.order_by().aggregate(**case_metrics()))
    totals.update(_medians(cases))
    by_election = cases_by_election_phase(cases)
    return Figures(
        totals=totals,
        by_violation=cases_by_violation(cases),
        by_instansi=cases_by_instansi(cases, instansi_limit),
        by_election=by_election,
        by_phase=phases_of(by_election),
        by_jabatan=cases_by_jabatan(cases),
        by_region=cases_by_region(cases),
        trend=weekly_trend(cases),
    )


def rollup_figures(
    where: DashboardFilter,
    refreshed_at: datetime,
    rows: QuerySet | None = None,
    *,
    instansi_limit: int | None = INSTANSI_ROWS,
) -> Figures:
    """The figures from the rollup (one query over its rows, one for the provinsi names).

    ``rows``: the viewer's rows (sanctions.selectors.rollup_visible_to); the national grain when None.
    """
    rows = rollup.rollup_rows(
        rows,
        provinsi_id=where.provinsi.pk if where.provinsi else None,
        election_id=where.election.pk if where.election else None,
    )
    kinds: dict[str, list[dict]] = {}
    for row in rows:
        kinds.setdefault(row["kind"], []).append(row)

    def metric_rows(kind: str) -> list[dict]:
        return [rates(dict(row)) for row in kinds.get(kind, [])]

    empty = dict.fromkeys(measures.METRIC_KEYS, 0)
    totals = rates({**empty, **{k: v for k, v in (metric_rows("total") or [empty])[0].items() if k in empty}})
    totals["median_rec_days"] = measures.median_of_histogram(
        [(int(r["key"]), r["cases"]) for r in kinds.get("rec_days", [])]
    )
    totals["median_sanction_days"] = measures.median_of_histogram(
        [(int(r["key"]), r["cases"]) for r in kinds.get("sanction_days", [])]
    )
    violation = [{**r, "code": r["key"] or None, "title": r["label"]} for r in metric_rows("violation")]
    violation.sort(key=lambda r: (-r["cases"], r["code"] or ""))
    instansi = [{**r, "instansi_name": r["label"], "instansi_key": int(r["key"])} for r in metric_rows("instansi")]
    instansi.sort(key=lambda r: (-r["cases"], r["instansi_name"], r["instansi_key"]))
    elections = []
    for r in _sum_rows([{**r, "ep": (r["label"], r["key"])} for r in metric_rows("election_phase")], "ep"):
        name, key = r["ep"]
        elections.append({**r, "election_name": name or None, "phase": key.split(":", 1)[1]})
    by_election = _sorted_election_rows(elections)
    labels = measures.jabatan_labels()
    jabatan = [{**r, "jabatan": r["key"], "label": labels.get(r["key"], r["key"])} for r in metric_rows("jabatan")]
    jabatan.sort(key=lambda r: (-r["cases"], r["jabatan"]))
    names = dict(Region.objects.filter(level=RegionLevel.PROVINSI).values_list("pk", "name"))
    regions = []
    for r in metric_rows("region"):
        provinsi_id = int(r["key"]) if r["key"] else None
        regions.append({**r, "provinsi_id": provinsi_id, "label": names.get(provinsi_id, _("-"))})
    regions.sort(key=lambda r: (-r["cases"], r["provinsi_id"] or 0))
    trend = [
        {
            "week": date.fromisoformat(r["key"]),
            "cases": r["cases"],
            "proven": r["proven"],
            "sanctioned": r["sanctioned"],
        }
        for r in kinds.get("week", [])
        if r["key"]
    ]
    trend.sort(key=lambda r: r["week"])
    worst_ppk = [{"instansi_name": r["label"], "overdue": r["cases"]} for r in kinds.get("ppk_overdue", [])]
    worst_ppk.sort(key=lambda r: (-r["overdue"], r["instansi_name"]))
    return Figures(
        totals=totals,
        by_violation=violation[:VIOLATION_ROWS],
        by_instansi=instansi[:instansi_limit] if instansi_limit else instansi,
        by_election=by_election,
        by_phase=phases_of(by_election),
        by_jabatan=jabatan,
        by_region=regions,
        trend=trend,
        source="rollup",
        refreshed_at=refreshed_at,
        worst_ppk=worst_ppk[:WORST_PPK_ROWS],
    )


def dashboard_figures(user, where: DashboardFilter | None = None) -> Figures:
    """The figures of ``user``'s dashboard: from the rollup when it can answer, else counted live.

    The rollup answers once it has been built, when no period filter asks for a day's precision
    (it keeps weeks), and when the viewer's cases are a sum of its rows (rollup_answers_for).
    """
    where = where or DashboardFilter()
    view = dashboard_view(user)
    instansi_limit = None if view == View.INSTANSI else INSTANSI_ROWS
    if not where.has_period:
        refreshed_at = rollup.rollup_refreshed_at()
        if refreshed_at is not None and rollup_answers_for(user):
            key = figures_cache_key(user, where, refreshed_at)
            figures = safecache.get(key)
            if figures is None:
                rows = visibility.visible_to(DashboardRollup, user)
                figures = rollup_figures(where, refreshed_at, rows, instansi_limit=instansi_limit)
                figures.cache_key = key
                safecache.add(key, figures, FIGURES_CACHE_SECONDS)
            return figures
    cases = dashboard_cases(user, where)
    return live_figures(cases, instansi_limit=instansi_limit)


FIGURES_CACHE_SECONDS = 30 * 60  # longer than the rebuild's 10 minutes: a rebuild changes the key anyway


def _cache_key(kind: str, user, where: DashboardFilter, *more) -> str:
    """A cache key naming ``user``'s view and scope (organisations and regions: users of the same scope share
    the entry, nobody else can reach it), the filter, the language and ``more``."""
    scope = visibility.scope_for(user)
    named = json.dumps(
        [
            dashboard_view(user),
            scope.national,
            scope.organisation_kind,
            sorted(scope.organisation_ids),
            sorted(scope.region_ids),
            where.election.pk if where.election else None,
            where.provinsi.pk if where.provinsi else None,
            where.received_from.isoformat() if where.received_from else None,
            where.received_until.isoformat() if where.received_until else None,
            get_language(),
            *more,
        ]
    )
    return f"dasbor:{kind}:v2:" + hashlib.sha256(named.encode()).hexdigest()


def figures_cache_key(user, where: DashboardFilter, refreshed_at: datetime) -> str:
    """The cache key of ``user``'s figures from the rollup built at ``refreshed_at``.

    Everything the figures and their rendering depend on: the view, the scope, the filter, the
    rebuild and the language. A rebuild changes the key, so nothing is ever invalidated by hand.
    """
    return _cache_key("figures", user, where, refreshed_at.isoformat())


LISTS_CACHE_SECONDS = 60


def lists_cache_key(user, where: DashboardFilter, today: date, last_event_id: int, refreshed_at) -> str:
    """The cache key of ``user``'s due-soon and overdue lists (and the PPKs most behind).

    The lists depend on the cases the scope sees (users of one scope share the entry, as with the
    figures), the filter, the language, the day (overdue and working days are counted to it), the
    rollup the PPKs most behind come from (``refreshed_at``), and the cases' statuses and deadlines,
    which change only by a transition, and each transition records a case event: the newest event's
    id is in the key. What changes without one (an instansi renamed, a holiday added) shows within
    LISTS_CACHE_SECONDS.
    """
    return _cache_key(
        "lists", user, where, today.isoformat(), last_event_id, refreshed_at.isoformat() if refreshed_at else None
    )


# --- lists of cases --------------------------------------------------------------------------


def _awaiting_ppk(cases: QuerySet[Terlapor]) -> QuerySet[Terlapor]:
    return cases.filter(case_status=CaseStatus.AWAITING_PPK, due_date__isnull=False)


def _with_working_days(rows: QuerySet, name: str, start, end) -> list[dict]:
    """``rows`` (at most LIST_ROWS) with ``name`` = working days from ``start`` to ``end`` (per row: the due date).

    In SQL on PostgreSQL; elsewhere (SQLite without services) by the calendar, row by row: 50 rows at most.
    """
    if connection.vendor == "postgresql":
        return list(rows.annotate(**{name: measures.WorkingDays(start, end)})[:LIST_ROWS])
    out = []
    for row in rows[:LIST_ROWS]:
        first = row["due_date"] if start is None else start
        last = row["due_date"] if end is None else end
        out.append({**row, name: working_days_between(first, last)})
    return out


_LIST_FIELDS = ("pk", "due_date", "instansi__name", "recommendation__letter_number")


def recommendations_due_soon(cases: QuerySet[Terlapor], today: date, until: date) -> list[dict]:
    """Cases awaiting the PPK whose deadline falls from ``today`` to ``until``, soonest first (one query)."""
    rows = (
        _awaiting_ppk(cases)
        .filter(due_date__gte=today, due_date__lte=until)
        .order_by("due_date", "pk")
        .values(*_LIST_FIELDS)
    )
    if connection.vendor == "postgresql":
        return _with_working_days(rows, "days_left", Value(today), F("due_date"))
    return _with_working_days(rows, "days_left", today, None)


def recommendations_overdue(cases: QuerySet[Terlapor], today: date) -> list[dict]:
    """Cases awaiting the PPK past their deadline, the longest late first, with the working days late (one query)."""
    rows = _awaiting_ppk(cases).filter(due_date__lt=today).order_by("due_date", "pk").values(*_LIST_FIELDS)
    if connection.vendor == "postgresql":
        return _with_working_days(rows, "days_late", F("due_date"), Value(today))
    return _with_working_days(rows, "days_late", None, today)


def ppk_most_overdue(cases: QuerySet[Terlapor], today: date) -> list[dict]:
    """The instansi (their PPK) with the most recommendations past the deadline, most first (one query)."""
    rows = (
        _awaiting_ppk(cases)
        .filter(due_date__lt=today)
        .values("instansi_id", "instansi__name")
        .annotate(overdue=Count("pk"))
        .order_by("-overdue", "instansi__name")
    )
    return [{"instansi_name": r["instansi__name"], "overdue": r["overdue"]} for r in rows[:WORST_PPK_ROWS]]


def dashboard_lists(
    user, where: DashboardFilter | None = None, today: date | None = None, *, worst_ppk: list[dict] | None = None
) -> dict:
    """The due-soon and overdue lists (and, for a national viewer, the PPKs most behind).

    ``worst_ppk``: the PPKs most behind as the rollup counted them (Figures.worst_ppk); counted live when None.
    """
    where = where or DashboardFilter()
    today = today or timezone.localdate()
    cases = dashboard_cases(user, where)
    until = add_working_days(today, DUE_SOON_WORKING_DAYS)
    lists = {
        "due_until": until,
        "due_soon": recommendations_due_soon(cases, today, until),
        "overdue_list": recommendations_overdue(cases, today),
        "worst_ppk": [],
    }
    if dashboard_view(user) == View.NATIONAL:
        lists["worst_ppk"] = ppk_most_overdue(cases, today) if worst_ppk is None else worst_ppk
    return lists
