"""Choices of the taskforce app. A leaf module: imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SatgasLevel(models.TextChoices):
    NATIONAL = "national", _("Satgas nasional")
    REGIONAL = "regional", _("Satgas daerah")


class SatgasRole(models.TextChoices):
    """The roles of the SKB's Satgas composition, in the decree's order."""

    PENANGGUNG_JAWAB = "penanggung_jawab", _("Penanggung jawab")
    KETUA = "ketua", _("Ketua")
    WAKIL_KETUA = "wakil_ketua", _("Wakil ketua")
    SEKRETARIS = "sekretaris", _("Sekretaris")
    ANGGOTA = "anggota", _("Anggota")


# Who gives cases to members by hand or starts the rotation (SK Bupati Kuningan 800/KPTS.703-BKPSDM/2024:
# the ketua leads, the sekretaris, Kepala BKPSDM, runs the secretariat).
ASSIGNING_ROLES = frozenset({SatgasRole.KETUA, SatgasRole.SEKRETARIS})
# Who records meetings and produces the monev: the Satgas's leadership and secretariat.
LEADING_ROLES = frozenset({SatgasRole.KETUA, SatgasRole.WAKIL_KETUA, SatgasRole.SEKRETARIS})
# Who takes cases in the rotation: the working members (the penanggung jawab is the kepala daerah).
ROTATION_ROLES = frozenset({SatgasRole.WAKIL_KETUA, SatgasRole.SEKRETARIS, SatgasRole.ANGGOTA})


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Penanggung jawab perkara")
    MEMBER = "member", _("Anggota tim perkara")


class AssignmentMethod(models.TextChoices):
    MANUAL = "manual", _("Ditunjuk")
    ROTATION = "rotation", _("Giliran (otomatis)")


class MonevStatus(models.TextChoices):
    QUEUED = "queued", _("Menunggu diproses")
    RUNNING = "running", _("Sedang disusun")
    DONE = "done", _("Selesai")
    FAILED = "failed", _("Gagal")
