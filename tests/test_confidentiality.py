"""reports.confidentiality: the one rule, the act of unsealing and its log; per-terlapor access on shared reports."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from netralitas import visibility
from netralitas.models import Organisation, Region
from reports.confidentiality import ReasonRequired, independent_of, may_see_sealed, unseal
from reports.enums import Confidentiality
from reports.evidence import store_evidence_file
from reports.models import CaseEvent, SealedAccess, Terlapor
from reports.selectors import terlapor_visible_to
from tests.factories import ReportFactory, TerlaporFactory
from tests.test_evidence import jpeg_with_gps


@pytest.fixture
def shared(organisations):
    """A report received by Bawaslu Sleman naming a Sleman and a Yogyakarta ASN."""
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"], region=Region.objects.get(name="Kabupaten Sleman")
    )
    sleman = TerlaporFactory(report=report, name="Sutrisno Hadi", instansi=organisations["pemda_sleman"])
    yogya = TerlaporFactory(report=report, name="Bambang Sasongko", instansi=organisations["pemda_yogya"])
    return report, sleman, yogya


def test_unseal_records_who_what_and_why(cast, shared):
    report = shared[0]
    access = unseal(report, actor=cast["bawaslu_sleman"], item="identity", reason="  Menghubungi   pelapor.  ")
    assert (access.report, access.actor, access.item, access.evidence, access.reason) == (
        report,
        cast["bawaslu_sleman"],
        "identity",
        None,
        "Menghubungi pelapor.",
    )
    with pytest.raises(RuntimeError):
        access.save()  # append-only


@pytest.mark.parametrize("reason", ["", "singkat", "x" * 501])
def test_unseal_needs_a_short_reason(cast, shared, reason):
    with pytest.raises(ReasonRequired):
        unseal(shared[0], actor=cast["bawaslu_sleman"], item="identity", reason=reason)
    assert SealedAccess.objects.count() == 0


def test_unseal_refuses_another_reports_file_and_everyone_the_rule_refuses(
    cast, organisations, shared, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    other = ReportFactory(intake_organisation=organisations["bawaslu_sleman"])
    foreign = store_evidence_file(SimpleUploadedFile("foto.jpg", jpeg_with_gps()), report=other)
    with pytest.raises(PermissionDenied):
        unseal(shared[0], actor=cast["bawaslu_sleman"], item="original", evidence=foreign, reason="Memeriksa foto.")
    for who in ("ppk_sleman", "satgas_sleman", "admin", "viewer", "wasdal_bkn", "authority_bkn"):
        with pytest.raises(PermissionDenied):
            unseal(shared[0], actor=cast[who], item="identity", reason="Memeriksa identitas.")
    anonymous = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"], confidentiality=Confidentiality.ANONYMOUS
    )
    with pytest.raises(PermissionDenied):
        unseal(anonymous, actor=cast["bawaslu_sleman"], item="identity", reason="Memeriksa identitas.")
    assert SealedAccess.objects.count() == 0


@pytest.mark.parametrize("from_copy", [False, True])  # the database, or the process's copy (the public intake)
def test_independence_looks_up_and_down_the_organisation_tree(organisations, from_copy, settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    assert independent_of(organisations["bkn"].pk, [organisations["pemda_sleman"].pk], from_copy=from_copy)
    ministry = Organisation.objects.create(code="kementerian-uji", name="Kementerian Uji", kind="instansi_pusat")
    unit = Organisation.objects.create(code="unit-uji", name="Unit Uji", kind="instansi_pusat", parent=ministry)
    bkn = organisations["bkn"]
    assert independent_of(bkn.pk, [organisations["pemda_sleman"].pk], from_copy=from_copy) is True
    assert (
        independent_of(organisations["pemda_sleman"].pk, [organisations["pemda_sleman"].pk], from_copy=from_copy)
        is False
    )
    assert independent_of(ministry.pk, [unit.pk], from_copy=from_copy) is False  # above the terlapor's unit
    assert independent_of(unit.pk, [ministry.pk], from_copy=from_copy) is False  # a unit of the terlapor's ministry
    assert independent_of(None, [unit.pk], from_copy=from_copy) is False  # the national queue is nobody's intake
    assert (
        independent_of(organisations["pemda_yogya"].pk, [organisations["pemda_diy"].pk], from_copy=from_copy) is False
    )


def test_the_copy_of_the_organisation_tree_gives_the_lineage_the_database_gives(organisations, settings):
    """Three levels up, as the query joins: a fifth level is out of reach of both."""
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    chain = [Organisation.objects.create(code="level-0", name="Level 0", kind="instansi_pusat")]
    for level in range(1, 5):
        chain.append(
            Organisation.objects.create(
                code=f"level-{level}", name=f"Level {level}", kind="instansi_pusat", parent=chain[-1]
            )
        )
    ids = [org.pk for org in chain] + [organisations["pemda_sleman"].pk, organisations["bawaslu_sleman"].pk, 0]
    from reports.confidentiality import organisation_lineage

    assert organisation_lineage(ids, from_copy=True) == organisation_lineage(ids)
    assert organisation_lineage([chain[4].pk], from_copy=True) == {chain[4].pk: {org.pk for org in chain[1:]}}


def test_on_a_shared_report_each_instansi_sees_its_own_asn_only(cast, shared):
    report, sleman, yogya = shared
    assert list(terlapor_visible_to(cast["ppk_sleman"]).filter(report=report)) == [sleman]
    assert list(terlapor_visible_to(cast["operator_yogya"]).filter(report=report)) == [yogya]
    assert set(terlapor_visible_to(cast["bawaslu_sleman"]).filter(report=report)) == {sleman, yogya}
    assert set(terlapor_visible_to(cast["viewer"]).filter(report=report)) == {sleman, yogya}
    CaseEvent.objects.create(terlapor=yogya, to_status="clarification")
    assert list(visibility.visible_to(CaseEvent, cast["ppk_sleman"])) == []


def test_an_instansi_that_received_a_report_about_others_sees_all_of_it(cast, organisations):
    report = ReportFactory(intake_organisation=organisations["pemda_yogya"])
    first = TerlaporFactory(report=report, instansi=organisations["pemda_sleman"])
    surabaya = Organisation.objects.get(kind="pemda_kota", region__name="Kota Surabaya")
    second = TerlaporFactory(report=report, instansi=surabaya)
    assert set(terlapor_visible_to(cast["operator_yogya"]).filter(report=report)) == {first, second}
    assert may_see_sealed(cast["operator_yogya"], report) is True
    # Pemerintah Provinsi DIY sits above Kota Yogyakarta in the organisation tree: not independent of it.
    assert independent_of(organisations["pemda_yogya"].pk, [organisations["pemda_diy"].pk]) is False
    # Once it names one of Yogyakarta's own ASN, Yogyakarta is in the chain of command: its own case only.
    own = TerlaporFactory(report=report, instansi=organisations["pemda_yogya"])
    assert list(Terlapor.objects.filter(pk__in=terlapor_visible_to(cast["operator_yogya"]))) == [own]
    assert may_see_sealed(type(cast["operator_yogya"]).objects.get(pk=cast["operator_yogya"].pk), report) is False
