"""factory_boy factories for the taskforce app: a Satgas by decree and its members."""

from __future__ import annotations

import datetime as dt

import factory

from netralitas.models import Organisation
from taskforce.enums import SatgasLevel, SatgasRole
from taskforce.models import Satgas, SatgasLeave, SatgasMember


class SatgasFactory(factory.django.DjangoModelFactory):
    """The Satgas of Kabupaten Sleman by default, serving since 1 January 2024 with no end set."""

    class Meta:
        model = Satgas

    name = "Satgas Netralitas ASN Kabupaten Sleman"
    level = SatgasLevel.REGIONAL
    organisation = factory.LazyFunction(
        lambda: Organisation.objects.get(region__name="Kabupaten Sleman", kind="pemda_kabupaten")
    )
    decree_number = "800/012/Kep.Bup/2024"
    decree_date = dt.date(2024, 1, 2)
    decree_title = "Keputusan Bupati Sleman tentang Satgas Pembinaan dan Pengawasan Netralitas ASN"
    period_start = dt.date(2024, 1, 1)


class SatgasMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatgasMember

    satgas = factory.SubFactory(SatgasFactory)
    name = factory.Sequence(lambda n: f"Anggota {n}")
    position = "Analis Kebijakan"
    institution = "Inspektorat"
    role = SatgasRole.ANGGOTA
    joined_on = dt.date(2024, 1, 1)
    order = factory.Sequence(lambda n: n)


class SatgasLeaveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatgasLeave

    member = factory.SubFactory(SatgasMemberFactory)
    start = dt.date(2024, 5, 1)
    end = dt.date(2024, 5, 10)
    reason = "Cuti tahunan"
