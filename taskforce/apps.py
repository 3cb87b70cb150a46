from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforceConfig(AppConfig):
    name = "taskforce"
    verbose_name = _("Satgas")

    def ready(self) -> None:
        # Registers the visibility rules of the taskforce models, the scope contributor that lets a
        # serving member see their Satgas's cases, the Satgas's workspace queues and pages, and its
        # reminder step (assignments) with the filter that spares members outside their period.
        from netralitas import visibility
        from taskforce import queues, reminders, selectors  # noqa: F401

        visibility.register_scope_contributor(selectors.satgas_scope)
