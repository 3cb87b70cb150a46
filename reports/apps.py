from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        # Registers the visibility rules (the sealed-data log and the relay's own too) and the workspace queues.
        from reports import confidentiality, queues, relay, selectors  # noqa: F401
