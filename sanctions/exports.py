"""Files staff take away: the case list (CSV, XLSX), a case summary (PDF) and the dashboard on one page (PDF).

Every file holds exactly what its user may see on the page it comes from: the rows of the visibility
selectors with the filters in force, never a sealed field (reports.confidentiality). Text cells that a
spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

# Characters that make a spreadsheet read a cell as a formula (or a DDE call), including their
# full-width forms, which Excel folds to the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value) -> str:
    """``value`` as text, prefixed with an apostrophe when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.lstrip(" ")[:1] in FORMULA_STARTS else text
