"""Membership drives access: a serving member sees the cases of their Satgas's region, and only while serving."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from netralitas import visibility
from netralitas.enums import Role
from netralitas.models import Organisation, Region
from reports.confidentiality import may_see_sealed as can_see_reporter_identity
from reports.models import Report
from reports.selectors import reports_visible_to, terlapor_visible_to
from taskforce.enums import SatgasLevel, SatgasRole
from taskforce.models import SatgasLeave
from taskforce.selectors import member_of, teams_of
from tests.factories import ReportFactory, TerlaporFactory
from tests.factories.taskforce import SatgasFactory
from tests.taskforce.conftest import add_member, fresh

TODAY = dt.datetime(2024, 5, 6, 9, tzinfo=dt.timezone(dt.timedelta(hours=7)))


@pytest.fixture(autouse=True)
def _monday():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def reports(organisations) -> dict[str, Report]:
    """Four reports: about Sleman ASN (via Bawaslu, and received by the pemda), about Yogya ASN, and a cross one."""
    o = organisations
    yogya = Region.objects.get(name="Kota Yogyakarta")
    made = {
        "sleman_bawaslu": TerlaporFactory(
            report=ReportFactory(intake_organisation=o["bawaslu_sleman"], reporter_name="Pelapor Sleman Satu"),
            name="Sutrisno Sleman",
            instansi=o["pemda_sleman"],
        ).report,
        "sleman_pemda": TerlaporFactory(
            report=ReportFactory(intake_organisation=o["pemda_sleman"], reporter_name="Pelapor Sleman Dua"),
            name="Wahyu Sleman",
            instansi=o["pemda_sleman"],
        ).report,
        "yogya": TerlaporFactory(
            report=ReportFactory(intake_organisation=o["bawaslu_yogya"], region=yogya, reporter_name="Pelapor Yogya"),
            name="Yanto Yogya",
            instansi=o["pemda_yogya"],
        ).report,
        # A Sleman ASN seen in Kota Yogyakarta: Bawaslu Yogya received it, the Satgas of Sleman watches him.
        "cross": TerlaporFactory(
            report=ReportFactory(intake_organisation=o["bawaslu_yogya"], region=yogya),
            name="Karyo Sleman di Yogya",
            instansi=o["pemda_sleman"],
        ).report,
    }
    return made


def codes(qs) -> list[str]:
    return sorted(r.tracking_code for r in qs)


def test_a_serving_member_sees_the_cases_of_the_satgas_region_only(team, reports):
    user = team.user(team.anggota[0])
    expected = codes([reports["sleman_bawaslu"], reports["sleman_pemda"], reports["cross"]])
    assert codes(reports_visible_to(user)) == expected
    assert sorted(t.name for t in terlapor_visible_to(user)) == [
        "Karyo Sleman di Yogya",
        "Sutrisno Sleman",
        "Wahyu Sleman",
    ]


def test_a_member_from_another_organisation_is_widened_to_the_satgas_region(team, organisations, make_staff, reports):
    """A Bawaslu Sleman officer on the Satgas keeps Bawaslu's reach and gains the pemda's ASN (the cross case)."""
    officer = add_member(
        make_staff,
        team.satgas,
        "bawaslu.di.satgas",
        "Rini Bawaslu",
        organisation=organisations["bawaslu_sleman"],
        account_role=Role.BAWASLU,
        institution="Bawaslu Kabupaten Sleman",
    ).user
    scope = visibility.scope_for(fresh(officer))
    assert scope.organisation_ids == {organisations["bawaslu_sleman"].pk, organisations["pemda_sleman"].pk}
    assert codes(reports_visible_to(officer)) == codes(
        [reports["sleman_bawaslu"], reports["sleman_pemda"], reports["cross"]]
    )


@pytest.mark.parametrize(
    "period",
    [
        {"left_on": dt.date(2024, 5, 1)},  # left last week
        {"left_on": dt.date(2024, 5, 6)},  # leaves today: no longer serving
        {"joined_on": dt.date(2024, 6, 1)},  # not yet
    ],
)
def test_a_member_outside_their_period_sees_nothing(team, reports, period):
    member = team.anggota[0]
    for field, value in period.items():
        setattr(member, field, value)
    member.save()
    user = fresh(member.user)
    assert list(reports_visible_to(user)) == []
    assert list(teams_of(user)) == []
    assert member_of(user, team.satgas) is None
    client = Client()
    client.force_login(user)
    assert client.get(f"/satgas/tim/{team.satgas.pk}/").status_code == 404
    assert client.get(f"/satgas/laporan/{reports['sleman_bawaslu'].pk}/").status_code == 404


def test_a_member_on_leave_keeps_access(team, reports):
    SatgasLeave.objects.create(member=team.anggota[0], start=dt.date(2024, 5, 1), end=dt.date(2024, 5, 10))
    assert len(reports_visible_to(team.user(team.anggota[0]))) == 3


def test_the_satgas_period_ending_ends_everyones_access(team, reports):
    team.satgas.period_end = dt.date(2024, 4, 30)
    team.satgas.save()
    for member in (team.ketua, *team.anggota):
        assert list(reports_visible_to(team.user(member))) == [], member.name


def test_a_satgas_account_on_no_decree_keeps_its_organisation(cast, reports):
    """Accounts of the Satgas role that no decree names yet see their pemda's cases as before."""
    assert len(reports_visible_to(fresh(cast["satgas_sleman"]))) == 3


def test_a_member_of_the_national_satgas_sees_everything(organisations, make_staff, reports):
    national = SatgasFactory(
        name="Satgas Netralitas ASN Nasional", level=SatgasLevel.NATIONAL, organisation=organisations["bkn"]
    )
    # A KemenPANRB officer with the Satgas role (a national body sees national data anyway) and,
    # the case that matters, an account of a pemda seconded to the national Satgas.
    seconded = add_member(
        make_staff, national, "satgas.nasional", "Dian Nasional", organisation=organisations["pemda_yogya"]
    )
    assert codes(reports_visible_to(fresh(seconded.user))) == codes(reports.values())


def test_the_scope_costs_one_query_more(team, django_assert_num_queries):
    user = team.anggota[0].user
    fresh(user)
    with django_assert_num_queries(2):  # the membership, then the Satgas rows of the user
        visibility.scope_for(user)


def test_a_regional_satgas_never_sees_who_reported_its_own_pemdas_asn(team, reports, cast):
    """Finding: satgas.sleman saw the reporter of a report about a Pemkab Sleman ASN received by the pemda."""
    assert can_see_reporter_identity(fresh(cast["satgas_sleman"]), reports["sleman_pemda"]) is False
    for member in (team.ketua, *team.anggota):
        user = team.user(member)
        for report in reports.values():
            assert can_see_reporter_identity(user, report) is False, (member.name, report.tracking_code)


def test_no_satgas_page_shows_the_reporter(team, reports):
    client = Client()
    client.force_login(team.ketua.user)
    pages = [f"/satgas/tim/{team.satgas.pk}/", f"/satgas/tim/{team.satgas.pk}/beban/"]
    pages += [
        f"/satgas/laporan/{report.pk}/"
        for report in reports.values()
        if report.tracking_code != reports["yogya"].tracking_code
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        text = page.content.decode()
        for secret in ("Pelapor Sleman Satu", "Pelapor Sleman Dua", "3404011201900001", "pelapor@example.org"):
            assert secret not in text, (url, secret)


def test_the_admin_report_page_hides_the_reporter_from_the_satgas(team, reports):
    client = Client()
    client.force_login(team.ketua.user)
    page = client.get(f"/admin/reports/report/{reports['sleman_pemda'].pk}/change/")
    assert page.status_code == 200
    assert reports["sleman_pemda"].tracking_code in page.content.decode()
    assert "Pelapor Sleman Dua" not in page.content.decode()


def test_role_permissions_for_satgas_acts(team, cast):
    ketua = team.user(team.ketua)
    for perm in (
        "taskforce.assign_case",
        "taskforce.add_monitoringnote",
        "taskforce.add_meeting",
        "taskforce.generate_monev",
    ):
        assert ketua.has_perm(perm), perm
        assert not fresh(cast["ppk_sleman"]).has_perm(perm), perm
    admin = fresh(cast["admin"])
    assert admin.has_perm("taskforce.change_satgas") and admin.has_perm("taskforce.add_satgasmember")
    assert not admin.has_perm("taskforce.assign_case")
    assert timezone.localdate() == dt.date(2024, 5, 6)
    assert Organisation.objects.filter(pk=team.satgas.organisation_id, name="Pemerintah Kabupaten Sleman").exists()
    assert team.ketua.role == SatgasRole.KETUA
