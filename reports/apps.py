from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Laporan")

    def ready(self) -> None:
        # Registers the visibility rules of the reports models (the sealed-data log and the relay's own).
        from reports import confidentiality, relay, selectors  # noqa: F401
