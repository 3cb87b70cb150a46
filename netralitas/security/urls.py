"""The sign-in pages under /masuk/ (included by netralitas/urls.py)."""

from django.urls import path

from netralitas.security import views

app_name = "security"

urlpatterns = [
    path("kode/", views.verify, name="verify"),
    path("aktifkan/", views.enrol, name="enrol"),
    path("kode-cadangan/", views.backup_codes, name="backup_codes"),
    path("konfirmasi/", views.reauth, name="reauth"),
]
