"""Privacy-respecting bot resistance for the public forms: a honeypot and a signed, single-use timer.

No third-party CAPTCHA (the machine reaches no outside service, and citizens
should not be tracked). A bot that fills every field trips the honeypot; one
that posts faster than a person can type trips the timer. Nothing here needs
JavaScript.

The timer is issued once, when the form is first shown, and travels with the
form through every re-render: a citizen who fixes one field and sends again
a second later is not "too fast", because the clock started when the page
first opened. A timer is spent by the one submission it carried
(consume_timer); a replayed one is refused. Its used-mark lives in the cache
through netralitas.safecache, so a Redis outage never raises.
"""

from __future__ import annotations

import secrets
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_lazy as _

from netralitas import ratelimit, safecache

SALT = "netralitas.antibot"
HONEYPOT_FIELD = "situs_web"
TIMER_FIELD = "form_ts"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=SALT)


def issue_timer() -> str:
    """A new signed timer: a random nonce and the time the form was shown."""
    return _signer().sign(secrets.token_urlsafe(12))


def _nonce(token: str) -> str | None:
    try:
        return _signer().unsign(token, max_age=settings.NETRALITAS_ANTIBOT_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None


def _used_key(nonce: str) -> str:
    return f"antibot:used:{nonce}"


def used_mark_key(token: str) -> str | None:
    """The cache key that marks ``token`` spent, or None for a token that is not a valid timer."""
    nonce = _nonce(token)
    return None if nonce is None else _used_key(nonce)


def timer_used(token: str) -> bool:
    nonce = _nonce(token)
    return nonce is not None and bool(safecache.get(_used_key(nonce)))


def carried_timer(token: str | None) -> str:
    """The timer to put back into a re-rendered form: the posted one while it is valid and unspent, else a new one."""
    if token and _nonce(token) is not None and not timer_used(token):
        return token
    return issue_timer()


def consume_timer(token: str) -> bool:
    """Spend ``token``; False when it was already spent (a replay, or the same form sent twice at once)."""
    nonce = _nonce(token)
    if nonce is None:
        return False
    return bool(safecache.add(_used_key(nonce), 1, timeout=settings.NETRALITAS_ANTIBOT_MAX_AGE + 60))


def consume_timer_counting(token: str, limit: str, ident: str) -> ratelimit.Counted | None:
    """consume_timer(token) and, when spent now, one attempt of the rate limit ``limit`` by ``ident`` counted.

    One round trip to the cache for both (netralitas.ratelimit.mark_then_hit). None when the token is
    not a timer or was spent already (nothing counted); else what ratelimit.take_back() takes back.
    """
    nonce = _nonce(token)
    if nonce is None:
        return None
    return ratelimit.mark_then_hit(
        limit, ident, _used_key(nonce), mark_seconds=settings.NETRALITAS_ANTIBOT_MAX_AGE + 60
    )


def release_timer(token: str) -> None:
    """Make a spent ``token`` usable again: its submission failed (the database, a refused file)."""
    nonce = _nonce(token)
    if nonce is not None:
        safecache.delete(_used_key(nonce))


ALREADY_SENT = _(
    "Formulir ini sudah pernah terkirim. Bila Anda belum menerima tanda terima, periksa isian di bawah lalu "
    "kirim sekali lagi."
)


class AntiBotFormMixin(forms.Form):
    situs_web = forms.CharField(
        required=False,
        max_length=200,
        label=_("Kosongkan kolom ini"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "nt-hp"}),
    )
    form_ts = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)
    # (token, spent) when the view read the timer's used-mark with its other cache reads (one round trip).
    timer_spent: tuple[str, bool] | None = None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(HONEYPOT_FIELD):
            raise forms.ValidationError(_("Formulir tidak dapat diproses. Muat ulang halaman lalu coba lagi."))
        token = cleaned.get(TIMER_FIELD) or ""
        try:
            _signer().unsign(token, max_age=settings.NETRALITAS_ANTIBOT_MAX_AGE)
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
        spent = self.timer_spent[1] if self.timer_spent and self.timer_spent[0] == token else timer_used(token)
        if spent:
            raise forms.ValidationError(ALREADY_SENT)
        return cleaned


def _age(token: str) -> float:
    timestamp = signing.b62_decode(token.rsplit(":", 2)[1])
    return time.time() - timestamp
