"""Privacy-respecting bot resistance for the public forms: a honeypot and a signed timer.

No third-party CAPTCHA (the machine reaches no outside service, and citizens
should not be tracked). A bot that fills every field trips the honeypot; one
that posts faster than a person can type trips the timer. Nothing here needs
JavaScript.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

SALT = "netralitas.antibot"
HONEYPOT_FIELD = "situs_web"
TIMER_FIELD = "form_ts"


def issue_timer() -> str:
    return signing.TimestampSigner(salt=SALT).sign("form")


class AntiBotFormMixin(forms.Form):
    situs_web = forms.CharField(
        required=False,
        label=_("Kosongkan kolom ini"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "nt-hp"}),
    )
    form_ts = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi."))
        token = cleaned.get(TIMER_FIELD) or ""
        try:
            signing.TimestampSigner(salt=SALT).unsign(token, max_age=settings.NETRALITAS_ANTIBOT_MAX_AGE)
            age = _age(token)
        except signing.SignatureExpired:
            raise forms.ValidationError(
                _("Halaman ini sudah terbuka terlalu lama. Periksa isian Anda lalu kirim sekali lagi.")
            ) from None
        except signing.BadSignature:
            raise forms.ValidationError(
                _("Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi.")
            ) from None
        if age < settings.NETRALITAS_ANTIBOT_MIN_SECONDS:
            raise forms.ValidationError(
                _("Formulir terkirim terlalu cepat. Periksa isian Anda lalu kirim sekali lagi.")
            )
        return cleaned


def _age(token: str) -> float:
    import time

    timestamp = signing.b62_decode(token.rsplit(":", 2)[1])
    return time.time() - timestamp
