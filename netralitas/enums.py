"""Choices of the shared core. A leaf module: imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")


class OrganisationKind(models.TextChoices):
    PEMDA_PROVINSI = "pemda_provinsi", _("Pemerintah provinsi")
    PEMDA_KABUPATEN = "pemda_kabupaten", _("Pemerintah kabupaten")
    PEMDA_KOTA = "pemda_kota", _("Pemerintah kota")
    KEMENTERIAN_LEMBAGA = "instansi_pusat", _("Kementerian/lembaga (instansi pusat)")
    BAWASLU_RI = "bawaslu_ri", _("Bawaslu RI")
    BAWASLU_PROVINSI = "bawaslu_provinsi", _("Bawaslu provinsi")
    BAWASLU_KABKOTA = "bawaslu_kabkota", _("Bawaslu kabupaten/kota")
    KASN = "kasn", _("KASN")
    BKN = "bkn", _("BKN")
    BKN_KANREG = "bkn_kanreg", _("Kantor Regional BKN")
    KEMENPANRB = "kemenpanrb", _("KemenPANRB")
    KEMENDAGRI = "kemendagri", _("Kemendagri")


# Bodies whose staff see national data (domain.md §8).
NATIONAL_KINDS = frozenset(
    {
        OrganisationKind.BAWASLU_RI,
        OrganisationKind.KASN,
        OrganisationKind.BKN,
        OrganisationKind.KEMENPANRB,
        OrganisationKind.KEMENDAGRI,
    }
)
PEMDA_KINDS = frozenset(
    {OrganisationKind.PEMDA_PROVINSI, OrganisationKind.PEMDA_KABUPATEN, OrganisationKind.PEMDA_KOTA}
)
# Organisations that employ ASN and so have a PPK.
INSTANSI_KINDS = PEMDA_KINDS | {OrganisationKind.KEMENTERIAN_LEMBAGA}
BAWASLU_KINDS = frozenset(
    {OrganisationKind.BAWASLU_RI, OrganisationKind.BAWASLU_PROVINSI, OrganisationKind.BAWASLU_KABKOTA}
)


class Role(models.TextChoices):
    OPERATOR = "operator", _("Operator BKPSDM/BKD")
    SATGAS = "satgas", _("Anggota Satgas")
    BAWASLU = "bawaslu", _("Petugas Bawaslu")
    AUTHORITY = "authority", _("Petugas lembaga pemberi rekomendasi")
    PPK = "ppk", _("Pejabat Pembina Kepegawaian (PPK)")
    BKN = "bkn", _("Petugas BKN (wasdal)")
    NATIONAL_VIEWER = "national_viewer", _("Pemantau nasional")
    ADMIN = "admin", _("Administrator")


class Track(models.TextChoices):
    ETIK = "etik", _("Etik (PP 42/2004)")
    DISIPLIN = "disiplin", _("Disiplin (PP 94/2021)")
    UU_ASN = "uu_asn", _("UU ASN")
    SATGAS = "satgas", _("Diputuskan Satgas")


class Level(models.TextChoices):
    MORAL = "moral", _("Sanksi moral")
    RINGAN = "ringan", _("Hukuman disiplin ringan")
    SEDANG = "sedang", _("Hukuman disiplin sedang")
    BERAT = "berat", _("Hukuman disiplin berat")
    PTDH = "ptdh", _("Pemberhentian tidak dengan hormat")


class EmployeeStatus(models.TextChoices):
    PNS = "pns", _("PNS")
    CPNS = "cpns", _("CPNS")
    PPPK = "pppk", _("PPPK")
    # The reporter may not know; staff complete it before a recommendation (sanctions differ for PNS and PPPK).
    UNKNOWN = "unknown", _("Tidak tahu")


class SanctionAppliesTo(models.TextChoices):
    ALL = "all", _("Semua ASN")
    PNS = "pns", _("PNS/CPNS")
    PPPK = "pppk", _("PPPK")


class DayType(models.TextChoices):
    CALENDAR = "calendar", _("Hari kalender")
    WORKING = "working", _("Hari kerja")


class DeadlineStep(models.TextChoices):
    REPORT_WINDOW = "report_window", _("Batas pelaporan sejak kejadian diketahui")
    REPORTER_COMPLETION = "reporter_completion", _("Pelapor melengkapi laporan")
    SATGAS_VERIFICATION = "satgas_verification", _("Verifikasi oleh Satgas")
    BAWASLU_KAJIAN = "bawaslu_kajian", _("Kajian Bawaslu")
    BAWASLU_KAJIAN_EXTENSION = "bawaslu_kajian_extension", _("Perpanjangan kajian Bawaslu")
    BAWASLU_KAJIAN_PEMILU = "bawaslu_kajian_pemilu", _("Kajian Bawaslu (Pemilu)")
    BAWASLU_KAJIAN_PEMILU_EXTENSION = "bawaslu_kajian_pemilu_ext", _("Perpanjangan kajian Bawaslu (Pemilu)")
    AUTHORITY_ACTION = "authority_action", _("Tindak lanjut lembaga pemberi rekomendasi")
    PPK_FOLLOW_UP = "ppk_follow_up", _("Tindak lanjut rekomendasi oleh PPK")


class HolidayKind(models.TextChoices):
    NATIONAL = "national", _("Libur nasional")
    CUTI_BERSAMA = "cuti_bersama", _("Cuti bersama")
    ONE_OFF = "one_off", _("Hari libur khusus (keputusan tersendiri)")


class HolidaySource(models.TextChoices):
    LIBRARY = "library", _("Paket holidays")
    ADMIN = "admin", _("Administrator")


class ElectionKind(models.TextChoices):
    PEMILU = "pemilu", _("Pemilu")
    PILKADA = "pilkada", _("Pemilihan kepala daerah")


class ElectionScope(models.TextChoices):
    NATIONAL = "national", _("Nasional")
    REGIONAL = "regional", _("Daerah tertentu")


class PhaseKind(models.TextChoices):
    PENETAPAN = "penetapan", _("Penetapan peserta")
    KAMPANYE = "kampanye", _("Masa kampanye")
    MASA_TENANG = "masa_tenang", _("Masa tenang")
    PEMUNGUTAN = "pemungutan", _("Pemungutan suara")


class PeriodPhase(models.TextChoices):
    """Where an incident date falls relative to an election (domain.md §6)."""

    SEBELUM = "sebelum", _("Sebelum masa kampanye")
    KAMPANYE = "kampanye", _("Selama masa kampanye")
    MASA_TENANG = "masa_tenang", _("Masa tenang")
    PEMUNGUTAN = "pemungutan", _("Hari pemungutan suara")
    SESUDAH = "sesudah", _("Sesudah pemungutan suara")


class DeliveryMode(models.TextChoices):
    """How a staff user wants reminders by e-mail (the portal always lists them)."""

    IMMEDIATE = "immediate", _("Langsung, satu surel per pengingat")
    DIGEST = "digest", _("Satu ringkasan harian")


class EscalationTarget(models.TextChoices):
    PARENT = "parent", _("Induk organisasi yang lalai (mis. pemda provinsi bagi pemda kabupaten/kota)")
    KIND = "kind", _("Organisasi nasional berjenis tertentu (Kemendagri, KemenPANRB, BKN)")
    STEP = "step", _("Pengawas menurut tahap (mis. ketua Satgas bagi penugasan)")
