"""Reads of the shared core. Placeholder replaced below."""
