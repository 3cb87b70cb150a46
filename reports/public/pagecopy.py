"""Public pages rendered once per process, with markers where each visitor's values go (issue 11).

A public page that is the same for every visitor but for a few values (the CSRF token of its forms
and of the language switch, the anti-bot timer, the path the language switch returns to, and what
the visitor typed) is rendered once per process, language and kind of visitor (a staff member's
footer differs) with a marker in place of each value, split at the markers and kept in
netralitas.refcache; every visit joins the parts with its own values. A page whose markers are not
found the expected number of times (a template changed where the values appear) is not kept: the
caller renders in full. tests/test_form_page_budget.py (the form page) and tests/test_pagecopy.py (the
status lookup's mismatch page) compare each copy with the full render byte for byte.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.translation import get_language

from netralitas import refcache

logger = logging.getLogger(__name__)

CSRF_MARK, TIMER_MARK, PATH_MARK = "NtrMarkCsrf7q", "NtrMarkTimer7q", "/NtrMarkPath7q"


class PageCopy:
    """One kind of page: its name in the process's copies and how often each marker appears in it."""

    def __init__(self, name: str, marks: dict[str, int]):
        self.name = name
        self.marks = marks
        self._split = re.compile("(" + "|".join(re.escape(mark) for mark in marks) + ")")

    def parts(self, request: HttpRequest, render: Callable[[HttpRequest], str]) -> list | None:
        """The page's parts for this visitor's language and kind, from the process's copy (built by ``render``).

        None when process copies are off (NETRALITAS_REFERENCE_CACHE_SECONDS <= 0, as in tests) or the
        markers were not where they were expected. ``render`` gets a copy of the request whose path is
        PATH_MARK and must put CSRF_MARK, TIMER_MARK and the page's own markers where the values go.
        """
        if settings.NETRALITAS_REFERENCE_CACHE_SECONDS <= 0:
            return None
        staff = bool(request.user.is_authenticated and request.user.is_staff)  # reads the session, as the footer does
        return refcache.cached(f"{self.name}:{get_language()}:{int(staff)}", lambda: self._split_page(request, render))

    def fill(self, request: HttpRequest, parts: list, *, timer: str, values: dict[str, bytes] | None = None) -> bytes:
        """The page for this visitor: a fresh mask of the CSRF secret, its timer and path, and the page's own
        ``values`` by marker (escaped by the caller)."""
        filled = {
            CSRF_MARK: get_token(request).encode(),  # one mask for every form, as the template's lazy token gives
            TIMER_MARK: timer.encode(),
            PATH_MARK: escape(request.get_full_path()).encode(),
            **(values or {}),
        }
        return b"".join(filled[part] if index % 2 else part for index, part in enumerate(parts))

    def _split_page(self, request: HttpRequest, render: Callable[[HttpRequest], str]) -> list | None:
        marked = copy.copy(request)
        marked.path = PATH_MARK
        marked.META = {**request.META, "QUERY_STRING": ""}
        parts = self._split.split(render(marked))
        found = {mark: parts[1::2].count(mark) for mark in self.marks}
        if found != self.marks:
            logger.warning("%s: markers found %s, expected %s: not kept", self.name, found, self.marks)
            return None
        return [part.encode() if index % 2 == 0 else part for index, part in enumerate(parts)]
