"""The core's e-mails, one function per message: the reminders of the reminder engine and the daily digest.

Rendered in the active language (the recipient's: netralitas.reminder_delivery sets it) and
claimed in the outbox in the caller's transaction (netralitas.notifications.claim_email, which
says whether this call queued it); absolute links built in one place (netralitas.links).
Each returns the outbox row's id, or None when the key was queued before.
"""

from __future__ import annotations

from datetime import date

from django.template.loader import render_to_string
from django.urls import reverse

from netralitas.links import absolute_url
from netralitas.models import Notification
from netralitas.notifications import claim_email
from netralitas.reminder_messages import Content


def _render(template: str, context: dict) -> tuple[str, str, str]:
    """Subject (one line), text and HTML of ``emails/<template>-…`` in the active language."""
    subject = " ".join(render_to_string(f"emails/{template}-subject.txt", context).split())
    return (
        subject,
        render_to_string(f"emails/{template}-body.txt", context),
        render_to_string(f"emails/{template}-body.html", context),
    )


def _reminder_context(content: Content) -> dict:
    return {
        "content": content,
        "items": [{"title": i.title, "detail": i.detail, "url": absolute_url(i.url)} for i in content.items],
        "url": absolute_url(content.url),
        "settings_url": absolute_url(reverse("notification_settings")),
    }


def send_reminder(recipient: str, content: Content, *, dedupe_key: str) -> int | None:
    """A staff user's reminder (a deadline, an escalation, a cadence summary) with the page to act on."""
    subject, text, html = _render("reminder", _reminder_context(content))
    return claim_email(recipient=recipient, subject=subject, body=text, html_body=html, dedupe_key=dedupe_key)


def send_reporter_reminder(recipient: str, content: Content, *, dedupe_key: str) -> int | None:
    """A reporter's reminder (completion due), with the status page; never the PIN."""
    context = {**_reminder_context(content), "status_url": absolute_url("/status/")}
    subject, text, html = _render("reminder_reporter", context)
    return claim_email(
        recipient=recipient,
        subject=subject,
        body=text,
        html_body=html,
        dedupe_key=dedupe_key,
        to_reporter=True,  # the outbox admin hides a reporter's address and message (issue 8)
    )


def send_digest(recipient: str, notifications: list[Notification], *, more: int, day: date, user_id: int) -> int | None:
    """One e-mail a day listing a digest user's notifications not yet e-mailed (``more``: those left out)."""
    context = {
        "notifications": [{"title": n.title, "body": n.body, "url": absolute_url(n.url)} for n in notifications],
        "more": more,
        "day": day,
        "list_url": absolute_url(reverse("notifications")),
        "settings_url": absolute_url(reverse("notification_settings")),
    }
    subject, text, html = _render("reminder_digest", context)
    return claim_email(
        recipient=recipient,
        subject=subject,
        body=text,
        html_body=html,
        dedupe_key=f"digest:user:{user_id}:{day.isoformat()}",
    )
