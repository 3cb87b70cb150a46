"""The public report form (/lapor/): field rules, the terlapor formset, evidence bookkeeping.

Every message is Indonesian and says what to change. The form never writes:
the view stores uploads through reports.evidence and submits through
reports.services.submit_report.
"""

from __future__ import annotations

import re
import secrets
from datetime import date

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from netralitas.calendar import MONTHS
from netralitas.enums import EmployeeStatus, RegionLevel
from netralitas.models import Organisation, Region, ViolationType
from reports import lookups
from reports.enums import Confidentiality
from reports.evidence import check_link
from reports.evidence_checks import EvidenceRejected, accept_attribute
from reports.models import Evidence
from reports.public.antibot import AntiBotFormMixin
from reports.public.formfields import (
    ReferenceChoiceField,
    SearchFormMixin,
    provinsi_choices,
    reference_object,
    violation_rows,
)
from reports.public.formrender import PLAIN_RENDERER
from reports.public.formstyle import PlainBootstrapMixin
from reports.services import ReporterIdentity, TerlaporEntry

MAX_TERLAPOR = 5
MAX_LINKS = 10
MIN_DESCRIPTION = 30
MAX_ADDRESS = 500
DRAFT_SALT = "netralitas.intake.draft"
IDENTITY_FIELDS = ("reporter_name", "reporter_nik", "reporter_address", "reporter_phone", "reporter_email")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]

_DIGITS = re.compile(r"[0-9]+")


# ---------------------------------------------------------------- identity numbers


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def validate_nik(nik: str) -> None:
    """A Nomor Induk Kependudukan: 16 digits, a provinsi code, a date of birth (DD+40 for women)."""
    if not _DIGITS.fullmatch(nik):
        raise ValidationError(_("NIK hanya boleh berisi angka 0–9."), code="nik_digits")
    if len(nik) != 16:
        raise ValidationError(
            _("NIK harus tepat 16 angka; yang Anda isi %(count)d angka.") % {"count": len(nik)}, code="nik_length"
        )
    if not 11 <= int(nik[:2]) <= 99:
        raise ValidationError(
            _("Dua angka pertama NIK adalah kode provinsi (11–99); %(code)s bukan kode provinsi.") % {"code": nik[:2]},
            code="nik_province",
        )
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:  # women: day of birth plus 40
        day -= 40
    if _valid_date(2000 + year, month, day) is None and _valid_date(1900 + year, month, day) is None:
        raise ValidationError(
            _(
                "Angka ke-7 sampai ke-12 NIK adalah tanggal lahir (HHBBTT; tanggal ditambah 40 untuk perempuan); "
                "%(value)s bukan tanggal yang sah."
            )
            % {"value": nik[6:12]},
            code="nik_birth_date",
        )


def _month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def validate_nip(nip: str, *, today: date | None = None) -> None:
    """A Nomor Induk Pegawai: birth date YYYYMMDD, appointment YYYYMM, sex digit 1/2, serial of 3 digits.

    Raises ValidationError naming the rule broken and the digits that break it.
    """
    today = today or timezone.localdate()
    if not _DIGITS.fullmatch(nip):
        raise ValidationError(_("NIP hanya boleh berisi angka 0–9."), code="nip_digits")
    if len(nip) != 18:
        raise ValidationError(
            _("NIP harus tepat 18 angka; yang Anda isi %(count)d angka.") % {"count": len(nip)}, code="nip_length"
        )
    birth = _valid_date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    if birth is None or birth.year < 1900:
        raise ValidationError(
            _("Angka ke-1 sampai ke-8 NIP adalah tanggal lahir (TTTTBBHH); %(value)s bukan tanggal yang sah.")
            % {"value": nip[0:8]},
            code="nip_birth_date",
        )
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or year < 1900:
        raise ValidationError(
            _("Angka ke-9 sampai ke-14 NIP adalah bulan pengangkatan (TTTTBB); %(value)s bukan bulan yang sah.")
            % {"value": nip[8:14]},
            code="nip_appointment",
        )
    if (year, month) > (today.year, today.month):
        raise ValidationError(
            _("Bulan pengangkatan pada NIP (%(month)s) belum terjadi.") % {"month": _month_name(year, month)},
            code="nip_appointment_future",
        )
    if (year, month) < (birth.year + 17, birth.month):
        raise ValidationError(
            _(
                "Bulan pengangkatan pada NIP (%(month)s) kurang dari 17 tahun sesudah tanggal lahir "
                "(%(birth)s): periksa angka ke-1 sampai ke-14."
            )
            % {"month": _month_name(year, month), "birth": nip[0:8]},
            code="nip_too_young",
        )
    if (year, month) > (birth.year + 70, birth.month):
        raise ValidationError(
            _(
                "Bulan pengangkatan pada NIP (%(month)s) lebih dari 70 tahun sesudah tanggal lahir "
                "(%(birth)s): periksa angka ke-1 sampai ke-14."
            )
            % {"month": _month_name(year, month), "birth": nip[0:8]},
            code="nip_too_old",
        )
    if nip[14] not in "12":
        raise ValidationError(
            _("Angka ke-15 NIP adalah kode jenis kelamin (1 laki-laki, 2 perempuan); %(value)s tidak dikenal.")
            % {"value": nip[14]},
            code="nip_sex",
        )
    if nip[15:] == "000":
        raise ValidationError(
            _("Tiga angka terakhir NIP adalah nomor urut (001–999); 000 tidak dipakai."), code="nip_serial"
        )


def normalise_phone(value: str) -> str:
    """An Indonesian phone number as +62…; ValidationError when it is not one."""
    raw = re.sub(r"[\s\-.()/]", "", value)
    for prefix in ("+62", "62", "0"):
        if raw.startswith(prefix):
            national = "0" + raw[len(prefix) :]
            break
    else:
        raise ValidationError(
            _("Nomor telepon harus diawali +62, 62 atau 0, misalnya 0812 3456 7890."), code="phone_prefix"
        )
    if not _DIGITS.fullmatch(national) or national.startswith("00"):
        raise ValidationError(
            _("Nomor telepon hanya boleh berisi angka, misalnya 0812 3456 7890."), code="phone_digits"
        )
    if not 9 <= len(national) <= 15:
        raise ValidationError(
            _("Nomor telepon harus 9–15 angka (dihitung dari angka 0 di depan); yang Anda isi %(count)d angka.")
            % {"count": len(national)},
            code="phone_length",
        )
    return "+62" + national[1:]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


# ---------------------------------------------------------------- draft token


def new_draft_token() -> str:
    return secrets.token_urlsafe(24)


def sign_draft_token(token: str) -> str:
    return signing.Signer(salt=DRAFT_SALT).sign(token)


def read_draft_token(signed: str | None) -> str:
    """The draft token of a posted form, or "" when absent or tampered with."""
    try:
        return signing.Signer(salt=DRAFT_SALT).unsign(signed or "")
    except signing.BadSignature:
        return ""


# ---------------------------------------------------------------- the forms


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
        self.draft_token = draft_token or new_draft_token()
        self.new_draft_token = not draft_token  # a token made now has no drafts yet
        self.bot_suspected = False
        self.links: list[str] = []
        self.fields["remove_drafts"].choices = [(d.pk, d.original_name) for d in self.drafts]
        # The first page carries no token: the first POST makes one, and the page it shows again carries it.
        if self.is_bound:
            if not getattr(self.data, "_mutable", False):  # a mutable QueryDict is the caller's working copy
                self.data = self.data.copy()
            self.data["draft"] = sign_draft_token(self.draft_token)

    # -------------------------------------------------------- fields

    def clean_kabkota(self) -> Region:
        provinsi = self.cleaned_data.get("provinsi")
        pk = self._resolve(
            "kabkota", group=provinsi.pk if provinsi else None, noun=_("kabupaten/kota"), example="Kabupaten Sleman"
        )
        region = reference_object("intake-regions", Region.objects.select_related("parent"), pk)
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
        for number, line in enumerate(lines, start=1):
            try:
                check_link(line)
            except EvidenceRejected as exc:
                raise ValidationError(
                    _("Baris %(line)d: %(reason)s") % {"line": number, "reason": exc.message}, code=exc.code
                ) from None
        self.links = list(dict.fromkeys(lines))
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


class TerlaporForm(PlainBootstrapMixin, SearchFormMixin, forms.Form):
    name = forms.CharField(label=_("Nama ASN"), max_length=160)
    nip = forms.CharField(
        label=_("NIP (bila tahu)"),
        required=False,
        max_length=32,
        help_text=_("18 angka Nomor Induk Pegawai."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    position = forms.CharField(label=_("Jabatan"), required=False, max_length=200)
    work_unit = forms.CharField(
        label=_("Unit kerja"), required=False, max_length=200, help_text=_("Misalnya dinas, kecamatan, sekolah.")
    )
    instansi = lookups.SearchChoiceField(
        label=_("Instansi"),
        index_name="instansi",
        source_url="/lapor/cari/instansi/",
        required=False,
        help_text=_(
            "Pemerintah daerah atau kementerian/lembaga tempat ASN itu bekerja. Ketik beberapa huruf, "
            "misalnya «sleman» atau «kemenag», lalu pilih dari daftar."
        ),
    )
    employee_status = forms.ChoiceField(
        label=_("Status kepegawaian"),
        choices=EmployeeStatus.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates: dict[str, list[tuple[int, str]]] = {}

    @property
    def instansi_state(self) -> dict:
        return self.search_state("instansi")

    def clean_instansi(self) -> Organisation:
        pk = self._resolve("instansi", noun=_("instansi"), example="Pemerintah Kabupaten Sleman, Kementerian Agama")
        found = reference_object("intake-organisations", Organisation.objects.all(), pk)
        return found if found is not None else Organisation.objects.get(pk=pk)

    def clean_nip(self) -> str:
        nip = re.sub(r"[\s.]", "", self.cleaned_data["nip"])
        if nip:
            validate_nip(nip)
        return nip

    def entry(self) -> TerlaporEntry:
        data = self.cleaned_data
        return TerlaporEntry(
            name=data["name"].strip(),
            nip=data["nip"],
            position=data["position"].strip(),
            work_unit=data["work_unit"].strip(),
            instansi=data["instansi"],
            employee_status=data["employee_status"],
        )


class BaseTerlaporFormSet(BaseFormSet):
    default_error_messages = {
        "too_few_forms": _("Sebutkan paling sedikit satu terlapor."),
        "too_many_forms": _(
            "Paling banyak %(num)d terlapor dalam satu laporan; kirim laporan terpisah untuk yang lain."
        ),
    }

    def entries(self) -> list[TerlaporEntry]:
        return [form.entry() for form in self.forms if form.cleaned_data]


TerlaporFormSet = formset_factory(
    TerlaporForm,
    formset=BaseTerlaporFormSet,
    renderer=PLAIN_RENDERER,
    extra=0,
    min_num=1,
    max_num=MAX_TERLAPOR,
    absolute_max=MAX_TERLAPOR,
    validate_min=True,
    validate_max=True,
)
TERLAPOR_PREFIX = "terlapor"
