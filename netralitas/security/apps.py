from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "netralitas.security"
    label = "security"
    verbose_name = _("Keamanan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Sign-in signals feed the security log and start the session clocks; visibility rules register.
        from django.db.models.signals import post_migrate

        from netralitas.security import selectors, signals  # noqa: F401

        # Like django.contrib.sites' default site: the retention row exists after every migrate (and flush).
        post_migrate.connect(signals.create_default_retention_policy, sender=self)
