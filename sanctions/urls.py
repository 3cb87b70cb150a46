"""Filled in by the sanctions work (issue 5)."""

urlpatterns: list = []
