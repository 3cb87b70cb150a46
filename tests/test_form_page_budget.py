"""Issue 11: the public path stays cheap. The form page's queries and weight, the submission's and the
status lookup's queries are held at their measured values (no timing: a regression fails CI), and the
Python widget renderer that made the page ~3x cheaper writes exactly what Django's templates write."""

from __future__ import annotations

import io

import pytest
import time_machine
from django import forms
from django.core.management import call_command
from django.db import connection
from django.forms.renderers import DjangoTemplates
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from devdata.scale_codes import DEFAULT_SEED, scale_pin, scale_tracking_code
from netralitas import refcache
from netralitas.models import Region
from reports.antibot import issue_timer
from reports.formrender import PLAIN_RENDERER
from reports.forms import TERLAPOR_PREFIX, ReportForm, TerlaporFormSet
from reports.models import Report
from reports.status import LookupForm
from tests.test_intake import NOW, report_data

TEMPLATES = DjangoTemplates()

# Measured on this branch (bench/public_path.py and this file): GET /lapor/ 0 queries on a warm worker
# (2 on a cold one: provinsi and catalogue copies), 37,116 bytes with the manifest's static names.
FORM_PAGE_BYTES = 37_200
FORM_PAGE_QUERIES_COLD = 2
FORM_PAGE_QUERIES_WARM = 0
# Before issue 11 (b63a84a) these tests counted 20 statements for the submission, 8 for the lookup.
SUBMISSION_QUERIES = 14  # BEGIN, authority, lineage, SAVEPOINT, report, RELEASE, terlapor, link, event, outbox,
#                          COMMIT; BEGIN, session, COMMIT
LOOKUP_QUERIES = 4  # the report by its code; BEGIN, session, COMMIT


@pytest.fixture(autouse=True)
def process_copies(settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60  # as in production: reference copies per worker
    refcache.clear()
    yield
    refcache.clear()


def _rendered(form) -> list[str]:
    """Every widget of ``form`` as the page renders it: whole fields, and each radio/checkbox on its own."""
    out = []
    for bound in form:
        out.append(bound.as_widget())
        if isinstance(bound.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            for option in bound:
                out += [option.tag(), option.tag(wrap_label=True), str(option)]
    return out


def _compare(form) -> int:
    form.renderer = PLAIN_RENDERER
    plain = _rendered(form)
    form.renderer = TEMPLATES
    templates = _rendered(form)
    assert plain == templates
    return len(plain)


def test_plain_renderer_writes_what_the_templates_write(reference_data, organisations):
    from django.utils.datastructures import MultiValueDict

    assert _compare(ReportForm(initial={"form_ts": issue_timer()})) > 40
    assert _compare(TerlaporFormSet(prefix=TERLAPOR_PREFIX).forms[0]) > 10
    assert _compare(TerlaporFormSet(prefix=TERLAPOR_PREFIX).empty_form) > 10
    # Bound, with errors (aria-invalid, is-invalid), values to escape and a chosen radio.
    bound = ReportForm(
        MultiValueDict(
            {
                "confidentiality": ["anonymous"],
                "reporter_name": ['<b>"Siti" & Co</b>'],
                "reporter_address": ["Jl. <Kaliurang>\n& km 5"],
                "reporter_nik": ["12"],
                "consent": ["on"],
                "incident_date": ["2099-01-01"],
                "description": ["pendek"],
                "provinsi": ["999999"],
            }
        ),
        drafts=[],
    )
    assert not bound.is_valid()
    assert _compare(bound) > 40
    lookup = LookupForm({"tracking_code": "<x>", "pin": "abc"})
    lookup.is_valid()
    assert _compare(lookup) == 4


def test_plain_renderer_matches_on_the_corners_of_the_widget_templates():
    class Corners(forms.Form):
        text = forms.CharField(widget=forms.TextInput(attrs={"data-on": True, "data-off": False, "data-zero": 0}))
        safe = forms.CharField(initial=mark_safe("<i>safe</i>"))  # noqa: S308 - the case being tested
        number = forms.IntegerField(initial=0)
        hidden = forms.CharField(widget=forms.HiddenInput)
        check = forms.BooleanField(initial=True)
        area = forms.CharField(widget=forms.Textarea, initial="a < b")
        empty_area = forms.CharField(widget=forms.Textarea)
        choice = forms.ChoiceField(
            choices=[("", "—"), ("Buah", [("a", "Apel & <jeruk>"), ("b", gettext_lazy("Bahasa"))]), ("c", "C")],
            initial="b",
        )
        multiple = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], initial=["a", "b"])
        radios = forms.ChoiceField(choices=[("1", "Satu"), ("2", "<Dua>")], widget=forms.RadioSelect, initial="2")
        boxes = forms.MultipleChoiceField(
            choices=[("x", "X"), ("y", "Y")], widget=forms.CheckboxSelectMultiple, initial=["y"]
        )
        when = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
        secret = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="pw")

    assert _compare(Corners()) == 25
    assert _compare(Corners({"text": "x\"y'z", "number": "7", "check": "", "area": "", "choice": "c"})) == 25


def test_the_form_page_stays_within_its_measured_queries_and_weight(client, reference_data):
    with CaptureQueriesContext(connection) as cold:
        first = client.get("/lapor/")
    with CaptureQueriesContext(connection) as warm:
        second = client.get("/lapor/")
    assert (first.status_code, second.status_code) == (200, 200)
    assert (len(cold), len(warm)) == (FORM_PAGE_QUERIES_COLD, FORM_PAGE_QUERIES_WARM)
    assert len(second.content) <= FORM_PAGE_BYTES


@pytest.fixture
def places(organisations, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "private")
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    sleman = Region.objects.select_related("parent").get(name="Kabupaten Sleman")
    with time_machine.travel(NOW, tick=True):
        yield {"sleman": sleman, "diy": sleman.parent, "pemda_sleman": organisations["pemda_sleman"]}


def test_the_submission_stays_within_its_measured_queries(client, places):
    assert client.post("/lapor/", report_data(places)).status_code == 303  # a warm worker: reference copies loaded
    client.cookies.pop("sessionid")  # the next citizen arrives without a session
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/lapor/", report_data(places))
    assert response.status_code == 303
    assert Report.objects.count() == 2
    assert len(queries) == SUBMISSION_QUERIES, [q["sql"][:80] for q in queries.captured_queries]


def test_the_status_lookup_stays_within_its_measured_queries(client, reference_data, settings):
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    call_command("generate_scale_data", reports=2, stdout=io.StringIO())
    data = {"tracking_code": scale_tracking_code(1), "pin": scale_pin(DEFAULT_SEED, 1), "form_ts": issue_timer()}
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/status/", data)
    assert (response.status_code, response["Location"]) == (303, "/status/laporan/")
    assert len(queries) == LOOKUP_QUERIES, [q["sql"][:80] for q in queries.captured_queries]
