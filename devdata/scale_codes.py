"""How generated reports are recognised and opened: their tracking codes and PINs (benchmark tooling).

Generated reports are marked by their tracking code: ``NTR-0…``. The digit 0
is not in reports.pins.ALPHABET, so no real code can start like that, yet the
code still survives normalise_tracking_code and is found by the status page.
Deleting (``reset``) therefore never touches a citizen's report.

Everything is derived from (seed, index): report ``i`` has the tracking code
``scale_tracking_code(i)`` and the PIN ``scale_pin(seed, i)``, so a benchmark
can look up any generated report without the PINs being stored in clear.
"""

from __future__ import annotations

import hashlib
import hmac

from django.db.models import QuerySet

from reports.models import Report
from reports.pins import ALPHABET, PIN_LENGTH

SCALE_CODE_PREFIX = "NTR-0"
DEFAULT_SEED = 1

_BASE = len(ALPHABET)
_CODE_DIGITS = 7
_CODE_SPACE = _BASE**_CODE_DIGITS
# index -> (index * _CODE_STEP + _CODE_OFFSET) mod 29**7 is a bijection (the step is not a
# multiple of 29): unique codes that do not look sequential, whatever the seed.
_CODE_STEP = 7_919_461_529
_CODE_OFFSET = 1_234_567_891


def scale_tracking_code(index: int) -> str:
    """The tracking code of generated report ``index`` (0-based), e.g. ``NTR-0K7M-Q9XD``."""
    if not 0 <= index < _CODE_SPACE:
        raise ValueError(f"index out of range: {index}")
    n = (index * _CODE_STEP + _CODE_OFFSET) % _CODE_SPACE
    digits = []
    for _ in range(_CODE_DIGITS):
        n, r = divmod(n, _BASE)
        digits.append(ALPHABET[r])
    body = "0" + "".join(digits)
    return f"NTR-{body[:4]}-{body[4:]}"


def scale_pin(seed: int, index: int) -> str:
    """The PIN of generated report ``index``: HMAC(seed, index) spelled in the PIN alphabet."""
    n = int.from_bytes(hmac.new(f"netralitas-scale:{seed}".encode(), str(index).encode(), hashlib.sha256).digest())
    chars = []
    for _ in range(PIN_LENGTH):
        n, r = divmod(n, _BASE)
        chars.append(ALPHABET[r])
    return "-".join("".join(chars[i : i + 4]) for i in range(0, PIN_LENGTH, 4))


def scale_reports() -> QuerySet[Report]:
    """The generated reports (and only those)."""
    return Report.objects.filter(tracking_code__startswith=SCALE_CODE_PREFIX)
