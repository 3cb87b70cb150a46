from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("Sanksi")

    def ready(self) -> None:
        # Registers the visibility rules, the workspace queues, the case figures and the reminder steps.
        from reports.outcomes import register_sanction_reader
        from sanctions import figures, queues, reminders, selectors  # noqa: F401

        # The reporter's status page names the sanction imposed; reports reads it through this hook.
        register_sanction_reader(selectors.sanctions_imposed)
