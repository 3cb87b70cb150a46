"""The security log's rows, and how long a closed report's sealed data is kept."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.models import AppendOnlyModel
from netralitas.security.enums import SecurityEventKind


class SecurityEvent(AppendOnlyModel):
    """One line of the security log (also written as JSON to the "netralitas.security" logger).

    Written only by netralitas.security.log.log_event, which sanitises every value and never stores a
    password, PIN, code, token, NIK or reporter identity. Append-only.
    """

    created_at = models.DateTimeField(_("waktu"), default=timezone.now, db_index=True)
    kind = models.CharField(_("jenis"), max_length=32, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Yang melakukan; kosong bila belum masuk."),
    )
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    method = models.CharField(_("metode"), max_length=8, blank=True)
    path = models.CharField(_("alamat halaman"), max_length=255, blank=True)
    detail = models.JSONField(_("rincian"), default=dict, blank=True)

    class Meta:
        verbose_name = _("catatan keamanan")
        verbose_name_plural = _("catatan keamanan")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["kind", "-created_at"]),
            models.Index(fields=["user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"


DEFAULT_RETENTION_LEGAL_BASIS = (
    "UU No. 27 Tahun 2022 tentang Pelindungan Data Pribadi: data pribadi dihapus bila tidak lagi diperlukan "
    "untuk tujuan pemrosesannya [M]. Lima tahun sejak laporan ditutup adalah angka kerja yang belum dicocokkan "
    "dengan Jadwal Retensi Arsip (PP No. 28 Tahun 2012) instansi penerima laporan."
)


class RetentionPolicy(models.Model):
    """How long the sealed data of a closed report is kept: one row, kept by an administrator.

    reports.retention purges the reporter's identity, the witnesses and the original evidence
    files of reports closed longer than ``years`` ago.
    """

    years = models.PositiveSmallIntegerField(
        _("masa retensi (tahun)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Dihitung sejak laporan ditutup (ditolak, dicabut, atau selesai)."),
    )
    legal_basis = models.TextField(_("dasar hukum"))
    verified = models.BooleanField(
        _("terverifikasi"), default=False, help_text=_("Dicentang bila angka ini sudah dicocokkan dengan sumber resmi.")
    )
    note = models.TextField(_("catatan"), blank=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("masa retensi data pelapor")
        verbose_name_plural = _("masa retensi data pelapor")

    def __str__(self) -> str:
        return _("%(years)s tahun setelah laporan ditutup") % {"years": self.years}
