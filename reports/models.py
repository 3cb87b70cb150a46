"""Reports (laporan), their terlapor.

The reporter's identity lives on the report; who may read it is decided by
reports.selectors.can_see_reporter_identity, never by the template.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from netralitas.enums import EmployeeStatus, PeriodPhase
from netralitas.models import Election, Organisation, Region, ViolationType
from reports.enums import Confidentiality, ReportKind, ReportStatus


class Report(models.Model):
    tracking_code = models.CharField(_("kode pelacakan"), max_length=16, unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=ReportKind.choices, default=ReportKind.LAPORAN)
    status = models.CharField(
        _("status"), max_length=24, choices=ReportStatus.choices, default=ReportStatus.RECEIVED, db_index=True
    )
    intake_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasi penerima"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_reports",
        help_text=_("Organisasi yang memverifikasi laporan; kosong berarti antrean nasional."),
    )

    confidentiality = models.CharField(
        _("kerahasiaan pelapor"), max_length=16, choices=Confidentiality.choices, default=Confidentiality.CONFIDENTIAL
    )
    reporter_name = models.CharField(_("nama pelapor"), max_length=160, blank=True)
    reporter_nik = models.CharField(_("NIK pelapor"), max_length=16, blank=True)
    reporter_address = models.TextField(_("alamat pelapor"), blank=True)
    reporter_phone = models.CharField(_("telepon pelapor"), max_length=32, blank=True)
    reporter_email = models.EmailField(_("surel pelapor"), blank=True)

    incident_date = models.DateField(_("tanggal kejadian"))
    learned_date = models.DateField(_("tanggal diketahui"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah kejadian"), on_delete=models.PROTECT, related_name="reports"
    )
    place = models.CharField(_("tempat kejadian"), max_length=255)
    description = models.TextField(_("uraian kejadian"))
    violation_type = models.ForeignKey(
        ViolationType, verbose_name=_("dugaan pelanggaran"), null=True, blank=True, on_delete=models.PROTECT
    )
    election = models.ForeignKey(Election, verbose_name=_("pemilihan"), null=True, blank=True, on_delete=models.PROTECT)
    period_phase = models.CharField(_("tahapan"), max_length=16, choices=PeriodPhase.choices, blank=True)

    received_at = models.DateTimeField(_("diterima"), db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["intake_organisation", "status", "-received_at"]),
            models.Index(fields=["region", "-received_at"]),
        ]

    def __str__(self) -> str:
        return self.tracking_code


class Terlapor(models.Model):
    """An ASN named in one report. The cross-report register comes with the workflow."""

    report = models.ForeignKey(Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="terlapor")
    name = models.CharField(_("nama"), max_length=160)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, db_index=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    work_unit = models.CharField(_("unit kerja"), max_length=200, blank=True)
    instansi = models.ForeignKey(
        Organisation, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="terlapor"
    )
    employee_status = models.CharField(_("status kepegawaian"), max_length=8, choices=EmployeeStatus.choices)

    class Meta:
        verbose_name = _("terlapor")
        verbose_name_plural = _("terlapor")
        ordering = ["report", "id"]
        indexes = [models.Index(fields=["instansi", "report"])]

    def __str__(self) -> str:
        return self.name
