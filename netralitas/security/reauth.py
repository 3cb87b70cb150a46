"""Re-authentication before the acts that matter: the password and the second factor, proven within the
last NETRALITAS_REAUTH_SECONDS (10 minutes), before issuing a recommendation, recording a PPK decision,
changing a membership or unsealing a reporter's identity.

Two ways to use it, one rule:

    @reauth_required                        # a view (or a ModelAdmin method): every request needs the proof
    def unseal_identity(request, pk): ...

    response = challenge(request)           # a view performing several acts, for the one that matters
    if response is not None:
        return response

A GET without a recent proof goes to the re-authentication page, which returns to the page afterwards.
A POST gets the re-authentication form in place: it carries the request's own fields (hidden) and posts
them back with the password and code, so nothing typed is lost (a chosen file must be chosen again).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from netralitas.security import session
from netralitas.security.forms import ReauthForm

_OWN_FIELDS = ("csrfmiddlewaretoken",)


def challenge(request: HttpRequest) -> HttpResponse | None:
    """None when ``request`` may act now; otherwise the response that asks for the password and code.

    Side effects on a POST that carries a valid password and code: the proof time restarts and the two
    fields are taken out of ``request.POST`` before the view reads it.
    """
    if session.proved_recently(request):
        return None
    if request.method in ("GET", "HEAD"):
        return redirect(f"{reverse('security:reauth')}?{urlencode({'next': request.get_full_path()}, safe='/')}")
    sent = any(key.startswith("reauth-") for key in request.POST)
    form = ReauthForm(request, data=request.POST if sent else None)
    if sent and form.is_valid():
        post = request.POST.copy()
        for key in [key for key in post if key.startswith("reauth-")]:
            del post[key]
        post._mutable = False
        request.POST = post
        return None
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _OWN_FIELDS and not name.startswith("reauth-")
        for value in values
    ]
    files = [(name, upload.name) for name, uploads in request.FILES.lists() for upload in uploads]
    context = {
        **admin.site.each_context(request),
        "form": form,
        "fields": fields,
        "files": files,
        "action": request.get_full_path(),
        "title": form_title(),
    }
    return render(request, "security/reauth_replay.html", context, status=403)


def reauth_required(view=None, *, methods: tuple[str, ...] | None = None):
    """Decorate a view function or a ModelAdmin method (request as first or second argument).

    ``methods`` limits the check to those HTTP methods, e.g. ``("POST",)`` for a form anyone may open.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            request = args[0] if isinstance(args[0], HttpRequest) else args[1]
            if methods is None or request.method in methods:
                response = challenge(request)
                if response is not None:
                    return response
            return view(*args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def form_title() -> str:
    from django.utils.translation import gettext as _

    return _("Konfirmasi identitas Anda")
