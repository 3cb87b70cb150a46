from django.urls import path

from taskforce import views

urlpatterns = [
    path("", views.satgas_home, name="satgas_home"),
    path("perkara/<int:pk>/keputusan/", views.satgas_decision, name="satgas_decision"),
]
