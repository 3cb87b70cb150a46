"""A password strength validator: zxcvbn, told the words an attacker of this portal tries first.

Besides the user's own attributes, zxcvbn gets the portal's words (netralitas, BKPSDM, Bawaslu …) and
every word of the names of the regions and organisations of the reference data, so "Sleman2024",
"bkpsdmsleman" or "PemerintahKotaYogyakarta" score as the guesses they are.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

# The portal's own words and the bodies around it: the first guesses against a staff account.
PORTAL_WORDS = (
    "netralitas",
    "netral",
    "asn",
    "pns",
    "pppk",
    "bkpsdm",
    "bkd",
    "bkn",
    "kasn",
    "bawaslu",
    "kpu",
    "kemendagri",
    "kemenpanrb",
    "panrb",
    "pemda",
    "pemkab",
    "pemkot",
    "pemprov",
    "pemilu",
    "pilkada",
    "serentak",
    "satgas",
    "ppk",
    "sanksi",
    "laporan",
    "lapor",
    "rekomendasi",
    "admin",
    "operator",
    "indonesia",
)
# zxcvbn's cost grows with the length; what lies beyond is not scored (long passwords are strong anyway).
MAX_SCORED_LENGTH = 64


def reference_words() -> list[str]:
    """Every word of the names of the reference regions and organisations, and every run of their words
    joined up ("Kabupaten Gunung Kidul" gives "gunung", "kidul", "gunungkidul", "kabupatengunung" …)."""
    from netralitas.models import Organisation, Region

    names = list(Region.objects.values_list("name", flat=True)) + list(
        Organisation.objects.values_list("name", flat=True)
    )
    words: set[str] = set()
    for name in names:
        parts = [part for part in re.split(r"[^0-9a-z]+", name.lower()) if len(part) >= 3]
        words.update("".join(parts[i:j]) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1))
    return sorted(words)


class StrengthValidator:
    """Refuses a password zxcvbn scores below ``min_score`` (0–4) given the portal's and the user's words."""

    def __init__(self, min_score: int = 4):
        self.min_score = min_score

    def validate(self, password: str, user=None) -> None:
        inputs = [*PORTAL_WORDS, *reference_words()]
        if user is not None:
            for attribute in ("username", "first_name", "last_name", "email"):
                value = str(getattr(user, attribute, "") or "").lower()
                inputs += [part for part in re.split(r"[^0-9a-z]+", value) if len(part) >= 3]
        result = zxcvbn(password[:MAX_SCORED_LENGTH], user_inputs=inputs)
        if result["score"] < self.min_score:
            raise ValidationError(
                _(
                    "Kata sandi ini mudah ditebak: mengandung kata umum, nama tempat atau lembaga, tahun, atau "
                    "pola keyboard. Gunakan frasa panjang dari beberapa kata acak."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _("Kata sandi tidak boleh mudah ditebak: hindari nama tempat, nama lembaga, tahun, dan kata umum.")
