"""Absolute links for messages sent outside a request (e-mails from services and tasks): SITE_URL + path.

The one place an e-mail's links are built (reports.emails, taskforce.emails, netralitas.emails).
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str, base_url: str = "") -> str:
    """``path`` on the portal's public address: settings.SITE_URL, else ``base_url`` (the requesting site).

    A URL that is already absolute is returned as it is; a path gets its leading slash.
    """
    if path.startswith(("http://", "https://")):
        return path
    site = settings.SITE_URL or base_url
    return f"{site.rstrip('/')}/{path.lstrip('/')}"


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    """reverse() on the portal's public address."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
