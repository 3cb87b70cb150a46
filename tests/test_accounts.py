"""Issue 8 item 7: the portal's administrator manages accounts without granting itself (or anyone) power."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from netralitas import services
from netralitas.enums import Role
from netralitas.models import Membership, MembershipEvent


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def root(django_user_model):
    return django_user_model.objects.create_superuser("akar", "akar@example.org", "kata-sandi-akar")


def membership_post(user, organisation, role, active=True) -> dict:
    data = {"user": user.pk, "organisation": organisation.pk, "role": role}
    if active:
        data["is_active"] = "on"
    return data


def test_an_administrator_moves_an_operator_and_the_change_is_an_event(cast, organisations):
    operator = cast["operator_yogya"]
    membership = Membership.objects.get(user=operator)

    response = client_for(cast["admin"]).post(
        f"/admin/netralitas/membership/{membership.pk}/change/",
        membership_post(operator, organisations["pemda_sleman"], Role.OPERATOR),
    )

    assert response.status_code == 302
    event = MembershipEvent.objects.filter(user=operator).latest("id")
    assert (event.actor, event.previous_organisation, event.organisation, event.previous_role, event.role) == (
        cast["admin"],
        organisations["pemda_yogya"],
        organisations["pemda_sleman"],
        Role.OPERATOR,
        Role.OPERATOR,
    )
    page = client_for(cast["admin"]).get(f"/admin/auth/user/{operator.pk}/change/").content.decode()
    assert "Pemerintah Kota Yogyakarta" in page and "Pemerintah Kabupaten Sleman" in page  # the history inline


def test_an_administrator_cannot_create_or_change_an_administrator(cast, organisations):
    client = client_for(cast["admin"])
    operator = cast["operator_yogya"]
    membership = Membership.objects.get(user=operator)

    promoted = client.post(
        f"/admin/netralitas/membership/{membership.pk}/change/",
        membership_post(operator, organisations["kemenpanrb"], Role.ADMIN),
    )
    role_choices = [value for value, _label in promoted.context["adminform"].form.fields["role"].choices]

    assert promoted.status_code == 200 and Role.ADMIN not in role_choices
    assert Membership.objects.get(user=operator).role == Role.OPERATOR
    with pytest.raises(PermissionDenied):
        services.set_membership(operator, organisations["kemenpanrb"], Role.ADMIN, actor=cast["admin"])
    other_admin = cast["admin"].__class__.objects.create_user("admin.kedua", password="x")
    services.set_membership(other_admin, organisations["kemenpanrb"], Role.ADMIN)  # the command line may
    other = Membership.objects.get(user=other_admin)
    assert (
        client.post(
            f"/admin/netralitas/membership/{other.pk}/change/",
            membership_post(other_admin, organisations["kemenpanrb"], Role.OPERATOR, active=False),
        ).status_code
        == 403
    )
    assert client.get(f"/admin/auth/user/{other_admin.pk}/password/").status_code == 403
    assert Membership.objects.get(user=other_admin).is_active is True


def test_an_administrator_cannot_touch_a_superuser_nor_its_own_account_flags(cast, root):
    admin = cast["admin"]
    client = client_for(admin)

    assert client.get(f"/admin/auth/user/{root.pk}/change/").status_code in (302, 404)
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code in (302, 403, 404)
    own = client.get(f"/admin/auth/user/{admin.pk}/change/")
    fields = set(own.context["adminform"].form.fields)
    assert fields == {"username", "password", "first_name", "last_name", "email"}  # is_active read-only for oneself
    assert own.context["inline_admin_formsets"][0].has_change_permission is False
    with pytest.raises(PermissionDenied):
        services.set_membership(admin, Membership.objects.get(user=admin).organisation, Role.BAWASLU, actor=admin)


def test_memberships_are_not_deleted_but_deactivated(cast):
    membership = Membership.objects.get(user=cast["operator_yogya"])
    response = client_for(cast["admin"]).post(f"/admin/netralitas/membership/{membership.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403 and Membership.objects.filter(pk=membership.pk).exists()


def test_only_a_superuser_makes_an_administrator_and_it_is_recorded(cast, organisations, root):
    operator = cast["operator_yogya"]
    membership = Membership.objects.get(user=operator)
    response = client_for(root).post(
        f"/admin/netralitas/membership/{membership.pk}/change/",
        membership_post(operator, organisations["kemenpanrb"], Role.ADMIN),
    )
    assert response.status_code == 302
    event = MembershipEvent.objects.filter(user=operator).latest("id")
    assert (event.actor, event.previous_role, event.role) == (root, Role.OPERATOR, Role.ADMIN)


def test_a_superuser_flag_changed_in_the_admin_leaves_an_event(cast, root):
    from tests.test_whistleblower import form_values

    target = cast["operator_yogya"]
    client = client_for(root)
    url = f"/admin/auth/user/{target.pk}/change/"
    data = form_values(client.get(url).content.decode())
    data.pop("csrfmiddlewaretoken", None)
    data["is_superuser"] = ["on"]

    assert client.post(url, data).status_code == 302

    target.refresh_from_db()
    event = MembershipEvent.objects.filter(user=target).latest("id")
    assert target.is_superuser and (event.actor, event.note) == (root, "superuser: False → True")


def test_membership_events_are_append_only(cast):
    event = MembershipEvent.objects.filter(user=cast["operator_yogya"]).first()
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
