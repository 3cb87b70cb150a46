"""The staff admin site: signing in lands on the workspace, and the index lists the role's own models first."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from netralitas.enums import Role
from netralitas.permissions import REFERENCE_MODELS

# The models each role works with, in the order of its work; they head the admin index and its sidebar.
# Labels, not imports: the core names the apps' models without importing them.
ROLE_WORK: dict[str, tuple[str, ...]] = {
    Role.OPERATOR: ("reports.report", "reports.terlapor", "reports.person", "reports.externalreference"),
    Role.SATGAS: ("reports.report", "reports.terlapor", "taskforce.satgas", "taskforce.satgasmember"),
    Role.BAWASLU: (
        "reports.report",
        "reports.terlapor",
        "reports.recommendation",
        "reports.person",
        "reports.externalreference",
    ),
    Role.AUTHORITY: ("reports.terlapor", "reports.recommendation", "reports.report", "reports.person"),
    Role.PPK: ("reports.recommendation", "sanctions.decision", "reports.terlapor"),
    Role.BKN: ("sanctions.block", "reports.recommendation", "sanctions.decision", "sanctions.escalation"),
    Role.NATIONAL_VIEWER: ("reports.terlapor", "reports.recommendation", "sanctions.decision", "sanctions.escalation"),
    Role.ADMIN: (
        "auth.user",
        "netralitas.membership",
        "taskforce.satgas",
        "taskforce.satgasmember",
        "security.securityevent",
        "axes.accessattempt",
    ),
}
REFERENCE_LABELS = frozenset(f"netralitas.{model}" for model in REFERENCE_MODELS)


def _label(app: dict, model: dict) -> str:
    return f"{app['app_label']}.{model['object_name'].lower()}"


def role_of(user) -> str | None:
    membership = getattr(user, "membership", None)
    return membership.role if membership is not None else None


def arrange_app_list(app_list: list[dict], role: str | None) -> list[dict]:
    """``app_list`` (Django's, apps and models by name) with the role's work first, reference tables last.

    The work becomes a first group "Pekerjaan Anda" in ROLE_WORK's order (its title links to the workspace);
    the reference tables a last group "Data rujukan"; the other models stay in their apps, empty apps go.
    """
    wanted = ROLE_WORK.get(role, ())
    work: dict[str, dict] = {}
    reference: list[dict] = []
    apps: list[dict] = []
    for app in app_list:
        rest = []
        for model in app["models"]:
            label = _label(app, model)
            if label in wanted:
                work[label] = model
            elif label in REFERENCE_LABELS:
                reference.append(model)
            else:
                rest.append(model)
        if rest:
            apps.append({**app, "models": rest})
    arranged = []
    if work:
        arranged.append(
            {
                "name": _("Pekerjaan Anda"),
                "app_label": "pekerjaan",
                "app_url": reverse("workspace"),
                "has_module_perms": True,
                "models": [work[label] for label in wanted if label in work],
            }
        )
    arranged += apps
    if reference:
        arranged.append(
            {
                "name": _("Data rujukan"),
                "app_label": "rujukan",
                "app_url": reverse("admin:app_list", kwargs={"app_label": "netralitas"}),
                "has_module_perms": True,
                "models": sorted(reference, key=lambda model: str(model["name"])),
            }
        )
    return arranged


class StaffAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The admin's login, but without a ``next`` the officer lands on the workspace, not the model index."""
        if request.method == "GET" and self.has_permission(request):
            return redirect("workspace")
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            extra_context = {REDIRECT_FIELD_NAME: reverse("workspace"), **(extra_context or {})}
        return super().login(request, extra_context)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        """The index and the sidebar: the role's work first, reference tables last (an app's own index as is)."""
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:
            return app_list
        return arrange_app_list(app_list, role_of(request.user))
