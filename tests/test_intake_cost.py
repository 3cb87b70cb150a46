"""Issue 11: what one stored report costs the worker, pinned without timing anything.

The public forms copy their fields from the class's prototypes (reports.public.fieldcopy) instead of
copy.deepcopy; a form built so renders and cleans exactly as one built by Django's deep copy.
"""

from __future__ import annotations

import re

import pytest
from django import forms
from django.utils.datastructures import MultiValueDict

from netralitas import refcache
from reports.models import Report
from reports.public import formstyle
from reports.public.antibot import issue_timer
from reports.public.forms import ReportForm
from reports.public.terlapor_forms import TERLAPOR_PREFIX, TerlaporForm, TerlaporFormSet
from tests.conftest import NEEDS_POSTGRES, NEEDS_REDIS
from tests.test_form_page_budget import rendered_widgets
from tests.test_intake import places, report_data  # noqa: F401 - places is a fixture

# Python function calls of one warm submission through the test client (the test at the end of this file):
# 20,680 at 016d69e, 15,601 after the last round of issue 11 (the receipt without the template engine, the outbox row
# in the report's statement, the draft token only when needed, no BoundField per field when cleaning, hiredis).
CALL_BUDGET = 16_100

BOUND = {
    "confidentiality": ["confidential"],
    "reporter_name": ['<b>"Siti" & Co</b>'],
    "reporter_address": ["Jl. <Kaliurang>\n& km 5"],
    "reporter_nik": ["12"],
    "incident_date": ["2099-01-01"],
    "description": ["pendek"],
    "provinsi": ["999999"],
    "kabkota_0": ["sleman"],
    "violation_type": ["abc"],
    "evidence_links": ["bukan tautan"],
    f"{TERLAPOR_PREFIX}-TOTAL_FORMS": ["2"],
    f"{TERLAPOR_PREFIX}-INITIAL_FORMS": ["0"],
    f"{TERLAPOR_PREFIX}-0-name": ["Budi"],
    f"{TERLAPOR_PREFIX}-0-nip": ["12x"],
    f"{TERLAPOR_PREFIX}-0-employee_status": ["nope"],
    f"{TERLAPOR_PREFIX}-1-instansi_0": ["kemen"],
}


@pytest.fixture(autouse=True)
def process_copies(settings):
    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 60
    refcache.clear()
    yield
    refcache.clear()


def _pages(drafts=()) -> list[list[str]]:
    form = ReportForm(MultiValueDict(BOUND), drafts=list(drafts))
    formset = TerlaporFormSet(MultiValueDict(BOUND), prefix=TERLAPOR_PREFIX)
    assert not form.is_valid() and not formset.is_valid()
    unbound = ReportForm(initial={"form_ts": "t"})
    draft = re.compile(r'(name="draft" value=")[^"]*')  # a signed random token: differs per form
    return [
        [draft.sub(r"\1…", html) for html in rendered_widgets(form)],
        sorted(form.errors.items()),
        *[rendered_widgets(sub) for sub in formset.forms],
        [sorted(sub.errors.items()) for sub in formset.forms],
        rendered_widgets(formset.empty_form),
        rendered_widgets(unbound),
    ]


def test_the_public_forms_build_their_fields_without_deepcopy(reference_data, organisations, monkeypatch):
    prototypes = {id(field) for form in (ReportForm, TerlaporForm) for field in form.base_fields.values()}
    deepcopy = forms.Field.__deepcopy__

    def refuse(field, memo):
        assert id(field) not in prototypes, f"deepcopy of {field!r}"
        return deepcopy(field, memo)  # the formset's management form is Django's own

    monkeypatch.setattr(forms.Field, "__deepcopy__", refuse)
    form = ReportForm(MultiValueDict(BOUND), drafts=[])
    formset = TerlaporFormSet(MultiValueDict(BOUND), prefix=TERLAPOR_PREFIX)
    form.is_valid(), formset.is_valid(), rendered_widgets(form), rendered_widgets(formset.forms[1])


def test_fields_copied_from_prototypes_render_and_clean_as_deep_copies(reference_data, organisations, monkeypatch):
    with_prototypes = _pages()
    monkeypatch.setattr(formstyle, "use_field_prototypes", lambda form_class: None)
    monkeypatch.setattr(ReportForm, "base_fields", dict(ReportForm.base_fields))
    monkeypatch.setattr(TerlaporForm, "base_fields", dict(TerlaporForm.base_fields))
    deep_copies = _pages()
    for got, expected in zip(with_prototypes, deep_copies, strict=True):
        assert got == expected


def test_a_form_changes_only_its_own_copies(reference_data, organisations):
    first = ReportForm(MultiValueDict(BOUND), drafts=[])
    first.is_valid()
    first.fields["remove_drafts"].choices = [(1, "foto.jpg")]
    first.fields["confidentiality"].widget.attrs["data-x"] = "1"
    first.fields["kabkota"].widget.widgets[0].attrs["data-y"] = "1"
    second = ReportForm(initial={"form_ts": issue_timer()})
    assert "aria-invalid" in first.fields["description"].widget.attrs
    for form_fields in (second.fields, ReportForm.base_fields):
        assert "aria-invalid" not in form_fields["description"].widget.attrs
        assert list(form_fields["remove_drafts"].choices) == []
        assert list(form_fields["remove_drafts"].widget.choices) == []
        assert "data-x" not in form_fields["confidentiality"].widget.attrs
        assert "data-y" not in form_fields["kabkota"].widget.widgets[0].attrs
    # The catalogue's radios read the rows through the form's own field (its empty label).
    second.fields["violation_type"].empty_label = "Entah"
    assert next(iter(second.fields["violation_type"].widget.choices)) == ("", "Entah")
    assert next(iter(ReportForm.base_fields["violation_type"].widget.choices))[1] != "Entah"


def test_the_views_working_copy_of_the_post_is_what_querydict_copy_gives():
    from django.http import QueryDict

    from reports.public.intake import post_working_copy

    post = QueryDict("a=1&a=2&b=%C3%A9&remove_drafts=3&c=", mutable=False)
    data = post_working_copy(post)
    assert data == post.copy() and list(data.lists()) == list(post.copy().lists())
    assert data._mutable and data.encoding == post.encoding
    data.appendlist("a", "3")
    data["b"] = "x"
    data.pop("c")
    assert post.getlist("a") == ["1", "2"] and post["b"] == "é" and "c" in post


def test_a_lookup_entry_is_found_by_id(reference_data, organisations):
    from reports import lookups

    for name in ("instansi", "kabkota"):
        for entry in lookups.index(name)[:50]:
            assert lookups.find(name, entry.id) is entry or lookups.find(name, entry.id) == entry
    assert lookups.find("instansi", -1) is None


def _redis_cache(settings):
    import os
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "netralitas.rediscache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-intake-cost-{uuid.uuid4().hex}",
        }
    }


@pytest.mark.parametrize("backend", [pytest.param("redis", marks=NEEDS_REDIS), "fallback"])
def test_the_timer_spent_and_the_report_counted_together(settings, backend):
    """One round trip spends the timer and counts the report: a replay counts nothing, a failure is taken back."""
    from django.core.cache import caches

    from netralitas import ratelimit, safecache
    from reports.public.antibot import consume_timer_counting, release_timer

    if backend == "redis":
        _redis_cache(settings)
    else:
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
        safecache.mark_down(RuntimeError("test"))  # the per-process fallback
    settings.NETRALITAS_RATE_LIMITS = {**settings.NETRALITAS_RATE_LIMITS, "submit": (10, 3600)}
    try:

        def stored() -> int:
            return 10 - ratelimit.peek("submit", "198.51.100.7").remaining

        first, second = issue_timer(), issue_timer()
        counted = consume_timer_counting(first, "submit", "198.51.100.7")
        assert counted is not None and stored() == 1
        assert consume_timer_counting(first, "submit", "198.51.100.7") is None  # a replay: nothing counted
        assert consume_timer_counting("form:forged:sig", "submit", "198.51.100.7") is None
        assert stored() == 1
        failed = consume_timer_counting(second, "submit", "198.51.100.7")
        assert stored() == 2
        release_timer(second), ratelimit.take_back(failed)  # the transaction failed
        assert stored() == 1
        assert consume_timer_counting(second, "submit", "198.51.100.7") is not None  # Back and send again
        assert stored() == 2
    finally:
        safecache.reset()
        caches["default"].clear()


@NEEDS_POSTGRES
@pytest.mark.django_db
def test_a_report_writes_no_index_a_composite_already_gives():
    """Every index is written once per citizen's report: none that only repeats the lead of a composite index."""
    from django.db import connection

    counts = {}
    for table in ("reports_report", "reports_terlapor", "reports_evidence", "reports_reportevent"):
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        found = {name: c for name, c in constraints.items() if c["index"]}
        counts[table] = len(found)
        leads = {c["columns"][0] for c in found.values() if len(c["columns"]) > 1}
        repeated = [
            c["columns"]
            for name, c in found.items()
            if len(c["columns"]) == 1 and c["columns"][0] in leads and not c["unique"] and not name.endswith("_pkey")
        ]
        assert repeated == [], f"{table}: {repeated} lead a composite index already"
    assert counts == {"reports_report": 9, "reports_terlapor": 11, "reports_evidence": 5, "reports_reportevent": 3}


@pytest.mark.django_db
def test_cleaning_a_valid_report_builds_no_queryset_when_the_copies_hold_its_rows(places, monkeypatch, settings):  # noqa: F811
    # The kab/kota and each terlapor's instansi come from the process's reference copies; the queryset to read
    # one when the copy lacks it was built for every report all the same (issue 11: ~5 % of the form's cleaning).
    from django.db.models.query import QuerySet

    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    data = MultiValueDict({key: [value] for key, value in report_data(places).items()})
    form, formset = ReportForm(data, drafts=[]), TerlaporFormSet(data, prefix=TERLAPOR_PREFIX)
    assert form.is_valid() and formset.is_valid(), (form.errors, formset.errors)  # the copies are warm now
    built = []
    original = QuerySet.__init__

    def counting(queryset, *args, **kwargs):
        built.append(queryset)
        original(queryset, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "__init__", counting)
    form, formset = ReportForm(data, drafts=[]), TerlaporFormSet(data, prefix=TERLAPOR_PREFIX)
    assert form.is_valid() and formset.is_valid()
    monkeypatch.undo()
    assert built == []
    assert form.cleaned_data["kabkota"] == places["sleman"]
    assert formset.entries()[0].instansi == places["pemda_sleman"]


def _calls_of(fn) -> int:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        fn()
    finally:
        profiler.disable()
    import os

    if os.environ.get("SHOWCALLS"):
        pstats.Stats(profiler).sort_stats(os.environ["SHOWCALLS"]).print_stats(45)
    return pstats.Stats(profiler).total_calls


@NEEDS_POSTGRES
@NEEDS_REDIS
@pytest.mark.django_db(transaction=True)
def test_a_submission_stays_within_its_python_call_budget(places, settings, tmp_path):  # noqa: F811
    # Python function calls per warm submission (middleware, view, forms, the one-statement INSERT, the receipt,
    # the session), counted by cProfile: a steady stand-in for its CPU, which timing on a shared machine is not.
    from django.test import Client

    settings.MEDIA_ROOT = str(tmp_path)
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    counts = []
    client = Client()  # one handler, as a worker has; each submission from a browser without a session
    for number in range(4):
        client.cookies.pop("sessionid", None)
        data = report_data(places, reporter_name=f"Siti {number}")
        counts.append(_calls_of(lambda data=data: client.post("/lapor/", data)))
        assert Report.objects.count() == number + 1
    assert max(counts[1:]) <= CALL_BUDGET, counts  # the first submission of a process also imports and loads


@pytest.mark.django_db
def test_a_report_sent_at_once_draws_and_signs_no_draft_token(client, places, settings, tmp_path, monkeypatch):  # noqa: F811
    # The draft token is for uploads kept from a refused attempt; only a page shown again needs one, signed
    # (issue 11: a random draw and an HMAC per report, for nothing).
    from reports.public import drafts
    from reports.public import forms as public_forms

    settings.MEDIA_ROOT = str(tmp_path)
    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    made = []
    for name in ("new_draft_token", "sign_draft_token"):
        original = getattr(public_forms, name)
        monkeypatch.setattr(public_forms, name, lambda *a, _o=original, _n=name: made.append(_n) or _o(*a))
    assert client.post("/lapor/", report_data(places)).status_code == 303
    assert made == []
    page = client.post("/lapor/", report_data(places, description="pendek"))
    assert page.status_code == 200 and made == ["new_draft_token", "sign_draft_token"]
    signed = re.search(r'name="draft" value="([^"]+)"', page.content.decode())[1]
    assert drafts.read_draft_token(signed) != ""


def _cleaned(data):
    form, formset = ReportForm(data, drafts=[]), TerlaporFormSet(data, prefix=TERLAPOR_PREFIX)
    form.is_valid(), formset.is_valid()
    return [
        sorted((name, repr(value)) for name, value in form.cleaned_data.items() if name != "form_ts"),
        sorted(form.errors.items()),
        [sorted((name, repr(value)) for name, value in sub.cleaned_data.items()) for sub in formset.forms],
        [sorted(sub.errors.items()) for sub in formset.forms],
        [form.changed_data, *[sub.changed_data for sub in formset.forms]],
    ]


@pytest.mark.django_db
def test_public_forms_clean_and_compare_fields_as_django_does_without_a_boundfield_each(places, settings, monkeypatch):  # noqa: F811
    # Django's _clean_fields makes a BoundField per field, and each asked for its translated help text (issue 11:
    # ~3 % of a submission's Python); the value cleaned is the same, read as BoundField.data and .initial read it.
    from django.forms.boundfield import BoundField
    from django.forms.formsets import ManagementForm

    settings.NETRALITAS_ANTIBOT_MIN_SECONDS = 0
    valid = MultiValueDict({key: [value] for key, value in report_data(places).items()})
    invalid = MultiValueDict(BOUND)
    ours = [_cleaned(valid), _cleaned(invalid)]
    assert ours[0][1] == [] and ours[1][1] != []
    made = []
    original = BoundField.__init__
    monkeypatch.setattr(BoundField, "__init__", lambda bf, *a: made.append(bf) or original(bf, *a))
    form, formset = ReportForm(valid, drafts=[]), TerlaporFormSet(valid, prefix=TERLAPOR_PREFIX)
    assert form.is_valid() and formset.is_valid()  # a formset asks each form has_changed() too
    assert [bf.name for bf in made if not isinstance(bf.form, ManagementForm)] == []  # Django's own form
    monkeypatch.undo()
    monkeypatch.setattr(formstyle.PlainBootstrapMixin, "_clean_fields", forms.BaseForm._clean_fields)
    monkeypatch.setattr(formstyle.PlainBootstrapMixin, "changed_data", forms.BaseForm.__dict__["changed_data"])
    assert [_cleaned(valid), _cleaned(invalid)] == ours
