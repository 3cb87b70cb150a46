"""The staff frame's header, one inclusion tag for the admin and every staff page."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from netralitas import visibility, workspace
from netralitas.reminder_selectors import unread_count

register = template.Library()


@register.inclusion_tag("staff/_header.html", takes_context=True)
def staff_header(context, current: str = "") -> dict:
    """The workspace link, the pages of the user's role, the notifications with their unread count (one
    indexed COUNT), the user's name and organisation, language, logout."""
    request = context.get("request")
    user = getattr(request, "user", None)
    pages = []
    organisation = ""
    role = ""
    unread = 0
    if user is not None and user.is_authenticated:
        unread = unread_count(user)
        for page in workspace.pages_for(user):
            try:
                url = reverse(page.url_name)
            except NoReverseMatch:
                continue
            pages.append(
                {
                    "key": page.key,
                    "title": page.title,
                    "url": url,
                    "current": bool(current) and page.key.split(".")[-1] == current,
                }
            )
        scope = visibility.scope_for(user)
        membership = getattr(user, "membership", None) if scope.organisation_id else None
        if membership is not None:
            organisation = membership.organisation.name
            role = membership.get_role_display()
    return {
        "request": request,
        "user": user,
        "pages": pages,
        "organisation": organisation,
        "role": role,
        "workspace_current": current == "workspace",
        "notifications_current": current == "notifications",
        "admin_current": current == "admin",
        "unread": unread,
    }
