from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from netralitas import views

admin.site.site_header = _("Netralitas ASN")
admin.site.site_title = _("Netralitas ASN")
admin.site.index_title = _("Penanganan laporan netralitas ASN")

urlpatterns = [
    path("", views.landing, name="landing"),
    path("healthz", views.healthz, name="healthz"),
    path("kerja/", views.workspace_page, name="workspace"),
    path("kerja/", include("netralitas.notification_views")),
    path("kerja/", include("netralitas.prevention_views")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(settings.NETRALITAS_ADMIN_PATH, admin.site.urls),
    path("masuk/", include("netralitas.security.urls")),
    path("", include("reports.public.intake")),
    path("", include("reports.public.autocomplete")),
    path("", include("reports.public.status")),
    path("", include("reports.staff.urls")),
    path("", include("reports.public.relay_views")),
    path("sanksi/", include("sanctions.urls")),
    path("dasbor/", include("sanctions.dashboard_views")),
    path("statistik/", include("sanctions.statistics")),
    path("satgas/", include("taskforce.urls")),
]

handler403 = "netralitas.errors.permission_denied"
handler404 = "netralitas.errors.page_not_found"
handler500 = "netralitas.errors.server_error"
