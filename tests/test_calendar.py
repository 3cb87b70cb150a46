from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netralitas import calendar
from netralitas.calendar import (
    LIBRARY_LEGAL_BASIS,
    DeadlineExplanation,
    add_calendar_days,
    add_working_days,
    add_working_days_given,
    due_date_for,
    explain_deadline,
    is_working_day,
    sync_holidays,
    working_days_between,
    working_days_between_given,
)
from netralitas.enums import DayType, DeadlineStep, HolidayKind, HolidaySource
from netralitas.models import DeadlineRule, Holiday

LEBARAN_SKIPPED = (
    (date(2024, 4, 6), "Sabtu"),
    (date(2024, 4, 7), "Minggu"),
    (date(2024, 4, 8), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2024, 4, 9), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2024, 4, 10), "Hari Raya Idul Fitri"),
    (date(2024, 4, 11), "Hari kedua dari Hari Raya Idul Fitri"),
    (date(2024, 4, 12), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2024, 4, 13), "Sabtu"),
    (date(2024, 4, 14), "Minggu"),
    (date(2024, 4, 15), "Cuti Bersama Hari Raya Idul Fitri"),
    (date(2024, 4, 20), "Sabtu"),
    (date(2024, 4, 21), "Minggu"),
    (date(2024, 4, 27), "Sabtu"),
    (date(2024, 4, 28), "Minggu"),
)


@pytest.fixture
def holidays_2024(db):
    """The 2024 holidays of the package (the reference load usually has them already)."""
    sync_holidays([2024])


@pytest.fixture
def no_holidays(db):
    """An empty holiday table (the session's reference load fills it; rolled back after the test)."""
    Holiday.objects.all().delete()


# ---------------------------------------------------------------- sync_holidays


def test_sync_holidays_creates_library_rows_with_kinds(no_holidays):
    created = sync_holidays([2024])

    assert created == 29
    assert Holiday.objects.count() == 29
    lebaran = list(
        Holiday.objects.filter(date__range=(date(2024, 4, 8), date(2024, 4, 15))).values_list("date", "kind", "source")
    )
    assert lebaran == [
        (date(2024, 4, 8), HolidayKind.CUTI_BERSAMA, HolidaySource.LIBRARY),
        (date(2024, 4, 9), HolidayKind.CUTI_BERSAMA, HolidaySource.LIBRARY),
        (date(2024, 4, 10), HolidayKind.NATIONAL, HolidaySource.LIBRARY),
        (date(2024, 4, 11), HolidayKind.NATIONAL, HolidaySource.LIBRARY),
        (date(2024, 4, 12), HolidayKind.CUTI_BERSAMA, HolidaySource.LIBRARY),
        (date(2024, 4, 15), HolidayKind.CUTI_BERSAMA, HolidaySource.LIBRARY),
    ]
    pilkada = Holiday.objects.get(date=date(2024, 11, 27))
    assert (pilkada.name, pilkada.kind, pilkada.legal_basis, pilkada.is_active) == (
        "Hari Pemilihan Kepala Daerah",
        HolidayKind.NATIONAL,
        LIBRARY_LEGAL_BASIS,
        True,
    )


def test_sync_holidays_is_idempotent_and_keeps_admin_rows(no_holidays):
    admin_same_key = Holiday.objects.create(
        date=date(2024, 8, 17),
        name="Hari Kemerdekaan Republik Indonesia",
        kind=HolidayKind.ONE_OFF,
        source=HolidaySource.ADMIN,
        legal_basis="Keppres contoh",
    )
    admin_one_off = Holiday.objects.create(
        date=date(2024, 2, 15), name="Libur khusus", kind=HolidayKind.ONE_OFF, legal_basis="SK contoh"
    )

    first = sync_holidays([2024])
    Holiday.objects.filter(date=date(2024, 12, 26)).update(is_active=False)  # an administrator cancels it
    Holiday.objects.filter(date=date(2024, 12, 25)).update(kind=HolidayKind.CUTI_BERSAMA, legal_basis="")
    second = sync_holidays([2024])

    assert (first, second) == (28, 0)
    assert Holiday.objects.count() == 30
    admin_same_key.refresh_from_db()
    assert (admin_same_key.kind, admin_same_key.source, admin_same_key.legal_basis) == (
        HolidayKind.ONE_OFF,
        HolidaySource.ADMIN,
        "Keppres contoh",
    )
    assert Holiday.objects.get(pk=admin_one_off.pk).name == "Libur khusus"
    assert Holiday.objects.get(date=date(2024, 12, 26)).is_active is False
    christmas = Holiday.objects.get(date=date(2024, 12, 25))
    assert (christmas.kind, christmas.legal_basis) == (HolidayKind.NATIONAL, LIBRARY_LEGAL_BASIS)


def test_sync_holidays_empty_years_creates_nothing(no_holidays):
    assert sync_holidays([]) == 0
    assert Holiday.objects.count() == 0


# ---------------------------------------------------------------- working days


def test_add_working_days_fourteen_across_lebaran(holidays_2024):
    assert add_working_days(date(2024, 4, 1), 14) == date(2024, 4, 29)


def test_add_working_days_friday_plus_one_is_monday(holidays_2024):
    assert add_working_days(date(2024, 7, 12), 1) == date(2024, 7, 15)


def test_add_working_days_zero_is_start_even_on_a_holiday(holidays_2024):
    assert add_working_days(date(2024, 4, 10), 0) == date(2024, 4, 10)


def test_add_working_days_skips_pilkada_polling_day(holidays_2024):
    assert add_working_days(date(2024, 11, 26), 1) == date(2024, 11, 28)
    assert is_working_day(date(2024, 11, 27)) is False


def test_add_working_days_uses_one_query(holidays_2024, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert add_working_days(date(2024, 1, 1), 200) == date(2024, 11, 4)


@pytest.mark.parametrize("n", [-1, calendar.MAX_DAYS + 1])
def test_add_working_days_refuses_out_of_range(n, db):
    with pytest.raises(ValueError, match="antara 0 dan 3660"):
        add_working_days(date(2024, 1, 1), n)


def test_add_calendar_days_counts_every_day():
    assert add_calendar_days(date(2024, 4, 1), 14) == date(2024, 4, 15)
    assert add_calendar_days(date(2024, 4, 1), 0) == date(2024, 4, 1)
    with pytest.raises(ValueError):
        add_calendar_days(date(2024, 4, 1), -1)


def test_working_days_between_across_lebaran(holidays_2024):
    # 2–5 Apr, 16–19 Apr, 22–26 Apr, 29–30 Apr.
    assert working_days_between(date(2024, 4, 1), date(2024, 4, 30)) == 15
    assert working_days_between(date(2024, 4, 30), date(2024, 4, 1)) == -15
    assert working_days_between(date(2024, 4, 5), date(2024, 4, 15)) == 0
    assert working_days_between(date(2024, 4, 16), date(2024, 4, 16)) == 0


def test_is_working_day(holidays_2024):
    assert is_working_day(date(2024, 4, 16)) is True
    assert is_working_day(date(2024, 4, 10)) is False
    assert is_working_day(date(2024, 4, 13)) is False
    assert is_working_day(date(2024, 4, 14)) is False


def test_admin_one_off_holiday_is_honoured_and_inactive_one_ignored(holidays_2024):
    Holiday.objects.create(date=date(2025, 3, 4), name="Libur khusus A", kind=HolidayKind.ONE_OFF)
    Holiday.objects.create(date=date(2025, 3, 5), name="Libur batal", kind=HolidayKind.ONE_OFF, is_active=False)

    # Mon 3 Mar 2025 + 2 working days: Tue 4 is off, Wed 5 is not.
    assert add_working_days(date(2025, 3, 3), 2) == date(2025, 3, 6)
    assert is_working_day(date(2025, 3, 4)) is False
    assert is_working_day(date(2025, 3, 5)) is True
    assert working_days_between(date(2025, 3, 3), date(2025, 3, 7)) == 3


# ---------------------------------------------------------------- explain_deadline


def test_explain_deadline_fourteen_working_days_lists_every_skipped_day(holidays_2024):
    explanation = explain_deadline(date(2024, 4, 1), 14, DayType.WORKING)

    assert explanation == DeadlineExplanation(
        start=date(2024, 4, 1), days=14, day_type=DayType.WORKING, due=date(2024, 4, 29), skipped=LEBARAN_SKIPPED
    )
    assert explanation.summary() == (
        "14 hari kerja sejak 1 April 2024; dilewati: 6 Apr (Sabtu), 7 Apr (Minggu), "
        "8 Apr (Cuti Bersama Hari Raya Idul Fitri), 9 Apr (Cuti Bersama Hari Raya Idul Fitri), "
        "10 Apr (Hari Raya Idul Fitri), 11 Apr (Hari kedua dari Hari Raya Idul Fitri), "
        "12 Apr (Cuti Bersama Hari Raya Idul Fitri), 13 Apr (Sabtu), 14 Apr (Minggu), "
        "15 Apr (Cuti Bersama Hari Raya Idul Fitri), 20 Apr (Sabtu), 21 Apr (Minggu), "
        "27 Apr (Sabtu), 28 Apr (Minggu); jatuh tempo 29 April 2024."
    )


def test_explain_deadline_names_a_weekend_holiday_and_several_names(holidays_2024):
    Holiday.objects.create(date=date(2024, 2, 9), name="Libur khusus", kind=HolidayKind.ONE_OFF)

    explanation = explain_deadline(date(2024, 2, 7), 2, "working")

    assert explanation.due == date(2024, 2, 13)
    assert explanation.skipped == (
        (date(2024, 2, 8), "Isra Mikraj Nabi Muhammad"),
        (date(2024, 2, 9), "Cuti Bersama Tahun Baru Imlek, Libur khusus"),
        (date(2024, 2, 10), "Sabtu, Tahun Baru Imlek"),
        (date(2024, 2, 11), "Minggu"),
    )


def test_explain_deadline_calendar_days_skips_nothing(holidays_2024):
    explanation = explain_deadline(date(2024, 4, 5), 7, DayType.CALENDAR)

    assert explanation == DeadlineExplanation(date(2024, 4, 5), 7, DayType.CALENDAR, date(2024, 4, 12), ())
    assert explanation.summary() == "7 hari kalender sejak 5 April 2024; jatuh tempo 12 April 2024."


def test_explain_deadline_without_skipped_days(db):
    assert explain_deadline(date(2025, 3, 3), 3, DayType.WORKING).summary() == (
        "3 hari kerja sejak 3 Maret 2025; jatuh tempo 6 Maret 2025."
    )


def test_due_date_for_reads_the_rule(holidays_2024):
    DeadlineRule.objects.all().delete()
    DeadlineRule.objects.create(
        step=DeadlineStep.PPK_FOLLOW_UP, days=14, day_type=DayType.WORKING, legal_basis="SKB 2022"
    )
    DeadlineRule.objects.create(
        step=DeadlineStep.SATGAS_VERIFICATION, days=7, day_type=DayType.CALENDAR, legal_basis="SKB 2022"
    )

    assert due_date_for(DeadlineStep.PPK_FOLLOW_UP, date(2024, 4, 1)).due == date(2024, 4, 29)
    assert due_date_for("ppk_follow_up", date(2024, 4, 1)).skipped == LEBARAN_SKIPPED
    assert due_date_for(DeadlineStep.SATGAS_VERIFICATION, date(2024, 4, 5)).due == date(2024, 4, 12)
    with pytest.raises(DeadlineRule.DoesNotExist):
        due_date_for(DeadlineStep.BAWASLU_KAJIAN, date(2024, 4, 1))


# ---------------------------------------------------------------- properties of the pure layer

EPOCH = date(2024, 1, 1)
starts = st.integers(min_value=0, max_value=400).map(lambda i: EPOCH + timedelta(days=i))
holiday_sets = st.frozensets(starts, max_size=80)
counts = st.integers(min_value=0, max_value=60)


def _oracle_working_days(start: date, end: date, holiday_dates: frozenset[date]) -> list[date]:
    days = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in holiday_dates]


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts, holiday_dates=holiday_sets)
def test_add_working_days_matches_brute_force(start, n, holiday_dates):
    due = add_working_days_given(start, n, holiday_dates)

    if n == 0:
        assert due == start
    else:
        working = _oracle_working_days(start, start + timedelta(days=4 * n + 200), holiday_dates)
        assert due == working[n - 1]
        assert due.weekday() < 5 and due not in holiday_dates
    assert due >= start + timedelta(days=n)
    assert working_days_between_given(start, due, holiday_dates) == n


@settings(max_examples=300, deadline=None)
@given(start=starts, n=counts, holiday_dates=holiday_sets)
def test_add_working_days_is_strictly_monotonic(start, n, holiday_dates):
    assert add_working_days_given(start, n + 1, holiday_dates) > add_working_days_given(start, n, holiday_dates)


@settings(max_examples=300, deadline=None)
@given(start=starts, end=starts, holiday_dates=holiday_sets)
def test_working_days_between_matches_brute_force_and_is_antisymmetric(start, end, holiday_dates):
    expected = len(_oracle_working_days(start, end, holiday_dates)) if end >= start else None

    between = working_days_between_given(start, end, holiday_dates)

    assert between == -working_days_between_given(end, start, holiday_dates)
    if expected is not None:
        assert between == expected


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(min_value=0, max_value=365).map(lambda i: EPOCH + timedelta(days=i)), n=counts)
def test_database_layer_agrees_with_pure_layer(start, n):
    # The test transaction persists across examples; sync once (it is idempotent anyway).
    sync_holidays([2024, 2025])
    holiday_dates = frozenset(Holiday.objects.filter(is_active=True).values_list("date", flat=True))

    due = add_working_days(start, n)

    assert due == add_working_days_given(start, n, holiday_dates)
    assert working_days_between(start, due) == n
    assert due >= add_calendar_days(start, n)
