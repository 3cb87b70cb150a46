"""The views behind the triage actions: an action's form and its run, the bulk actions, the letter PDF.

The view picks the object through the admin's queryset (the visibility rule, so a foreign id is
a 404), runs the action when reports.staff.actions offers it to this user, and turns each refusal
into a message next to the fields it names, or on the case page.
"""

from __future__ import annotations

import re

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from netralitas.security.reauth import challenge as reauth_challenge
from reports.models import Recommendation, Report
from reports.staff.actions import REPORT_ACTIONS, Action, action_warnings, perform, refusal_message


def object_label(obj) -> str:
    return obj.tracking_code if isinstance(obj, Report) else str(obj)


def add_refusal_to_form(form: forms.Form, exc: Exception) -> None:
    """Show a refusal next to the fields it names (a ValidationError keyed by field), else on top."""
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, refusal_message(exc))


def action_view(model_admin, request, object_id: str, name: str, actions: dict[str, Action]):
    """GET: the action's form (or a confirmation); POST: run it and return to the change page."""
    obj = model_admin.get_object(request, unquote(object_id))  # a foreign or missing id is a 404
    action = actions.get(name)
    if action is None:
        raise Http404
    opts = model_admin.model._meta
    change_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    label = object_label(obj)
    if not action.offered(obj, request.user):
        messages.error(
            request,
            _(
                "Tindakan “%(action)s” tidak tersedia untuk %(obj)s: "
                "statusnya tidak memungkinkan atau Anda tidak berwenang."
            )
            % {"action": action.label, "obj": label},
        )
        return redirect(change_url)
    posted = request.method == "POST"
    if posted and action.reauth and (challenge := reauth_challenge(request)) is not None:
        return challenge
    form = action.form_class(
        request.POST if posted else None, request.FILES if posted else None, obj=obj, user=request.user
    )
    if posted and form.is_valid():
        refusal = perform(action, obj, request.user, form.cleaned_data)
        if refusal is None:
            messages.success(request, action.success % {"obj": label})
            for warning in action_warnings(action, obj, form.cleaned_data):
                messages.warning(request, warning)
            return redirect(change_url)
        if not form.fields or not isinstance(refusal, ValidationError | ValueError):
            # Nothing the officer types would change this answer: back to the case page with the reason.
            messages.error(request, refusal_message(refusal))
            return redirect(change_url)
        add_refusal_to_form(form, refusal)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": f"{action.label}: {label}",
        "opts": opts,
        "original": obj,
        "object_label": label,
        "action": action,
        "form": form,
        "change_url": change_url,
        "has_view_permission": True,
    }
    return TemplateResponse(request, "admin/reports/action_form.html", context)


def run_bulk(model_admin, request, queryset, name: str) -> None:
    """An admin changelist action: run ``name`` on each selected report; one message for the done, one per refusal."""
    action = REPORT_ACTIONS[name]
    done: list[str] = []
    for report in queryset:
        if not action.offered(report, request.user):
            messages.error(
                request,
                _("%(obj)s: tindakan “%(action)s” tidak tersedia pada status ini atau Anda tidak berwenang.")
                % {"obj": report.tracking_code, "action": action.label},
            )
            continue
        refusal = perform(action, report, request.user, {})
        if refusal is None:
            done.append(report.tracking_code)
        else:
            messages.error(request, f"{report.tracking_code}: {refusal_message(refusal)}")
    if done:
        messages.success(request, action.success % {"obj": ", ".join(done)})


def letter_filename(recommendation: Recommendation) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", recommendation.letter_number).strip("-") or str(recommendation.pk)
    return f"rekomendasi-{slug}.pdf"


def letter_view(model_admin, request, object_id: str) -> HttpResponse:
    """The recommendation letter as a PDF attachment; only for a recommendation the user may see."""
    from reports.letters import recommendation_letter_pdf

    recommendation = model_admin.get_object(request, unquote(object_id))
    response = HttpResponse(recommendation_letter_pdf(recommendation), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{letter_filename(recommendation)}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
