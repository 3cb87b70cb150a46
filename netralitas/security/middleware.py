"""Three small middlewares: the staff session limits, the second-factor gate, and the cache and referrer
headers of every response. Which URL is public is decided in one place: netralitas.security.urlpolicy."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy

from netralitas.security import session, twofactor
from netralitas.security.enums import SecurityEventKind as Kind
from netralitas.security.log import log_event
from netralitas.security.urlpolicy import (
    CACHEABLE_VIEWS,
    PUBLIC_VIEWS,
    is_public,
    is_sign_in,
    view_name,
)

EXPIRED_MESSAGES = {
    session.IDLE: gettext_lazy("Sesi Anda berakhir karena tidak ada kegiatan selama 30 menit. Silakan masuk lagi."),
    session.ABSOLUTE: gettext_lazy("Sesi Anda sudah berlangsung 12 jam. Silakan masuk lagi."),
}


class SessionLimitsMiddleware:
    """A signed-in session ends after NETRALITAS_SESSION_IDLE_SECONDS without a request, and after
    NETRALITAS_SESSION_MAX_SECONDS whatever happens; a staff page then sends to the login form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated:
            return None
        reason = session.expiry(request)
        if reason is None:
            return None
        logout(request)
        log_event(Kind.SESSION_EXPIRED, request=request, user=user, reason=reason)
        messages.info(request, EXPIRED_MESSAGES[reason])
        if is_public(request) or is_sign_in(request):
            return None
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))


class SecondFactorMiddleware:
    """A signed-in session that has not passed the second factor gets the citizens' pages and the
    sign-in steps only; every other URL sends it to the code page (or to enrolment, without a device)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or user.is_verified() or is_public(request) or is_sign_in(request):
            return None
        step = "security:verify" if twofactor.has_confirmed_device(user) else "security:enrol"
        return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()}, safe='/')}")


def public_referrer_policy(response: HttpResponse) -> str:
    """What a public response tells the browser to send as Referer.

    Nothing to other sites, ever: a whistleblower's click must not tell another site they came from here.
    Every public page carries a form posting back to us (the language switch at least), and under
    "no-referrer" Chromium sends such a form with "Origin: null", which Django's CSRF check rightly refuses;
    "same-origin" sends nothing cross-origin either. Other public responses (PDF, JSON, redirects): none.
    """
    return "same-origin" if response.get("Content-Type", "").startswith("text/html") else "no-referrer"


class CacheAndReferrerMiddleware:
    """No browser or proxy keeps a staff response, a reporter's page or an error (Cache-Control: no-store);
    public responses send no Referer to other sites (public_referrer_policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        name = view_name(request)
        cacheable = response.status_code == 200 and name in CACHEABLE_VIEWS
        if not cacheable and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        if name in PUBLIC_VIEWS:
            response["Referrer-Policy"] = public_referrer_policy(response)
        return response
