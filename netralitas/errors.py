"""Error pages in the site's layout, Indonesian first, with a way back and no technical detail.

None of them may need the database (the 500 and 503 pages are shown when it is down): they read
nothing but the request, and a failure while rendering one falls back to the bare template, then
to plain text.
"""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

logger = logging.getLogger(__name__)

# Errors that mean "the database cannot be reached", not "our query is wrong".
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 120


def _render(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    context = {
        "posted": request.method == "POST",
        "report_form": request.path.startswith("/lapor/"),
        **(context or {}),
    }
    try:
        body = loader.render_to_string(template, context, request=request)
    except Exception:  # noqa: BLE001 - an error page must always answer
        logger.exception("rendering %s with the request failed", template)
        try:
            body = loader.render_to_string(template, context)
        except Exception:  # noqa: BLE001
            body = "Layanan sedang terganggu. Coba lagi beberapa saat lagi."
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def unavailable(request: HttpRequest) -> HttpResponse:
    """503: the database is down; says plainly that nothing was saved and that Back keeps the input."""
    response = _render(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "404.html", 404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _render(request, "403.html", 403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _render(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the error being handled is the database being unreachable."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        return unavailable(request)
    return _render(request, "500.html", 500)


class DatabaseUnavailableMiddleware:
    """Turn "database unreachable" raised by a view into the 503 page, also with DEBUG on."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, UNAVAILABLE):
            logger.error("database unavailable: %s %s: %s", request.method, request.path, exception.__class__.__name__)
            return unavailable(request)
        return None
