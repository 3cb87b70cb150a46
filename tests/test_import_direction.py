"""The import direction of the house (style.md): netralitas <- reports <- taskforce, sanctions.

The same check as `grep -rnE '^\\s*(from|import) (sanctions|taskforce)' reports netralitas`: it must find nothing.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UPWARD_IMPORT = re.compile(r"^\s*(from|import) (sanctions|taskforce)")


def test_reports_and_the_core_import_neither_sanctions_nor_taskforce():
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in ("reports", "netralitas")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file() and path.suffix in (".py", ".html", ".txt")
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1)
        if UPWARD_IMPORT.match(line)
    ]
    assert found == []
