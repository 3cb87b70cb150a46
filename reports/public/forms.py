"""The public report form (/lapor/): field rules, evidence bookkeeping, what the service needs.

The terlapor formset is in reports.public.terlapor_forms, the checks of NIK, NIP and phone numbers
in reports.public.validators. Every message is Indonesian and says what to change. The form never
writes: the view stores uploads through reports.evidence and submits through
reports.services.submit_report.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netralitas.enums import RegionLevel
from netralitas.models import Region, ViolationType
from reports import lookups
from reports.enums import Confidentiality
from reports.evidence import check_link
from reports.evidence_checks import EvidenceRejected
from reports.models import Evidence
from reports.public.antibot import AntiBotFormMixin
from reports.public.drafts import new_draft_token, sign_draft_token
from reports.public.formfields import (
    MultipleFileField,
    ReferenceChoiceField,
    SearchFormMixin,
    provinsi_choices,
    reference_object,
    violation_rows,
)
from reports.public.formstyle import PlainBootstrapMixin
from reports.public.validators import normalise_phone, validate_nik
from reports.services import ReporterIdentity

MAX_LINKS = 10
MIN_DESCRIPTION = 30
MAX_ADDRESS = 500
IDENTITY_FIELDS = ("reporter_name", "reporter_nik", "reporter_address", "reporter_phone", "reporter_email")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


class ReportForm(PlainBootstrapMixin, SearchFormMixin, AntiBotFormMixin, forms.Form):
    """The report without its terlapor (a formset) and without storing anything."""

    confidentiality = forms.ChoiceField(
        label=_("Kerahasiaan identitas Anda"),
        choices=[
            (
                Confidentiality.CONFIDENTIAL,
                _(
                    "Identitas dirahasiakan: nama dan kontak Anda hanya dilihat petugas yang memverifikasi laporan, "
                    "tidak pernah oleh instansi atau atasan terlapor."
                ),
            ),
            (
                Confidentiality.ANONYMOUS,
                _(
                    "Anonim: Anda tidak mengisi identitas. Laporan dicatat sebagai informasi awal, bukan laporan "
                    "resmi, dan petugas tidak dapat menghubungi Anda; Anda tetap bisa memantau dengan kode dan PIN."
                ),
            ),
        ],
        initial=Confidentiality.CONFIDENTIAL,
        widget=forms.RadioSelect,
    )
    reporter_name = forms.CharField(label=_("Nama lengkap"), max_length=160, required=False)
    reporter_nik = forms.CharField(
        label=_("NIK"),
        max_length=32,
        required=False,
        help_text=_("16 angka Nomor Induk Kependudukan pada KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    reporter_address = forms.CharField(
        label=_("Alamat"),
        required=False,
        max_length=MAX_ADDRESS,
        widget=forms.Textarea(attrs={"rows": 2, "autocomplete": "street-address"}),
    )
    reporter_phone = forms.CharField(
        label=_("Nomor telepon/WhatsApp"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    reporter_email = forms.EmailField(
        label=_("Surel (e-mail)"),
        required=False,
        max_length=254,
        help_text=_("Isi telepon atau surel, boleh keduanya. Tanda terima dikirim ke surel ini."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Saya setuju data pribadi saya diproses untuk menangani laporan ini (UU 27/2022 tentang Pelindungan "
            "Data Pribadi)."
        ),
        required=False,
    )

    incident_date = forms.DateField(
        label=_("Tanggal kejadian"), input_formats=DATE_FORMATS, widget=forms.DateInput(attrs={"type": "date"})
    )
    learned_date = forms.DateField(
        label=_("Tanggal Anda mengetahui kejadian"),
        required=False,
        input_formats=DATE_FORMATS,
        help_text=_("Kosongkan bila sama dengan tanggal kejadian."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    provinsi = ReferenceChoiceField(
        Region.objects.filter(level=RegionLevel.PROVINSI),
        rows=provinsi_choices,
        cache_key="intake-provinsi-rows",
        label=_("Provinsi"),
        empty_label=_("— Pilih provinsi —"),
    )
    kabkota = lookups.SearchChoiceField(
        label=_("Kabupaten/kota"),
        index_name="kabkota",
        source_url="/lapor/cari/kabkota/",
        required=False,
        help_text=_("Ketik beberapa huruf, misalnya «sleman», lalu pilih dari daftar."),
    )
    place = forms.CharField(
        label=_("Tempat kejadian"),
        max_length=255,
        help_text=_("Misalnya nama gedung, jalan, desa, atau akun media sosial."),
    )
    description = forms.CharField(
        label=_("Uraian kejadian"),
        min_length=MIN_DESCRIPTION,
        max_length=10000,
        help_text=_("Ceritakan urutan kejadian: siapa berbuat apa, kapan, di mana, dan siapa yang melihat."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "min_length": _(
                "Uraian terlalu singkat: tulis paling sedikit %(limit_value)d karakter (sekarang %(show_value)d)."
            )
        },
    )
    violation_type = ReferenceChoiceField(
        ViolationType.objects.filter(is_active=True),
        rows=lambda: [(pk, f"{code} {title}") for pk, code, title, _explanation in violation_rows()],
        cache_key="intake-violation-types",
        label=_("Dugaan bentuk pelanggaran"),
        required=False,
        blank=True,
        empty_label=_("Tidak tahu: biarkan petugas yang menilai"),
        widget=forms.RadioSelect,
        initial="",
    )

    evidence_files = MultipleFileField(
        label=_("Berkas bukti (foto, video, PDF)"),
        required=False,
        help_text=_("Paling banyak 10 berkas. Bisa memilih beberapa berkas sekaligus."),
    )
    evidence_links = forms.CharField(
        label=_("Tautan bukti"),
        required=False,
        max_length=MAX_LINKS * 1002,
        help_text=_("Satu tautan per baris, misalnya unggahan media sosial. Paling banyak 10."),
        widget=forms.Textarea(attrs={"rows": 3, "inputmode": "url"}),
    )
    witnesses = forms.CharField(
        label=_("Saksi (tidak wajib)"),
        required=False,
        max_length=4000,
        help_text=_("Nama dan cara menghubungi orang yang ikut melihat kejadian."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    draft = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    remove_drafts = forms.TypedMultipleChoiceField(
        label=_("Hapus berkas yang sudah diterima"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, drafts: list[Evidence] = (), draft_token: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: dict[str, list[tuple[int, str]]] = {}
        self.drafts = list(drafts)
        self._draft_token = draft_token
        self.new_draft_token = not draft_token  # a token made now has no drafts yet
        self.bot_suspected = False
        self.links: list[str] = []
        self.fields["remove_drafts"].choices = [(d.pk, d.original_name) for d in self.drafts]
        # The first page carries no token; a page shown again carries this form's, signed (carry_draft_token).
        if self.is_bound:
            if not getattr(self.data, "_mutable", False):  # a mutable QueryDict is the caller's working copy
                self.data = self.data.copy()
            self.data["draft"] = ""  # what was posted was read by the view (read_draft_token)

    @property
    def draft_token(self) -> str:
        """The token this form's drafts wait under, drawn when first asked for (a report sent at once needs none)."""
        if not self._draft_token:
            self._draft_token = new_draft_token()
        return self._draft_token

    def carry_draft_token(self) -> None:
        """Put the signed token into the form shown again, so that its next POST finds the drafts."""
        self.data["draft"] = sign_draft_token(self.draft_token)

    # -------------------------------------------------------- fields

    def clean_kabkota(self) -> Region:
        provinsi = self.cleaned_data.get("provinsi")
        pk = self._resolve(
            "kabkota", group=provinsi.pk if provinsi else None, noun=_("kabupaten/kota"), example="Kabupaten Sleman"
        )
        region = reference_object("intake-regions", lambda: Region.objects.select_related("parent"), pk)
        return region if region is not None else Region.objects.select_related("parent").get(pk=pk)

    def violation_options(self) -> list[dict]:
        """The catalogue as radio buttons with their plain explanation folded away (rendered by the template)."""
        explanations = {str(pk): (code, title, explanation) for pk, code, title, explanation in violation_rows()}
        options = []
        for radio in self["violation_type"]:
            code, title, explanation = explanations.get(str(radio.data["value"]), ("", radio.choice_label, ""))
            options.append({"radio": radio, "code": code, "title": title, "explanation": explanation})
        return options

    def clean_reporter_nik(self) -> str:
        nik = re.sub(r"[\s.]", "", self.cleaned_data["reporter_nik"])
        if nik:
            validate_nik(nik)
        return nik

    def clean_reporter_phone(self) -> str:
        phone = self.cleaned_data["reporter_phone"].strip()
        return normalise_phone(phone) if phone else ""

    def clean_incident_date(self) -> date:
        value = self.cleaned_data["incident_date"]
        if value > timezone.localdate():
            raise ValidationError(_("Tanggal kejadian tidak boleh sesudah hari ini."), code="future")
        return value

    def clean_learned_date(self) -> date | None:
        value = self.cleaned_data["learned_date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("Tanggal Anda mengetahui kejadian tidak boleh sesudah hari ini."), code="future")
        return value

    def clean_description(self) -> str:
        return self.cleaned_data["description"].strip()

    def clean_evidence_links(self) -> str:
        text = self.cleaned_data["evidence_links"]
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(
                _("Paling banyak %(max)d tautan; Anda mengisi %(count)d.") % {"max": MAX_LINKS, "count": len(lines)},
                code="too_many_links",
            )
        checked = []
        for number, line in enumerate(lines, start=1):
            try:
                checked.append(check_link(line))
            except EvidenceRejected as exc:
                raise ValidationError(
                    _("Baris %(line)d: %(reason)s") % {"line": number, "reason": exc.message}, code=exc.code
                ) from None
        self.links = list(dict.fromkeys(checked))  # checked once: reports.evidence stores them without a second check
        return text

    # -------------------------------------------------------- the whole form

    def clean(self):
        try:
            cleaned = super().clean()
        except ValidationError:
            self.bot_suspected = True
            raise
        anonymous = cleaned.get("confidentiality") == Confidentiality.ANONYMOUS
        if anonymous:
            # Nothing typed about the reporter is kept, so nothing of it needs to be valid.
            for name in (*IDENTITY_FIELDS, "consent"):
                self._errors.pop(name, None)
                cleaned[name] = False if name == "consent" else ""
        else:
            self._clean_identity(cleaned)
        self._clean_dates_and_region(cleaned)
        return cleaned

    def _clean_identity(self, cleaned: dict) -> None:
        required = {
            "reporter_name": _("Tulis nama lengkap Anda, atau pilih Anonim."),
            "reporter_nik": _("Tulis NIK Anda (16 angka), atau pilih Anonim."),
            "reporter_address": _("Tulis alamat Anda, atau pilih Anonim."),
        }
        for name, message in required.items():
            if name not in self._errors and not cleaned.get(name, "").strip():
                self.add_error(name, ValidationError(message, code="required"))
        contact_errors = "reporter_phone" in self._errors or "reporter_email" in self._errors
        if not contact_errors and not cleaned.get("reporter_phone") and not cleaned.get("reporter_email"):
            message = _("Isi nomor telepon atau surel agar petugas dapat menghubungi Anda, atau pilih Anonim.")
            self.add_error("reporter_phone", ValidationError(message, code="contact_required"))
            self.add_error("reporter_email", ValidationError(message, code="contact_required"))
        if not cleaned.get("consent"):
            self.add_error(
                "consent",
                ValidationError(
                    _("Centang persetujuan pemrosesan data pribadi, atau pilih Anonim."), code="consent_required"
                ),
            )

    def _clean_dates_and_region(self, cleaned: dict) -> None:
        incident, learned = cleaned.get("incident_date"), cleaned.get("learned_date")
        if incident and learned and learned < incident:
            self.add_error(
                "learned_date",
                ValidationError(
                    _("Tanggal Anda mengetahui kejadian tidak boleh sebelum tanggal kejadian."), code="before_incident"
                ),
            )
        provinsi, kabkota = cleaned.get("provinsi"), cleaned.get("kabkota")
        if provinsi and kabkota and kabkota.parent_id != provinsi.pk:
            self.add_error(
                "kabkota",
                ValidationError(
                    _("%(kabkota)s tidak berada di %(provinsi)s. Pilih kabupaten/kota di provinsi itu.")
                    % {"kabkota": kabkota.name, "provinsi": provinsi.name},
                    code="wrong_provinsi",
                ),
            )

    def check_evidence(self, *, refused: int = 0) -> None:
        """At least one file or link in all, at most 10 files: run after the uploads were stored."""
        files = len(self.drafts)
        if files > settings.NETRALITAS_EVIDENCE_MAX_FILES:
            self.add_error(
                "evidence_files",
                ValidationError(
                    _("Paling banyak %(max)d berkas bukti.") % {"max": settings.NETRALITAS_EVIDENCE_MAX_FILES},
                    code="too_many_files",
                ),
            )
        if not files and not self.links and not refused and "evidence_links" not in self._errors:
            self.add_error(
                "evidence_files",
                ValidationError(
                    _("Lampirkan paling sedikit satu bukti: berkas atau tautan."), code="evidence_required"
                ),
            )

    def evidence_ok(self, *, pending: int = 0) -> bool:
        """Whether the kept drafts plus ``pending`` uploads and the links make at least one, at most 10 files."""
        files = len(self.drafts) + pending
        return bool(files or self.links) and files <= settings.NETRALITAS_EVIDENCE_MAX_FILES

    def room_for_files(self) -> int:
        return max(settings.NETRALITAS_EVIDENCE_MAX_FILES - len(self.drafts), 0)

    def refuse_too_many(self, offered: int) -> None:
        room = self.room_for_files()
        message = ngettext(
            "Paling banyak %(max)d berkas bukti; Anda mengirim %(count)d lagi, padahal tersisa tempat untuk %(room)d. "
            "Pilih ulang paling banyak %(room)d berkas.",
            "Paling banyak %(max)d berkas bukti; Anda mengirim %(count)d lagi, padahal tersisa tempat untuk %(room)d. "
            "Pilih ulang paling banyak %(room)d berkas.",
            room,
        ) % {"max": settings.NETRALITAS_EVIDENCE_MAX_FILES, "count": offered, "room": room}
        self.add_error("evidence_files", ValidationError(message, code="too_many_files"))

    # -------------------------------------------------------- what the service needs

    def submission(self) -> dict:
        data = self.cleaned_data
        return {
            "confidentiality": data["confidentiality"],
            "reporter": ReporterIdentity(
                name=data["reporter_name"].strip(),
                nik=data["reporter_nik"],
                address=data["reporter_address"].strip(),
                phone=data["reporter_phone"],
                email=data["reporter_email"],
            ),
            "consent": bool(data["consent"]),
            "incident_date": data["incident_date"],
            "learned_date": data["learned_date"],
            "region": data["kabkota"],
            "place": data["place"].strip(),
            "description": data["description"],
            "violation_type": data["violation_type"],
            "witnesses": data["witnesses"].strip(),
            "links": self.links,
            "draft_token": "" if self.new_draft_token else self.draft_token,
        }
