from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("Sanksi")

    def ready(self) -> None:
        # Registers the visibility rules, the workspace queues and the case figures of the sanctions models.
        from sanctions import figures, queues, selectors  # noqa: F401
