"""Choices of the security app. A leaf module: imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Masuk dengan kata sandi")
    LOGIN_FAILED = "login_failed", _("Gagal masuk")
    LOCKOUT = "lockout", _("Dikunci karena terlalu banyak kegagalan")
    LOCKOUT_LIFTED = "lockout_lifted", _("Kunci dibuka administrator")
    LOGOUT = "logout", _("Keluar")
    SESSION_EXPIRED = "session_expired", _("Sesi berakhir")
    OTP_ENROLLED = "otp_enrolled", _("Autentikasi dua langkah diaktifkan")
    OTP_VERIFIED = "otp_verified", _("Kode dua langkah diterima")
    OTP_FAILED = "otp_failed", _("Kode dua langkah ditolak")
    OTP_RESET = "otp_reset", _("Autentikasi dua langkah diatur ulang")
    BACKUP_CODES = "backup_codes", _("Kode cadangan dibuat ulang")
    REAUTH = "reauth", _("Identitas dikonfirmasi ulang")
    REAUTH_FAILED = "reauth_failed", _("Konfirmasi identitas gagal")
    MEMBERSHIP_CHANGED = "membership_changed", _("Keanggotaan diubah")
    PERMISSIONS_CHANGED = "permissions_changed", _("Hak akses diubah")
    PASSWORD_CHANGED = "password_changed", _("Kata sandi diubah")
    IDENTITY_UNSEALED = "identity_unsealed", _("Identitas pelapor dibuka")
    EXPORT = "export", _("Ekspor data")
    EVIDENCE_DOWNLOAD = "evidence_download", _("Unduh bukti")
    RETENTION_PURGE = "retention_purge", _("Data pelapor dihapus (masa retensi)")
