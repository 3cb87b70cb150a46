"""The generated scale data's follow-up (issue 15): recommendations, case states, decisions and blocks."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import F

from devdata.scale_outcomes import BLOCKED_FROM, LATE_BELOW, NOT_PROVEN_BELOW, fill_scale_outcomes
from netralitas.enums import OrganisationKind
from reports.enums import CaseStatus, ReportStatus
from reports.models import Recommendation, Terlapor
from sanctions.dashboards import dashboard_figures, live_figures
from sanctions.enums import Compliance
from sanctions.models import Block, Decision
from sanctions.rollup import refresh_dashboard_rollup
from tests.test_scale_data import generate, reference_copies  # noqa: F401  (autouse: reference copies, as in production)


@pytest.fixture
def generated(reference_data):
    generate()


def test_generated_cases_get_realistic_follow_up(generated, cast):
    finished = Terlapor.objects.filter(report__status__in=[ReportStatus.CLOSED, ReportStatus.FORWARDED])
    proven = Recommendation.objects.count()
    closed = Terlapor.objects.filter(report__status=ReportStatus.CLOSED)
    # Only forwarded and closed reports' cases moved on; the rest are still pending.
    assert set(Terlapor.objects.exclude(pk__in=finished).values_list("case_status", flat=True)) == {CaseStatus.PENDING}

    # Each case's fate is its bucket (a hash of its id, so the shares of a small set depend on which ids
    # it got: 61 of 74 proven on one CI worker, outside a 50-80 % band): checked case by case instead.
    def bucket(pk: int) -> int:
        return (pk * 2654435761) % 1000

    closed_ids = list(closed.values_list("pk", flat=True))
    assert len(closed_ids) > 30
    assert set(closed.filter(recommendation__isnull=False).values_list("pk", flat=True)) == {
        pk for pk in closed_ids if bucket(pk) >= NOT_PROVEN_BELOW
    }
    sanctioned = Terlapor.objects.filter(case_status=CaseStatus.SANCTIONED)
    assert sanctioned.count() == Decision.objects.count() > 0
    # Followed up: of the recommendations on closed reports (a forwarded report's cases still wait for their PPK).
    assert set(sanctioned.values_list("pk", flat=True)) == {
        pk for pk in closed_ids if NOT_PROVEN_BELOW <= bucket(pk) < LATE_BELOW
    }
    assert set(Decision.objects.values_list("compliance", flat=True)) == {Compliance.ON_TIME, Compliance.LATE}
    assert not Decision.objects.filter(sk_date__lt=F("terlapor__recommendation__letter_date")).exists()
    # Blocks only on cases never followed up, past their deadline.
    assert Block.objects.exclude(terlapor__case_status=CaseStatus.AWAITING_PPK).count() == 0
    assert Block.objects.filter(blocked_on__lte=F("terlapor__overdue_since")).count() == 0
    # ~7 % expected at scale; here exactly the overdue cases awaiting the PPK whose bucket is high.
    overdue_awaiting = Terlapor.objects.filter(case_status=CaseStatus.AWAITING_PPK, overdue_since__isnull=False)
    assert set(Block.objects.values_list("terlapor_id", flat=True)) == {
        pk for pk in overdue_awaiting.values_list("pk", flat=True) if bucket(pk) >= BLOCKED_FROM
    }
    assert Block.objects.count() / proven <= 0.15
    # Recommendations follow the authority of their date: KASN until 3 Sep 2024, BKN after.
    kinds = {
        (r.letter_date < date(2024, 9, 4), r.authority.organisation.kind)
        for r in Recommendation.objects.select_related("authority__organisation")
    }
    assert kinds <= {(True, OrganisationKind.KASN), (False, OrganisationKind.BKN)}
    assert not Recommendation.objects.exclude(addressed_to=F("terlapor__instansi")).exists()
    # Running again changes nothing.
    assert set(fill_scale_outcomes().values()) == {0}


def test_rollup_of_generated_data_equals_the_live_count(generated, cast):
    live = live_figures(Terlapor.objects.all())
    refresh_dashboard_rollup()
    from_rollup = dashboard_figures(cast["viewer"])
    assert from_rollup.source == "rollup"
    assert from_rollup.totals == live.totals
    assert [(r["code"], r["cases"], r["sanctioned"]) for r in from_rollup.by_violation] == [
        (r["code"], r["cases"], r["sanctioned"]) for r in live.by_violation
    ]
    assert [(r["provinsi_id"], r["cases"], r["blocked"]) for r in from_rollup.by_region] == [
        (r["provinsi_id"], r["cases"], r["blocked"]) for r in live.by_region
    ]
    assert from_rollup.trend == live.trend
