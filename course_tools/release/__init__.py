"""Turning `solutions/` into everything student-facing."""
