from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("Sanksi")

    def ready(self) -> None:
        # Registers the visibility rules and the workspace queues of the sanctions models.
        from sanctions import queues, selectors  # noqa: F401
