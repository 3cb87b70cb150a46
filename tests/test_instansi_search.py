"""Issue 10, finding 8: central instansi exist, the form is light, the instansi is found by typing (with or
without JavaScript), "tidak tahu" is a status, and required fields are marked."""

from __future__ import annotations

import json
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from netralitas.enums import OrganisationKind
from netralitas.models import Organisation, Region
from reports.models import Report
from tests.test_intake import NOW, report_data, text


@pytest.fixture
def places(organisations):
    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    return {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}


@pytest.fixture(autouse=True)
def env(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    with time_machine.travel(NOW, tick=True):
        yield


def test_ministries_and_agencies_are_instansi_with_their_ppk(reference_data):
    central = Organisation.objects.filter(kind=OrganisationKind.KEMENTERIAN_LEMBAGA)
    assert central.count() >= 80
    kemenag = central.get(name="Kementerian Agama")
    assert (kemenag.abbreviation, kemenag.ppk_title, kemenag.unverified_facts) == ("Kemenag", "Menteri Agama", "")
    assert "PP 11/2017" in kemenag.legal_basis
    # What could not be confirmed is marked, in a field the administrator edits.
    assert central.get(abbreviation="MA").unverified_facts == "jabatan PPK"
    from netralitas.reference import load_reference

    kemenag.ppk_title = "Menteri Agama RI"
    kemenag.save()
    counts = load_reference()
    assert counts["organisations"] == 0
    assert Organisation.objects.get(pk=kemenag.pk).ppk_title == "Menteri Agama RI"  # the edit survives


def test_a_teacher_of_kemenag_can_be_reported_by_typing_without_javascript(client, places):
    data = report_data(
        places,
        **{"terlapor-0-instansi": "", "terlapor-0-instansi_text": "kemenag", "terlapor-0-employee_status": "unknown"},
    )
    response = client.post("/lapor/", data)
    assert response.status_code == 303
    terlapor = Report.objects.get().terlapor.get()
    assert (terlapor.instansi.name, terlapor.employee_status) == ("Kementerian Agama", "unknown")


def test_an_ambiguous_name_offers_the_candidates_and_a_choice_is_accepted(client, places):
    data = report_data(places, **{"terlapor-0-instansi": "", "terlapor-0-instansi_text": "yogya"})
    html = text(client.post("/lapor/", data))
    assert "Ada beberapa instansi yang cocok dengan «yogya». Pilih salah satu di bawah" in html
    kota = Organisation.objects.get(kind=OrganisationKind.PEMDA_KOTA, region__name="Kota Yogyakarta")
    assert re.search(rf'type="radio" name="terlapor-0-instansi" value="{kota.pk}" id="[^"]+"><label[^>]*>', html)
    assert 'value="yogya"' in html  # what was typed stays
    chosen = {**data, "terlapor-0-instansi": str(kota.pk)}
    assert client.post("/lapor/", chosen).status_code == 303
    assert Report.objects.get().terlapor.get().instansi == kota


def test_an_unknown_name_is_explained_next_to_the_field(client, places):
    data = report_data(places, **{"terlapor-0-instansi": "", "terlapor-0-instansi_text": "Dinas Xyzzy"})
    html = text(client.post("/lapor/", data))
    assert "Instansi «Dinas Xyzzy» tidak ditemukan. Periksa ejaannya" in html
    assert 'value="Dinas Xyzzy"' in html


def test_the_form_page_is_light(client, reference_data):
    response = client.get("/lapor/")
    html = response.content.decode()
    assert len(response.content) <= 40 * 1024
    assert html.count("<option") <= 41
    assert html.count("<details") >= 19  # the catalogue's long texts fold away


def test_status_tidak_tahu_and_required_marks(client, reference_data):
    html = text(client.get("/lapor/"))
    assert 'value="unknown" class="form-check-input" id="id_terlapor-0-employee_status_3"' in html
    assert '<label class="form-check-label" for="id_terlapor-0-employee_status_3">Tidak tahu</label>' in html
    for label in ("Nama lengkap", "NIK", "Alamat", "Nama ASN", "Instansi", "Tempat kejadian"):
        assert re.search(rf">{label}<span class=\"text-danger\" aria-hidden=\"true\"> \*</span>", html), label


def test_autocomplete_answers_from_the_index_in_at_most_one_query(client, reference_data, settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    with CaptureQueriesContext(connection) as cold:
        first = json.loads(client.get("/lapor/cari/instansi/", {"q": "kemenag"}).content)
    with CaptureQueriesContext(connection) as warm:
        second = json.loads(client.get("/lapor/cari/instansi/", {"q": "kab sleman"}).content)
    assert (len(cold), len(warm)) == (1, 0)
    assert [r["name"] for r in first["results"]] == ["Kementerian Agama"]
    assert second["results"][0] == {
        "id": Organisation.objects.get(name="Pemerintah Kabupaten Sleman").pk,
        "name": "Pemerintah Kabupaten Sleman",
        "detail": "Pemerintah kabupaten",
    }
    diy = Region.objects.get(name="Daerah Istimewa Yogyakarta")
    kabkota = json.loads(client.get("/lapor/cari/kabkota/", {"q": "kota", "provinsi": diy.pk}).content)
    assert [r["name"] for r in kabkota["results"]] == ["Kota Yogyakarta"]


def test_autocomplete_is_rate_limited(client, reference_data, settings):
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "instansi_search": (3, 600)}
    answers = [client.get("/lapor/cari/instansi/", {"q": "sle"}).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
