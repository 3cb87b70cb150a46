"""Tooling, not domain (style.md): the demo world of `make run` and the scale data of the benchmarks.

An app only for its management commands (load_demo, generate_scale_data). It may import every
app; no app imports it (tests/test_import_direction.py).
"""
