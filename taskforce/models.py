"""Satgas teams by decree, their members, the cases given to them, their notes, meetings and monev.

Everything here is the taskforce's own data (style.md, "Rooms"): reports, cases and their
events belong to reports, which taskforce reads through reports.selectors and writes only
through reports' services (a change of assignment is a case event written by
reports.services.record_case_note).
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.models import AppendOnlyModel, Organisation
from reports.models import Report, Terlapor
from taskforce.enums import AssignmentMethod, AssignmentRole, MonevStatus, SatgasLevel, SatgasRole


def _private_path(folder: str) -> str:
    """A server-generated name outside the web root, like every upload (nothing of the uploader's name)."""
    return f"satgas/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


def decree_path(instance: Satgas, filename: str) -> str:
    return _private_path("sk")


def minutes_path(instance: Meeting, filename: str) -> str:
    return _private_path("notulen")


def monev_path(instance: MonevReport, filename: str) -> str:
    return _private_path("monev")


class Satgas(models.Model):
    """A Satuan Tugas Pembinaan dan Pengawasan Netralitas Pegawai ASN, formed by a decree.

    National: formed by the SKB institutions, it covers every case. Regional: formed by the
    kepala daerah, it covers the ASN of its pemda (and of any instansi added to ``also_covers``).
    """

    name = models.CharField(_("nama"), max_length=255)
    level = models.CharField(_("tingkat"), max_length=16, choices=SatgasLevel.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("dibentuk oleh"),
        on_delete=models.PROTECT,
        related_name="satgas",
        help_text=_("Pemda yang membentuk Satgas daerah; untuk Satgas nasional, lembaga sekretariatnya."),
    )
    also_covers = models.ManyToManyField(
        Organisation,
        verbose_name=_("juga mengawasi ASN"),
        blank=True,
        related_name="+",
        help_text=_("Instansi lain yang ASN-nya diawasi Satgas daerah ini, selain pemda pembentuknya."),
    )
    decree_number = models.CharField(_("nomor SK"), max_length=120)
    decree_date = models.DateField(_("tanggal SK"))
    decree_title = models.CharField(
        _("judul SK"), max_length=255, blank=True, help_text=_("Misalnya: Keputusan Bupati Sleman tentang …")
    )
    decree_pdf = models.FileField(_("SK bertanda tangan (PDF)"), upload_to=decree_path, blank=True, max_length=255)
    decree_sha256 = models.CharField(_("SHA-256 SK"), max_length=64, blank=True)
    period_start = models.DateField(_("masa tugas mulai"))
    period_end = models.DateField(_("masa tugas sampai"), null=True, blank=True)
    address = models.CharField(_("alamat sekretariat"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        verbose_name = _("Satgas")
        verbose_name_plural = _("Satgas")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__isnull=True) | Q(period_end__gte=models.F("period_start")),
                name="satgas_period_ordered",
            )
        ]
        permissions = [
            ("assign_case", _("Menugaskan laporan atau perkara kepada anggota Satgas")),
            ("generate_monev", _("Menyusun laporan monitoring dan evaluasi Satgas")),
            ("import_members", _("Mengimpor daftar anggota Satgas dari SK")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.level == SatgasLevel.NATIONAL

    def in_period(self, day: date) -> bool:
        return self.period_start <= day and (self.period_end is None or day <= self.period_end)


class SatgasMember(models.Model):
    """One person in a Satgas decree, with their role and their own period of duty."""

    satgas = models.ForeignKey(Satgas, verbose_name=_("Satgas"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("nama"), max_length=160)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    position = models.CharField(_("jabatan"), max_length=200, blank=True, help_text=_("Misalnya: Sekretaris Daerah."))
    institution = models.CharField(
        _("asal instansi/unit"),
        max_length=200,
        help_text=_("Inspektorat, BKPSDM, Kesbangpol, Bagian Hukum, …"),
    )
    role = models.CharField(_("peran dalam Satgas"), max_length=20, choices=SatgasRole.choices)
    joined_on = models.DateField(_("mulai bertugas"))
    left_on = models.DateField(
        _("berhenti bertugas sejak"),
        null=True,
        blank=True,
        help_text=_("Sejak tanggal ini tidak lagi bertugas dan tidak lagi melihat perkara Satgas."),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun portal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="satgas_memberships",
    )
    order = models.PositiveSmallIntegerField(_("urutan dalam SK"), default=0)

    class Meta:
        verbose_name = _("anggota Satgas")
        verbose_name_plural = _("anggota Satgas")
        ordering = ["satgas", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gt=models.F("joined_on")),
                name="satgas_member_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["satgas", "user"], condition=Q(user__isnull=False), name="satgas_member_one_account"
            ),
        ]
        indexes = [models.Index(fields=["user", "satgas"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def in_period(self, day: date) -> bool:
        """Serving on ``day``: inside their own period and the Satgas's."""
        own = self.joined_on <= day and (self.left_on is None or day < self.left_on)
        return own and self.satgas.in_period(day)


class SatgasLeave(models.Model):
    """A span when a member is away (cuti, tugas belajar, dinas luar): no new cases for them then."""

    member = models.ForeignKey(SatgasMember, verbose_name=_("anggota"), on_delete=models.CASCADE, related_name="leaves")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("sampai"))
    reason = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cuti/berhalangan")
        verbose_name_plural = _("cuti/berhalangan")
        ordering = ["member", "start"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="satgas_leave_ordered")]

    def __str__(self) -> str:
        return f"{self.member.name}: {self.start.isoformat()} – {self.end.isoformat()}"


class Assignment(models.Model):
    """A member on a report (verification) or on one terlapor's case (follow-up), as its lead or in its team.

    A current assignment has no ``ended_at``; a reassignment ends it (with the reason) and
    creates the next one, so the history stays.
    """

    satgas = models.ForeignKey(Satgas, verbose_name=_("Satgas"), on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(
        SatgasMember, verbose_name=_("anggota"), on_delete=models.PROTECT, related_name="assignments"
    )
    report = models.ForeignKey(
        Report, verbose_name=_("laporan"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    terlapor = models.ForeignKey(
        Terlapor,
        verbose_name=_("perkara (terlapor)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    role = models.CharField(_("peran"), max_length=16, choices=AssignmentRole.choices)
    method = models.CharField(_("cara"), max_length=16, choices=AssignmentMethod.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ditugaskan oleh"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("ditugaskan"), default=timezone.now)
    ended_at = models.DateTimeField(_("berakhir"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diakhiri oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.TextField(_("alasan diakhiri"), blank=True)

    class Meta:
        verbose_name = _("penugasan")
        verbose_name_plural = _("penugasan")
        ordering = ["-assigned_at", "-id"]
        indexes = [
            models.Index(fields=["member"], condition=Q(ended_at__isnull=True), name="assignment_open_by_member"),
            models.Index(fields=["satgas", "assigned_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(report__isnull=False, terlapor__isnull=True)
                | Q(report__isnull=True, terlapor__isnull=False),
                name="assignment_one_subject",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(ended_at__isnull=True, role=AssignmentRole.LEAD, report__isnull=False),
                name="assignment_one_lead_per_report",
            ),
            models.UniqueConstraint(
                fields=["terlapor"],
                condition=Q(ended_at__isnull=True, role=AssignmentRole.LEAD, terlapor__isnull=False),
                name="assignment_one_lead_per_case",
            ),
            models.UniqueConstraint(
                fields=["member", "report"],
                condition=Q(ended_at__isnull=True, report__isnull=False),
                name="assignment_member_once_per_report",
            ),
            models.UniqueConstraint(
                fields=["member", "terlapor"],
                condition=Q(ended_at__isnull=True, terlapor__isnull=False),
                name="assignment_member_once_per_case",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.name} · {self.get_role_display()}"


class MonitoringNote(AppendOnlyModel):
    """What a member saw while monitoring one or more cases. Append-only: a correction is a new note."""

    satgas = models.ForeignKey(Satgas, verbose_name=_("Satgas"), on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("penulis"), on_delete=models.PROTECT)
    text = models.TextField(_("catatan"))
    reports = models.ManyToManyField(Report, verbose_name=_("laporan"), blank=True, related_name="+")
    cases = models.ManyToManyField(Terlapor, verbose_name=_("perkara"), blank=True, related_name="+")
    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("catatan pemantauan")
        verbose_name_plural = _("catatan pemantauan")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class Meeting(models.Model):
    """A rapat pembahasan of the Satgas on one or more cases, with its minutes."""

    satgas = models.ForeignKey(Satgas, verbose_name=_("Satgas"), on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("tanggal rapat"))
    place = models.CharField(_("tempat"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"))
    conclusions = models.TextField(_("kesimpulan"))
    attendees = models.ManyToManyField(SatgasMember, verbose_name=_("anggota yang hadir"), related_name="meetings")
    reports = models.ManyToManyField(Report, verbose_name=_("laporan yang dibahas"), blank=True, related_name="+")
    cases = models.ManyToManyField(Terlapor, verbose_name=_("perkara yang dibahas"), blank=True, related_name="+")
    minutes = models.FileField(_("notulen (PDF)"), upload_to=minutes_path, blank=True, max_length=255)
    minutes_sha256 = models.CharField(_("SHA-256 notulen"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), default=timezone.now)

    class Meta:
        verbose_name = _("rapat pembahasan")
        verbose_name_plural = _("rapat pembahasan")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on.isoformat()} {self.agenda[:60]}"


class MonevReport(models.Model):
    """A monitoring dan evaluasi report of a Satgas over a period, built once and kept for download."""

    satgas = models.ForeignKey(Satgas, verbose_name=_("Satgas"), on_delete=models.CASCADE, related_name="monev")
    period_start = models.DateField(_("periode mulai"))
    period_end = models.DateField(_("periode sampai"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("diminta"), default=timezone.now)
    status = models.CharField(_("status"), max_length=16, choices=MonevStatus.choices, default=MonevStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    stage = models.CharField(_("tahap"), max_length=120, blank=True)
    started_at = models.DateTimeField(_("mulai disusun"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    error = models.CharField(_("galat"), max_length=255, blank=True)
    figures = models.JSONField(_("angka"), null=True, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=monev_path, blank=True, max_length=255)
    xlsx = models.FileField(_("XLSX"), upload_to=monev_path, blank=True, max_length=255)

    class Meta:
        verbose_name = _("laporan monev")
        verbose_name_plural = _("laporan monev")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="monev_period_ordered"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="monev_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.satgas} {self.period_start.isoformat()} – {self.period_end.isoformat()}"
