"""The bulk generator behind the benchmarks: counts, PINs, reset and distribution."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import override_settings

from devdata.scale_codes import scale_pin, scale_reports, scale_tracking_code
from netralitas import refcache
from netralitas.enums import OrganisationKind
from reports.enums import Confidentiality, EventKind, EvidenceKind, ReportKind, ReportStatus
from reports.models import Evidence, Report, ReportEvent, Terlapor
from reports.pins import check_pin, normalise_tracking_code
from tests.conftest import ensure_reference_data
from tests.factories import ReportFactory, TerlaporFactory

SEED = 7
N = 300
# Computed once for seed 7, N = 300 and batches of 100 (each batch seeds its own generator): exact.
ANONYMOUS_FOR_SEED_7 = 33


def generate(**options) -> str:
    out = StringIO()
    call_command("generate_scale_data", stdout=out, **{"reports": N, "seed": SEED, "batch": 100, **options})
    return out.getvalue()


@pytest.fixture(autouse=True)
def reference_copies(settings):
    """As in production, the generator reads the election calendar from the process's copy (netralitas.refcache):
    tests turn the copies off, and ~6,000 reloads cost seconds a run. Nothing here changes reference data."""
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    yield
    refcache.clear()


@pytest.fixture(scope="module")
def module_generated(module_rows):
    """The N reports of seed 7, generated once per module (tests/shared_rows.py): the tests using them only read."""

    def build():
        ensure_reference_data()
        with override_settings(NETRALITAS_REFERENCE_CACHE_SECONDS=60):
            return generate()

    return module_rows.build("generated", build)


@pytest.fixture
def generated(module_generated, module_copies, reference_data):
    if "generated" not in module_copies:  # no shared rows (a transactional test): its own
        generate()


def test_generate_scale_data_creates_exactly_n_reports(generated):
    assert scale_reports().count() == N
    assert Report.objects.count() == N
    assert sorted(scale_reports().values_list("tracking_code", flat=True)) == sorted(
        scale_tracking_code(i) for i in range(N)
    )


def test_generate_scale_data_gives_each_report_terlapor_one_event_and_one_link(generated):
    counts = Report.objects.annotate(
        n_terlapor=Count("terlapor", distinct=True),
        n_events=Count("events", distinct=True),
        n_evidence=Count("evidence", distinct=True),
    )
    assert {(r.n_events, r.n_evidence) for r in counts} == {(1, 1)}
    assert {r.n_terlapor for r in counts} <= {1, 2, 3}
    assert min(r.n_terlapor for r in counts) == 1
    assert 1.1 <= Terlapor.objects.count() / N <= 1.3
    assert set(ReportEvent.objects.values_list("kind", "to_status")) == {(EventKind.SUBMITTED, ReportStatus.RECEIVED)}
    assert set(Evidence.objects.values_list("kind", flat=True)) == {EvidenceKind.LINK}
    assert not Evidence.objects.filter(url="").exists()


def test_generated_pin_of_index_verifies_against_stored_hash(generated):
    for index in (0, 1, 150, N - 1):
        report = Report.objects.get(tracking_code=scale_tracking_code(index))
        pin = scale_pin(SEED, index)
        assert pin not in report.pin_hash
        assert check_pin(pin, report.pin_hash) is True
        assert check_pin(scale_pin(SEED + 1, index), report.pin_hash) is False
        assert check_pin(scale_pin(SEED, index + 1), report.pin_hash) is False


def test_generated_codes_survive_normalisation_and_never_look_like_real_codes():
    codes = [scale_tracking_code(i) for i in range(2000)]
    assert len(set(codes)) == 2000
    assert all(normalise_tracking_code(code) == code for code in codes)
    assert all(code.startswith("NTR-0") and len(code) == 13 for code in codes)
    assert scale_pin(1, 0) == scale_pin(1, 0) != scale_pin(2, 0)
    assert len(scale_pin(1, 0).replace("-", "")) == 16


def test_reset_deletes_only_generated_reports(reference_data):
    real = TerlaporFactory().report
    generate(reports=50)
    assert Report.objects.count() == 51

    generate(reports=0, reset=True)

    assert list(Report.objects.all()) == [real]
    assert list(Terlapor.objects.values_list("report_id", flat=True)) == [real.pk]
    assert ReportEvent.objects.count() == 0
    assert Evidence.objects.count() == 0


def test_generate_scale_data_tops_up_and_refuses_another_seed(reference_data):
    ReportFactory()
    generate(reports=120)
    assert "dibuat/created 0" in generate(reports=120)
    generate(reports=150)
    assert scale_reports().count() == 150
    assert check_pin(scale_pin(SEED, 149), Report.objects.get(tracking_code=scale_tracking_code(149)).pin_hash)

    with pytest.raises(CommandError, match="another seed"):
        generate(reports=200, seed=SEED + 1)
    generate(reports=10, seed=SEED + 1, reset=True)
    assert scale_reports().count() == 10
    assert Report.objects.count() == 11


def test_generated_distribution(generated):
    reports = list(scale_reports().select_related("region", "intake_organisation"))
    anonymous = [r for r in reports if r.confidentiality == Confidentiality.ANONYMOUS]
    assert len(anonymous) == ANONYMOUS_FOR_SEED_7
    assert {r.kind for r in anonymous} == {ReportKind.INFORMASI}
    assert {(r.reporter_name, r.reporter_nik, r.reporter_email, r.reporter_phone) for r in anonymous} == {
        ("", "", "", "")
    }
    named = [r for r in reports if r.confidentiality != Confidentiality.ANONYMOUS]
    assert all(r.kind == ReportKind.LAPORAN and r.reporter_name and len(r.reporter_nik) == 16 for r in named)
    assert all(r.reporter_phone or r.reporter_email for r in named)
    # Intake by the Bawaslu of the region; the terlapor work for its pemda (DKI: the province's).
    assert all(
        r.intake_organisation.kind == OrganisationKind.BAWASLU_KABKOTA
        and r.intake_organisation.region_id == r.region_id
        for r in reports
    )
    for terlapor in Terlapor.objects.select_related("instansi", "report__region"):
        region = terlapor.report.region
        expected_region = region.pk if region.is_autonomous else region.parent_id
        assert terlapor.instansi.is_instansi
        assert terlapor.instansi.region_id == expected_region
        assert len(terlapor.nip) == 18 and terlapor.nip[14] in "12"
    assert len({r.region_id for r in reports}) > 150
    assert len({r.status for r in reports}) == len(ReportStatus.values)
    assert all(r.election_id and r.period_phase for r in reports if r.incident_date.year == 2024)
    assert {r.incident_date.year for r in reports} == {2023, 2024}
    social = sum(r.violation_type is not None and r.violation_type.code in {"B2", "B6", "A2", "A4"} for r in reports)
    assert 0.2 <= social / N <= 0.4
