"""The process copy of elections and deadline rules: reused while fresh, cleared by a save."""

import datetime as dt

import pytest

from netralitas import refcache
from netralitas.calendar import due_date_for
from netralitas.elections import election_context
from netralitas.enums import DeadlineStep, PeriodPhase
from netralitas.models import DeadlineRule, ElectionPhase, Region


@pytest.fixture
def cache_on(settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    yield
    refcache.clear()


def test_election_context_reads_nothing_while_the_copy_is_fresh(reference_data, cache_on, django_assert_num_queries):
    sleman = Region.objects.get(name="Kabupaten Sleman")
    with django_assert_num_queries(3):  # elections, their phases, their regions
        first = election_context(sleman, dt.date(2024, 10, 1))
    with django_assert_num_queries(0):
        again = election_context(sleman, dt.date(2024, 10, 1))
    assert [(c.election.name, c.phase) for c in first] == [(c.election.name, c.phase) for c in again]
    assert [c.phase for c in first] == [PeriodPhase.KAMPANYE]  # Pemilu 2024 is no longer relevant by October


def test_a_saved_phase_clears_the_copy(reference_data, cache_on):
    sleman = Region.objects.get(name="Kabupaten Sleman")
    assert election_context(sleman, dt.date(2024, 9, 24))[0].phase == PeriodPhase.SEBELUM
    campaign = ElectionPhase.objects.get(election__name__startswith="Pilkada", kind="kampanye")
    campaign.start = dt.date(2024, 9, 20)
    campaign.save()
    assert election_context(sleman, dt.date(2024, 9, 24))[0].phase == PeriodPhase.KAMPANYE


def test_deadline_rules_copy_follows_an_admin_edit(reference_data, cache_on, django_assert_num_queries):
    assert due_date_for(DeadlineStep.SATGAS_VERIFICATION, dt.date(2024, 10, 1)).due == dt.date(2024, 10, 8)
    with django_assert_num_queries(0):
        due_date_for(DeadlineStep.REPORTER_COMPLETION, dt.date(2024, 10, 1))
    rule = DeadlineRule.objects.get(step=DeadlineStep.SATGAS_VERIFICATION)
    rule.days = 10
    rule.save()
    assert due_date_for(DeadlineStep.SATGAS_VERIFICATION, dt.date(2024, 10, 1)).due == dt.date(2024, 10, 11)


def test_a_copy_built_from_other_copies_expires_with_the_oldest_of_them(cache_on, monkeypatch):
    """The form page (issue 11) is built from the provinsi and catalogue copies: it may not outlive them."""
    clock = [1000.0]
    monkeypatch.setattr(refcache, "_now", lambda: clock[0])
    loads = []

    def inner():
        loads.append("inner")
        return "rows"

    def outer():
        loads.append("outer")
        return refcache.cached("inner", inner) + "+page"

    refcache.cached("inner", inner)  # loaded at 1000
    clock[0] = 1050.0
    assert refcache.cached("outer", outer) == "rows+page"  # built at 1050 from the copy of 1000
    clock[0] = 1059.0
    assert refcache.cached("outer", outer) == "rows+page"
    assert loads == ["inner", "outer"]
    clock[0] = 1061.0  # the rows are 61 s old: the page built from them is stale too
    assert refcache.cached("outer", outer) == "rows+page"
    assert loads == ["inner", "outer", "outer", "inner"]
