"""Who may do which Satgas act: the account's role permission and, on the team, the SKB role.

Used both by the pages that offer a button and by the services that act, so "offered"
and "allowed" never disagree. ``member`` is the user's member row on the Satgas serving
today (taskforce.selectors.member_of), or None.
"""

from __future__ import annotations

from netralitas import visibility
from taskforce.enums import ASSIGNING_ROLES, LEADING_ROLES
from taskforce.models import SatgasMember


def may_assign(user, member: SatgasMember | None) -> bool:
    """The ketua or the sekretaris gives cases to members (by hand or by the rotation)."""
    return member is not None and user.has_perm("taskforce.assign_case") and member.role in ASSIGNING_ROLES


def may_note(user, member: SatgasMember | None) -> bool:
    """Every serving member records what they saw while monitoring."""
    return member is not None and user.has_perm("taskforce.add_monitoringnote")


def may_record_meeting(user, member: SatgasMember | None) -> bool:
    """The leadership and the secretariat record the rapat pembahasan."""
    return member is not None and user.has_perm("taskforce.add_meeting") and member.role in LEADING_ROLES


def may_generate_monev(user, member: SatgasMember | None) -> bool:
    """The leadership and the secretariat produce the monev report."""
    return member is not None and user.has_perm("taskforce.generate_monev") and member.role in LEADING_ROLES


def may_read_monev(user, member: SatgasMember | None) -> bool:
    """Every serving member reads the monev; so do national bodies that may see the Satgas."""
    return user.has_perm("taskforce.view_monevreport") and (member is not None or visibility.scope_for(user).national)


def may_manage_members(user, member: SatgasMember | None) -> bool:
    """An administrator (national scope) or the team's ketua or sekretaris imports the decree's member list."""
    if not user.has_perm("taskforce.import_members"):
        return False
    if member is not None:
        return member.role in ASSIGNING_ROLES
    scope = visibility.scope_for(user)
    return scope.national and user.has_perm("taskforce.change_satgasmember")
