"""The register of terlapor, duplicate suggestions and external numbers."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from reports.enums import ExternalSystem
from reports.models import ExternalReference, Person, Terlapor
from reports.register import (
    add_external_reference,
    link_register,
    normalise_name,
    person_for,
    possible_duplicates,
    reports_by_external_number,
)
from reports.selectors import reports_visible_to
from tests.conftest import NEEDS_POSTGRES
from tests.factories import ReportFactory, TerlaporFactory

NIP = "197806122005011003"


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("Drs. Sutrisno Hadi, M.Si.", "sutrisno hadi"),
        ("sutrisno  hadi", "sutrisno hadi"),
        ("SUTRISNO HADI S.Pd", "sutrisno hadi"),
        ("Prof. Dr. Ir. Sutrisno Hadi, M.Sc., Ph.D.", "sutrisno hadi"),
        ("Dr.Sutrisno Hadi", "sutrisno hadi"),
        ("Sutrisno Hadi, S.Pd.I", "sutrisno hadi"),
        ("Sutrisno-Hadi", "sutrisno hadi"),
        ("Ma'ruf Amin, S.H., M.H.", "maruf amin"),
        ("M. Yusuf", "m yusuf"),
        ("Dr.", "dr"),
    ],
)
def test_normalise_name(raw, key):
    assert normalise_name(raw) == key


# ---------------------------------------------------------------- one ASN across reports


def test_same_nip_across_two_reports_is_one_person_with_two_cases(reference_data):
    first = TerlaporFactory(name="Sutrisno Hadi", nip=NIP)
    second = TerlaporFactory(name="Drs. Sutrisno H.", nip=NIP)  # another spelling, one NIP

    assert (link_register(first.report), link_register(second.report)) == (1, 1)

    person = Person.objects.get()
    assert (person.nip, person.name, person.name_key) == (NIP, "Sutrisno Hadi", "sutrisno hadi")
    assert sorted(person.cases.values_list("pk", flat=True)) == sorted([first.pk, second.pk])


def test_link_register_links_only_the_unlinked(reference_data):
    report = ReportFactory()
    TerlaporFactory(report=report, name="Sutrisno Hadi", nip=NIP)
    TerlaporFactory(report=report, name="Siti Aminah", nip="")
    assert link_register(report) == 2
    assert link_register(report) == 0
    assert sorted(Terlapor.objects.filter(report=report).values_list("person__name_key", flat=True)) == [
        "siti aminah",
        "sutrisno hadi",
    ]


def test_without_nip_the_name_and_instansi_decide(organisations):
    sleman, yogya = organisations["pemda_sleman"], organisations["pemda_yogya"]
    titled = TerlaporFactory(name="Drs. Sutrisno Hadi, M.Si.", nip="", instansi=sleman)
    plain = TerlaporFactory(name="sutrisno hadi", nip="", instansi=sleman)
    elsewhere = TerlaporFactory(name="Sutrisno Hadi", nip="", instansi=yogya)

    people = [person_for(titled), person_for(plain), person_for(elsewhere)]

    assert people[0] == people[1]
    assert people[2] != people[0]
    assert Person.objects.count() == 2
    assert (people[2].instansi, people[2].name_key, people[2].nip) == (yogya, "sutrisno hadi", "")


def test_a_name_match_does_not_merge_a_person_with_a_nip(organisations):
    with_nip = TerlaporFactory(name="Sutrisno Hadi", nip=NIP)
    without = TerlaporFactory(name="Sutrisno Hadi", nip="")
    assert person_for(with_nip) != person_for(without)


@NEEDS_POSTGRES
@pytest.mark.django_db(transaction=True)
def test_person_for_is_race_safe(reference_data):
    report = ReportFactory()
    terlapor = [TerlaporFactory(report=report, name="Sutrisno Hadi", nip=NIP) for _ in range(4)]
    barrier = threading.Barrier(len(terlapor))
    found: list[int] = []
    errors: list[BaseException] = []

    def work(item):
        try:
            barrier.wait(timeout=10)
            found.append(person_for(item).pk)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(item,)) for item in terlapor]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(set(found)) == 1
    assert Person.objects.filter(nip=NIP).count() == 1


# ---------------------------------------------------------------- possible duplicates


def test_possible_duplicates_by_nip_and_by_person(reference_data, django_assert_num_queries):
    base = ReportFactory(incident_date=date(2024, 10, 14))
    TerlaporFactory(report=base, name="Sutrisno Hadi", nip=NIP)
    TerlaporFactory(report=base, name="Siti Aminah", nip="")
    link_register(base)

    same_nip = ReportFactory(incident_date=date(2024, 10, 20))
    TerlaporFactory(report=same_nip, name="Sutrisno", nip=NIP)
    same_person = ReportFactory(incident_date=date(2024, 10, 1))  # 13 days before
    TerlaporFactory(report=same_person, name="siti aminah, S.Pd.", nip="")
    link_register(same_person)
    edge = ReportFactory(incident_date=date(2024, 10, 28))  # exactly 14 days after
    TerlaporFactory(report=edge, nip=NIP)

    far = ReportFactory(incident_date=date(2024, 10, 14) + timedelta(days=40))
    TerlaporFactory(report=far, nip=NIP)
    already_linked = ReportFactory(incident_date=date(2024, 10, 15))
    TerlaporFactory(report=already_linked, nip=NIP)
    base.linked_reports.add(already_linked)
    other_asn = ReportFactory(incident_date=date(2024, 10, 14))
    TerlaporFactory(report=other_asn, name="Bambang", nip="198001012006041002")

    with django_assert_num_queries(1):
        suggested = list(possible_duplicates(base))

    assert suggested == [same_person, same_nip, edge]
    # Linking is symmetrical: the other side no longer suggests the base report either.
    assert base not in possible_duplicates(already_linked)
    assert base in possible_duplicates(same_nip)


def test_possible_duplicates_of_a_report_with_no_identifiable_terlapor(reference_data):
    lone = ReportFactory()
    TerlaporFactory(report=lone, name="Tanpa NIP", nip="")
    TerlaporFactory(report=ReportFactory(), name="Lain", nip="")
    assert list(possible_duplicates(lone)) == []


# ---------------------------------------------------------------- external numbers


def test_external_reference_is_recorded_and_idempotent(cast):
    report = TerlaporFactory().report
    actor = cast["operator_sleman"]

    reference = add_external_reference(report, actor=actor, system=ExternalSystem.SIGAPLAPOR, number=" 012/LP/PW/ ")
    again = add_external_reference(report, actor=actor, system=ExternalSystem.SIGAPLAPOR, number="012/LP/PW/")

    assert (reference.report, reference.system, reference.number) == (report, ExternalSystem.SIGAPLAPOR, "012/LP/PW/")
    assert again == reference
    assert ExternalReference.objects.count() == 1
    # The same number in another system is another reference.
    lapor = add_external_reference(report, actor=actor, system=ExternalSystem.LAPOR, number="012/LP/PW/")
    assert ExternalReference.objects.count() == 2
    assert lapor.system == ExternalSystem.LAPOR


def test_external_number_of_another_visible_report_names_it(cast):
    first = TerlaporFactory().report
    second = TerlaporFactory().report
    actor = cast["operator_sleman"]
    add_external_reference(first, actor=actor, system=ExternalSystem.SBT, number="SBT-2024-77")

    with pytest.raises(ValidationError) as excinfo:
        add_external_reference(second, actor=actor, system=ExternalSystem.SBT, number="SBT-2024-77")

    assert excinfo.value.message_dict == {
        "number": [f"Nomor SBT (BKN) SBT-2024-77 sudah tercatat pada laporan {first.tracking_code}."]
    }


def test_external_number_of_a_hidden_report_does_not_reveal_it(cast, organisations):
    yogya = organisations["pemda_yogya"]
    hidden = TerlaporFactory(
        report=ReportFactory(intake_organisation=yogya, region=yogya.region), instansi=yogya
    ).report
    mine = TerlaporFactory().report
    add_external_reference(hidden, actor=cast["operator_yogya"], system=ExternalSystem.LAPOR, number="LAP-991")
    assert not reports_visible_to(cast["operator_sleman"]).filter(pk=hidden.pk).exists()

    with pytest.raises(ValidationError) as excinfo:
        add_external_reference(mine, actor=cast["operator_sleman"], system=ExternalSystem.LAPOR, number="LAP-991")

    assert excinfo.value.message_dict == {"number": ["Nomor LAPOR! (SP4N) LAP-991 sudah tercatat pada laporan lain."]}
    assert hidden.tracking_code not in str(excinfo.value)


def test_external_reference_refusals(cast):
    report = TerlaporFactory().report
    message = "Anda tidak berwenang menambahkan nomor eksternal pada laporan ini."
    for actor in (cast["ppk_sleman"], cast["operator_yogya"]):  # no permission; cannot see the report
        with pytest.raises(PermissionDenied) as excinfo:
            add_external_reference(report, actor=actor, system=ExternalSystem.SBT, number="SBT-1")
        assert str(excinfo.value) == message
    with pytest.raises(ValidationError) as excinfo:
        add_external_reference(report, actor=cast["operator_sleman"], system="fax", number="  ")
    assert excinfo.value.message_dict == {"system": ["Pilih sistem asal nomor."], "number": ["Nomor wajib diisi."]}
    assert ExternalReference.objects.count() == 0


def test_reports_by_external_number_applies_visibility(cast, organisations):
    yogya = organisations["pemda_yogya"]
    sleman_report = TerlaporFactory().report
    yogya_report = TerlaporFactory(
        report=ReportFactory(intake_organisation=yogya, region=yogya.region), instansi=yogya
    ).report
    add_external_reference(sleman_report, actor=cast["operator_sleman"], system=ExternalSystem.SBT, number="X-1")
    add_external_reference(yogya_report, actor=cast["operator_yogya"], system=ExternalSystem.LAPOR, number="X-1")

    assert list(reports_by_external_number(cast["operator_sleman"], " X-1 ")) == [sleman_report]
    assert list(reports_by_external_number(cast["operator_yogya"], "X-1")) == [yogya_report]
    assert set(reports_by_external_number(cast["viewer"], "X-1")) == {sleman_report, yogya_report}
    assert list(reports_by_external_number(cast["operator_sleman"], "X-2")) == []
    assert list(reports_by_external_number(cast["operator_sleman"], "  ")) == []


def test_staff_without_membership_sees_no_external_number(cast, django_user_model):
    report = TerlaporFactory().report
    add_external_reference(report, actor=cast["operator_sleman"], system=ExternalSystem.SBT, number="X-9")
    stranger = django_user_model.objects.create_user(username="tanpa.organisasi", password="kata-sandi-uji-123")
    assert list(reports_by_external_number(stranger, "X-9")) == []


def test_satgas_and_bawaslu_may_record_external_numbers(cast, organisations):
    report = TerlaporFactory(report=ReportFactory(intake_organisation=organisations["bawaslu_sleman"])).report
    for index, who in enumerate(("satgas_sleman", "bawaslu_sleman", "bawaslu_diy")):
        reference = add_external_reference(report, actor=cast[who], system=ExternalSystem.OTHER, number=f"NO-{index}")
        assert reference.report == report
    assert sorted(ExternalReference.objects.values_list("number", flat=True)) == ["NO-0", "NO-1", "NO-2"]
