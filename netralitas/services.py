"""Writes of the shared core."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from netralitas.enums import Role
from netralitas.models import Membership, Organisation
from netralitas.permissions import GROUP_PREFIX, sync_role_group


@transaction.atomic
def set_membership(user, organisation: Organisation, role: str, *, is_active: bool = True) -> Membership:
    """Place ``user`` in ``organisation`` with ``role``; their groups follow the role.

    Side effects: marks the user staff (they work in the admin), replaces any
    role group they had, and clears the cached visibility scope.
    """
    role = Role(role)
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role, "is_active": is_active}
    )
    group = sync_role_group(role)
    user.groups.remove(*Group.objects.filter(name__startswith=GROUP_PREFIX).exclude(pk=group.pk))
    if is_active:
        user.groups.add(group)
    else:
        user.groups.remove(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.__dict__.pop("_netralitas_scope", None)
    return membership
