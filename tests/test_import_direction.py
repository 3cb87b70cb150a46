"""The import direction of the house (style.md): netralitas <- reports <- taskforce, sanctions; tooling apart.

The first test is the same check as `grep -rnE '^\\s*(from|import) (sanctions|taskforce)' reports netralitas`:
it must find nothing. The others keep the house in order (issue 12, item 4): the demo and scale data
generators are tooling (devdata), which no domain module imports; the staff side of reports lives in
reports.staff, which the citizens' side never imports; no module of reports passes 400 lines; every
e-mail is composed in its app's emails.py; and no module imports another module's private names.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
APPS = ("netralitas", "reports", "sanctions", "taskforce")
FIRST_PARTY = (*APPS, "devdata", "tests", "bench")
UPWARD_IMPORT = re.compile(r"^\s*(from|import) (sanctions|taskforce)")
TOOLING_IMPORT = re.compile(r"^\s*(from|import) (devdata|bench|tests)\b")
ADMIN_IMPORT = re.compile(r"^\s*from django\.contrib(\.admin\b| import .*\badmin\b)")
MESSAGE_COMPOSED = re.compile(r"""\b(queue_email|claim_email)\(|render_to_string\(\s*f?["']emails/""")
STAFF_IMPORT = re.compile(r"^\s*(from reports\.staff\b|from reports import .*\bstaff\b|import reports\.staff\b)")


def source_lines(*folders: str, suffixes=(".py",)):
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in suffixes and "migrations" not in path.parts:
                for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
                    yield path.relative_to(ROOT), number, line


def test_reports_and_the_core_import_neither_sanctions_nor_taskforce():
    found = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines("reports", "netralitas", suffixes=(".py", ".html", ".txt"))
        if UPWARD_IMPORT.match(line)
    ]
    assert found == []


def test_the_demo_and_scale_generators_are_tooling_no_domain_module_imports():
    commands = get_commands()
    assert {name: commands[name] for name in ("generate_scale_data", "load_demo")} == {
        "generate_scale_data": "devdata",
        "load_demo": "devdata",
    }
    generators = [
        str(path.relative_to(ROOT))
        for folder in APPS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if re.fullmatch(r"(demo|scale\w*)\.py", path.name)
    ]
    assert generators == []
    found = [
        f"{path}:{number}: {line.strip()}" for path, number, line in source_lines(*APPS) if TOOLING_IMPORT.match(line)
    ]
    assert found == []


def test_the_staff_side_of_reports_lives_in_reports_staff():
    # Only the module Django's admin autodiscovery imports (reports.admin) and the app's ready() reach into it.
    entry_points = {Path("reports/admin.py"), Path("reports/apps.py")}
    outside = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines("reports")
        if path.parts[1] != "staff"
        and path not in entry_points
        and (ADMIN_IMPORT.match(line) or STAFF_IMPORT.match(line))
    ]
    assert outside == []


def test_no_module_of_reports_passes_400_lines():
    # style.md: flat modules until a file passes ~400 lines, then split it (issue 12: "house in order").
    long_modules = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in sorted((ROOT / "reports").rglob("*.py"))
        if "migrations" not in path.parts and (lines := len(path.read_text().splitlines())) > 400
    ]
    assert long_modules == []


PUBLIC_IMPORT = re.compile(r"^\s*(from|import)\s+reports\.public\b")
URLS_INCLUDE = re.compile(r"include\(\s*\"reports\.(?!public\.|staff\.)")


def test_the_citizens_side_of_reports_lives_in_reports_public():
    # Two audiences, two packages: the public pages never reach the staff side, the staff side never
    # the public pages; every page module of reports the URLconf includes is in one of them.
    public_to_staff = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines("reports")
        if path.parts[1] == "public" and (ADMIN_IMPORT.match(line) or STAFF_IMPORT.match(line))
    ]
    staff_to_public = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines("reports")
        if path.parts[1] == "staff" and PUBLIC_IMPORT.match(line)
    ]
    loose_pages = [
        line.strip() for line in Path("netralitas/urls.py").read_text().splitlines() if URLS_INCLUDE.search(line)
    ]
    assert (public_to_staff, staff_to_public, loose_pages) == ([], [], [])


def test_every_message_is_composed_in_its_apps_emails_module():
    # One e-mail module per app, one function per message (Healthchecks' hc/lib/emails.py); the outbox defines them.
    outbox = Path("netralitas/notifications.py")
    found = [
        f"{path}:{number}: {line.strip()}"
        for path, number, line in source_lines(*APPS)
        if path.name != "emails.py" and path != outbox and MESSAGE_COMPOSED.search(line)
    ]
    assert found == []


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_imports_another_modules_private_names():
    found = []
    for folder in FIRST_PARTY:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            here = _module_name(path)
            where = path.relative_to(ROOT)
            modules: set[str] = set()  # local names bound to first-party modules
            for node in ast.walk(tree):
                if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    if node.module.split(".")[0] not in FIRST_PARTY:
                        continue
                    for alias in node.names:
                        if _private(alias.name) and node.module != here:
                            found.append(f"{where}:{node.lineno}: from {node.module} import {alias.name}")
                        if _is_module(f"{node.module}.{alias.name}"):
                            modules.add(alias.asname or alias.name)
                elif isinstance(node, ast.Import):
                    for alias in node.names:
                        if alias.name.split(".")[0] in FIRST_PARTY and alias.asname:
                            modules.add(alias.asname)
            found += [
                f"{where}:{node.lineno}: {node.value.id}.{node.attr}"
                for node in ast.walk(tree)
                if isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and _private(node.attr)
            ]
    assert found == []
