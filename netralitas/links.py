"""Absolute links for messages sent outside a request (e-mails from services and tasks): SITE_URL + path."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """``path`` (starting with /) on the portal's public address, settings.SITE_URL."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def absolute_reverse(viewname: str, *args, **kwargs) -> str:
    """reverse() on the portal's public address."""
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
