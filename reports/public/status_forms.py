"""The forms of the reporter's status page: code + PIN, the completion asked for, the withdrawal.

Each links its error text to its input (DescribedErrorsMixin), as the status templates render it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.evidence import check_link
from reports.evidence_checks import EvidenceRejected, accept_attribute
from reports.pins import PIN_LENGTH, normalise, normalise_tracking_code
from reports.public.antibot import AntiBotFormMixin
from reports.public.formfields import MultipleFileInput


class DescribedErrorsMixin:
    """Link each field's error text to its input (aria-describedby), as the templates render it."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            ids = attrs.get("aria-describedby", "").split()
            error_id = f"id_{name}_error"
            if error_id not in ids:
                attrs["aria-describedby"] = " ".join([*ids, error_id])
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class LookupForm(DescribedErrorsMixin, AntiBotFormMixin):
    tracking_code = forms.CharField(
        label=gettext_lazy("Kode pelacakan"),
        max_length=40,
        help_text=gettext_lazy("Contoh: NTR-7K3M-Q9XD. Huruf besar atau kecil sama saja."),
        error_messages={"required": gettext_lazy("Isi kode pelacakan dari tanda terima laporan.")},
        widget=forms.TextInput(
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "aria-describedby": "id_tracking_code_helptext",
            }
        ),
    )
    pin = forms.CharField(
        label=gettext_lazy("PIN"),
        max_length=40,
        help_text=gettext_lazy("16 huruf dan angka dari tanda terima, misalnya K7QM-3XWD-9PHT-R2NB."),
        error_messages={"required": gettext_lazy("Isi PIN dari tanda terima laporan.")},
        # The PIN is never written back into the page: it may be open on a shared phone.
        widget=forms.PasswordInput(
            render_value=False,
            attrs={
                "class": "form-control",
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
                "aria-describedby": "id_pin_helptext",
            },
        ),
    )

    def clean_tracking_code(self) -> str:
        code = normalise_tracking_code(self.cleaned_data["tracking_code"])
        if not code:
            raise forms.ValidationError(
                _("Kode pelacakan terdiri dari NTR dan 8 huruf atau angka, misalnya NTR-7K3M-Q9XD.")
            )
        return code

    def clean_pin(self) -> str:
        pin = self.cleaned_data["pin"]
        if len(normalise(pin)) != PIN_LENGTH:
            raise forms.ValidationError(_("PIN terdiri dari 16 huruf dan angka, misalnya K7QM-3XWD-9PHT-R2NB."))
        return pin


class CompletionForm(DescribedErrorsMixin, forms.Form):
    """Information the reporter adds when asked. Files are stored by the view before validation
    (reports.followup.keep_draft_files), so accepted ones are kept when something else is wrong."""

    keterangan = forms.CharField(
        label=gettext_lazy("Keterangan tambahan"),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Jawab permintaan petugas di atas. Paling banyak 5.000 karakter."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5, "aria-describedby": "id_keterangan_helptext"}),
    )
    berkas = forms.FileField(
        label=gettext_lazy("Berkas bukti"),
        required=False,
        help_text=gettext_lazy(
            "Foto, video, atau PDF. Berkas yang diterima tetap tersimpan bila ada isian lain yang salah."
        ),
        widget=MultipleFileInput(
            attrs={
                "class": "form-control",
                "accept": accept_attribute(),
                "aria-describedby": "id_berkas_helptext",
            }
        ),
    )
    tautan = forms.CharField(
        label=gettext_lazy("Tautan bukti"),
        required=False,
        max_length=10000,
        help_text=gettext_lazy("Satu alamat per baris, diawali https://, misalnya tautan unggahan media sosial."),
        widget=forms.Textarea(
            attrs={"class": "form-control", "rows": 3, "inputmode": "url", "aria-describedby": "id_tautan_helptext"}
        ),
    )

    def __init__(self, *args, kept_files=(), file_errors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_files = list(kept_files)
        self.file_errors = list(file_errors)

    def clean_berkas(self):
        # Uploads are handled by the view; the field only renders the input.
        for message in self.file_errors:
            self.add_error("berkas", message)
        return None

    def clean_tautan(self) -> list[str]:
        """The links as check_link returned them (CheckedLink): storing them checks none again."""
        lines = [line.strip() for line in self.cleaned_data["tautan"].splitlines() if line.strip()]
        limit = settings.NETRALITAS_EVIDENCE_MAX_FILES
        if len(lines) > limit:
            raise forms.ValidationError(_("Paling banyak %(limit)d tautan sekali kirim.") % {"limit": limit})
        errors, checked = [], []
        for line in lines:
            try:
                checked.append(check_link(line))
            except EvidenceRejected as exc:
                errors.append(exc.message)
        if errors:
            raise forms.ValidationError(errors)
        return checked

    def clean(self):
        cleaned = super().clean()
        nothing = not cleaned.get("keterangan", "").strip() and not cleaned.get("tautan") and not self.kept_files
        if nothing and not self.errors:
            raise forms.ValidationError(_("Isi keterangan tambahan atau lampirkan paling sedikit satu bukti."))
        return cleaned


class WithdrawForm(DescribedErrorsMixin, forms.Form):
    yakin = forms.BooleanField(
        label=gettext_lazy("Saya yakin ingin mencabut laporan ini. Pencabutan tidak dapat dibatalkan."),
        error_messages={"required": gettext_lazy("Centang kotak ini bila Anda yakin ingin mencabut laporan.")},
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    alasan = forms.CharField(
        label=gettext_lazy("Alasan pencabutan (tidak wajib)"),
        required=False,
        max_length=2000,
        help_text=gettext_lazy("Hanya dibaca petugas."),
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3, "aria-describedby": "id_alasan_helptext"}),
    )
