"""Which URLs are citizens' pages, which belong to the sign-in, and which may be cached: by URL name.

Everything not listed here is a staff URL: it needs the second factor, and nothing of it is stored by a
browser or a proxy. A new public page must be added here on purpose (tests/urlcrawl.py lists them too).
"""

from __future__ import annotations

from django.http import HttpRequest

PUBLIC_VIEWS = frozenset(
    {
        "landing",
        "healthz",
        "set_language",
        "intake",
        "intake_receipt",
        "intake_receipt_pdf",
        "intake_receipt_done",
        "search_instansi",
        "search_kabkota",
        "status_lookup",
        "status_detail",
        "status_complete",
        "status_withdraw",
        "status_forget",
        "status_answer",
        # Public statistics (issue 15): aggregates only, small counts suppressed.
        "statistics",
        "statistics_csv",
        "statistics_xlsx",
    }
)
# Reachable with the password alone: the steps of signing in (and out).
SIGN_IN_VIEWS = frozenset({"admin:login", "admin:logout", "security:verify", "security:enrol"})
# Pages a browser may keep; everything else (staff pages, the reporter's pages, errors) is no-store.
CACHEABLE_VIEWS = frozenset({"landing", "statistics"})


def view_name(request: HttpRequest) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else None


def is_public(request: HttpRequest) -> bool:
    return view_name(request) in PUBLIC_VIEWS


def is_sign_in(request: HttpRequest) -> bool:
    return view_name(request) in SIGN_IN_VIEWS
