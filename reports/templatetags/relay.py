"""``{% reporter_questions report %}``: the relay's section of the reporter's status page (reports.relay)."""

from __future__ import annotations

from django import template

from reports import relay
from reports.public.relay_views import answer_form_for

register = template.Library()


@register.inclusion_tag("reports/includes/relay_section.html", takes_context=True)
def reporter_questions(context, report) -> dict:
    """Open questions with an answer form each, then the answered ones (two queries)."""
    return {
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
        "open": [(question, answer_form_for(question)) for question in relay.open_questions(report)],
        "answered": relay.answered_questions(report),
    }
