"""Terlapor and their cases: the register of ASN, each case's events, its clarifications, its recommendation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netralitas.enums import DeadlineStep, EmployeeStatus, Level, Track
from netralitas.models import AppendOnlyModel, Organisation, RecommendingAuthority, SanctionKind, ViolationType
from reports.enums import CaseStatus, LeftServiceReason
from reports.models.report import Report


class Person(models.Model):
    """The register of terlapor: one ASN across reports (by NIP, else by name + instansi)."""

    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    name = models.CharField(_("nama"), max_length=160)
    name_key = models.CharField(_("kunci nama"), max_length=160, db_index=True, editable=False)
    instansi = models.ForeignKey(
        Organisation, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="registered_asn"
    )
    left_service = models.CharField(
        _("sudah keluar dari dinas"), max_length=16, choices=LeftServiceReason.choices, blank=True
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    name_conflict = models.BooleanField(
        _("nama berbeda pada laporan lain"),
        default=False,
        db_default=False,
        help_text=_("Sebuah laporan menyebut NIP ini dengan nama lain: periksa apakah orangnya sama."),
    )

    class Meta:
        verbose_name = _("ASN terlapor (register)")
        verbose_name_plural = _("register ASN terlapor")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["nip"], condition=~Q(nip=""), name="person_unique_nip"),
            models.UniqueConstraint(
                fields=["name_key", "instansi"], condition=Q(nip=""), name="person_unique_name_instansi_without_nip"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.nip})" if self.nip else self.name


class Terlapor(models.Model):
    """An ASN named in one report, and their case: recommendation, PPK follow-up and sanction are per terlapor."""

    report = models.ForeignKey(Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="terlapor")
    person = models.ForeignKey(
        Person, verbose_name=_("register ASN"), null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    # Indexed by Meta's (case_status, due_date), which leads with it (as instansi by (instansi, report)): a
    # column index of its own was one more write per terlapor of every citizen's report (issue 11).
    case_status = models.CharField(
        _("status perkara"),
        max_length=20,
        choices=CaseStatus.choices,
        default=CaseStatus.PENDING,
        db_default=CaseStatus.PENDING,
    )
    # The recommending body in force on the day the report was forwarded; the case keeps it.
    authority = models.ForeignKey(
        RecommendingAuthority,
        verbose_name=_("lembaga pemberi rekomendasi"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True, db_index=True)
    due_step = models.CharField(
        _("tahap tenggat"), max_length=40, choices=DeadlineStep.choices, blank=True, default="", db_default=""
    )
    due_explanation = models.TextField(_("perhitungan tenggat"), blank=True, default="", db_default="")
    # Set by the deadline sweep when the PPK's follow-up deadline passed without a decision.
    overdue_since = models.DateField(_("melewati tenggat sejak"), null=True, blank=True, db_index=True)
    # For rows outside the SKB matrix (B13) the Satgas decides track and level before the recommendation.
    satgas_track = models.CharField(
        _("jalur (keputusan Satgas)"), max_length=16, choices=Track.choices, blank=True, default="", db_default=""
    )
    satgas_level = models.CharField(
        _("tingkat (keputusan Satgas)"), max_length=16, choices=Level.choices, blank=True, default="", db_default=""
    )
    satgas_reasoning = models.TextField(_("pertimbangan Satgas"), blank=True, default="", db_default="")
    satgas_decided_at = models.DateTimeField(_("diputuskan Satgas"), null=True, blank=True)
    # The register holds this NIP under another name: flagged, never merged silently.
    name_conflict = models.BooleanField(_("nama berbeda dengan register"), default=False, db_default=False)
    # SE MenPANRB 4/2024: a case KASN had processed before 4 Sep 2024 reports its follow-up elsewhere.
    supervised_by = models.ForeignKey(
        Organisation,
        verbose_name=_("tindak lanjut dilaporkan kepada"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("nama"), max_length=160)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, db_index=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    work_unit = models.CharField(_("unit kerja"), max_length=200, blank=True)
    instansi = models.ForeignKey(
        Organisation, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="terlapor", db_index=False
    )
    employee_status = models.CharField(_("status kepegawaian"), max_length=8, choices=EmployeeStatus.choices)

    class Meta:
        verbose_name = _("terlapor")
        verbose_name_plural = _("terlapor")
        ordering = ["report", "id"]
        indexes = [
            models.Index(fields=["instansi", "report"]),
            models.Index(fields=["case_status", "due_date"]),
            # The instansi dashboard's "due soon" and "overdue" lists (issue 15).
            models.Index(
                fields=["instansi", "due_date"],
                condition=Q(case_status="awaiting_ppk"),
                name="terlapor_awaiting_ppk_due",
            ),
        ]
        permissions = [
            ("issue_recommendation", _("Menerbitkan rekomendasi atau menyatakan tidak terbukti")),
            ("close_case", _("Menyatakan perkara tidak dapat ditindaklanjuti")),
            ("record_satgas_decision", _("Mencatat keputusan Satgas atas pelanggaran di luar matriks")),
            ("cancel_case", _("Membatalkan perkara atau rekomendasi")),
            ("record_clarification", _("Mencatat klarifikasi perkara")),
        ]

    def __str__(self) -> str:
        return self.name


class CaseEvent(AppendOnlyModel):
    """One change of a terlapor's case. Append-only: never edited, never deleted."""

    terlapor = models.ForeignKey(Terlapor, verbose_name=_("terlapor"), on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("dari"), max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("ke"), max_length=20, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelaku"), null=True, blank=True, on_delete=models.PROTECT
    )
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("riwayat perkara")
        verbose_name_plural = _("riwayat perkara")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["terlapor", "created_at"])]

    def __str__(self) -> str:
        return f"{self.terlapor_id} {self.from_status}→{self.to_status}"


class Recommendation(models.Model):
    """The recommending authority's finding on one terlapor, addressed to the PPK of their instansi."""

    terlapor = models.OneToOneField(
        Terlapor, verbose_name=_("terlapor"), on_delete=models.PROTECT, related_name="recommendation"
    )
    authority = models.ForeignKey(
        RecommendingAuthority, verbose_name=_("lembaga pemberi rekomendasi"), on_delete=models.PROTECT
    )
    addressed_to = models.ForeignKey(
        Organisation, verbose_name=_("ditujukan kepada (instansi PPK)"), on_delete=models.PROTECT, related_name="+"
    )
    finding = models.TextField(_("temuan/fakta"))
    violation_type = models.ForeignKey(ViolationType, verbose_name=_("jenis pelanggaran"), on_delete=models.PROTECT)
    track = models.CharField(_("jalur"), max_length=16, choices=Track.choices)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    sanction_kinds = models.ManyToManyField(SanctionKind, verbose_name=_("jenis sanksi yang direkomendasikan"))
    reasoning = models.TextField(_("pertimbangan"))
    letter_number = models.CharField(_("nomor surat"), max_length=100, unique=True)
    letter_date = models.DateField(_("tanggal surat"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diterbitkan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("diterbitkan"), auto_now_add=True)
    # The PPK's deadline runs from the day the instansi received the letter (domain research D7).
    received_date = models.DateField(
        _("tanggal diterima instansi"), null=True, blank=True, help_text=_("Kosong: sama dengan tanggal surat.")
    )
    cancelled_at = models.DateTimeField(_("dibatalkan"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dibatalkan oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.TextField(_("alasan pembatalan"), blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("rekomendasi")
        verbose_name_plural = _("rekomendasi")
        ordering = ["-letter_date", "-id"]
        indexes = [models.Index(fields=["addressed_to", "-letter_date"])]

    def __str__(self) -> str:
        return self.letter_number

    @property
    def deadline_start(self):
        """The day the PPK's deadline counts from: the day received, else the letter's date."""
        return self.received_date or self.letter_date


class Clarification(AppendOnlyModel):
    """The recommending authority's clarification of one case: when, and who was heard."""

    terlapor = models.ForeignKey(
        Terlapor, verbose_name=_("terlapor"), on_delete=models.CASCADE, related_name="clarifications"
    )
    held_on = models.DateField(_("tanggal klarifikasi"))
    heard = models.TextField(_("pihak yang dimintai keterangan"))
    summary = models.TextField(_("ringkasan keterangan"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("klarifikasi")
        verbose_name_plural = _("klarifikasi")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.terlapor_id} {self.held_on.isoformat()}"
