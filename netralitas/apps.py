from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetralitasConfig(AppConfig):
    name = "netralitas"
    verbose_name = _("Data induk")

    def ready(self) -> None:
        # Registers the visibility rules of the core models.
        from netralitas import selectors  # noqa: F401
