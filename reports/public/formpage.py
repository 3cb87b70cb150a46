"""The report form page (/lapor/): rendered in full for an attempt, from the process's copy for a first visit.

A first visit shows the unbound form: ~37 KB built from three forms (the report, one terlapor and
the template of "tambah terlapor") and ~60 templates, the same for every visitor but for three
values: the CSRF token (the report form and the language switch), the anti-bot timer, and the path
the language switch returns to. So it is served from a process copy (reports.public.pagecopy) that
never outlives the reference copies it was built from (a saved catalogue row or region clears it).
An attempt (a POST) is always rendered in full: it shows what the citizen typed.
"""

from __future__ import annotations

from django.forms import CheckboxSelectMultiple, RadioSelect
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reports.public.antibot import carried_timer, issue_timer
from reports.public.forms import ReportForm
from reports.public.pagecopy import CSRF_MARK, PATH_MARK, TIMER_MARK, PageCopy
from reports.public.terlapor_forms import TERLAPOR_PREFIX, TerlaporFormSet
from reports.services import intake_context

TEMPLATE = "reports/report_form.html"
# Short names in the error summary for fields whose label is a sentence.
SUMMARY_LABELS = {"consent": gettext_lazy("Persetujuan data pribadi")}
# The process's copy of the first visit's page: the CSRF token twice (the report form, the language switch).
FORM_PAGE = PageCopy("intake-form-page", {CSRF_MARK: 2, TIMER_MARK: 1, PATH_MARK: 1})


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
    parts = FORM_PAGE.parts(request, _marked_page)
    if parts is None:
        form, formset = unbound_forms(issue_timer())
        return render_form_page(request, form, formset)
    return HttpResponse(FORM_PAGE.fill(request, parts, timer=issue_timer()))


def unbound_forms(timer: str) -> tuple[ReportForm, TerlaporFormSet]:
    return ReportForm(initial={"form_ts": timer}), TerlaporFormSet(prefix=TERLAPOR_PREFIX)


def _marked_page(marked: HttpRequest) -> str:
    form, formset = unbound_forms(TIMER_MARK)
    return render_to_string(TEMPLATE, {**_context(form, formset), "csrf_token": CSRF_MARK}, request=marked)


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
