"""The figures of a Satgas's monev (monitoring dan evaluasi) over a period, as tables.

The cohort is the reports of the Satgas's region received in the period (dates in
Asia/Jakarta, both ends included), as the requesting member may see them, followed to the
day the monev is built: their status, violation and phase, their terlapor's
recommendations and follow-up, how long each step took against its deadline rule, BKN's
blocks, and each member's workload. Every table is a title, columns and rows of plain
values (JSON-safe), so the PDF, the XLSX and the page render the same numbers.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from netralitas import casefigures
from netralitas.calendar import format_date, holiday_names, working_days_between_given
from netralitas.enums import DayType, DeadlineStep, PeriodPhase
from netralitas.models import DeadlineRule, ViolationType
from reports.enums import CaseStatus, ReportStatus
from reports.models import CaseEvent, Recommendation, ReportEvent
from taskforce.models import Assignment, Satgas, SatgasMember
from taskforce.selectors import OPEN_SUBJECT, team_cases, team_reports

Progress = Callable[[int, str], None]

R, C = ReportStatus, CaseStatus
FOLLOWED_UP = (C.SANCTIONED, C.DONE)


@dataclass(frozen=True)
class StepRule:
    """A step of the handling: where it starts and ends in the events, and its deadline rule."""

    step: str
    label: str
    level: str  # "report" or "case"
    starts: frozenset[str]  # statuses entered when the step starts
    ends: frozenset[str]  # statuses that end it
    paused_in: str = ""  # a status in which the clock stops (the reporter completing)


def step_rules() -> list[StepRule]:
    return [
        StepRule(
            DeadlineStep.SATGAS_VERIFICATION,
            _("Verifikasi laporan"),
            "report",
            frozenset({R.RECEIVED}),
            frozenset({R.REGISTERED, R.REJECTED}),
            paused_in=R.NEEDS_COMPLETION,
        ),
        StepRule(
            DeadlineStep.BAWASLU_KAJIAN,
            _("Kajian Bawaslu"),
            "report",
            frozenset({R.REGISTERED}),
            frozenset({R.FORWARDED, R.REJECTED}),
        ),
        StepRule(
            DeadlineStep.AUTHORITY_ACTION,
            _("Rekomendasi oleh lembaga"),
            "case",
            frozenset({C.CLARIFICATION}),
            frozenset({C.RECOMMENDED, C.NOT_PROVEN, C.CANNOT_FOLLOW_UP}),
        ),
        StepRule(
            DeadlineStep.PPK_FOLLOW_UP,
            _("Tindak lanjut PPK"),
            "case",
            frozenset({C.AWAITING_PPK}),
            frozenset({C.SANCTIONED}),
        ),
    ]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))


def _local(moment: datetime) -> date:
    return timezone.localdate(moment)


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _plain(value):
    """Lazy translations (choice labels) become plain text: the tables go to JSON, PDF and XLSX."""
    return str(value) if isinstance(value, Promise) else value


def _table(key: str, title: str, columns: list[str], rows: list[list]) -> dict:
    return {
        "key": key,
        "title": str(title),
        "columns": [str(column) for column in columns],
        "rows": [[_plain(value) for value in row] for row in rows],
    }


def _spans(events: list[tuple[str, str, date]], rule: StepRule) -> tuple[date, date, list[tuple[date, date]]] | None:
    """(start, end, paused spans) of ``rule``'s step in one subject's events (oldest first); None if it never ended."""
    start = end = paused_from = None
    paused: list[tuple[date, date]] = []
    for frm, to, day in events:
        if start is None and to in rule.starts:
            start = day
        elif start is not None:
            if rule.paused_in and to == rule.paused_in:
                paused_from = day
            elif paused_from is not None and frm == rule.paused_in:
                paused.append((paused_from, day))
                paused_from = None
            if to in rule.ends:
                end = day
                break
    if start is None or end is None:
        return None
    return start, end, paused


def _step_row(rule: StepRule, spans: list, holidays: set[date], rules: dict[str, tuple[int, str]]) -> list:
    days, day_type = rules.get(rule.step, (None, DayType.CALENDAR))
    elapsed_working, on_time = [], 0
    for start, end, paused in spans:
        working = working_days_between_given(start, end, holidays) - sum(
            working_days_between_given(a, b, holidays) for a, b in paused
        )
        calendar = (end - start).days - sum((b - a).days for a, b in paused)
        elapsed_working.append(working)
        used = working if day_type == DayType.WORKING else calendar
        on_time += days is not None and used <= days
    median = statistics.median(elapsed_working) if elapsed_working else None
    unit = _("hari kerja") if day_type == DayType.WORKING else _("hari kalender")
    limit = f"{days} {unit}" if days is not None else "-"
    return [rule.label, limit, len(spans), on_time, _rate(on_time, len(spans)), median]


def reports_in_period(satgas: Satgas, *, start: date, end: date, user):
    """The monev's cohort: reports of ``satgas``'s region ``user`` may see, received from ``start`` to ``end``."""
    return team_reports(user, satgas).filter(
        received_at__gte=_start_of(start), received_at__lt=_start_of(end + timedelta(days=1))
    )


def build_monev(
    satgas: Satgas, *, start: date, end: date, user, today: date | None = None, progress: Progress | None = None
) -> dict:
    """The monev of ``satgas`` for reports received from ``start`` to ``end``, as ``user`` may see them.

    Returns {"meta": {...}, "tables": [...]}; reads only (a dozen queries whatever the period).
    ``progress(percent, stage)`` is called between the tables (the Celery task stores it).
    """
    today = today or timezone.localdate()
    progress = progress or (lambda percent, stage: None)
    reports = reports_in_period(satgas, start=start, end=end, user=user)
    cases = team_cases(user, satgas).filter(report__in=reports.values("pk"))
    tables = []

    progress(5, _("Laporan per status"))
    counted = dict(reports.order_by().values_list("status").annotate(n=Count("pk")))
    total = sum(counted.values())
    tables.append(
        _table(
            "status",
            _("Laporan diterima per status"),
            [_("Status"), _("Jumlah")],
            [[label, counted.get(value, 0)] for value, label in ReportStatus.choices] + [[_("Jumlah"), total]],
        )
    )

    progress(20, _("Pelanggaran dan tahapan"))
    phases = [*PeriodPhase.values, ""]
    grid: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(phases, 0))
    for code, phase, n in (
        reports.order_by().values_list("violation_type__code", "period_phase").annotate(n=Count("pk"))
    ):
        grid[code or ""][phase or ""] += n
    catalogue = {v.code: (v.sort_order, v.title) for v in ViolationType.objects.filter(code__in=[c for c in grid if c])}
    codes = sorted(grid, key=lambda c: (c == "", catalogue.get(c, (999, ""))[0], c))
    rows = [
        [c or _("Tidak diketahui"), catalogue.get(c, (0, _("Pelapor tidak memilih")))[1]]
        + [grid[c][p] for p in phases]
        + [sum(grid[c].values())]
        for c in codes
    ]
    rows.append([_("Jumlah"), ""] + [sum(grid[c][p] for c in codes) for p in phases] + [total])
    tables.append(
        _table(
            "violation_phase",
            _("Laporan per dugaan pelanggaran dan tahapan pemilihan"),
            [
                _("Kode"),
                _("Bentuk pelanggaran"),
                *(PeriodPhase(p).label for p in PeriodPhase.values),
                _("Tanpa pemilihan"),
            ]
            + [_("Jumlah")],
            rows,
        )
    )

    progress(40, _("Rekomendasi dan tindak lanjut"))
    recommended = Q(recommendation__isnull=False)
    follow = cases.order_by().aggregate(
        cases=Count("pk"),
        not_proven=Count("pk", filter=Q(case_status=C.NOT_PROVEN)),
        recommended=Count("pk", filter=recommended),
        followed_up=Count("pk", filter=recommended & Q(case_status__in=FOLLOWED_UP)),
        awaiting=Count(
            "pk", filter=Q(case_status=C.AWAITING_PPK) & (Q(due_date__gte=today) | Q(due_date__isnull=True))
        ),
        overdue=Count("pk", filter=Q(case_status=C.AWAITING_PPK, due_date__lt=today)),
        cannot=Count("pk", filter=recommended & Q(case_status=C.CANNOT_FOLLOW_UP)),
    )
    rate = _rate(follow["followed_up"], follow["recommended"])
    tables.append(
        _table(
            "recommendations",
            _("Rekomendasi dan tindak lanjut PPK"),
            [_("Uraian"), _("Jumlah")],
            [
                [_("ASN terlapor"), follow["cases"]],
                [_("Tidak terbukti"), follow["not_proven"]],
                [_("Rekomendasi diterbitkan"), follow["recommended"]],
                [_("Ditindaklanjuti PPK (sanksi dijatuhkan)"), follow["followed_up"]],
                [_("Menunggu PPK, dalam tenggat"), follow["awaiting"]],
                [_("Menunggu PPK, lewat tenggat"), follow["overdue"]],
                [_("Tidak dapat ditindaklanjuti"), follow["cannot"]],
                [_("Tingkat tindak lanjut (%)"), rate],
            ],
        )
    )

    progress(55, _("Ketepatan waktu per tahap"))
    by_report: dict[int, list] = defaultdict(list)
    for report_id, frm, to, at in (
        ReportEvent.objects.filter(report__in=reports.values("pk"))
        .exclude(to_status="")
        .order_by("created_at", "pk")
        .values_list("report_id", "from_status", "to_status", "created_at")
    ):
        by_report[report_id].append((frm, to, _local(at)))
    by_case: dict[int, list] = defaultdict(list)
    for case_id, frm, to, at in (
        CaseEvent.objects.filter(terlapor__in=cases.values("pk"))
        .exclude(from_status=F("to_status"))  # notes (from = to) are no step
        .order_by("created_at", "pk")
        .values_list("terlapor_id", "from_status", "to_status", "created_at")
    ):
        by_case[case_id].append((frm, to, _local(at)))
    # The PPK's clock starts on the letter's date (reports.recommendations.issue_recommendation).
    letters = dict(
        Recommendation.objects.filter(terlapor__in=cases.values("pk")).values_list("terlapor_id", "letter_date")
    )
    for case_id, letter_date in letters.items():
        by_case[case_id] = [
            (frm, to, letter_date if to == C.AWAITING_PPK else day) for frm, to, day in by_case[case_id]
        ]
    spans = {}
    for rule in step_rules():
        events = by_report if rule.level == "report" else by_case
        spans[rule.step] = [s for s in (_spans(e, rule) for e in events.values()) if s is not None]
    days = [d for found in spans.values() for s, e, _p in found for d in (s, e)]
    holidays = set(holiday_names(min(days) - timedelta(days=1), max(days))) if days else set()
    rules = {r.step: (r.days, r.day_type) for r in DeadlineRule.objects.all()}
    tables.append(
        _table(
            "steps",
            _("Ketepatan waktu dan lama setiap tahap"),
            [_("Tahap"), _("Tenggat"), _("Selesai"), _("Tepat waktu"), _("Tepat waktu (%)"), _("Median hari kerja")],
            [_step_row(rule, spans[rule.step], holidays, rules) for rule in step_rules()],
        )
    )

    progress(75, _("Pemblokiran"))
    tables.append(
        _table(
            "blocks",
            _("Pemblokiran data kepegawaian oleh BKN"),
            [_("Uraian"), _("Jumlah ASN")],
            [[str(figure.label), value] for figure, value in casefigures.count_figures(cases)],
        )
    )

    progress(85, _("Beban kerja anggota"))
    tables.append(_members_table(satgas, start, end, today))
    progress(95, _("Menyusun berkas"))
    meta = {
        "satgas": satgas.name,
        "organisation": satgas.organisation.name,
        "address": satgas.address or satgas.organisation.address,
        "decree": satgas.decree_number,
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "period": f"{format_date(start)} – {format_date(end)}",
        "as_of": format_date(today),
        "reports_received": total,
        "recommended": follow["recommended"],
        "followed_up": follow["followed_up"],
        "follow_up_rate": rate,
    }
    return {"meta": meta, "tables": tables}


def _members_table(satgas: Satgas, start: date, end: date, today: date) -> dict:
    in_period = Q(assignments__assigned_at__gte=_start_of(start)) & Q(
        assignments__assigned_at__lt=_start_of(end + timedelta(days=1))
    )
    members = list(
        SatgasMember.objects.filter(satgas=satgas)
        .filter(Q(joined_on__lte=end) & (Q(left_on__isnull=True) | Q(left_on__gt=start)))
        .annotate(assigned=Count("assignments", filter=in_period))
        .order_by("order", "pk")
    )
    open_now = {
        row["member_id"]: row
        for row in Assignment.objects.filter(satgas=satgas, ended_at__isnull=True)
        .filter(OPEN_SUBJECT)
        .order_by()
        .values("member_id")
        .annotate(
            open=Count("pk"),
            overdue=Count("pk", filter=Q(report__due_date__lt=today) | Q(terlapor__due_date__lt=today)),
        )
    }
    rows = [
        [
            m.name,
            m.get_role_display(),
            m.institution,
            m.assigned,
            open_now.get(m.pk, {}).get("open", 0),
            open_now.get(m.pk, {}).get("overdue", 0),
        ]
        for m in members
    ]
    return _table(
        "members",
        _("Beban kerja anggota"),
        [
            _("Anggota"),
            _("Peran"),
            _("Asal instansi"),
            _("Ditugaskan dalam periode"),
            _("Masih terbuka"),
            _("Lewat tenggat"),
        ],
        rows,
    )
