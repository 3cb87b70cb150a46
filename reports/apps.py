from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        # Registers the visibility rules and the workspace queues of the reports models.
        from reports import queues, selectors  # noqa: F401
