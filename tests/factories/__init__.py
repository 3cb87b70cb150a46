"""factory_boy factories for the reports app (grows with issues 3–5)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from netralitas.enums import EmployeeStatus
from netralitas.models import Organisation, Region
from reports.enums import Confidentiality
from reports.models import Report, Terlapor
from reports.pins import new_tracking_code


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    tracking_code = factory.LazyFunction(new_tracking_code)
    confidentiality = Confidentiality.CONFIDENTIAL
    reporter_name = "Pelapor Rahasia"
    reporter_nik = "3404011201900001"
    reporter_email = "pelapor@example.org"
    incident_date = dt.date(2024, 10, 14)
    region = factory.LazyFunction(lambda: Region.objects.get(name="Kabupaten Sleman"))
    place = "Balai desa"
    description = "Terlapor hadir dalam kampanye pasangan calon."
    received_at = factory.LazyFunction(timezone.now)


class TerlaporFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Terlapor

    report = factory.SubFactory(ReportFactory)
    name = factory.Sequence(lambda n: f"Terlapor {n}")
    nip = "197806122005011003"
    instansi = factory.LazyFunction(
        lambda: Organisation.objects.get(region__name="Kabupaten Sleman", kind="pemda_kabupaten")
    )
    employee_status = EmployeeStatus.PNS


class KajianFactory(factory.django.DjangoModelFactory):
    """Bawaslu's kajian of a report: memenuhi unsur, so the report may be forwarded."""

    class Meta:
        model = "reports.Kajian"

    report = factory.SubFactory(ReportFactory)
    result = "memenuhi"
    reasoning = "Unsur pelanggaran netralitas terpenuhi: saksi dan foto bersesuaian."
