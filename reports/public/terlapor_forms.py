"""The terlapor part of the public report form: one form per ASN named, at most MAX_TERLAPOR in a formset."""

from __future__ import annotations

import re

from django import forms
from django.forms import formset_factory
from django.forms.formsets import BaseFormSet
from django.utils.translation import gettext_lazy as _

from netralitas.enums import EmployeeStatus
from netralitas.models import Organisation
from reports import lookups
from reports.public.formfields import SearchFormMixin, reference_object
from reports.public.formrender import PLAIN_RENDERER
from reports.public.formstyle import PlainBootstrapMixin
from reports.public.validators import validate_nip
from reports.services import TerlaporEntry

MAX_TERLAPOR = 5


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
        found = reference_object("intake-organisations", Organisation.objects.all, pk)
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
