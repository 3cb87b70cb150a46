"""Forms of the PPK and BKN pages: they type and present the input; the rules live in sanctions.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from netralitas.models import SanctionKind
from reports.enums import LeftServiceReason
from sanctions.enums import EscalationKind, Examiner

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


def _date(**attrs) -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date", "class": "form-control", **attrs})


def _area(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


class SanctionKindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SanctionKind) -> str:
        return obj.name


class ServiceForm(forms.Form):
    """A form whose input a service judges; the service's ValidationError lands next to the fields."""

    # Service argument → form field, where the names differ.
    error_fields: dict[str, str] = {}

    def apply_errors(self, error: ValidationError) -> None:
        """Put each message of ``error`` next to its field; messages of unknown keys go on top."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, messages in error.error_dict.items():
            field = self.error_fields.get(key, key)
            self.add_error(field if field in self.fields else None, messages)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self[name].auto_id}_helptext"

    def add_error(self, field, error) -> None:
        # Every error passes here (field cleaning too): mark the input and tie the message to it.
        super().add_error(field, error)
        if field and field in self.fields:
            attrs = self.fields[field].widget.attrs
            attrs["aria-invalid"] = "true"
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            error_id = f"{self[field].auto_id}_error"
            described = attrs.get("aria-describedby", "")
            if error_id not in described.split():
                attrs["aria-describedby"] = f"{described} {error_id}".strip()


class DecisionForm(ServiceForm):
    """The PPK's decision. The kinds within the recommendation come first; any other needs a reason."""

    sk_number = forms.CharField(label=_("Nomor SK"), max_length=100, widget=forms.TextInput(attrs=_TEXT))
    sk_date = forms.DateField(label=_("Tanggal SK"), widget=_date())
    sanction_kind = SanctionKindChoiceField(
        label=_("Jenis sanksi"),
        queryset=SanctionKind.objects.none(),
        empty_label=_("— pilih jenis sanksi —"),
        widget=forms.Select(attrs=_SELECT),
    )
    effective_from = forms.DateField(
        label=_("Berlaku sejak"),
        required=False,
        widget=_date(),
        help_text=_("Untuk sanksi berjangka (pemotongan tunjangan kinerja, penurunan atau pembebasan jabatan)."),
    )
    effective_until = forms.DateField(label=_("Berlaku sampai"), required=False, widget=_date())
    examiner = forms.ChoiceField(
        label=_("Pemeriksa"),
        choices=Examiner.choices,
        initial=Examiner.NONE,
        widget=forms.Select(attrs=_SELECT),
        help_text=_("Hukuman disiplin sedang dan berat wajib didahului pemeriksaan."),
    )
    examination_date = forms.DateField(label=_("Tanggal pemeriksaan"), required=False, widget=_date())
    examination_record = forms.CharField(label=_("Ringkasan berita acara pemeriksaan"), required=False, widget=_area(4))
    signed_sk = forms.FileField(
        label=_("SK bertanda tangan (PDF)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "application/pdf,.pdf"}),
        help_text=_("Hasil pindaian SK yang sudah ditandatangani, dalam format PDF."),
    )
    deviation_reason = forms.CharField(
        label=_("Alasan bila sanksi berbeda dari rekomendasi"),
        required=False,
        widget=_area(3),
        help_text=_("Wajib bila jenis sanksi di luar jalur/tingkat rekomendasi; ditampilkan kepada lembaga dan BKN."),
    )

    def __init__(self, *args, allowed=None, recommended=(), **kwargs):
        super().__init__(*args, **kwargs)
        allowed_ids = set(allowed.values_list("pk", flat=True)) if allowed is not None else set()
        kinds = list(SanctionKind.objects.filter(is_active=True).order_by("sort_order", "code"))
        field = self.fields["sanction_kind"]
        field.queryset = SanctionKind.objects.filter(is_active=True)
        within = [(kind.pk, kind.name) for kind in kinds if kind.pk in allowed_ids]
        outside = [(kind.pk, kind.name) for kind in kinds if kind.pk not in allowed_ids]
        field.choices = [
            ("", field.empty_label),
            (_("Sesuai rekomendasi"), within),
            (_("Di luar rekomendasi (wajib alasan)"), outside),
        ]
        self.allowed_ids = allowed_ids
        if not self.is_bound and "sanction_kind" not in self.initial:
            # The usual case: the PPK imposes what the recommendation named. Preselect it (the first of them).
            named = [pk for pk in recommended if pk in allowed_ids]
            if named or within:
                self.initial["sanction_kind"] = named[0] if named else within[0][0]


class LeftServiceForm(ServiceForm):
    reason = forms.ChoiceField(
        label=_("Alasan"),
        choices=[("", _("— pilih alasan —")), *LeftServiceReason.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    note = forms.CharField(
        label=_("Keterangan"),
        required=False,
        widget=_area(3),
        help_text=_("Misalnya nomor dan tanggal SK pensiun atau pemberhentian."),
    )


class CorrectionForm(ServiceForm):
    note = forms.CharField(label=_("Isi koreksi"), widget=_area(3))
    letter_number = forms.CharField(
        label=_("Nomor surat koreksi"), required=False, max_length=100, widget=forms.TextInput(attrs=_TEXT)
    )
    letter_date = forms.DateField(label=_("Tanggal surat koreksi"), required=False, widget=_date())


class BlockForm(ServiceForm):
    blocked_on = forms.DateField(label=_("Tanggal blokir"), widget=_date())
    letter_number = forms.CharField(label=_("Nomor surat blokir"), max_length=100, widget=forms.TextInput(attrs=_TEXT))
    letter_date = forms.DateField(label=_("Tanggal surat blokir"), widget=_date())


class LiftBlockForm(ServiceForm):
    lifted_on = forms.DateField(label=_("Tanggal blokir dibuka"), widget=_date())
    letter_number = forms.CharField(
        label=_("Nomor surat pembukaan blokir"), max_length=100, widget=forms.TextInput(attrs=_TEXT)
    )


class EscalationForm(ServiceForm):
    kind = forms.ChoiceField(
        label=_("Jenis eskalasi"),
        choices=[("", _("— pilih jenis —")), *EscalationKind.choices],
        widget=forms.Select(attrs=_SELECT),
    )
    letter_number = forms.CharField(label=_("Nomor surat"), max_length=100, widget=forms.TextInput(attrs=_TEXT))
    letter_date = forms.DateField(label=_("Tanggal surat"), widget=_date())
    note = forms.CharField(label=_("Catatan"), required=False, widget=_area(3))
