"""Django's admin autodiscovery imports this module: the reports admin lives in reports.staff."""

from reports.staff import admin, admin_records  # noqa: F401  (registers the ModelAdmins)
