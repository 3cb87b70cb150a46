"""The Satgas of Kabupaten Sleman and its members: a team every taskforce test is one fixture away from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model

from netralitas.enums import Role
from taskforce.enums import SatgasRole
from taskforce.models import Satgas, SatgasMember
from tests.factories.taskforce import SatgasFactory, SatgasMemberFactory


def fresh(user):
    """The same user with no cached scope (as on the next request)."""
    user.__dict__.pop("_netralitas_scope", None)
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)
    return user


def _staff(make_staff, username: str, organisation, role: str):
    """make_staff, without rebuilding the role's group when this test already built it (it is the slow part)."""
    from django.contrib.auth.models import Group

    from netralitas.models import Membership
    from netralitas.permissions import group_name

    group = Group.objects.filter(name=group_name(role)).first()
    if group is None or not group.permissions.exists():
        return make_staff(username, organisation, role)
    user = get_user_model().objects.create_user(username=username, password="kata-sandi-uji-123", is_staff=True)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    user.groups.add(group)
    return user


def add_member(make_staff, satgas: Satgas, username: str | None, name: str, role=SatgasRole.ANGGOTA, **fields):
    """A member of ``satgas``; with ``username`` also a portal account of the Satgas role in its pemda."""
    user = None
    if username:
        organisation = fields.pop("organisation", satgas.organisation)
        account_role = fields.pop("account_role", Role.SATGAS)
        user = _staff(make_staff, username, organisation, account_role)
        first, _, last = name.partition(" ")
        user.first_name, user.last_name, user.email = first, last, f"{username}@sleman.example.go.id"
        user.save()
    return SatgasMemberFactory(satgas=satgas, user=user, name=name, role=role, **fields)


@dataclass
class Team:
    satgas: Satgas
    ketua: SatgasMember
    sekretaris: SatgasMember
    anggota: list[SatgasMember]

    def user(self, member: SatgasMember):
        return fresh(member.user)


@pytest.fixture
def team(organisations, make_staff) -> Team:
    """Satgas Sleman (since 1 January 2024): a ketua, a sekretaris and three anggota, each with an account."""
    satgas = SatgasFactory(organisation=organisations["pemda_sleman"], address="Jalan Parasamya No. 1, Beran, Sleman")
    ketua = add_member(
        make_staff, satgas, "ketua.satgas", "Harda Kiswaya", SatgasRole.KETUA, institution="Sekretariat Daerah", order=1
    )
    sekretaris = add_member(
        make_staff, satgas, "sekretaris.satgas", "Budi Pranowo", SatgasRole.SEKRETARIS, institution="BKPSDM", order=2
    )
    anggota = [
        add_member(make_staff, satgas, "anggota.satu", "Ani Lestari", institution="Inspektorat", order=3),
        add_member(make_staff, satgas, "anggota.dua", "Bayu Saputra", institution="Kesbangpol", order=4),
        add_member(make_staff, satgas, "anggota.tiga", "Citra Dewi", institution="Bagian Hukum", order=5),
    ]
    return Team(satgas, ketua, sekretaris, anggota)


JOINED = dt.date(2024, 1, 1)
