"""Admin of the Satgas teams, their decrees and members: kept by an administrator.

Only the teams' own data is here (no report, no reporter): the cases a team handles are
seen on its pages under /satgas/. The signed decree is checked like evidence on upload.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from netralitas.admin import VisibleToUserAdmin
from taskforce.files import checked_pdf
from taskforce.models import Satgas, SatgasLeave, SatgasMember


class SatgasForm(forms.ModelForm):
    class Meta:
        model = Satgas
        fields = [
            "name",
            "level",
            "organisation",
            "also_covers",
            "decree_number",
            "decree_date",
            "decree_title",
            "decree_pdf",
            "period_start",
            "period_end",
            "address",
        ]
        # The stored PDF has no URL (private storage): the page links to the permission-checked download.
        widgets = {"decree_pdf": forms.FileInput(attrs={"accept": "application/pdf"})}

    def clean_decree_pdf(self):
        upload = self.cleaned_data.get("decree_pdf")
        # A new upload is checked by content; the file already stored (or none) is left as it is.
        if isinstance(upload, UploadedFile):
            try:
                self._decree_sha256 = checked_pdf(upload, "decree_pdf")
            except forms.ValidationError as error:
                raise forms.ValidationError(error.message_dict["decree_pdf"]) from None
        return upload

    def save(self, commit=True):
        satgas = super().save(commit=False)
        if hasattr(self, "_decree_sha256"):
            satgas.decree_sha256 = self._decree_sha256
        elif not satgas.decree_pdf:
            satgas.decree_sha256 = ""
        if commit:
            satgas.save()
            self.save_m2m()
        return satgas


class SatgasMemberInline(admin.TabularInline):
    model = SatgasMember
    extra = 0
    fields = ["order", "name", "nip", "position", "institution", "role", "joined_on", "left_on", "user"]
    autocomplete_fields = ["user"]
    show_change_link = True


@admin.register(Satgas)
class SatgasAdmin(VisibleToUserAdmin):
    form = SatgasForm
    list_display = ["name", "level", "organisation", "decree_number", "period_start", "period_end", "pages"]
    list_filter = ["level"]
    search_fields = ["name", "decree_number", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "also_covers"]
    readonly_fields = ["decree_sha256", "pages"]
    inlines = [SatgasMemberInline]

    @admin.display(description=_("Halaman Satgas"))
    def pages(self, obj: Satgas) -> str:
        if obj.pk is None:
            return "-"
        links = format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("satgas_members", args=[obj.pk]),
            _("anggota"),
            reverse("satgas_members_import", args=[obj.pk]),
            _("impor XLSX"),
        )
        if obj.decree_pdf:
            links += format_html(' · <a href="{}">{}</a>', reverse("satgas_decree_pdf", args=[obj.pk]), _("SK (PDF)"))
        return links


class SatgasLeaveInline(admin.TabularInline):
    model = SatgasLeave
    extra = 0


@admin.register(SatgasMember)
class SatgasMemberAdmin(VisibleToUserAdmin):
    list_display = ["name", "satgas", "role", "institution", "joined_on", "left_on", "user"]
    list_filter = ["role", ("satgas", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name", "nip", "institution", "satgas__name"]
    list_select_related = ["satgas", "user"]
    autocomplete_fields = ["satgas", "user"]
    inlines = [SatgasLeaveInline]
