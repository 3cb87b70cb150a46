"""The shared core: regions, organisations, memberships, reference data, calendar.

Everything a regulation may change (deadlines, the recommending authority and
its dates, holidays, the violation catalogue, election phases) is a row here,
editable by an administrator and carrying its legal basis.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netralitas.enums import (
    BAWASLU_KINDS,
    INSTANSI_KINDS,
    NATIONAL_KINDS,
    PEMDA_KINDS,
    DayType,
    DeadlineStep,
    ElectionKind,
    ElectionScope,
    HolidayKind,
    HolidaySource,
    Level,
    OrganisationKind,
    PhaseKind,
    RegionLevel,
    Role,
    SanctionAppliesTo,
    Track,
)


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk writes refused too: ``Event.objects.filter(...).update()`` or ``.delete()`` would rewrite history.

    (Deleting the parent row still cascades through the collector: a report deleted by its
    retention or a generated data set removed by ``--reset`` takes its events with it.)
    """

    def update(self, **kwargs):
        raise RuntimeError(f"{self.model.__name__} bersifat append-only: tidak boleh diubah")

    def delete(self):
        raise RuntimeError(f"{self.model.__name__} bersifat append-only: tidak boleh dihapus")


class AppendOnlyModel(models.Model):
    """A log row: written once, never edited, never deleted (events are the audit trail)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError(f"{type(self).__name__} bersifat append-only: tidak boleh diubah")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(f"{type(self).__name__} bersifat append-only: tidak boleh dihapus")


class Region(models.Model):
    """A provinsi or kabupaten/kota. Codes are stable across re-parenting (Papua 2022)."""

    code = models.CharField(_("kode"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("provinsi"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    bsni_code = models.CharField(_("kode BSNI"), max_length=8, blank=True)
    capital = models.CharField(_("ibu kota"), max_length=120, blank=True)
    # False for the five Kota Adm. and Kepulauan Seribu of DKI Jakarta: no pemda of their own.
    is_autonomous = models.BooleanField(_("daerah otonom"), default=True)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "name"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level=RegionLevel.PROVINSI, parent__isnull=True)
                | (~Q(level=RegionLevel.PROVINSI) & Q(parent__isnull=False)),
                name="region_kabkota_has_provinsi",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def provinsi(self) -> Region:
        return self if self.parent_id is None else self.parent


class Organisation(models.Model):
    """An instansi (with its PPK), a Bawaslu, or a national body."""

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=32, choices=OrganisationKind.choices, db_index=True)
    region = models.ForeignKey(
        Region, verbose_name=_("wilayah"), null=True, blank=True, on_delete=models.PROTECT, related_name="organisations"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("induk"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    ppk_title = models.CharField(
        _("jabatan PPK"), max_length=80, blank=True, help_text=_("Gubernur, Bupati, Wali Kota, Menteri, Kepala …")
    )
    ppk_acting = models.BooleanField(
        _("PPK dijabat Pj"), default=False, help_text=_("Dicentang bila kepala daerah dijabat penjabat (Pj).")
    )
    ppk_name = models.CharField(_("nama PPK"), max_length=120, blank=True)
    address = models.TextField(_("alamat"), blank=True)
    email = models.EmailField(_("surel resmi"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    abbreviation = models.CharField(
        _("singkatan"), max_length=40, blank=True, help_text=_("Nama pendek yang dipakai warga, misalnya Kemenag.")
    )
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    unverified_facts = models.CharField(
        _("fakta belum terverifikasi"),
        max_length=255,
        blank=True,
        help_text=_(
            "Data rujukan yang belum dicocokkan dengan sumber resmi (misalnya nama atau jabatan PPK). "
            "Kosongkan setelah diperiksa."
        ),
    )

    class Meta:
        verbose_name = _("organisasi")
        verbose_name_plural = _("organisasi")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "region"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_national(self) -> bool:
        return self.kind in NATIONAL_KINDS

    @property
    def is_instansi(self) -> bool:
        return self.kind in INSTANSI_KINDS

    @property
    def is_bawaslu(self) -> bool:
        return self.kind in BAWASLU_KINDS

    @property
    def ppk_display(self) -> str:
        """The PPK's title as it goes on a letter, e.g. "Pj Bupati Sleman"."""
        if not self.ppk_title:
            return ""
        title = f"{'Pj ' if self.ppk_acting else ''}{self.ppk_title}"
        if self.kind in PEMDA_KINDS and self.region_id:
            place = self.region.name
            for prefix in ("Kabupaten ", "Kota ", "Provinsi "):
                place = place.removeprefix(prefix)
            title = f"{title} {place}"
        return title


class Membership(models.Model):
    """A staff user's single place: one organisation, one role.

    Groups and permissions follow the role (see services.set_membership).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisasi"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class MembershipEvent(AppendOnlyModel):
    """One change of a staff user's place or role (or of their superuser flag). Append-only.

    Written by netralitas.services with the membership change itself; ``actor`` is empty for
    changes made on the command line.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.PROTECT, related_name="membership_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("diubah oleh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kosong bila diubah dari baris perintah."),
    )
    previous_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisasi sebelumnya"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    previous_role = models.CharField(_("peran sebelumnya"), max_length=32, choices=Role.choices, blank=True)
    previous_is_active = models.BooleanField(_("aktif sebelumnya"), null=True, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisasi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    role = models.CharField(_("peran"), max_length=32, choices=Role.choices, blank=True)
    is_active = models.BooleanField(_("aktif"), null=True, blank=True)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("riwayat keanggotaan")
        verbose_name_plural = _("riwayat keanggotaan")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.previous_role or '—'} → {self.role or '—'}"


class RecommendingAuthority(models.Model):
    """Which body issues recommendations, for which dates (KASN → BKN on 2024-09-04)."""

    organisation = models.ForeignKey(Organisation, verbose_name=_("organisasi"), on_delete=models.PROTECT)
    valid_from = models.DateField(_("berlaku sejak"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    legal_basis = models.TextField(_("dasar hukum"))

    class Meta:
        verbose_name = _("lembaga pemberi rekomendasi")
        verbose_name_plural = _("lembaga pemberi rekomendasi")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "valid_from"], name="authority_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("valid_from")),
                name="authority_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        until = self.valid_until.isoformat() if self.valid_until else "…"
        return f"{self.organisation} ({self.valid_from.isoformat()} – {until})"

    def clean(self) -> None:
        # Two bodies in force on one day would make routing ambiguous.
        if self.valid_from is None:
            return
        overlapping = RecommendingAuthority.objects.exclude(pk=self.pk).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=self.valid_from)
        )
        if self.valid_until is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_until)
        clash = overlapping.select_related("organisation").first()
        if clash is not None:
            raise ValidationError(_("Periode ini bertumpang tindih dengan %(other)s.") % {"other": clash})


class AuthorityTransition(models.Model):
    """A handover between recommending bodies and what it means for the cases in hand (SE MenPANRB 4/2024).

    On ``effective_on`` the cases still awaiting ``from_authority`` without a recommendation move to
    ``to_authority``; cases it had already processed (a recommendation issued) report their follow-up
    to ``processed_report_to``. Applied once, by reports.authority_transition.apply_authority_transitions.
    """

    from_authority = models.ForeignKey(
        RecommendingAuthority, verbose_name=_("dari lembaga"), on_delete=models.PROTECT, related_name="+"
    )
    to_authority = models.ForeignKey(
        RecommendingAuthority, verbose_name=_("kepada lembaga"), on_delete=models.PROTECT, related_name="+"
    )
    effective_on = models.DateField(_("berlaku sejak"))
    processed_report_to = models.ForeignKey(
        Organisation,
        verbose_name=_("perkara yang sudah diproses melapor kepada"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    legal_basis = models.TextField(_("dasar hukum"))
    applied_at = models.DateTimeField(_("diterapkan"), null=True, blank=True)

    class Meta:
        verbose_name = _("peralihan lembaga pemberi rekomendasi")
        verbose_name_plural = _("peralihan lembaga pemberi rekomendasi")
        ordering = ["effective_on"]
        constraints = [
            models.UniqueConstraint(fields=["from_authority", "effective_on"], name="authority_transition_unique"),
        ]

    def __str__(self) -> str:
        frm, to = self.from_authority.organisation, self.to_authority.organisation
        return f"{frm} → {to} ({self.effective_on.isoformat()})"


class ViolationType(models.Model):
    """A row of the SKB matrix (A1–A7 etik, B1–B13 disiplin/UU ASN)."""

    code = models.CharField(_("kode"), max_length=8, unique=True)
    title = models.CharField(_("bentuk pelanggaran"), max_length=255)
    plain_explanation = models.TextField(_("penjelasan untuk masyarakat"), blank=True)
    track = models.CharField(_("jalur"), max_length=16, choices=Track.choices)
    level = models.CharField(
        _("tingkat"), max_length=16, choices=Level.choices, blank=True, help_text=_("Kosong bila diputuskan Satgas.")
    )
    legal_basis = models.TextField(_("dasar hukum"))
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis pelanggaran")
        verbose_name_plural = _("katalog pelanggaran")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class SanctionKind(models.Model):
    """A concrete punishment the PPK may impose, within a track and level."""

    code = models.SlugField(_("kode"), max_length=64, unique=True)
    name = models.CharField(_("nama"), max_length=255)
    track = models.CharField(_("jalur"), max_length=16, choices=Track.choices)
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    applies_to = models.CharField(
        _("berlaku bagi"), max_length=8, choices=SanctionAppliesTo.choices, default=SanctionAppliesTo.ALL
    )
    duration_months = models.PositiveSmallIntegerField(_("lama (bulan)"), null=True, blank=True)
    legal_basis = models.TextField(_("dasar hukum"))
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("jenis sanksi")
        verbose_name_plural = _("jenis sanksi")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class DeadlineRule(models.Model):
    """How long a step may take, in calendar or working days, and on what basis."""

    step = models.CharField(_("tahap"), max_length=40, choices=DeadlineStep.choices, unique=True)
    days = models.PositiveSmallIntegerField(_("jumlah hari"))
    day_type = models.CharField(_("jenis hari"), max_length=16, choices=DayType.choices)
    legal_basis = models.TextField(_("dasar hukum"))
    verified = models.BooleanField(
        _("terverifikasi"), default=False, help_text=_("Dicentang bila angka ini sudah dicocokkan dengan sumber resmi.")
    )
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        verbose_name = _("aturan tenggat")
        verbose_name_plural = _("aturan tenggat")
        ordering = ["step"]

    def __str__(self) -> str:
        return f"{self.get_step_display()}: {self.days} {self.get_day_type_display().lower()}"


class Holiday(models.Model):
    """A day on which government offices are closed: skipped by working-day counts."""

    date = models.DateField(_("tanggal"), db_index=True)
    name = models.CharField(_("nama"), max_length=160)
    kind = models.CharField(_("jenis"), max_length=16, choices=HolidayKind.choices)
    source = models.CharField(_("sumber"), max_length=16, choices=HolidaySource.choices, default=HolidaySource.ADMIN)
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    is_active = models.BooleanField(
        _("berlaku"), default=True, help_text=_("Matikan untuk membatalkan hari libur tanpa menghapus catatannya.")
    )

    class Meta:
        verbose_name = _("hari libur")
        verbose_name_plural = _("hari libur")
        ordering = ["date", "name"]
        constraints = [models.UniqueConstraint(fields=["date", "name"], name="holiday_unique_date_name")]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"


class Election(models.Model):
    name = models.CharField(_("nama"), max_length=160, unique=True)
    kind = models.CharField(_("jenis"), max_length=16, choices=ElectionKind.choices)
    scope = models.CharField(_("cakupan"), max_length=16, choices=ElectionScope.choices)
    regions = models.ManyToManyField(
        Region,
        verbose_name=_("wilayah penyelenggara"),
        blank=True,
        related_name="elections",
        help_text=_("Untuk cakupan daerah: provinsi dan kabupaten/kota yang memilih."),
    )
    legal_basis = models.TextField(_("dasar hukum"), blank=True)

    class Meta:
        verbose_name = _("pemilihan")
        verbose_name_plural = _("pemilihan")
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.name


class ElectionPhase(models.Model):
    election = models.ForeignKey(Election, verbose_name=_("pemilihan"), on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(_("tahap"), max_length=16, choices=PhaseKind.choices)
    start = models.DateField(_("mulai"))
    end = models.DateField(_("selesai"))
    legal_basis = models.CharField(_("dasar hukum"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("tahapan pemilihan")
        verbose_name_plural = _("tahapan pemilihan")
        ordering = ["election", "start"]
        constraints = [
            models.UniqueConstraint(fields=["election", "kind"], name="phase_unique_kind"),
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="phase_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.election}: {self.get_kind_display()}"


class OutboxMessage(models.Model):
    """A notification to send, written in the same transaction as the change it reports.

    Celery sends it on commit; when the broker is down the row waits for the
    periodic flush. The database, not the broker, says whether it was sent.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", _("Surel")

    channel = models.CharField(_("saluran"), max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    recipient = models.CharField(_("penerima"), max_length=254)
    subject = models.CharField(_("subjek"), max_length=255)
    body = models.TextField(_("isi"))
    html_body = models.TextField(_("isi HTML"), blank=True, default="", db_default="")
    dedupe_key = models.CharField(_("kunci unik"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.CharField(_("galat terakhir"), max_length=255, blank=True)
    # A message to a reporter: the outbox admin shows neither its recipient nor its body (issue 8).
    to_reporter = models.BooleanField(_("untuk pelapor"), default=False, db_default=False)
    # Set while one worker sends the row (netralitas.notifications): nobody else may send it until then.
    claimed_until = models.DateTimeField(_("sedang dikirim sampai"), null=True, blank=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        ordering = ["created_at"]
        indexes = [
            models.Index(fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_unsent_idx"),
        ]

    def __str__(self) -> str:
        # Shown in admin titles, breadcrumbs and logs: a reporter's address never is.
        return f"{self.subject} → {_('(pelapor)') if self.to_reporter else self.recipient}"


# The reminder engine's models live in their own module; importing them here registers them with the app.
from netralitas.reminder_models import (  # noqa: E402, F401
    EscalationRoute,
    Notification,
    NotificationPreference,
    PreventionCheck,
    PreventionItem,
    ReminderDelivery,
    ReminderRule,
)
