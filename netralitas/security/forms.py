"""The forms of signing in: a one-time code, and the password with a code again (re-authentication)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from netralitas.security import session, twofactor
from netralitas.security.enums import SecurityEventKind as Kind
from netralitas.security.log import log_event

CODE_LABEL = gettext_lazy("Kode dari aplikasi autentikator atau kode cadangan")


def code_widget() -> forms.TextInput:
    return forms.TextInput(
        attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false", "autofocus": True}
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=CODE_LABEL,
        max_length=32,
        widget=code_widget(),
        error_messages={"required": gettext_lazy("Masukkan kode.")},
    )

    def __init__(self, *args, label: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if label:
            self.fields["code"].label = label


class ReauthForm(forms.Form):
    """The password and a second-factor code of the signed-in user; valid means both were just proven.

    Side effects of a valid form: the session's proof time restarts and the security log says so. A wrong
    password counts as a failed sign-in for django-axes (five lock the account).
    """

    password = forms.CharField(
        label=gettext_lazy("Kata sandi"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Masukkan kata sandi Anda.")},
    )
    code = forms.CharField(
        label=CODE_LABEL,
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}),
        error_messages={"required": gettext_lazy("Masukkan kode.")},
    )

    def __init__(self, request: HttpRequest, *args, **kwargs):
        kwargs.setdefault("prefix", "reauth")
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        user = self.request.user
        proven = authenticate(self.request, username=user.get_username(), password=cleaned["password"])
        if proven is None or proven.pk != user.pk:
            log_event(Kind.REAUTH_FAILED, request=self.request, reason="password")
            self.add_error("password", _("Kata sandi salah."))
            return cleaned
        check = twofactor.check_code(user, cleaned["code"])
        if check.device is None:
            log_event(Kind.REAUTH_FAILED, request=self.request, reason="code")
            self.add_error("code", check.refusal)
            return cleaned
        session.mark_proved(self.request)
        log_event(Kind.REAUTH, request=self.request)
        return cleaned
