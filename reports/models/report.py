"""The report (laporan) and what hangs on it: evidence, events, kajian, sealed accesses, relayed questions.

The reporter's identity, the witnesses and the original evidence live on the report;
who may read them is decided by reports.confidentiality, never by a template.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.enums import DeadlineStep, PeriodPhase
from netralitas.models import AppendOnlyModel, Election, Organisation, Region, ViolationType
from reports.enums import (
    Confidentiality,
    EventKind,
    EvidenceKind,
    EvidenceSource,
    ExternalSystem,
    KajianResult,
    ReportKind,
    ReportStatus,
    SealedItem,
)


class Report(models.Model):
    tracking_code = models.CharField(_("kode pelacakan"), max_length=16, unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=ReportKind.choices, default=ReportKind.LAPORAN)
    # No index of its own (nor for the three keys below marked so): each leads a composite index of Meta,
    # which serves the same look-ups, and every citizen's report wrote each index once more (issue 11).
    status = models.CharField(_("status"), max_length=24, choices=ReportStatus.choices, default=ReportStatus.RECEIVED)
    intake_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasi penerima"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intake_reports",
        db_index=False,
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
    consent_at = models.DateTimeField(_("persetujuan pemrosesan data"), null=True, blank=True)
    # Salted SHA-256 of the PIN (a ≥64-bit random secret, so a fast hash is enough): see reports.pins.
    pin_hash = models.CharField(_("hash PIN"), max_length=128, blank=True)

    incident_date = models.DateField(_("tanggal kejadian"))
    learned_date = models.DateField(_("tanggal diketahui"), null=True, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah kejadian"), on_delete=models.PROTECT, related_name="reports", db_index=False
    )
    place = models.CharField(_("tempat kejadian"), max_length=255)
    description = models.TextField(_("uraian kejadian"))
    violation_type = models.ForeignKey(
        ViolationType, verbose_name=_("dugaan pelanggaran"), null=True, blank=True, on_delete=models.PROTECT
    )
    election = models.ForeignKey(Election, verbose_name=_("pemilihan"), null=True, blank=True, on_delete=models.PROTECT)
    period_phase = models.CharField(_("tahapan"), max_length=16, choices=PeriodPhase.choices, blank=True)
    reported_late = models.BooleanField(
        _("melewati batas pelaporan"), default=False, help_text=_("Dilaporkan lebih dari 7 hari sejak diketahui.")
    )
    witnesses = models.TextField(_("saksi"), blank=True)

    received_at = models.DateTimeField(_("diterima"), db_index=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    # Triage: who handles it, and the deadline of the current step (set only by reports.workflow).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ditangani oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_reports",
        db_index=False,
    )
    due_date = models.DateField(_("tenggat"), null=True, blank=True, db_index=True)
    due_step = models.CharField(
        _("tahap tenggat"), max_length=40, choices=DeadlineStep.choices, blank=True, default="", db_default=""
    )
    due_explanation = models.TextField(_("perhitungan tenggat"), blank=True, default="", db_default="")
    # While waiting for the reporter the verification clock stops; the days it had left wait here.
    paused_days_left = models.SmallIntegerField(_("sisa hari verifikasi yang ditahan"), null=True, blank=True)
    linked_reports = models.ManyToManyField("self", verbose_name=_("laporan terkait"), blank=True, symmetrical=True)

    # What the verifiers found (recorded at registration), and Bawaslu's forwarding letter.
    verified_formal = models.BooleanField(_("syarat formal terpenuhi"), null=True, blank=True)
    verified_material = models.BooleanField(_("syarat materiel terpenuhi"), null=True, blank=True)
    forward_letter_number = models.CharField(
        _("nomor surat penerusan"), max_length=100, blank=True, default="", db_default=""
    )
    forward_letter_date = models.DateField(_("tanggal surat penerusan"), null=True, blank=True)
    # The kajian deadline may be extended once (DeadlineStep.*_EXTENSION), with a reason.
    kajian_extended_at = models.DateTimeField(_("kajian diperpanjang"), null=True, blank=True)
    kajian_extension_reason = models.TextField(_("alasan perpanjangan kajian"), blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("laporan")
        verbose_name_plural = _("laporan")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["intake_organisation", "status", "-received_at"]),
            models.Index(fields=["region", "-received_at"]),
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["assigned_to", "status"]),
        ]
        permissions = [
            ("verify_report", _("Memverifikasi laporan dan meminta kelengkapan")),
            ("reject_report", _("Menolak laporan")),
            ("register_report", _("Meregistrasi laporan")),
            ("reroute_report", _("Mengalihkan laporan ke organisasi lain")),
            ("assess_report", _("Melakukan kajian (Bawaslu)")),
            ("forward_report", _("Meneruskan laporan ke lembaga pemberi rekomendasi")),
            ("record_temuan", _("Mencatat temuan Bawaslu")),
            ("view_reporter_identity", _("Melihat identitas pelapor (verifikator penerima)")),
            ("ask_reporter", _("Mengajukan pertanyaan kepada pelapor melalui portal")),
        ]

    def __str__(self) -> str:
        return self.tracking_code


def evidence_path(instance: Evidence, filename: str) -> str:
    """Server-generated name: nothing of the uploader's file name reaches the disk."""
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A file or a link offered as evidence. Files live outside the web root.

    A file uploaded in a failed form attempt is kept with a draft_token and no
    report, so the citizen does not upload it again; submission attaches it.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("laporan"), null=True, blank=True, on_delete=models.CASCADE, related_name="evidence"
    )
    draft_token = models.CharField(_("token draf"), max_length=64, blank=True, db_index=True)
    kind = models.CharField(_("jenis"), max_length=8, choices=EvidenceKind.choices)
    source = models.CharField(_("asal"), max_length=16, choices=EvidenceSource.choices, default=EvidenceSource.INTAKE)
    file = models.FileField(_("berkas asli"), upload_to=evidence_path, blank=True, max_length=255)
    shared_copy = models.FileField(
        _("salinan tanpa metadata"),
        upload_to=evidence_path,
        blank=True,
        max_length=255,
        help_text=_(
            "Salinan tanpa metadata untuk dibagikan (foto tanpa EXIF/XMP/IPTC, PDF tanpa info dokumen, XMP, "
            "lampiran, dan aksi); aslinya disimpan utuh dan disegel."
        ),
    )
    original_name = models.CharField(_("nama berkas dari pelapor"), max_length=255, blank=True)
    media_type = models.CharField(_("jenis isi"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("ukuran (bita)"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    url = models.URLField(_("tautan"), max_length=1000, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("bukti")
        verbose_name_plural = _("bukti")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind=EvidenceKind.FILE) & ~models.Q(sha256=""))
                | (models.Q(kind=EvidenceKind.LINK) & ~models.Q(url="")),
                name="evidence_file_has_hash_link_has_url",
            ),
            models.CheckConstraint(
                condition=models.Q(report__isnull=False) | ~models.Q(draft_token=""),
                name="evidence_attached_or_draft",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name or self.url


class ReportEvent(AppendOnlyModel):
    """One thing that happened to a report. Append-only: never edited, never deleted."""

    # Indexed by Meta's (report, created_at), which leads with it.
    report = models.ForeignKey(
        Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="events", db_index=False
    )
    kind = models.CharField(_("jenis"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("dari"), max_length=24, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("ke"), max_length=24, choices=ReportStatus.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelaku"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_("Kosong bila pelakunya pelapor atau sistem."),
    )
    note = models.TextField(_("catatan internal"), blank=True)
    public_message = models.TextField(
        _("pesan untuk pelapor"), blank=True, help_text=_("Tampil di halaman status pelapor.")
    )
    is_public = models.BooleanField(_("tampil bagi pelapor"), default=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("riwayat laporan")
        verbose_name_plural = _("riwayat laporan")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["report", "created_at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()}"


def kajian_document_path(instance: Kajian, filename: str) -> str:
    """Server-generated name, outside the web root, like evidence."""
    return f"kajian/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Kajian(models.Model):
    """Bawaslu's assessment of a registered report: its result, reasoning and the hasil kajian document."""

    report = models.OneToOneField(Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="kajian")
    result = models.CharField(_("hasil kajian"), max_length=16, choices=KajianResult.choices)
    reasoning = models.TextField(_("pertimbangan"))
    document = models.FileField(_("dokumen hasil kajian (PDF)"), upload_to=kajian_document_path, blank=True)
    document_sha256 = models.CharField(_("SHA-256 dokumen"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("kajian")
        verbose_name_plural = _("kajian")

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_result_display()}"


class ExternalReference(models.Model):
    """A number the same case carries in another system (SIGAPLAPOR, LAPOR!, SBT)."""

    report = models.ForeignKey(
        Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="external_references"
    )
    system = models.CharField(_("sistem"), max_length=16, choices=ExternalSystem.choices)
    number = models.CharField(_("nomor"), max_length=100, db_index=True)

    class Meta:
        verbose_name = _("nomor eksternal")
        verbose_name_plural = _("nomor eksternal")
        constraints = [models.UniqueConstraint(fields=["system", "number"], name="external_reference_unique")]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.number}"


class SealedAccess(AppendOnlyModel):
    """One opening of a report's sealed data: who, when, which item, and why. Append-only.

    Written by reports.confidentiality.unseal, the only way to see a reporter's identity,
    the witnesses or an original evidence file.
    """

    report = models.ForeignKey(
        Report, verbose_name=_("laporan"), on_delete=models.PROTECT, related_name="sealed_accesses"
    )
    item = models.CharField(_("yang dibuka"), max_length=16, choices=SealedItem.choices)
    evidence = models.ForeignKey(
        Evidence, verbose_name=_("bukti"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("petugas"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("alasan"))
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("akses data tersegel")
        verbose_name_plural = _("log akses data tersegel")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["report", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(item=SealedItem.ORIGINAL, evidence__isnull=False)
                | (~Q(item=SealedItem.ORIGINAL) & Q(evidence__isnull=True)),
                name="sealed_access_original_names_its_evidence",
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_item_display()}"


class ReporterQuestion(models.Model):
    """A question relayed to the reporter (status page, e-mail) by staff who may not know them, and the answer.

    Written only by reports.relay: the question when asked, the answer once (compare-and-set).
    """

    report = models.ForeignKey(Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="questions")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditanyakan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    # The asker's organisation when asking: its staff read the answer.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisasi penanya"), on_delete=models.PROTECT, related_name="+"
    )
    question = models.TextField(_("pertanyaan"))
    asked_at = models.DateTimeField(_("ditanyakan"), auto_now_add=True)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_at = models.DateTimeField(_("dijawab"), null=True, blank=True)

    class Meta:
        verbose_name = _("pertanyaan kepada pelapor")
        verbose_name_plural = _("pertanyaan kepada pelapor")
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["report", "asked_at"])]

    def __str__(self) -> str:
        return f"{self.report_id} {self.asked_at:%Y-%m-%d}"
