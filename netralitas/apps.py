from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetralitasConfig(AppConfig):
    name = "netralitas"
    verbose_name = _("Data induk")

    def ready(self) -> None:
        # Registers the visibility rules of the core models and the prevention page of the staff header.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from netralitas import prevention_views, refcache, reminder_selectors, selectors  # noqa: F401
        from netralitas.models import (
            DeadlineRule,
            Election,
            ElectionPhase,
            Holiday,
            Organisation,
            RecommendingAuthority,
            Region,
            ViolationType,
        )

        reference = (DeadlineRule, Election, ElectionPhase, Holiday, Organisation, RecommendingAuthority, Region)
        for model in (*reference, ViolationType):
            post_save.connect(refcache.clear, sender=model, dispatch_uid=f"refcache-save-{model.__name__}")
            post_delete.connect(refcache.clear, sender=model, dispatch_uid=f"refcache-delete-{model.__name__}")
        m2m_changed.connect(refcache.clear, sender=Election.regions.through, dispatch_uid="refcache-election-regions")
