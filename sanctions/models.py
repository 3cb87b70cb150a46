"""PPK decisions, BKN blocks and escalations: what happens after a recommendation.

A decision is final once recorded: the row refuses updates; a correction is a
new SanctionEvent. Every step on a case here is a SanctionEvent (append-only).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.models import AppendOnlyModel, SanctionKind
from reports.models import Terlapor
from sanctions.enums import Compliance, EscalationKind, Examiner, SanctionEventKind


def sk_path(instance: Decision, filename: str) -> str:
    """Server-generated name, outside the web root like every upload."""
    return f"sk/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Decision(models.Model):
    """The PPK's decision (SK hukuman disiplin / sanksi moral) on one terlapor. One per case, final."""

    terlapor = models.OneToOneField(
        Terlapor, verbose_name=_("terlapor"), on_delete=models.PROTECT, related_name="decision"
    )
    sk_number = models.CharField(_("nomor SK"), max_length=100)
    sk_date = models.DateField(_("tanggal SK"))
    sanction_kind = models.ForeignKey(SanctionKind, verbose_name=_("jenis sanksi"), on_delete=models.PROTECT)
    effective_from = models.DateField(_("berlaku sejak"), null=True, blank=True)
    effective_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    examiner = models.CharField(_("pemeriksa"), max_length=20, choices=Examiner.choices, default=Examiner.NONE)
    examination_date = models.DateField(_("tanggal pemeriksaan"), null=True, blank=True)
    examination_record = models.TextField(_("berita acara pemeriksaan (ringkasan)"), blank=True)
    signed_sk = models.FileField(_("SK bertanda tangan (PDF)"), upload_to=sk_path, max_length=255)
    signed_sk_sha256 = models.CharField(_("SHA-256 SK"), max_length=64)
    deviation_reason = models.TextField(
        _("alasan berbeda dari rekomendasi"),
        blank=True,
        help_text=_(
            "Wajib bila sanksi di luar jalur/tingkat yang direkomendasikan; ditampilkan kepada lembaga dan BKN."
        ),
    )
    compliance = models.CharField(_("kepatuhan"), max_length=20, choices=Compliance.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keputusan PPK")
        verbose_name_plural = _("keputusan PPK")
        ordering = ["-recorded_at"]
        permissions = [("record_decision", _("Mencatat keputusan PPK atas rekomendasi"))]

    def __str__(self) -> str:
        return self.sk_number

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("Keputusan PPK bersifat final: koreksi dicatat sebagai kejadian baru")
        super().save(*args, **kwargs)


class Block(models.Model):
    """BKN's pemblokiran of the ASN's personnel data, and its lifting."""

    terlapor = models.ForeignKey(Terlapor, verbose_name=_("terlapor"), on_delete=models.PROTECT, related_name="blocks")
    blocked_on = models.DateField(_("tanggal blokir"))
    letter_number = models.CharField(_("nomor surat blokir"), max_length=100)
    letter_date = models.DateField(_("tanggal surat blokir"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    lift_requested_at = models.DateTimeField(_("perlu dibuka sejak"), null=True, blank=True)
    lifted_on = models.DateField(_("tanggal dibuka"), null=True, blank=True)
    lift_letter_number = models.CharField(_("nomor surat pembukaan"), max_length=100, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibuka oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("pemblokiran data kepegawaian")
        verbose_name_plural = _("pemblokiran data kepegawaian")
        ordering = ["-blocked_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["terlapor"], condition=Q(lifted_on__isnull=True), name="one_active_block_per_case"
            )
        ]
        permissions = [("lift_block", _("Membuka pemblokiran data kepegawaian"))]

    def __str__(self) -> str:
        return self.letter_number

    @property
    def is_active(self) -> bool:
        return self.lifted_on is None


class Escalation(models.Model):
    """A step against a PPK who does not act: teguran, or a recommendation to the President."""

    terlapor = models.ForeignKey(
        Terlapor, verbose_name=_("terlapor"), on_delete=models.PROTECT, related_name="escalations"
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=EscalationKind.choices)
    letter_number = models.CharField(_("nomor surat"), max_length=100)
    letter_date = models.DateField(_("tanggal surat"))
    note = models.TextField(_("catatan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("eskalasi")
        verbose_name_plural = _("eskalasi")
        ordering = ["-letter_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.letter_number}"


class SanctionEvent(AppendOnlyModel):
    """One thing that happened after the recommendation. Append-only."""

    terlapor = models.ForeignKey(
        Terlapor, verbose_name=_("terlapor"), on_delete=models.CASCADE, related_name="sanction_events"
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=SanctionEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("catatan"), blank=True)
    letter_number = models.CharField(_("nomor surat"), max_length=100, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("riwayat sanksi")
        verbose_name_plural = _("riwayat sanksi")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["terlapor", "created_at"])]

    def __str__(self) -> str:
        return f"{self.terlapor_id} {self.get_kind_display()}"


class DashboardRollup(models.Model):
    """Case figures per (grain, provinsi of the incident, election, kind, key): what dashboards read at scale.

    Rebuilt in SQL by sanctions.rollup.refresh_dashboard_rollup (Celery, every few minutes), never
    written elsewhere. ``kind`` says what ``key`` is: "total" (empty key), "violation" (code),
    "jabatan" (class), "phase", "election_phase", "instansi" (organisation id), "week" (ISO Monday),
    "outcome" (case status), "rec_days" / "sanction_days" (working days, a histogram in ``cases``).
    Each grain holds every case once: "national" rows are grouped by provinsi and election only,
    "instansi" rows also by the terlapor's instansi, "region" rows also by the report's region and
    intake organisation, so a scoped dashboard sums the rows of its scope (sanctions.selectors).
    Plain integers, not foreign keys: the table is a derived copy, rebuilt whole.
    """

    class Grain(models.TextChoices):
        """What a row is grouped by besides the provinsi and the election: who may read it."""

        NATIONAL = "national", _("nasional")  # nothing more: national viewers and /statistik/
        INSTANSI = "instansi", _("instansi")  # + the terlapor's instansi: its PPK, BKPSDM, Satgas
        REGION = "region", _("wilayah")  # + the report's region and intake organisation: Bawaslu

    grain = models.CharField(max_length=8, choices=Grain.choices, default=Grain.NATIONAL)
    provinsi_id = models.IntegerField(null=True)
    election_id = models.IntegerField(null=True)
    instansi_id = models.IntegerField(null=True)
    region_id = models.IntegerField(null=True)
    intake_id = models.IntegerField(null=True)
    kind = models.CharField(max_length=16)
    key = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=255, blank=True)
    cases = models.IntegerField(default=0)
    proven = models.IntegerField(default=0)
    not_proven = models.IntegerField(default=0)
    awaiting_ppk = models.IntegerField(default=0)
    sanctioned = models.IntegerField(default=0)
    overdue = models.IntegerField(default=0)
    blocked = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late = models.IntegerField(default=0)
    not_followed_up = models.IntegerField(default=0)
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("rekap dasbor")
        verbose_name_plural = _("rekap dasbor")
        indexes = [
            models.Index(fields=["grain", "provinsi_id", "election_id"], name="dashboard_rollup_grain"),
            models.Index(fields=["grain", "instansi_id"], name="dashboard_rollup_instansi"),
            models.Index(fields=["grain", "region_id"], name="dashboard_rollup_region"),
            models.Index(fields=["grain", "intake_id"], name="dashboard_rollup_intake"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}"
