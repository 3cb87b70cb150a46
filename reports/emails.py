"""E-mails to the reporter about the progress of their report: one function per message, absolute links.

Each is queued in the caller's transaction through the outbox (netralitas.notifications, sent on
commit) with a dedupe key, only when the reporter gave an address, and never carries the PIN:
the link leads to the status page, where the tracking code and PIN open the report.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from netralitas.links import absolute_url
from netralitas.notifications import queue_email
from reports.models import Recommendation, Report, ReportEvent


def status_url() -> str:
    """The status page on the portal's public address (settings.SITE_URL)."""
    return absolute_url("/status/")


def _send(report: Report, template: str, dedupe_key: str, **context) -> None:
    if not report.reporter_email:
        return
    context = {"report": report, "status_url": status_url(), **context}
    with translation.override("id"):  # the reporter's language is not known outside a request
        subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
        body = render_to_string(f"emails/{template}-body.txt", context)
    queue_email(recipient=report.reporter_email, subject=subject, body=body, dedupe_key=dedupe_key, to_reporter=True)


def email_reporter_registered(report: Report, event: ReportEvent) -> None:
    """The report passed verification and was registered; the kajian comes next."""
    _send(report, "report_registered", f"report-registered:{report.pk}:{event.pk}")


def email_reporter_forwarded(report: Report, event: ReportEvent, *, authority: str) -> None:
    """The kajian found a suspected violation; the report went to the recommending authority."""
    _send(report, "report_forwarded", f"report-forwarded:{report.pk}:{event.pk}", authority=authority)


def email_reporter_recommendation(recommendation: Recommendation) -> None:
    """A recommendation was issued on one terlapor of the reporter's report (track and level, PPK deadline)."""
    from netralitas.calendar import format_date

    terlapor = recommendation.terlapor
    report = terlapor.report
    _send(
        report,
        "case_recommended",
        f"case-recommended:{recommendation.pk}",
        terlapor_name=terlapor.name,
        letter_date=format_date(recommendation.letter_date),
        track=recommendation.get_track_display(),
        level=recommendation.get_level_display(),
        due_date=format_date(terlapor.due_date) if terlapor.due_date else "",
    )


def email_reporter_closed(report: Report) -> None:
    """Every terlapor reached an outcome: the report is closed, each outcome named."""
    from reports.outcomes import case_outcomes

    with translation.override("id"):
        cases = case_outcomes(report)
    _send(report, "report_closed", f"report-closed:{report.pk}", cases=cases)
