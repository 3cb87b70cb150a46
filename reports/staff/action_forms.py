"""The forms of the triage actions (reports.staff.actions): what each act asks of the officer."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from netralitas.enums import INSTANSI_KINDS, Level, OrganisationKind, Track
from netralitas.models import Organisation, SanctionKind, ViolationType
from reports.enums import KajianResult, LeftServiceReason
from reports.models import Report
from reports.selectors import reports_visible_to

# --- forms ---------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """Base of every action form: knows the object and the user it acts for."""

    def __init__(self, *args, obj=None, user=None, **kwargs):
        self.obj = obj
        self.user = user
        super().__init__(*args, **kwargs)


class CompletionForm(ActionForm):
    message = forms.CharField(
        label=gettext_lazy("Pesan kepada pelapor"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Tulis apa yang perlu dilengkapi. Pelapor membacanya di halaman status dan surelnya."),
    )


class RejectForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan penolakan"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("Pelapor membaca alasan ini di halaman status."),
    )


class RerouteForm(ActionForm):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Alihkan ke organisasi"), queryset=Organisation.objects.none()
    )
    reason = forms.CharField(label=gettext_lazy("Alasan pengalihan"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        verifiers = set(INSTANSI_KINDS) | {
            OrganisationKind.BAWASLU_RI,
            OrganisationKind.BAWASLU_PROVINSI,
            OrganisationKind.BAWASLU_KABKOTA,
            OrganisationKind.KASN,
            OrganisationKind.BKN,
            OrganisationKind.BKN_KANREG,
        }
        qs = Organisation.objects.filter(is_active=True, kind__in=verifiers).order_by("name")
        if self.obj is not None:
            if self.obj.intake_organisation_id:
                qs = qs.exclude(pk=self.obj.intake_organisation_id)
            # Never the accused's chain of command (reports.confidentiality); the service refuses it too.
            from reports.confidentiality import organisation_lineage

            instansi = list(self.obj.terlapor.values_list("instansi_id", flat=True))
            above = {pk for chain in organisation_lineage(instansi).values() for pk in chain}
            qs = qs.exclude(pk__in=above).exclude(parent_id__in=instansi)
        self.fields["organisation"].queryset = qs


class QuestionForm(ActionForm):
    question = forms.CharField(
        label=gettext_lazy("Pertanyaan kepada pelapor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Pelapor membacanya di halaman status (dan surelnya, bila ada). Anda tidak melihat identitas "
            "maupun alamat surel pelapor; jawabannya kembali ke riwayat laporan ini."
        ),
    )


class LinkForm(ActionForm):
    other = forms.ModelChoiceField(label=gettext_lazy("Laporan terkait"), queryset=Report.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only a report this user may see can be linked: a foreign id is "not a valid choice".
        self.fields["other"].queryset = reports_visible_to(self.user).exclude(pk=self.obj.pk)


class SanctionKindsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: SanctionKind) -> str:
        return f"{obj.get_level_display()}: {obj.name}"


class RecommendationForm(ActionForm):
    finding = forms.CharField(
        label=gettext_lazy("Temuan/fakta"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    violation_type = forms.ModelChoiceField(
        label=gettext_lazy("Jenis pelanggaran"), queryset=ViolationType.objects.filter(is_active=True)
    )
    track = forms.ChoiceField(label=gettext_lazy("Jalur"), choices=Track.choices)
    level = forms.ChoiceField(label=gettext_lazy("Tingkat"), choices=Level.choices)
    sanction_kinds = SanctionKindsField(
        label=gettext_lazy("Jenis sanksi yang direkomendasikan"),
        queryset=SanctionKind.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Hanya jenis sanksi yang berlaku bagi status kepegawaian terlapor."),
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Pertimbangan"), max_length=20000, widget=forms.Textarea(attrs={"rows": 4})
    )
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat"), max_length=100)
    letter_date = forms.DateField(
        label=gettext_lazy("Tanggal surat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    received_date = forms.DateField(
        label=gettext_lazy("Tanggal diterima instansi"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Tenggat PPK dihitung sejak surat diterima; kosongkan bila sama dengan tanggal surat."),
    )

    def __init__(self, *args, **kwargs):
        from reports.recommendations import sanction_applies

        super().__init__(*args, **kwargs)
        terlapor = self.obj
        kinds = list(SanctionKind.objects.filter(is_active=True).order_by("sort_order", "code"))
        if terlapor is not None:
            kinds = [kind for kind in kinds if sanction_applies(kind, terlapor.employee_status)]
        self.fields["sanction_kinds"].queryset = SanctionKind.objects.filter(pk__in=[kind.pk for kind in kinds])
        if terlapor is None or self.is_bound:
            return
        violation = terlapor.report.violation_type
        track, level = "", ""
        if terlapor.satgas_track:  # outside the matrix (B13) the Satgas's decision comes first
            track, level = terlapor.satgas_track, terlapor.satgas_level
        elif violation is not None and violation.track != Track.SATGAS:
            track, level = violation.track, violation.level
        if violation is not None:
            self.initial["violation_type"] = violation.pk
        if track:
            self.initial.update(
                track=track,
                level=level,
                sanction_kinds=[kind.pk for kind in kinds if (kind.track, kind.level) == (track, level)],
            )
        self.initial.setdefault("letter_date", timezone.localdate())


class NoteForm(ActionForm):
    note = forms.CharField(
        label=gettext_lazy("Catatan"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Catatan internal untuk riwayat laporan (tidak tampil bagi pelapor)."),
    )


class RegisterForm(NoteForm):
    formal_met = forms.BooleanField(
        label=gettext_lazy("Syarat formal terpenuhi"),
        help_text=gettext_lazy(
            "Identitas pelapor (kecuali rahasia/anonim), terlapor, dan dalam batas waktu pelaporan."
        ),
        error_messages={"required": gettext_lazy("Centang bila syarat formal terpenuhi; bila tidak, tolak laporan.")},
    )
    material_met = forms.BooleanField(
        label=gettext_lazy("Syarat materiel terpenuhi"),
        help_text=gettext_lazy("Waktu dan tempat kejadian, uraian kronologis, dan sedikitnya satu bukti."),
        error_messages={"required": gettext_lazy("Centang bila syarat materiel terpenuhi; bila tidak, tolak laporan.")},
    )
    field_order = ["formal_met", "material_met", "note"]


class KajianForm(ActionForm):
    result = forms.ChoiceField(
        label=gettext_lazy("Hasil kajian"), choices=KajianResult.choices, widget=forms.RadioSelect
    )
    reasoning = forms.CharField(
        label=gettext_lazy("Pertimbangan"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    document = forms.FileField(
        label=gettext_lazy("Dokumen hasil kajian (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        help_text=gettext_lazy("Formulir hasil kajian yang ditandatangani, dipindai ke PDF."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kajian = getattr(self.obj, "kajian", None) if self.obj is not None else None
        if kajian is not None and not self.is_bound:
            self.initial.update(result=kajian.result, reasoning=kajian.reasoning)


class ExtendKajianForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan perpanjangan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Misalnya: memerlukan keterangan tambahan dari saksi. Hanya sekali."),
    )


class ForwardForm(NoteForm):
    letter_number = forms.CharField(label=gettext_lazy("Nomor surat penerusan"), max_length=100)
    letter_date = forms.DateField(
        label=gettext_lazy("Tanggal surat"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    field_order = ["letter_number", "letter_date", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("letter_date", timezone.localdate())


class ClarificationForm(ActionForm):
    held_on = forms.DateField(
        label=gettext_lazy("Tanggal klarifikasi"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    heard = forms.CharField(
        label=gettext_lazy("Pihak yang dimintai keterangan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Misalnya: terlapor, atasan langsung, dua saksi."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Ringkasan keterangan"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CancelForm(ActionForm):
    reason = forms.CharField(
        label=gettext_lazy("Alasan pembatalan"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Tercatat dalam riwayat perkara; rekomendasi yang sudah terbit ikut dibatalkan."),
    )


class NotProvenForm(ActionForm):
    reasoning = forms.CharField(label=gettext_lazy("Pertimbangan"), widget=forms.Textarea(attrs={"rows": 4}))


class LeftServiceForm(ActionForm):
    reason = forms.ChoiceField(label=gettext_lazy("Alasan"), choices=LeftServiceReason.choices)
    note = forms.CharField(label=gettext_lazy("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
