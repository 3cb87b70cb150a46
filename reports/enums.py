"""Choices of the reports app. A leaf module: imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Diterima")
    VERIFYING = "verifying", _("Diverifikasi")
    NEEDS_COMPLETION = "needs_completion", _("Perlu dilengkapi")
    REJECTED = "rejected", _("Ditolak")
    WITHDRAWN = "withdrawn", _("Dicabut pelapor")
    REGISTERED = "registered", _("Diregistrasi")
    KAJIAN = "kajian", _("Dikaji Bawaslu")
    FORWARDED = "forwarded", _("Diteruskan ke lembaga pemberi rekomendasi")
    CLOSED = "closed", _("Selesai")


class ReportKind(models.TextChoices):
    LAPORAN = "laporan", _("Laporan")
    INFORMASI = "informasi", _("Informasi awal (anonim)")
    TEMUAN = "temuan", _("Temuan Bawaslu")


class Confidentiality(models.TextChoices):
    OPEN = "open", _("Identitas dapat dibuka kepada verifikator")
    CONFIDENTIAL = "confidential", _("Identitas dirahasiakan")
    ANONYMOUS = "anonymous", _("Anonim")


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Berkas")
    LINK = "link", _("Tautan")


class EvidenceSource(models.TextChoices):
    INTAKE = "intake", _("Dikirim bersama laporan")
    COMPLETION = "completion", _("Dikirim saat melengkapi")
    STAFF = "staff", _("Ditambahkan petugas")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Laporan diterima")
    STATUS_CHANGED = "status_changed", _("Status berubah")
    INFO_REQUESTED = "info_requested", _("Petugas meminta kelengkapan")
    REPORTER_ADDED = "reporter_added", _("Pelapor menambahkan keterangan")
    WITHDRAWN = "withdrawn", _("Laporan dicabut pelapor")
    NOTE = "note", _("Catatan petugas")
    VERIFIED = "verified", _("Hasil verifikasi dicatat")
    KAJIAN_RECORDED = "kajian_recorded", _("Hasil kajian dicatat")
    DEADLINE_EXTENDED = "deadline_extended", _("Tenggat kajian diperpanjang")
    QUESTION_ASKED = "question_asked", _("Petugas bertanya kepada pelapor")
    REPORTER_ANSWERED = "reporter_answered", _("Pelapor menjawab pertanyaan")
    PURGED = "purged", _("Data rahasia dihapus (masa retensi)")


class CaseStatus(models.TextChoices):
    """The state of one terlapor's case (recommendation, PPK follow-up and sanction are per terlapor)."""

    PENDING = "pending", _("Menunggu penerusan")
    CLARIFICATION = "clarification", _("Klarifikasi")
    NOT_PROVEN = "not_proven", _("Tidak terbukti")
    RECOMMENDED = "recommended", _("Rekomendasi diterbitkan")
    AWAITING_PPK = "awaiting_ppk", _("Menunggu tindak lanjut PPK")
    SANCTIONED = "sanctioned", _("Sanksi dijatuhkan")
    DONE = "done", _("Selesai")
    CANNOT_FOLLOW_UP = "cannot_follow_up", _("Tidak dapat ditindaklanjuti")
    CANCELLED = "cancelled", _("Dibatalkan")


# A case in one of these has reached its outcome ("sanksi dijatuhkan" is one: the PPK acted).
CASE_OUTCOMES = frozenset(
    {
        CaseStatus.NOT_PROVEN,
        CaseStatus.SANCTIONED,
        CaseStatus.DONE,
        CaseStatus.CANNOT_FOLLOW_UP,
        CaseStatus.CANCELLED,
    }
)
# A report in one of these is finished: no deadline runs.
REPORT_FINISHED = frozenset({ReportStatus.REJECTED, ReportStatus.WITHDRAWN, ReportStatus.CLOSED})


class KajianResult(models.TextChoices):
    MEMENUHI = "memenuhi", _("Memenuhi unsur pelanggaran netralitas")
    TIDAK_MEMENUHI = "tidak_memenuhi", _("Tidak memenuhi unsur pelanggaran netralitas")


class SealedItem(models.TextChoices):
    """What an officer opened of a report's sealed data (reports.confidentiality)."""

    IDENTITY = "identity", _("Identitas pelapor dan saksi")
    ORIGINAL = "original", _("Berkas asli bukti")


class LeftServiceReason(models.TextChoices):
    RETIRED = "retired", _("Pensiun")
    DISMISSED = "dismissed", _("Diberhentikan")
    RESIGNED = "resigned", _("Berhenti atas permintaan sendiri (APS)")
    DECEASED = "deceased", _("Meninggal dunia")


class ExternalSystem(models.TextChoices):
    SIGAPLAPOR = "sigaplapor", _("SIGAPLAPOR (Bawaslu)")
    LAPOR = "lapor", _("LAPOR! (SP4N)")
    SBT = "sbt", _("SBT (BKN)")
    OTHER = "other", _("Lainnya")
