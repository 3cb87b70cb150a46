"""django.contrib.admin with the staff site (netralitas.admin_site), in its own module: an app config's
module imports no models."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "netralitas.admin_site.StaffAdminSite"
