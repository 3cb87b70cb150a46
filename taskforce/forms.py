"""Forms of the Satgas pages. Thin: the services check everything; these only shape the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from reports.models import Report, Terlapor
from taskforce.models import SatgasMember

_TEXT = {"class": "form-control"}
_DATE = {"type": "date", "class": "form-control"}


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: SatgasMember) -> str:
        return f"{obj.name} · {obj.get_role_display()} · {obj.institution}"


class MembersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SatgasMember) -> str:
        return f"{obj.name} · {obj.get_role_display()}"


class AssignmentForm(forms.Form):
    lead = MemberChoiceField(
        label=gettext_lazy("Penanggung jawab perkara"),
        queryset=SatgasMember.objects.none(),
        error_messages={"required": gettext_lazy("Pilih anggota penanggung jawab perkara.")},
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    members = MembersChoiceField(
        label=gettext_lazy("Anggota tim lainnya"),
        queryset=SatgasMember.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=gettext_lazy("Alasan (wajib bila mengganti atau mengurangi tim)"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = members
        self.fields["members"].queryset = members


class RotationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan (wajib bila mengganti penanggung jawab)"),
        required=False,
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Catatan pemantauan"),
        error_messages={"required": gettext_lazy("Catatan pemantauan wajib diisi.")},
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
    )


class ReportChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Report) -> str:
        return f"{obj.tracking_code} · {obj.get_status_display()}"


class CaseChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Terlapor) -> str:
        return f"{obj.name} · {obj.report.tracking_code} · {obj.get_case_status_display()}"


class MeetingForm(forms.Form):
    held_on = forms.DateField(
        label=gettext_lazy("Tanggal rapat"),
        error_messages={
            "required": gettext_lazy("Tanggal rapat wajib diisi."),
            "invalid": gettext_lazy("Tanggal tidak sah."),
        },
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    place = forms.CharField(
        label=gettext_lazy("Tempat"), required=False, max_length=200, widget=forms.TextInput(attrs=_TEXT)
    )
    agenda = forms.CharField(
        label=gettext_lazy("Agenda"),
        error_messages={"required": gettext_lazy("Agenda rapat wajib diisi.")},
        widget=forms.Textarea(attrs={**_TEXT, "rows": 2}),
    )
    conclusions = forms.CharField(
        label=gettext_lazy("Kesimpulan"),
        error_messages={"required": gettext_lazy("Kesimpulan rapat wajib diisi.")},
        widget=forms.Textarea(attrs={**_TEXT, "rows": 3}),
    )
    attendees = MembersChoiceField(
        label=gettext_lazy("Anggota yang hadir"),
        queryset=SatgasMember.objects.none(),
        error_messages={"required": gettext_lazy("Pilih anggota yang hadir.")},
        widget=forms.CheckboxSelectMultiple,
    )
    reports = ReportChoiceField(
        label=gettext_lazy("Laporan yang dibahas"),
        queryset=Report.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cases = CaseChoiceField(
        label=gettext_lazy("Perkara yang dibahas"),
        queryset=Terlapor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    minutes = forms.FileField(
        label=gettext_lazy("Notulen (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": "application/pdf"}),
    )

    def __init__(self, *args, members=None, reports=None, cases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = members
        self.fields["reports"].queryset = reports
        self.fields["cases"].queryset = cases


class MonevForm(forms.Form):
    start = forms.DateField(
        label=gettext_lazy("Laporan diterima sejak"),
        error_messages={
            "required": gettext_lazy("Isi tanggal awal periode."),
            "invalid": gettext_lazy("Tanggal tidak sah."),
        },
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("sampai"),
        error_messages={
            "required": gettext_lazy("Isi tanggal akhir periode."),
            "invalid": gettext_lazy("Tanggal tidak sah."),
        },
        widget=forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
    )


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Daftar anggota (XLSX)"),
        error_messages={"required": gettext_lazy("Pilih berkas XLSX daftar anggota.")},
        widget=forms.ClearableFileInput(
            attrs={
                "class": "form-control",
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )
