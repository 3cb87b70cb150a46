"""Roles as Django Groups: which permissions each role carries.

A role's group is (re)built from ROLE_PERMISSIONS whenever a membership is set,
so the table below is the single place to read what a role may do. Later apps
add their permissions here as they arrive.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from netralitas.enums import Role

REFERENCE_MODELS = (
    "region",
    "organisation",
    "recommendingauthority",
    "authoritytransition",
    "violationtype",
    "sanctionkind",
    "deadlinerule",
    "holiday",
    "election",
    "electionphase",
    "reminderrule",
    "escalationroute",
    "preventionitem",
)


def _view(app: str, models: tuple[str, ...]) -> list[str]:
    return [f"{app}.view_{m}" for m in models]


def _all(app: str, models: tuple[str, ...]) -> list[str]:
    return [f"{app}.{verb}_{m}" for m in models for verb in ("add", "change", "delete", "view")]


_STAFF_READS = (
    _view("netralitas", REFERENCE_MODELS)
    + _view(
        "reports",
        (
            "report",
            "terlapor",
            "evidence",
            "reportevent",
            "caseevent",
            "person",
            "recommendation",
            "externalreference",
            "kajian",
            "clarification",
            "sealedaccess",
        ),
    )
    + _view("sanctions", ("decision", "block", "escalation", "sanctionevent"))
)
# The PPK's office: records the decision on a recommendation addressed to its instansi, and ticks the
# instansi's prevention checklist (netralitas.prevention).
_PPK_OFFICE = [
    "sanctions.record_decision",
    "netralitas.add_preventioncheck",
    "netralitas.change_preventioncheck",
    "netralitas.view_preventioncheck",
]
_ESCALATE = ["sanctions.add_escalation"]
# Who verifies and triages at the organisation that received the report.
_VERIFIER = [
    "reports.verify_report",
    "reports.reject_report",
    "reports.register_report",
    "reports.reroute_report",
    "reports.view_reporter_identity",
    "reports.ask_reporter",
    "reports.add_externalreference",
    "reports.change_report",  # assignment and linking in the admin; status never (workflow only)
]

# Satgas acts (taskforce): which member may do which act is also a matter of their SKB role on the
# team (taskforce.permissions); these say that the account may act as a Satgas member at all.
_SATGAS_READS = _view(
    "taskforce", ("satgas", "satgasmember", "satgasleave", "assignment", "monitoringnote", "meeting", "monevreport")
)
_SATGAS_ACTS = [
    "taskforce.assign_case",
    "taskforce.add_monitoringnote",
    "taskforce.add_meeting",
    "taskforce.generate_monev",
    "taskforce.import_members",
]
_SATGAS_ADMIN = _all("taskforce", ("satgas", "satgasmember", "satgasleave")) + ["taskforce.import_members"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.OPERATOR: _STAFF_READS + _VERIFIER + _PPK_OFFICE,
    Role.SATGAS: _STAFF_READS + _VERIFIER + ["reports.record_satgas_decision"] + _SATGAS_READS + _SATGAS_ACTS,
    Role.BAWASLU: _STAFF_READS
    + _VERIFIER
    + ["reports.assess_report", "reports.forward_report", "reports.record_temuan"],
    Role.AUTHORITY: _STAFF_READS
    + [
        "reports.issue_recommendation",
        "reports.close_case",
        "reports.cancel_case",
        "reports.record_clarification",
        "reports.add_recommendation",
        "reports.change_terlapor",
        "reports.ask_reporter",  # klarifikasi without knowing who reported (reports.relay)
    ],
    Role.PPK: _STAFF_READS + _PPK_OFFICE,
    Role.BKN: _STAFF_READS + ["sanctions.add_block", "sanctions.lift_block"] + _ESCALATE,
    Role.NATIONAL_VIEWER: _STAFF_READS + _ESCALATE,
    # Administrators keep the reference data (facts the law may change) and the accounts.
    Role.ADMIN: _STAFF_READS
    + _all("netralitas", REFERENCE_MODELS)
    + _all("netralitas", ("membership",))
    + ["netralitas.view_membershipevent", "netralitas.view_reminderdelivery"]
    + _SATGAS_ADMIN
    + ["auth.add_user", "auth.change_user", "auth.view_user", "auth.view_group"]
    # The security log (read-only), the retention period, and the sign-in locks they may lift.
    + ["security.view_securityevent", "security.view_retentionpolicy", "security.change_retentionpolicy"]
    + ["axes.view_accessattempt", "axes.delete_accessattempt"],
}

GROUP_PREFIX = "peran: "


def group_name(role: str) -> str:
    return f"{GROUP_PREFIX}{Role(role).label}"


def sync_role_group(role: str) -> Group:
    """Create or update the Group of ``role`` so it holds exactly ROLE_PERMISSIONS[role].

    Raises LookupError when a listed permission does not exist (a typo or a missing migration).
    """
    wanted = sorted(set(ROLE_PERMISSIONS[Role(role)]))
    query = Q()
    for dotted in wanted:
        app_label, codename = dotted.split(".", 1)
        query |= Q(content_type__app_label=app_label, codename=codename)
    perms = list(Permission.objects.filter(query)) if wanted else []
    found = {f"{p.content_type.app_label}.{p.codename}" for p in perms}
    missing = set(wanted) - found
    if missing:
        raise LookupError(f"Izin tidak ditemukan untuk peran {role}: {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=group_name(role))
    group.permissions.set(perms)
    return group


def sync_role_groups() -> dict[str, Group]:
    return {role: sync_role_group(role) for role in Role.values}
