from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetralitasConfig(AppConfig):
    name = "netralitas"
    verbose_name = _("Data induk")
