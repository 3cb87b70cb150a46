"""Roles are groups with exactly the permissions of ROLE_PERMISSIONS."""

import pytest
from django.contrib.auth.models import Group

from netralitas.enums import Role
from netralitas.models import Membership
from netralitas.permissions import ROLE_PERMISSIONS, group_name, sync_role_groups
from netralitas.services import set_membership


@pytest.mark.django_db
def test_every_role_has_a_group_with_its_permissions():
    groups = sync_role_groups()
    assert set(groups) == set(Role.values)
    for role, group in groups.items():
        perms = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}
        assert perms == set(ROLE_PERMISSIONS[role]), role


def test_set_membership_puts_user_in_exactly_one_role_group(cast, organisations):
    user = cast["operator_sleman"]
    assert [g.name for g in user.groups.all()] == [group_name(Role.OPERATOR)]
    assert user.is_staff is True
    set_membership(user, organisations["pemda_sleman"], Role.PPK)
    assert [g.name for g in user.groups.all()] == [group_name(Role.PPK)]
    assert Membership.objects.get(user=user).role == Role.PPK


def test_only_administrators_may_change_reference_data(cast):
    assert cast["admin"].has_perm("netralitas.change_deadlinerule") is True
    assert cast["admin"].has_perm("netralitas.add_holiday") is True
    for name in ("operator_sleman", "ppk_sleman", "bawaslu_sleman", "authority_bkn", "wasdal_bkn", "viewer"):
        user = cast[name]
        assert user.has_perm("netralitas.view_deadlinerule") is True, name
        assert user.has_perm("netralitas.change_deadlinerule") is False, name
        assert user.has_perm("netralitas.add_holiday") is False, name


def test_staff_edits_a_holiday_only_as_administrator(client, cast):
    client.force_login(cast["operator_sleman"])
    assert client.get("/admin/netralitas/holiday/add/").status_code == 403
    client.force_login(cast["admin"])
    response = client.post(
        "/admin/netralitas/holiday/add/",
        {
            "date": "2025-03-03",
            "name": "Libur khusus uji",
            "kind": "one_off",
            "source": "admin",
            "legal_basis": "Keppres 1/2025 (uji)",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    from netralitas.models import Holiday

    holiday = Holiday.objects.get(name="Libur khusus uji")
    assert (holiday.date.isoformat(), holiday.legal_basis) == ("2025-03-03", "Keppres 1/2025 (uji)")


def test_role_groups_are_not_duplicated(cast):
    assert Group.objects.filter(name=group_name(Role.OPERATOR)).count() == 1
