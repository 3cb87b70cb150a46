from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforceConfig(AppConfig):
    name = "taskforce"
    verbose_name = _("Satgas")

    def ready(self) -> None:
        # Registers the visibility rules of the taskforce models, the scope contributor that lets a
        # serving member see their Satgas's cases, and the Satgas's workspace queues and pages.
        from netralitas import visibility
        from taskforce import queues, selectors  # noqa: F401

        visibility.register_scope_contributor(selectors.satgas_scope)
