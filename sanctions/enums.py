"""Choices of the sanctions app. A leaf module: imports no models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Examiner(models.TextChoices):
    NONE = "none", _("Tanpa pemeriksaan (sanksi moral/ringan)")
    ATASAN_LANGSUNG = "atasan_langsung", _("Atasan langsung")
    TIM_PEMERIKSA = "tim_pemeriksa", _("Tim Pemeriksa")


class Compliance(models.TextChoices):
    ON_TIME = "on_time", _("Tepat waktu")
    LATE = "late", _("Terlambat")
    NOT_FOLLOWED_UP = "not_followed_up", _("Tidak ditindaklanjuti")


class SanctionEventKind(models.TextChoices):
    DECISION_RECORDED = "decision_recorded", _("Keputusan PPK dicatat")
    CORRECTION = "correction", _("Koreksi keputusan")
    LEFT_SERVICE = "left_service", _("ASN sudah keluar dari dinas")
    OVERDUE = "overdue", _("Melewati tenggat tindak lanjut")
    SATGAS_DECISION = "satgas_decision", _("Keputusan Satgas atas pelanggaran di luar matriks")
    BLOCKED = "blocked", _("Data kepegawaian diblokir BKN")
    LIFT_REQUESTED = "lift_requested", _("Blokir perlu dibuka")
    BLOCK_LIFTED = "block_lifted", _("Blokir dibuka BKN")
    ESCALATION = "escalation", _("Eskalasi terhadap PPK")


class EscalationKind(models.TextChoices):
    TEGURAN_KEMENDAGRI = "teguran_kemendagri", _("Teguran Kemendagri")
    TEGURAN_KEMENPANRB = "teguran_kemenpanrb", _("Teguran KemenPANRB")
    REKOMENDASI_PRESIDEN = "rekomendasi_presiden", _("Rekomendasi kepada Presiden")
