from django.urls import path

from taskforce import views

urlpatterns = [
    path("perkara/<int:pk>/keputusan/", views.satgas_decision, name="satgas_decision"),
]
