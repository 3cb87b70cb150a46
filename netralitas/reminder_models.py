"""Models of the reminder engine (netralitas.reminders): rules, notifications, preferences, prevention.

Imported at the end of netralitas.models so Django registers them with the core app; kept apart so
the core's reference models stay one short file.

- ReminderRule / EscalationRoute: which steps remind, when, and to whom they escalate: data an
  administrator edits, each with its legal basis.
- ReminderDelivery: the claim of one message, unique on (recipient, kind, subject, due date):
  whoever inserts the row first delivers the message; everyone else does nothing. Kept also when
  there was nothing to say (an empty digest) or the case moved on, so no run asks again.
- Notification: one message in a staff user's portal list.
- NotificationPreference: immediate e-mails or one daily digest, and the language of the e-mails.
- PreventionItem / PreventionCheck: the decree's prevention obligations (a circular, the
  neutrality pledge, banners) that each instansi ticks with evidence before an election.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netralitas.enums import DeliveryMode, EscalationTarget, OrganisationKind, Role
from netralitas.models import Election, Organisation

MAX_OFFSET_DAYS = 60


def parse_offsets(text: str) -> tuple[int, ...]:
    """ "3,1" -> (3, 1): distinct working-day offsets, largest first. Raises ValueError on bad input."""
    values = set()
    for part in (text or "").replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_OFFSET_DAYS:
            raise ValueError(part)
        values.add(int(part))
    return tuple(sorted(values, reverse=True))


def validate_offsets(text: str) -> None:
    try:
        parse_offsets(text)
    except ValueError:
        raise ValidationError(
            _("Tulis angka hari kerja 1–%(max)d dipisah koma, mis. 3,1."), params={"max": MAX_OFFSET_DAYS}
        ) from None


class ReminderRule(models.Model):
    """When the engine reminds about one registered step, and whether it escalates."""

    step = models.CharField(
        _("tahap"),
        max_length=64,
        unique=True,
        help_text=_("Kunci tahap yang didaftarkan aplikasi, mis. sanctions.ppk_follow_up."),
    )
    is_active = models.BooleanField(_("kirim pengingat"), default=True)
    before_days = models.CharField(
        _("hari kerja sebelum tenggat"),
        max_length=32,
        blank=True,
        default="3,1",
        validators=[validate_offsets],
        help_text=_("Dipisah koma, mis. 3,1."),
    )
    campaign_before_days = models.CharField(
        _("hari kerja sebelum tenggat selama kampanye dan masa tenang"),
        max_length=32,
        blank=True,
        validators=[validate_offsets],
        help_text=_("Pengingat lebih rapat di wilayah yang sedang berkampanye; kosong = sama dengan di atas."),
    )
    on_due_day = models.BooleanField(_("pengingat pada hari tenggat"), default=True)
    halfway_min_days = models.PositiveSmallIntegerField(
        _("pengingat di tengah waktu untuk tahap sepanjang"),
        null=True,
        blank=True,
        help_text=_("Bila tahap ini diberi paling sedikit sekian hari, ingatkan saat waktunya tinggal separuh."),
    )
    overdue_every = models.PositiveSmallIntegerField(
        _("ulangi setelah tenggat setiap (hari kerja)"),
        default=1,
        help_text=_("1 = setiap hari kerja; 5 = sepekan sekali; 0 = tidak diingatkan setelah tenggat."),
    )
    escalate_after = models.PositiveSmallIntegerField(
        _("eskalasi setelah (hari kerja lewat tenggat)"), null=True, blank=True
    )
    legal_basis = models.TextField(_("dasar hukum"))
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("aturan pengingat")
        verbose_name_plural = _("aturan pengingat")
        ordering = ["step"]

    def __str__(self) -> str:
        return self.step

    def clean(self) -> None:
        from netralitas import reminders
        from netralitas.reference.reminders import REMINDER_RULES

        # Registered steps, and those the reference data names before their app registers them (taskforce).
        known = reminders.registered_step_keys() | {row[0] for row in REMINDER_RULES}
        if self.step and self.step not in known:
            message = _("Tahap %(step)s tidak dikenal. Pilih salah satu: %(known)s.") % {
                "step": self.step,
                "known": ", ".join(sorted(known)),
            }
            raise ValidationError({"step": message})

    def offsets(self, *, campaign: bool = False) -> tuple[int, ...]:
        """Working days before the due date at which to remind (largest first)."""
        if campaign and self.campaign_before_days.strip():
            return parse_offsets(self.campaign_before_days)
        return parse_offsets(self.before_days)


class EscalationRoute(models.Model):
    """Who hears about a step overdue by ``rule.escalate_after`` working days."""

    rule = models.ForeignKey(ReminderRule, verbose_name=_("aturan"), on_delete=models.CASCADE, related_name="routes")
    from_kind = models.CharField(
        _("bila yang lalai"),
        max_length=32,
        choices=OrganisationKind.choices,
        blank=True,
        help_text=_("Jenis organisasi yang bertanggung jawab atas tahap ini; kosong = semua."),
    )
    target = models.CharField(_("eskalasi kepada"), max_length=16, choices=EscalationTarget.choices)
    target_kind = models.CharField(
        _("jenis organisasi tujuan"), max_length=32, choices=OrganisationKind.choices, blank=True
    )
    role = models.CharField(
        _("peran penerima"),
        max_length=32,
        choices=Role.choices,
        blank=True,
        help_text=_("Kosong = semua peran kecuali administrator."),
    )
    legal_basis = models.TextField(_("dasar hukum"))

    class Meta:
        verbose_name = _("jalur eskalasi")
        verbose_name_plural = _("jalur eskalasi")
        ordering = ["rule", "id"]

    def __str__(self) -> str:
        target = self.get_target_kind_display() if self.target == EscalationTarget.KIND else self.get_target_display()
        return f"{self.get_from_kind_display() or _('semua')} → {target}"

    def clean(self) -> None:
        if self.target == EscalationTarget.KIND and not self.target_kind:
            raise ValidationError({"target_kind": _("Pilih jenis organisasi tujuan.")})
        if self.target != EscalationTarget.KIND and self.target_kind:
            raise ValidationError(
                {"target_kind": _("Jenis organisasi tujuan hanya untuk eskalasi ke jenis organisasi.")}
            )


class NotificationPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pengguna"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    delivery = models.CharField(
        _("surel pengingat"), max_length=16, choices=DeliveryMode.choices, default=DeliveryMode.IMMEDIATE
    )
    language = models.CharField(
        _("bahasa surel"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        verbose_name = _("pengaturan notifikasi")
        verbose_name_plural = _("pengaturan notifikasi")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_delivery_display()}"


class ReminderDelivery(models.Model):
    """The claim of one message: inserted once, before anything is written or sent."""

    class Outcome(models.TextChoices):
        SENT = "sent", _("Dikirim")
        EMPTY = "empty", _("Tidak ada isinya")
        VOID = "void", _("Tidak berlaku lagi")

    recipient = models.CharField(_("penerima"), max_length=64, help_text=_("user:<id> atau email:<sidik>"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), null=True, blank=True, on_delete=models.CASCADE
    )
    kind = models.CharField(_("jenis"), max_length=32)
    subject = models.CharField(_("perihal"), max_length=100)
    due_date = models.DateField(_("tenggat/periode"))
    outcome = models.CharField(_("hasil"), max_length=8, choices=Outcome.choices)
    created_at = models.DateTimeField(_("diklaim"), default=timezone.now)

    class Meta:
        verbose_name = _("pengiriman pengingat")
        verbose_name_plural = _("pengiriman pengingat")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject", "due_date"], name="reminder_delivery_once"),
        ]
        indexes = [models.Index(fields=["subject", "due_date"], name="reminder_delivery_subject_idx")]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.subject} {self.due_date}"


class Notification(models.Model):
    """One message in a staff user's portal list, linking to the place of the act."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penerima"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("jenis"), max_length=32)
    subject = models.CharField(_("perihal"), max_length=100)
    due_date = models.DateField(_("tenggat/periode"))
    title = models.CharField(_("judul"), max_length=255)
    body = models.TextField(_("isi"), blank=True)
    url = models.CharField(_("tautan"), max_length=500)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    read_at = models.DateTimeField(_("dibaca"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("dikirim lewat surel"), null=True, blank=True)

    class Meta:
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "subject", "due_date"], name="notification_once"),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at"], name="notification_user_recent"),
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["user"], condition=Q(emailed_at__isnull=True), name="notification_unemailed_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class PreventionItem(models.Model):
    """A prevention obligation of the decree that every instansi fulfils before an election."""

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    title = models.CharField(_("kewajiban"), max_length=200)
    description = models.TextField(_("penjelasan"), blank=True)
    legal_basis = models.TextField(_("dasar hukum"))
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("kewajiban pencegahan")
        verbose_name_plural = _("kewajiban pencegahan")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.title


def prevention_path(instance: PreventionCheck, filename: str) -> str:
    """Server-generated name, outside the web root like every upload."""
    return f"prevention/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class PreventionCheck(models.Model):
    """An instansi's proof that it fulfilled one prevention obligation for one election."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("instansi"), on_delete=models.CASCADE, related_name="prevention_checks"
    )
    election = models.ForeignKey(Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey(PreventionItem, verbose_name=_("kewajiban"), on_delete=models.PROTECT, related_name="+")
    evidence_file = models.FileField(_("berkas bukti"), upload_to=prevention_path, blank=True, max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    evidence_url = models.URLField(_("tautan bukti"), max_length=1000, blank=True)
    note = models.TextField(_("keterangan"), blank=True)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicentang oleh"), on_delete=models.PROTECT, related_name="+"
    )
    ticked_at = models.DateTimeField(_("dicentang"), default=timezone.now)

    class Meta:
        verbose_name = _("pemenuhan kewajiban pencegahan")
        verbose_name_plural = _("pemenuhan kewajiban pencegahan")
        ordering = ["organisation", "election", "item"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "election", "item"], name="prevention_check_once"),
            models.CheckConstraint(
                condition=~Q(evidence_file="") | ~Q(evidence_url=""), name="prevention_check_has_evidence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} · {self.item}"
