"""The report form page (/lapor/): rendered in full for an attempt, from the process's copy for a first visit.

A first visit shows the unbound form: ~37 KB built from three forms (the report, one terlapor and
the template of "tambah terlapor") and ~60 templates, the same for every visitor but for three
values: the CSRF token (the report form and the language switch), the anti-bot timer, and the path
the language switch returns to. So the page is rendered once per process, language and kind of
visitor (a staff member's footer differs), with markers where those values go, kept in
netralitas.refcache (a saved catalogue row or region clears it, and it never outlives the copies
it was built from), and every visit fills in its own values: a fresh timer, a fresh mask of the
CSRF secret. tests/test_form_page_budget.py compares it byte for byte with the full render.
An attempt (a POST) is always rendered in full: it shows what the citizen typed.
"""

from __future__ import annotations

import copy
import logging
import re

from django.conf import settings
from django.forms import CheckboxSelectMultiple, RadioSelect
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from netralitas import refcache
from reports.public.antibot import carried_timer, issue_timer
from reports.public.forms import ReportForm
from reports.public.terlapor_forms import TERLAPOR_PREFIX, TerlaporFormSet
from reports.services import intake_context

logger = logging.getLogger(__name__)

TEMPLATE = "reports/report_form.html"
# Short names in the error summary for fields whose label is a sentence.
SUMMARY_LABELS = {"consent": gettext_lazy("Persetujuan data pribadi")}
# Where the visitor's values go in the process's copy, and how often each appears in the page.
CSRF_MARK, TIMER_MARK, PATH_MARK = "NtrMarkCsrf7q", "NtrMarkTimer7q", "/NtrMarkPath7q"
MARKS = {CSRF_MARK: 2, TIMER_MARK: 1, PATH_MARK: 1}
_SPLIT = re.compile("(" + "|".join(re.escape(mark) for mark in MARKS) + ")")


def render_form_page(request: HttpRequest, form: ReportForm, formset, *, status: int = 200) -> HttpResponse:
    """The page in full: the form as posted (kept values, errors, derived election), or unbound."""
    if form.is_bound:
        # The timer started when the form was first shown and travels with it: a citizen fixing one field
        # and sending again at once is no bot. A spent or expired timer is replaced.
        form.data["form_ts"] = carried_timer(form.data.get("form_ts"))
        form.data.pop("add_terlapor", None)
        form.carry_draft_token()
    return render(request, TEMPLATE, _context(form, formset), status=status)


def unbound_form_page(request: HttpRequest) -> HttpResponse:
    """The first visit's page: from the process's copy when there is one (see the module docstring)."""
    if settings.NETRALITAS_REFERENCE_CACHE_SECONDS <= 0:  # no process copies (tests): render in full
        form, formset = unbound_forms(issue_timer())
        return render_form_page(request, form, formset)
    staff = bool(request.user.is_authenticated and request.user.is_staff)  # reads the session, as the footer does
    parts = refcache.cached(f"intake-form-page:{get_language()}:{int(staff)}", lambda: _marked_page(request))
    if parts is None:
        form, formset = unbound_forms(issue_timer())
        return render_form_page(request, form, formset)
    token = get_token(request)  # one mask of the secret for both forms, as the template's lazy token gives
    values = {
        CSRF_MARK: token.encode(),
        TIMER_MARK: issue_timer().encode(),
        PATH_MARK: escape(request.get_full_path()).encode(),
    }
    return HttpResponse(b"".join(values[part] if index % 2 else part for index, part in enumerate(parts)))


def unbound_forms(timer: str) -> tuple[ReportForm, TerlaporFormSet]:
    return ReportForm(initial={"form_ts": timer}), TerlaporFormSet(prefix=TERLAPOR_PREFIX)


def _marked_page(request: HttpRequest) -> list | None:
    """The unbound page with markers for the visitor's values, split at them (odd items are the markers)."""
    marked = copy.copy(request)
    marked.path = PATH_MARK
    marked.META = {**request.META, "QUERY_STRING": ""}
    form, formset = unbound_forms(TIMER_MARK)
    html = render_to_string(TEMPLATE, {**_context(form, formset), "csrf_token": CSRF_MARK}, request=marked)
    parts = _SPLIT.split(html)
    found = {mark: parts[1::2].count(mark) for mark in MARKS}
    if found != MARKS:  # a template changed where the visitor's values appear: render every page in full
        logger.warning("form page markers found %s, expected %s: not kept", found, MARKS)
        return None
    return [part.encode() if index % 2 == 0 else part for index, part in enumerate(parts)]


def _context(form: ReportForm, formset) -> dict:
    return {
        "form": form,
        "formset": formset,
        "error_summary": _error_summary(form, formset) if form.is_bound else [],
        "derived": _derived(form) if form.is_bound else None,
        "kabkota_state": form.search_state("kabkota"),
        "violation_options": form.violation_options(),
        "max_terlapor": TerlaporFormSet.max_num,
        "can_add_terlapor": formset.total_form_count() < TerlaporFormSet.max_num,
    }


def _anchor(bound_field) -> str:
    if isinstance(bound_field.field.widget, RadioSelect | CheckboxSelectMultiple):
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


def _error_summary(form: ReportForm, formset) -> list[dict]:
    """Every error of the attempt, each linking to its field, in the order of the page."""
    items = [{"href": "", "label": "", "message": message} for message in form.non_field_errors()]
    form_errors = form.errors
    for name in form.fields:
        if name in form_errors:
            bound = form[name]
            label = SUMMARY_LABELS.get(name, bound.label)
            for message in form_errors[name]:
                items.append({"href": f"#{_anchor(bound)}", "label": str(label), "message": message})
        if name == "consent":  # the terlapor section comes after the reporter in the page
            items.extend(_formset_errors(formset))
    return items


def _formset_errors(formset) -> list[dict]:
    items = [{"href": "#terlapor", "label": _("Terlapor"), "message": m} for m in formset.non_form_errors()]
    for number, subform in enumerate(formset.forms, start=1):
        for name in subform.fields:
            for message in subform.errors.get(name, []):
                bound = subform[name]
                label = _("Terlapor %(number)d: %(field)s") % {"number": number, "field": bound.label}
                items.append({"href": f"#{_anchor(bound)}", "label": label, "message": message})
    return items


def _derived(form: ReportForm):
    """The election, phase and lateness of a valid date and region, shown back on the re-rendered form."""
    cleaned = getattr(form, "cleaned_data", {}) or {}
    region, incident = cleaned.get("kabkota"), cleaned.get("incident_date")
    if region is None or incident is None or "kabkota" in form.errors or "learned_date" in form.errors:
        return None
    return intake_context(region, incident, cleaned.get("learned_date"))
