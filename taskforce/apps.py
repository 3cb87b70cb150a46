from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforceConfig(AppConfig):
    name = "taskforce"
    verbose_name = _("Satgas")

    def ready(self) -> None:
        # Registers the Satgas's workspace queues.
        from taskforce import queues  # noqa: F401
