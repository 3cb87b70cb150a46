"""The staff admin site: signing in lands on the workspace, and the index lists the role's own models first."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


class StaffAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        """The admin's login, but without a ``next`` the officer lands on the workspace, not the model index."""
        if request.method == "GET" and self.has_permission(request):
            return redirect("workspace")
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            extra_context = {REDIRECT_FIELD_NAME: reverse("workspace"), **(extra_context or {})}
        return super().login(request, extra_context)


class StaffAdminConfig(AdminConfig):
    default_site = "netralitas.admin_site.StaffAdminSite"
