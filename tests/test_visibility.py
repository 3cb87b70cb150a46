"""One visibility rule per model; who sees which report; who may know the reporter."""

import pytest
from django.apps import apps
from django.contrib import admin

from netralitas import visibility
from netralitas.enums import Role
from netralitas.models import Membership, Region
from reports.enums import Confidentiality
from reports.models import Report, Terlapor
from reports.selectors import can_see_reporter_identity, reports_visible_to
from tests.factories import ReportFactory, TerlaporFactory

OUR_APPS = ("netralitas", "reports", "sanctions", "taskforce")


def test_every_model_of_our_apps_has_one_visibility_rule():
    ours = {m for m in apps.get_models() if m._meta.app_label in OUR_APPS}
    assert ours - visibility.registered_models() == set()


def test_every_admin_of_our_models_uses_the_visibility_rule():
    from netralitas.admin import VisibleToUserAdmin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in OUR_APPS:
            assert isinstance(model_admin, VisibleToUserAdmin), model


def test_registering_a_second_rule_for_a_model_is_refused():
    with pytest.raises(RuntimeError):
        visibility.register(Report)(lambda user: Report.objects.none())


@pytest.fixture
def sleman_and_yogya(organisations):
    o = organisations
    in_sleman = TerlaporFactory(
        report=ReportFactory(
            intake_organisation=o["bawaslu_sleman"], region=Region.objects.get(name="Kabupaten Sleman")
        ),
        instansi=o["pemda_sleman"],
    ).report
    in_yogya = TerlaporFactory(
        report=ReportFactory(intake_organisation=o["bawaslu_yogya"], region=Region.objects.get(name="Kota Yogyakarta")),
        instansi=o["pemda_yogya"],
    ).report
    # A Sleman ASN seen campaigning in Kota Yogyakarta: Yogya's Bawaslu receives it, Sleman employs him.
    cross = TerlaporFactory(
        report=ReportFactory(intake_organisation=o["bawaslu_yogya"], region=Region.objects.get(name="Kota Yogyakarta")),
        instansi=o["pemda_sleman"],
    ).report
    national_queue = ReportFactory(intake_organisation=None, region=Region.objects.get(name="Kota Surabaya"))
    return in_sleman, in_yogya, cross, national_queue


def _codes(qs):
    return sorted(r.tracking_code for r in qs)


def test_reports_visible_to_each_role(cast, sleman_and_yogya):
    in_sleman, in_yogya, cross, national_queue = sleman_and_yogya
    everything = _codes([in_sleman, in_yogya, cross, national_queue])
    expected = {
        "operator_sleman": [in_sleman, cross],
        "satgas_sleman": [in_sleman, cross],
        "ppk_sleman": [in_sleman, cross],
        "operator_yogya": [in_yogya],
        "bawaslu_sleman": [in_sleman],
        "bawaslu_diy": [in_sleman, in_yogya, cross],
        "bawaslu_jateng": [],
    }
    for name, reports in expected.items():
        assert _codes(reports_visible_to(cast[name])) == _codes(reports), name
    for name in ("authority_bkn", "wasdal_bkn", "viewer", "admin"):
        assert _codes(reports_visible_to(cast[name])) == everything, name


def test_user_without_membership_sees_nothing(django_user_model, sleman_and_yogya):
    loner = django_user_model.objects.create_user("tanpa.organisasi", password="x-y-z-123456", is_staff=True)
    assert list(reports_visible_to(loner)) == []
    assert list(visibility.visible_to(Region, loner)) == []
    assert list(visibility.visible_to(Membership, loner)) == []


def test_inactive_membership_sees_nothing(cast, sleman_and_yogya):
    user = cast["operator_sleman"]
    Membership.objects.filter(user=user).update(is_active=False)
    user.__dict__.pop("_netralitas_scope", None)
    assert list(reports_visible_to(user)) == []


def test_terlapor_follow_their_reports(cast, sleman_and_yogya):
    in_sleman, in_yogya, cross, _ = sleman_and_yogya
    names = sorted(t.name for t in visibility.visible_to(Terlapor, cast["operator_yogya"]))
    assert names == [in_yogya.terlapor.get().name]


def test_memberships_visible_within_organisation(cast):
    visible = sorted(m.user.username for m in visibility.visible_to(Membership, cast["operator_sleman"]))
    assert visible == ["operator.sleman", "ppk.sleman", "satgas.sleman"]
    assert visibility.visible_to(Membership, cast["admin"]).count() == len(cast)


def test_reporter_identity_only_for_intake_verifiers(cast, sleman_and_yogya):
    in_sleman, _, cross, _ = sleman_and_yogya
    assert can_see_reporter_identity(cast["bawaslu_sleman"], in_sleman) is True
    # Nobody in the terlapor's chain of command, nor the PPK, nor national bodies by default.
    for name in ("operator_sleman", "ppk_sleman", "satgas_sleman", "bawaslu_diy", "authority_bkn", "viewer", "admin"):
        assert can_see_reporter_identity(cast[name], in_sleman) is False, name
    assert can_see_reporter_identity(cast["bawaslu_sleman"], cross) is False


def test_reporter_identity_at_the_terlapors_instansi(cast, organisations):
    """Outside the election period the terlapor's own pemda verifies: neither its Satgas nor its operator may know.

    (A regional Satgas sits inside the pemda: it never sees who reported its own ASN, issue 13.)
    """
    report = TerlaporFactory(
        report=ReportFactory(intake_organisation=organisations["pemda_sleman"]), instansi=organisations["pemda_sleman"]
    ).report
    assert can_see_reporter_identity(cast["satgas_sleman"], report) is False
    assert can_see_reporter_identity(cast["operator_sleman"], report) is False
    assert can_see_reporter_identity(cast["ppk_sleman"], report) is False


def test_anonymous_reporter_identity_seen_by_nobody(cast, organisations):
    report = ReportFactory(
        intake_organisation=organisations["bawaslu_sleman"], confidentiality=Confidentiality.ANONYMOUS
    )
    assert can_see_reporter_identity(cast["bawaslu_sleman"], report) is False


def test_report_admin_hides_reporter_from_ppk(client, cast, sleman_and_yogya):
    in_sleman = sleman_and_yogya[0]
    url = f"/admin/reports/report/{in_sleman.pk}/change/"
    client.force_login(cast["ppk_sleman"])
    page = client.get(url)
    assert page.status_code == 200
    assert in_sleman.tracking_code in page.content.decode()
    assert "Pelapor Rahasia" not in page.content.decode()
    assert "3404011201900001" not in page.content.decode()
    client.force_login(cast["bawaslu_sleman"])
    page = client.get(url)
    assert "Pelapor Rahasia" in page.content.decode()


def test_admin_change_page_of_invisible_report_is_not_found(client, cast, sleman_and_yogya):
    in_yogya = sleman_and_yogya[1]
    client.force_login(cast["operator_sleman"])
    response = client.get(f"/admin/reports/report/{in_yogya.pk}/change/", follow=True)
    # Django admin redirects a missing object to the index with a message; the report is never shown.
    assert in_yogya.tracking_code not in response.content.decode()
    changelist = client.get("/admin/reports/report/").content.decode()
    assert in_yogya.tracking_code not in changelist
    assert sleman_and_yogya[0].tracking_code in changelist


def test_scope_of_bawaslu_provinsi_covers_its_kabkota(cast):
    scope = visibility.scope_for(cast["bawaslu_diy"])
    names = set(Region.objects.filter(pk__in=scope.region_ids).values_list("name", flat=True))
    assert "Kabupaten Sleman" in names and "Kota Yogyakarta" in names and "Daerah Istimewa Yogyakarta" in names
    assert len(names) == 6
    assert scope.role == Role.BAWASLU and scope.national is False
