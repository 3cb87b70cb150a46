"""Writes of the shared core: a staff user's membership, and the rules of who may change it."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from netralitas.enums import Role
from netralitas.models import Membership, MembershipEvent, Organisation
from netralitas.permissions import GROUP_PREFIX, sync_role_group


def check_membership_change(actor, user, *, role: str | None = None) -> None:
    """Raise PermissionDenied unless ``actor`` may change ``user``'s account, membership or role (to ``role``).

    ``actor`` None is the command line (``manage.py``), which may do anything; so may a superuser,
    who is only ever made there. Everyone else (the portal's administrators): never their own
    account's place, role, groups or permissions; never a superuser; never an administrator,
    and nobody into one (issue 8: an administrator cannot grant itself, or a friend, more power).
    """
    if actor is None or actor.is_superuser:
        return
    if user.pk is not None and user.pk == actor.pk:
        raise PermissionDenied(_("Anda tidak dapat mengubah keanggotaan, peran, atau izin akun Anda sendiri."))
    if user.is_superuser:
        raise PermissionDenied(_("Akun superuser hanya dapat diubah oleh superuser."))
    current = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True).first() if user.pk else None
    if Role.ADMIN in (role, current):
        raise PermissionDenied(
            _("Hanya superuser (dibuat dari baris perintah) yang dapat mengangkat atau mengubah administrator.")
        )


@transaction.atomic
def set_membership(
    user, organisation: Organisation, role: str, *, is_active: bool = True, actor=None, note: str = ""
) -> Membership:
    """Place ``user`` in ``organisation`` with ``role``; their groups follow the role.

    Side effects: marks the user staff (they work in the admin), replaces any role group they
    had, clears the cached visibility scope, and appends a MembershipEvent when anything changed.
    Raises PermissionDenied when ``actor`` may not make this change (check_membership_change).
    """
    role = Role(role)
    check_membership_change(actor, user, role=role)
    previous = Membership.objects.select_for_update().filter(user=user).first()
    membership, _ = Membership.objects.update_or_create(
        user=user, defaults={"organisation": organisation, "role": role, "is_active": is_active}
    )
    if previous is None or (previous.organisation_id, previous.role, previous.is_active) != (
        organisation.pk,
        role,
        is_active,
    ):
        MembershipEvent.objects.create(
            user=user,
            actor=actor,
            previous_organisation_id=previous.organisation_id if previous else None,
            previous_role=previous.role if previous else "",
            previous_is_active=previous.is_active if previous else None,
            organisation=organisation,
            role=role,
            is_active=is_active,
            note=note[:255],
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
    user.__dict__.pop("_netralitas_sealed", None)
    return membership


def record_account_flags(user, *, actor, was_superuser: bool, was_active: bool) -> MembershipEvent | None:
    """Append a MembershipEvent when a superuser changed ``user``'s superuser or active flag in the admin."""
    if (was_superuser, was_active) == (user.is_superuser, user.is_active):
        return None
    changes = []
    if was_superuser != user.is_superuser:
        changes.append(_("superuser: %(old)s → %(new)s") % {"old": was_superuser, "new": user.is_superuser})
    if was_active != user.is_active:
        changes.append(_("akun aktif: %(old)s → %(new)s") % {"old": was_active, "new": user.is_active})
    membership = Membership.objects.filter(user=user).first()
    return MembershipEvent.objects.create(
        user=user,
        actor=actor,
        previous_organisation_id=membership.organisation_id if membership else None,
        previous_role=membership.role if membership else "",
        previous_is_active=membership.is_active if membership else None,
        organisation_id=membership.organisation_id if membership else None,
        role=membership.role if membership else "",
        is_active=membership.is_active if membership else None,
        note="; ".join(changes)[:255],
    )
