"""The pages of signing in: the second-factor code, enrolment from a QR code, backup codes, the
re-authentication page, and the lockout page django-axes shows."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from netralitas.security import reauth as reauth_checks
from netralitas.security import twofactor
from netralitas.security.enums import SecurityEventKind as Kind
from netralitas.security.forms import CodeForm, ReauthForm
from netralitas.security.log import log_event


def _next(request: HttpRequest) -> str:
    """Where to go afterwards: a path of this site from ``next``, else the workspace."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}, require_https=False)
    return candidate if safe and candidate.startswith("/") else reverse("workspace")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url}, safe='/')}"


def _page(request: HttpRequest, template: str, context: dict, status: int = 200) -> HttpResponse:
    return render(request, template, {**admin.site.each_context(request), **context}, status=status)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of every sign-in: a code from the authenticator app, or a backup code."""
    next_url = _next(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not twofactor.has_confirmed_device(request.user):
        return redirect(_with_next("security:enrol", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = twofactor.check_code(request.user, form.cleaned_data["code"])
        if check.device is not None:
            twofactor.complete_sign_in(request, check.device)
            log_event(Kind.OTP_VERIFIED, request=request, device=check.device.__class__.__name__)
            return redirect(next_url)
        log_event(Kind.OTP_FAILED, request=request)
        form.add_error("code", check.refusal)
    return _page(
        request, "security/verify.html", {"form": form, "next": next_url, "title": _("Verifikasi dua langkah")}
    )


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """The first sign-in: scan the QR code with an authenticator app and confirm with its first code."""
    next_url = _next(request)
    user = request.user
    if twofactor.has_confirmed_device(user):
        return redirect(next_url if user.is_verified() else _with_next("security:verify", next_url))
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None, label=_("Kode dari aplikasi autentikator"))
    if request.method == "POST" and form.is_valid():
        check = twofactor.confirm_enrolment(user, device, form.cleaned_data["code"])
        if check.device is not None:
            twofactor.issue_backup_codes(user)
            twofactor.complete_sign_in(request, check.device)
            log_event(Kind.OTP_ENROLLED, request=request)
            return redirect(_with_next("security:backup_codes", next_url))
        form.add_error("code", check.refusal)
    context = {
        "form": form,
        "next": next_url,
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.base32_secret(device),
        "title": _("Aktifkan autentikasi dua langkah"),
    }
    return _page(request, "security/enrol.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def backup_codes(request: HttpRequest) -> HttpResponse:
    """The unused backup codes (right after enrolment, or after a fresh re-authentication); POST: new ones."""
    next_url = _next(request)
    challenge = reauth_checks.challenge(request)
    if challenge is not None:
        return challenge
    if request.method == "POST":
        twofactor.issue_backup_codes(request.user)
        log_event(Kind.BACKUP_CODES, request=request)
        return redirect(_with_next("security:backup_codes", next_url))
    context = {"codes": twofactor.backup_codes(request.user), "next": next_url, "title": _("Kode cadangan")}
    return _page(request, "security/backup_codes.html", context)


@sensitive_post_parameters("reauth-password", "reauth-code")
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reauth(request: HttpRequest) -> HttpResponse:
    """Prove the password and the second factor again, then return to ``next``."""
    next_url = _next(request)
    form = ReauthForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        return redirect(next_url)
    context = {"form": form, "next": next_url, "title": reauth_checks.form_title()}
    return _page(request, "security/reauth.html", context)


def locked_out(request: HttpRequest, response: HttpResponse | None = None, credentials: dict | None = None):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the reason in Indonesian, 429; signed out."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        logout(request)
    context = {"minutes": settings.NETRALITAS_LOCKOUT_MINUTES, "title": _("Terlalu banyak percobaan masuk")}
    return _page(request, "security/locked_out.html", context, status=429)
