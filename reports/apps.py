from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        # Registers the visibility rules (the sealed-data log and the relay's own too), the workspace queues
        # and the reminder steps of the reports models.
        from reports import confidentiality, relay, reminders, selectors  # noqa: F401
        from reports.staff import queues  # noqa: F401
