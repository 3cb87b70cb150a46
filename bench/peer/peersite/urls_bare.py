from bareform import views
from django.urls import path

urlpatterns = [
    path("form/", views.submit, name="submit"),
    path("done/<int:pk>/", views.done, name="done"),
    path("status/", views.status, name="status"),
]
