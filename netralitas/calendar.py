"""The working-day calendar: holidays, working-day arithmetic and explained deadlines.

Working days skip Saturdays, Sundays and every active Holiday row (libur
nasional, cuti bersama, one-off holidays such as a polling day), domain.md §4.

The arithmetic lives in pure functions over a given set of holiday dates
(``add_working_days_given`` and friends, for callers that load a range of holidays
once); the other functions load the holidays they need with one query and call them.
"""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import holidays as holidays_lib
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netralitas import refcache
from netralitas.enums import DayType, DeadlineStep, HolidayKind, HolidaySource
from netralitas.models import DeadlineRule, Holiday

# Deadlines are days to weeks; ten years is far beyond any real one and keeps loops bounded.
MAX_DAYS = 3660
# No n <= MAX_DAYS working days may span more calendar days than this (guards against absurd holiday data).
MAX_SPAN_DAYS = 3 * MAX_DAYS

LIBRARY_LEGAL_BASIS = "Paket holidays (ID): libur nasional/cuti bersama menurut SKB Menteri"
FIRST_SYNC_YEAR = 2022  # the SKB on ASN neutrality dates from September 2022

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_SHORT = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")

_SATURDAY, _SUNDAY = 5, 6


# ---------------------------------------------------------------- holidays


@transaction.atomic
def sync_holidays(years: Iterable[int] | None = None) -> int:
    """Upsert the national holidays and cuti bersama of ``years`` from the ``holidays`` package.

    Default years: 2022 to next year. Rows are keyed on (date, name). Side
    effects: creates missing rows with source LIBRARY; updates kind and legal
    basis of existing LIBRARY rows but never their ``is_active`` (an
    administrator's deactivation stands); never touches ADMIN rows. Rows the
    package no longer lists are left as they are. Returns the number of rows created.
    """
    if years is None:
        years = range(FIRST_SYNC_YEAR, timezone.localdate().year + 2)
    years = sorted(set(years))
    if not years:
        return 0
    library = holidays_lib.country_holidays("ID", years=years, categories=("public", "government"), language="id")
    wanted = {
        (day, name): HolidayKind.CUTI_BERSAMA if "cuti bersama" in name.lower() else HolidayKind.NATIONAL
        for day in library
        for name in library.get_list(day)
    }
    existing = {
        (row.date, row.name): row
        for row in Holiday.objects.filter(date__gte=date(years[0], 1, 1), date__lte=date(years[-1], 12, 31))
    }
    created = 0
    for (day, name), kind in sorted(wanted.items()):
        row = existing.get((day, name))
        if row is None:
            _row, was_created = Holiday.objects.get_or_create(
                date=day,
                name=name,
                defaults={"kind": kind, "source": HolidaySource.LIBRARY, "legal_basis": LIBRARY_LEGAL_BASIS},
            )
            created += was_created
        elif row.source == HolidaySource.LIBRARY and (row.kind, row.legal_basis) != (kind, LIBRARY_LEGAL_BASIS):
            row.kind, row.legal_basis = kind, LIBRARY_LEGAL_BASIS
            row.save(update_fields=["kind", "legal_basis"])
    return created


def holiday_names(after: date, until: date) -> dict[date, list[str]]:
    """Names of the active holidays with ``after < date <= until``, by date: one query."""
    names: dict[date, list[str]] = {}
    rows = Holiday.objects.filter(is_active=True, date__gt=after, date__lte=until).order_by("date", "name")
    for day, name in rows.values_list("date", "name"):
        names.setdefault(day, []).append(name)
    return names


# ---------------------------------------------------------------- pure arithmetic


def _check_days(n: int) -> None:
    if not 0 <= n <= MAX_DAYS:
        raise ValueError(_("Jumlah hari harus antara 0 dan %(max)d, bukan %(n)d.") % {"max": MAX_DAYS, "n": n})


def is_working_day_given(d: date, holiday_dates: Container[date]) -> bool:
    return d.weekday() < _SATURDAY and d not in holiday_dates


def add_working_days_given(start: date, n: int, holiday_dates: Container[date]) -> date:
    """The n-th working day after ``start`` (``start`` itself not counted); ``start`` when n == 0."""
    _check_days(n)
    day, left = start, n
    limit = start + timedelta(days=MAX_SPAN_DAYS)
    while left:
        day += timedelta(days=1)
        if day > limit:
            raise ValueError(_("Tidak ada %(n)d hari kerja dalam %(span)d hari.") % {"n": n, "span": MAX_SPAN_DAYS})
        if is_working_day_given(day, holiday_dates):
            left -= 1
    return day


def working_days_between_given(start: date, end: date, holiday_dates: Container[date]) -> int:
    """Working days d with start < d <= end; the negated count for end < start (so f(a, b) == -f(b, a))."""
    if end < start:
        return -working_days_between_given(end, start, holiday_dates)
    if (end - start).days > MAX_SPAN_DAYS:
        raise ValueError(_("Rentang tanggal lebih dari %(span)d hari.") % {"span": MAX_SPAN_DAYS})
    return sum(is_working_day_given(start + timedelta(days=i), holiday_dates) for i in range(1, (end - start).days + 1))


# ---------------------------------------------------------------- database-backed


def _add_working_days_with_names(start: date, n: int) -> tuple[date, dict[date, list[str]]]:
    """``add_working_days`` plus the holidays it saw. Practically always one query.

    The window loaded is generous (2n + 366 days); the result is right when it
    falls inside the window, since every day walked was then known. Otherwise
    the window doubles (absurd holiday data), up to MAX_SPAN_DAYS.
    """
    _check_days(n)
    span = 2 * n + 366
    while True:
        until = start + timedelta(days=span)
        names = holiday_names(start, until)
        due = add_working_days_given(start, n, names)
        if due <= until:
            return due, names
        span *= 2


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``start`` itself is not counted); n == 0 gives ``start``.

    Raises ValueError unless 0 <= n <= MAX_DAYS.
    """
    return _add_working_days_with_names(start, n)[0]


def add_calendar_days(start: date, n: int) -> date:
    """``start`` plus n calendar days. Raises ValueError unless 0 <= n <= MAX_DAYS."""
    _check_days(n)
    return start + timedelta(days=n)


def working_days_between(start: date, end: date) -> int:
    """The number of working days d with start < d <= end; negated when end < start, 0 when equal.

    So ``working_days_between(s, add_working_days(s, n)) == n``. Raises
    ValueError for a span over MAX_SPAN_DAYS.
    """
    low, high = min(start, end), max(start, end)
    return working_days_between_given(start, end, holiday_names(low, high))


def is_working_day(d: date) -> bool:
    """True unless ``d`` is a Saturday, a Sunday or an active holiday."""
    return d.weekday() < _SATURDAY and not Holiday.objects.filter(date=d, is_active=True).exists()


# ---------------------------------------------------------------- explained deadlines


def format_date(d: date) -> str:
    """``d`` the Indonesian way: "29 April 2024"."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def format_date_short(d: date) -> str:
    """``d`` without the year: "6 Apr"."""
    return f"{d.day} {MONTHS_SHORT[d.month - 1]}"


@dataclass(frozen=True)
class DeadlineExplanation:
    """A due date with the reasoning behind it, for staff and for the reporter."""

    start: date
    days: int
    day_type: DayType
    due: date
    # Each non-working day strictly between start and due, with why it was skipped.
    skipped: tuple[tuple[date, str], ...] = ()

    def summary(self) -> str:
        """One Indonesian sentence: "14 hari kerja sejak 1 April 2024; dilewati: …; jatuh tempo 29 April 2024."."""
        unit = _("hari kerja") if self.day_type == DayType.WORKING else _("hari kalender")
        since = {"days": self.days, "unit": unit, "start": format_date(self.start)}
        parts = [_("%(days)d %(unit)s sejak %(start)s") % since]
        if self.skipped:
            listed = ", ".join(f"{format_date_short(day)} ({reason})" for day, reason in self.skipped)
            parts.append(_("dilewati: %(days)s") % {"days": listed})
        parts.append(_("jatuh tempo %(due)s") % {"due": format_date(self.due)})
        return "; ".join(parts) + "."


def _skip_reason(d: date, names: dict[date, list[str]]) -> str:
    weekend = {_SATURDAY: _("Sabtu"), _SUNDAY: _("Minggu")}.get(d.weekday())
    return ", ".join(([weekend] if weekend else []) + names.get(d, []))


def explain_deadline(start: date, days: int, day_type: DayType | str) -> DeadlineExplanation:
    """The due date of a ``days``-long step from ``start``, listing the days skipped.

    Calendar days skip nothing. Raises ValueError unless 0 <= days <= MAX_DAYS
    or for an unknown day type.
    """
    day_type = DayType(day_type)
    if day_type == DayType.CALENDAR:
        return DeadlineExplanation(start, days, day_type, add_calendar_days(start, days))
    due, names = _add_working_days_with_names(start, days)
    skipped = tuple(
        (day, _skip_reason(day, names))
        for day in (start + timedelta(days=i) for i in range(1, (due - start).days))
        if not is_working_day_given(day, names)
    )
    return DeadlineExplanation(start, days, day_type, due, skipped)


def due_date_for(step: DeadlineStep | str, start: date) -> DeadlineExplanation:
    """The explained due date of ``step`` begun on ``start``, from its DeadlineRule row.

    Raises DeadlineRule.DoesNotExist when the step has no rule.
    """
    rules = refcache.cached(
        "deadline-rules", lambda: {rule.step: (rule.days, rule.day_type) for rule in DeadlineRule.objects.all()}
    )
    try:
        days, day_type = rules[step]
    except KeyError:
        raise DeadlineRule.DoesNotExist(f"Tidak ada aturan tenggat untuk tahap {step}") from None
    return explain_deadline(start, days, day_type)
