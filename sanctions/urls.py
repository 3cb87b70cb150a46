"""The PPK's and BKN's pages under /sanksi/ (included by netralitas/urls.py)."""

from django.urls import path

from sanctions import views

app_name = "sanctions"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("pemblokiran/", views.block_list, name="blocks"),
    path("perkara/<int:pk>/", views.case_detail, name="case"),
    path("perkara/<int:pk>/rekomendasi.pdf", views.recommendation_pdf, name="recommendation_pdf"),
    path("perkara/<int:pk>/draf-sk.pdf", views.draft_decision_pdf, name="draft_sk_pdf"),
    path("perkara/<int:pk>/sk.pdf", views.signed_sk, name="signed_sk"),
    path("perkara/<int:pk>/<slug:action>/", views.case_action, name="case_action"),
]
