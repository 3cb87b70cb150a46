"""Writes of the reports app."""

from __future__ import annotations

from reports.pins import new_tracking_code

__all__ = ["new_tracking_code"]
