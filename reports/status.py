"""Filled in by the intake work (issue 3)."""

urlpatterns: list = []
