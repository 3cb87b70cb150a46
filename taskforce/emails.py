"""The taskforce's e-mails, one function per message; absolute links built in one place (netralitas.links).

Messages go through the outbox (netralitas.notifications.queue_email), written in the
caller's transaction and sent after commit. They name the case, never the reporter.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from netralitas.calendar import format_date
from netralitas.links import absolute_url
from netralitas.notifications import queue_email
from taskforce.models import Assignment


def subject_url(assignment: Assignment) -> str:
    """The Satgas page of the report or case an assignment is about."""
    if assignment.report_id is not None:
        return reverse("satgas_report", args=[assignment.report_id])
    return reverse("satgas_case", args=[assignment.terlapor_id])


def subject_label(assignment: Assignment) -> str:
    if assignment.report_id is not None:
        return _("laporan %(code)s") % {"code": assignment.report.tracking_code}
    case = assignment.terlapor
    return _("perkara %(name)s (laporan %(code)s)") % {"name": case.name, "code": case.report.tracking_code}


def send_assignment_notice(assignment: Assignment, *, base_url: str = "") -> bool:
    """Tell the assigned member (by their account's e-mail) which case is now theirs; False without an address.

    Queued once per assignment (dedupe key ``satgas-assignment:<pk>``).
    """
    user = assignment.member.user
    if user is None or not user.email:
        return False
    subject_row = assignment.report if assignment.report_id is not None else assignment.terlapor
    context = {
        "member_name": assignment.member.name,
        "assigned_by": assignment.assigned_by.get_full_name() or assignment.assigned_by.get_username(),
        "role": assignment.get_role_display().lower(),
        "subject_label": subject_label(assignment),
        "satgas": assignment.satgas.name,
        "due_date": format_date(subject_row.due_date) if subject_row.due_date else "",
        "url": absolute_url(subject_url(assignment), base_url),
    }
    subject = " ".join(render_to_string("emails/satgas_assignment-subject.txt", context).split())
    body = render_to_string("emails/satgas_assignment-body.txt", context)
    queue_email(recipient=user.email, subject=subject, body=body, dedupe_key=f"satgas-assignment:{assignment.pk}")
    return True
